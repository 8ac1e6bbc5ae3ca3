import Foundation

/// Limited-memory BFGS with an optional strong-Wolfe line search: `torch.optim.LBFGS`, ported
/// line by line (same defaults, same stopping rules, the same `_strong_wolfe` and cubic
/// interpolation).
///
/// L-BFGS re-evaluates the function several times per step, so ``step(closure:)`` takes a closure
/// that zeroes the gradients, recomputes the loss, runs backward and returns the loss:
///
/// ```swift
/// let lbfgs = try LBFGS(model, lineSearch: .strongWolfe)
/// let loss = try lbfgs.step {
///     model.zeroGradients()
///     let loss = objective(model)
///     loss.backward()
///     return Double(loss.scalar)
/// }
/// ```
/// One group only. State (on the first parameter, as in PyTorch): `func_evals`, `n_iter`, `d`, `t`,
/// `prev_flat_grad`, `prev_loss`, `H_diag`, and the history `old_dirs.<k>`, `old_stps.<k>`, `ro.<k>`.
public final class LBFGS<Scalar: TensorFloatingPoint>: Optimizer {
    /// The line search.
    public enum LineSearch: Sendable {
        /// Steps of length `lr` (PyTorch's `line_search_fn=None`).
        case none
        /// The strong-Wolfe line search (`'strong_wolfe'`).
        case strongWolfe
    }

    /// The single parameter group (`lr`, `max_iter`, `max_eval`, `tolerance_grad`,
    /// `tolerance_change`, `history_size`, `line_search_fn`, `maximize`).
    @exclusivity(unchecked) public var parameterGroups: [ParameterGroup<Scalar>] = []
    /// The defaults.
    public let defaults: [String: Double]
    /// The state, kept on the first parameter.
    @exclusivity(unchecked) public var state: [ObjectIdentifier: ParameterState<Scalar>] = [:]

    /// L-BFGS over every parameter of `container`; PyTorch's defaults (`maxEvaluations` defaults to
    /// `maxIterations·5/4`).
    /// - Throws: ``OptimizerError`` for a negative learning rate.
    public init(_ container: some ParameterContainer<Scalar>, learningRate: Double = 1, maxIterations: Int = 20,
                maxEvaluations: Int? = nil, toleranceGradient: Double = 1e-7, toleranceChange: Double = 1e-9,
                historySize: Int = 100, lineSearch: LineSearch = .none, maximize: Bool = false) throws {
        defaults = ["lr": learningRate, "max_iter": Double(maxIterations),
                    "max_eval": Double(maxEvaluations ?? maxIterations * 5 / 4),
                    "tolerance_grad": toleranceGradient, "tolerance_change": toleranceChange,
                    "history_size": Double(historySize), "line_search_fn": lineSearch == .strongWolfe ? 1 : 0,
                    "maximize": Self.flag(maximize)]
        try validate(defaults)
        try install([ParameterGroup(container)])
    }

    /// Checks the learning rate.
    public func validate(_ options: [String: Double]) throws {
        try Check.nonNegative("lr", options)
        if !parameterGroups.isEmpty {
            throw OptimizerError.invalidArgument("LBFGS doesn't support per-parameter options (parameter groups)")
        }
    }

    /// L-BFGS needs to re-evaluate the function: use ``step(closure:)``.
    public func step() {
        preconditionFailure("LBFGS.step(): L-BFGS re-evaluates the loss; call step(closure:)")
    }

    var params: [Parameter<Scalar>] { parameterGroups[0].parameters }

    func flatGradient(maximize: Bool) -> [Scalar] {
        var out: [Scalar] = []
        for p in params {
            if let g = p.gradient { out += g.scalars } else { out += [Scalar](repeating: 0, count: p.count) }
        }
        return maximize ? out.map { -$0 } : out
    }

    func addGradient(_ stepSize: Scalar, _ update: [Scalar]) {
        var offset = 0
        for p in params {
            let n = p.count
            p.value.withUnsafeMutableBufferPointer { x in
                for i in 0..<n { x[i] = x[i].addingProduct(stepSize, update[offset + i]) }
            }
            offset += n
        }
    }

    /// Runs up to `max_iter` L-BFGS iterations and returns the loss the first evaluation gave
    /// (PyTorch's `orig_loss`). `closure` must zero the gradients, recompute the loss, run backward
    /// and return the loss.
    @discardableResult
    public func step(closure: () throws -> Double) rethrows -> Double {
        let group = parameterGroups[0]
        let lr = group.value("lr"), maxIter = Int(group.value("max_iter")), maxEval = Int(group.value("max_eval"))
        let toleranceGrad = group.value("tolerance_grad"), toleranceChange = group.value("tolerance_change")
        let historySize = Int(group.value("history_size")), maximize = group.flag("maximize")
        let wolfe = group.flag("line_search_fn")
        if params.isEmpty { return try closure() }
        let st = stateOf(params[0])

        let origLoss = try closure()
        var loss = maximize ? -origLoss : origLoss
        var currentEvals = 1
        st.scalars["func_evals", default: 0] += 1
        var flatGrad = flatGradient(maximize: maximize)
        if Double(flatGrad.map(\.magnitude).max() ?? 0) <= toleranceGrad { return origLoss }

        let saved = st.buffers   // built once: `buffers` is a view of the state's slots
        var d = saved["d"].map(\.scalars) ?? []
        var t = st.scalars["t"] ?? 0
        var oldDirs = (0..<Int(st.scalars["history_count"] ?? 0)).map { saved["old_dirs.\($0)"]!.scalars }
        var oldStps = (0..<oldDirs.count).map { saved["old_stps.\($0)"]!.scalars }
        var ro = (0..<oldDirs.count).map { Scalar(st.scalars["ro.\($0)"]!) }
        var hDiag = Scalar(st.scalars["H_diag"] ?? 1)
        var prevFlatGrad = saved["prev_flat_grad"].map(\.scalars)
        var prevLoss = st.scalars["prev_loss"] ?? 0

        var nIter = 0
        while nIter < maxIter {
            nIter += 1
            st.scalars["n_iter", default: 0] += 1
            if st.scalars["n_iter"] == 1 {
                d = flatGrad.map { -$0 }
                oldDirs = []; oldStps = []; ro = []
                hDiag = 1
            } else {
                let y = zip(flatGrad, prevFlatGrad!).map { $0 - $1 }
                let s = d.map { $0 * Scalar(t) }
                let ys = dot(y, s)
                if ys > 1e-10 {
                    if oldDirs.count == historySize { oldDirs.removeFirst(); oldStps.removeFirst(); ro.removeFirst() }
                    oldDirs.append(y); oldStps.append(s); ro.append(1 / ys)
                    hDiag = ys / dot(y, y)
                }
                var al = [Scalar](repeating: 0, count: oldDirs.count)
                var q = flatGrad.map { -$0 }
                for i in stride(from: oldDirs.count - 1, through: 0, by: -1) {
                    al[i] = dot(oldStps[i], q) * ro[i]
                    axpy(-al[i], oldDirs[i], &q)
                }
                var r = q.map { $0 * hDiag }
                for i in 0..<oldDirs.count {
                    let be = dot(oldDirs[i], r) * ro[i]
                    axpy(al[i] - be, oldStps[i], &r)
                }
                d = r
            }
            prevFlatGrad = flatGrad
            prevLoss = loss
            if st.scalars["n_iter"] == 1 {
                let sum = Double(flatGrad.reduce(Scalar(0)) { $0 + $1.magnitude })
                t = min(1.0, 1.0 / sum) * lr
            } else {
                t = lr
            }
            let gtd = Double(dot(flatGrad, d))
            if gtd > -toleranceChange { break }

            var lsEvals = 0
            if wolfe {
                let xInit = params.map(\.value)
                let result = try strongWolfe(closure: closure, x: xInit, t: t, d: d, f: loss, g: flatGrad, gtd: gtd,
                                             toleranceChange: toleranceChange, maxLS: maxEval - currentEvals,
                                             maximize: maximize)
                loss = result.f; flatGrad = result.g; t = result.t; lsEvals = result.evals
                addGradient(Scalar(t), d)
            } else {
                addGradient(Scalar(t), d)
                if nIter != maxIter {
                    let l = try closure()
                    loss = maximize ? -l : l
                    flatGrad = flatGradient(maximize: maximize)
                    lsEvals = 1
                }
            }
            let optCond = Double(flatGrad.map(\.magnitude).max() ?? 0) <= toleranceGrad
            currentEvals += lsEvals
            st.scalars["func_evals", default: 0] += Double(lsEvals)
            if nIter == maxIter || currentEvals >= maxEval || optCond { break }
            if Double(d.map { ($0 * Scalar(t)).magnitude }.max() ?? 0) <= toleranceChange { break }
            if abs(loss - prevLoss) < toleranceChange { break }
        }

        var buffers: [String: Tensor<Scalar>] = ["d": Tensor(d)]
        st.scalars["t"] = t
        for (k, v) in oldDirs.enumerated() { buffers["old_dirs.\(k)"] = Tensor(v) }
        for (k, v) in oldStps.enumerated() { buffers["old_stps.\(k)"] = Tensor(v) }
        for (k, v) in ro.enumerated() { st.scalars["ro.\(k)"] = Double(v) }
        st.scalars["history_count"] = Double(oldDirs.count)
        st.scalars["H_diag"] = Double(hDiag)
        if let prevFlatGrad { buffers["prev_flat_grad"] = Tensor(prevFlatGrad) }
        st.buffers = buffers
        st.scalars["prev_loss"] = prevLoss
        return origLoss
    }

    /// Evaluates at `x + t·d`, returns the loss and flat gradient, and restores `x`.
    func directionalEvaluate(_ closure: () throws -> Double, _ x: [Tensor<Scalar>], _ t: Double, _ d: [Scalar],
                             maximize: Bool) rethrows -> (Double, [Scalar]) {
        addGradient(Scalar(t), d)
        let l = try closure()
        let g = flatGradient(maximize: maximize)
        for (p, v) in zip(params, x) { p.value = v }
        return (maximize ? -l : l, g)
    }

    /// torch.optim.lbfgs._strong_wolfe.
    func strongWolfe(closure: () throws -> Double, x: [Tensor<Scalar>], t: Double, d: [Scalar], f: Double,
                     g: [Scalar], gtd: Double, c1: Double = 1e-4, c2: Double = 0.9, toleranceChange: Double,
                     maxLS: Int, maximize: Bool) rethrows -> (f: Double, g: [Scalar], t: Double, evals: Int) {
        var t = t
        let dNorm = Double(d.map(\.magnitude).max() ?? 0)
        var (fNew, gNew) = try directionalEvaluate(closure, x, t, d, maximize: maximize)
        var evals = 1
        var gtdNew = Double(dot(gNew, d))
        var tPrev = 0.0, fPrev = f, gPrev = g, gtdPrev = gtd
        var done = false
        var lsIter = 0
        var bracket: [Double] = [], bracketF: [Double] = [], bracketG: [[Scalar]] = [], bracketGtd: [Double] = []
        while lsIter < maxLS {
            if fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev) {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew]; bracketGtd = [gtdPrev, gtdNew]
                break
            }
            if abs(gtdNew) <= -c2 * gtd {
                bracket = [t]; bracketF = [fNew]; bracketG = [gNew]
                done = true
                break
            }
            if gtdNew >= 0 {
                bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew]; bracketGtd = [gtdPrev, gtdNew]
                break
            }
            let minStep = t + 0.01 * (t - tPrev), maxStep = t * 10
            let tmp = t
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, bounds: (minStep, maxStep))
            tPrev = tmp; fPrev = fNew; gPrev = gNew; gtdPrev = gtdNew
            (fNew, gNew) = try directionalEvaluate(closure, x, t, d, maximize: maximize)
            evals += 1
            gtdNew = Double(dot(gNew, d))
            lsIter += 1
        }
        if lsIter == maxLS {
            bracket = [0, t]; bracketF = [f, fNew]; bracketG = [g, gNew]
            if bracketGtd.count < 2 { bracketGtd = [gtd, gtdNew] }
        }
        var insufficientProgress = false
        var (lowPos, highPos) = bracketF[0] <= bracketF[bracketF.count - 1] ? (0, 1) : (1, 0)
        while !done && lsIter < maxLS {
            if abs(bracket[1] - bracket[0]) * dNorm < toleranceChange { break }
            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], bounds: nil)
            let hi = max(bracket[0], bracket[1]), lo = min(bracket[0], bracket[1])
            let eps = 0.1 * (hi - lo)
            if min(hi - t, t - lo) < eps {
                if insufficientProgress || t >= hi || t <= lo {
                    t = abs(t - hi) < abs(t - lo) ? hi - eps : lo + eps
                    insufficientProgress = false
                } else {
                    insufficientProgress = true
                }
            } else {
                insufficientProgress = false
            }
            (fNew, gNew) = try directionalEvaluate(closure, x, t, d, maximize: maximize)
            evals += 1
            gtdNew = Double(dot(gNew, d))
            lsIter += 1
            if fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos] {
                bracket[highPos] = t; bracketF[highPos] = fNew; bracketG[highPos] = gNew; bracketGtd[highPos] = gtdNew
                (lowPos, highPos) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0)
            } else {
                if abs(gtdNew) <= -c2 * gtd {
                    done = true
                } else if gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0 {
                    bracket[highPos] = bracket[lowPos]; bracketF[highPos] = bracketF[lowPos]
                    bracketG[highPos] = bracketG[lowPos]; bracketGtd[highPos] = bracketGtd[lowPos]
                }
                bracket[lowPos] = t; bracketF[lowPos] = fNew; bracketG[lowPos] = gNew; bracketGtd[lowPos] = gtdNew
            }
        }
        if bracket.count == 1 { lowPos = 0 }
        return (bracketF[lowPos], bracketG[lowPos], bracket[lowPos], evals)
    }
}

/// torch.optim.lbfgs._cubic_interpolate: the minimizer of the cubic through two points with slopes.
func cubicInterpolate(_ x1: Double, _ f1: Double, _ g1: Double, _ x2: Double, _ f2: Double, _ g2: Double,
                      bounds: (Double, Double)?) -> Double {
    let (lo, hi) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1))
    let d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    let d2Square = d1 * d1 - g1 * g2
    if d2Square >= 0 {
        let d2 = d2Square.squareRoot()
        let minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                              : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(minPos, lo), hi)
    }
    return (lo + hi) / 2
}

/// The dot product.
func dot<S: TensorFloatingPoint>(_ a: [S], _ b: [S]) -> S {
    var s: S = 0
    for i in a.indices { s = s.addingProduct(a[i], b[i]) }
    return s
}

/// `y ← y + α·x`.
func axpy<S: TensorFloatingPoint>(_ alpha: S, _ x: [S], _ y: inout [S]) {
    for i in y.indices { y[i] = y[i].addingProduct(alpha, x[i]) }
}
