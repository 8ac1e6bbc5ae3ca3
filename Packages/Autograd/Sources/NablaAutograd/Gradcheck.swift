import NablaTensor

/// The outcome of ``checkGradients(of:at:eps:atol:rtol:checkSecondOrder:)``.
public struct GradientCheckReport: CustomStringConvertible, Sendable {
    /// One compared Jacobian entry `∂ output[outputIndex] / ∂ inputs[input][inputIndex]`.
    public struct Entry: Sendable, CustomStringConvertible {
        /// `1` for the Jacobian of `f`, `2` for the Jacobian of its vector–Jacobian product.
        public var order: Int
        /// Which analytical method produced the value: `"reverse"` (VJP) or `"forward"` (JVP).
        public var mode: String
        /// Which input.
        public var input: Int
        /// The element of that input (row-major indices).
        public var inputIndex: [Int]
        /// The element of the output.
        public var outputIndex: [Int]
        /// Central difference `(f(x + ε) − f(x − ε)) / 2ε`.
        public var numerical: Double
        /// From the autograd rules.
        public var analytical: Double
        /// `|analytical − numerical| / (atol + rtol·|numerical|)`: above 1 fails.
        public var errorRatio: Double
        /// A readable summary.
        public var description: String {
            "order \(order) \(mode): ∂out\(outputIndex)/∂in\(input)\(inputIndex) numerical \(numerical), analytical \(analytical) (error \(errorRatio)× tolerance)"
        }
    }
    /// Whether every entry was within tolerance.
    public var passed: Bool { (worst?.errorRatio ?? 0) <= 1 }
    /// The entry with the largest error relative to its tolerance, if anything was compared.
    public var worst: Entry?
    /// How many Jacobian entries were compared.
    public var comparisons: Int
    /// A readable summary.
    public var description: String {
        guard let worst else { return "checkGradients: nothing to compare" }
        return "checkGradients \(passed ? "passed" : "FAILED") over \(comparisons) entries; worst \(worst)"
    }
}

/// Compares the derivatives of `f` from its autograd rules with central differences, like
/// `torch.autograd.gradcheck` (and `gradgradcheck` when `checkSecondOrder`).
///
/// Every entry of the Jacobian of `f` with respect to each input is computed three ways: numerically
/// (`(f(x + εeⱼ) − f(x − εeⱼ)) / 2ε`), by reverse mode (one VJP per output element) and by forward
/// mode (one JVP per input element). Entry `a` passes against `n` when `|a − n| ≤ atol + rtol·|n|`.
/// The second-order check repeats this for `x ↦ vᵀ·∂f/∂x` with a fixed pseudo-random cotangent `v`,
/// which exercises the VJP rules' own derivatives (forward-over-reverse and reverse-over-reverse).
///
/// - Parameters:
///   - f: the function; its inputs are `inputs` as variables.
///   - inputs: where to check, in the function's valid domain (away from kinks).
///   - eps: the central-difference step; PyTorch's default `1e-6`, designed for `Double`.
///   - atol: the absolute tolerance; PyTorch's default `1e-5`.
///   - rtol: the relative tolerance; PyTorch's default `1e-3`.
///   - checkSecondOrder: whether to also check the derivatives of the VJP rules (`gradgradcheck`).
/// - Returns: a report naming the worst entry with its index and both values.
///
/// Checking in `Float` prints a warning: with 24-bit significands, central differences with
/// `eps = 1e-6` lose almost every digit, so torch's tolerances cannot be met.
public func checkGradients<S: TensorFloatingPoint>(
    of f: ([Variable<S>]) -> Variable<S>, at inputs: [Tensor<S>],
    eps: Double = 1e-6, atol: Double = 1e-5, rtol: Double = 1e-3, checkSecondOrder: Bool = true
) -> GradientCheckReport {
    if S.self != Double.self {
        print("warning: checkGradients in \(S.self): central differences need Double; torch's gradcheck tolerances (eps 1e-6, atol 1e-5, rtol 1e-3) are designed for float64")
    }
    var report = GradientCheckReport(worst: nil, comparisons: 0)
    compareJacobians(f, inputs, order: 1, eps: eps, atol: atol, rtol: rtol, into: &report)
    if checkSecondOrder {
        let y = withoutDerivative { f(inputs.map { Variable($0) }) }
        let v = Tensor<S>.randomNormal(y.shape, seed: 0x5eed)
        for k in inputs.indices {
            let g: ([Variable<S>]) -> Variable<S> = { xs in
                let (out, nodes) = recordForReverse(xs, f)
                return sweep(from: out, seed: Variable(v), to: nodes)[k]
            }
            compareJacobians(g, inputs, order: 2, eps: eps, atol: atol, rtol: rtol, into: &report)
        }
    }
    return report
}

/// Checks one function's Jacobians (reverse and forward) against central differences.
@usableFromInline func compareJacobians<S: TensorFloatingPoint>(
    _ f: ([Variable<S>]) -> Variable<S>, _ inputs: [Tensor<S>], order: Int,
    eps: Double, atol: Double, rtol: Double, into report: inout GradientCheckReport) {
    let y = withoutDerivative { f(inputs.map { Variable($0) }) }
    let m = y.count
    for k in inputs.indices {
        let n = inputs[k].count
        // Numerical Jacobian, [m, n].
        var numerical = [Double](repeating: 0, count: m * n)
        for j in 0..<n {
            var plus = inputs, minus = inputs
            plus[k].withUnsafeMutableBufferPointer { $0[j] += S(eps) }
            minus[k].withUnsafeMutableBufferPointer { $0[j] -= S(eps) }
            let fp = withoutDerivative { f(plus.map { Variable($0) }) }.scalars
            let fm = withoutDerivative { f(minus.map { Variable($0) }) }.scalars
            for i in 0..<m { numerical[i * n + j] = (Double(fp[i]) - Double(fm[i])) / (2 * eps) }
        }
        // Reverse mode: one sweep per output element.
        var reverse = [Double](repeating: 0, count: m * n)
        let (out, nodes) = recordForReverse(inputs.map { Variable($0) }, f)
        for i in 0..<m {
            let row = sweep(from: out, seed: Variable(basis(out.shape, i)), to: nodes)[k].value.scalars
            for j in 0..<n { reverse[i * n + j] = Double(row[j]) }
        }
        // Forward mode: one pass per input element.
        var forward = [Double](repeating: 0, count: m * n)
        for j in 0..<n {
            let tangents = inputs.indices.map { $0 == k ? basis(inputs[k].shape, j) : Tensor<S>.zeros(inputs[$0].shape) }
            let column = forwardSweep(at: inputs, tangents: tangents, of: f).1.scalars
            for i in 0..<m { forward[i * n + j] = Double(column[i]) }
        }
        for (mode, analytical) in [("reverse", reverse), ("forward", forward)] {
            for i in 0..<m {
                for j in 0..<n {
                    let a = analytical[i * n + j], num = numerical[i * n + j]
                    let ratio = a.isNaN || num.isNaN ? .infinity : Swift.abs(a - num) / (atol + rtol * Swift.abs(num))
                    report.comparisons += 1
                    if report.worst == nil || ratio > report.worst!.errorRatio {
                        report.worst = .init(order: order, mode: mode, input: k,
                                             inputIndex: unravel(j, inputs[k].shape), outputIndex: unravel(i, y.shape),
                                             numerical: num, analytical: a, errorRatio: ratio)
                    }
                }
            }
        }
    }
}

/// Row-major indices of flat position `i` in `shape`.
@usableFromInline func unravel(_ i: Int, _ shape: [Int]) -> [Int] {
    var r = i
    var out = [Int](repeating: 0, count: shape.count)
    for a in stride(from: shape.count - 1, through: 0, by: -1) where shape[a] > 0 {
        out[a] = r % shape[a]
        r /= shape[a]
    }
    return out
}

/// Checks a registered op at each of its samples (first and second order, torch's tolerances).
/// This is what `nabla gradcheck` runs for each name.
public func checkGradients(of op: any RegisteredOperator, eps: Double = 1e-6, atol: Double = 1e-5,
                           rtol: Double = 1e-3, checkSecondOrder: Bool = true) -> [GradientCheckReport] {
    op.samples.map { sample in
        checkGradients(of: { op.apply($0) }, at: sample, eps: eps, atol: atol, rtol: rtol, checkSecondOrder: checkSecondOrder)
    }
}

extension OpRegistry {
    /// Checks every registered op (in registration order); each entry lists one report per sample.
    public func checkAll(checkSecondOrder: Bool = true) -> [(name: String, reports: [GradientCheckReport])] {
        all.map { op in (op.name, checkGradients(of: op, checkSecondOrder: checkSecondOrder)) }
    }
}
