import NablaTensor
import NablaAutograd

/// How a loss combines its per-element values. Mirrors PyTorch's `reduction=` argument.
public enum Reduction: Sendable, Equatable {
    /// The mean (PyTorch's default; weighted losses divide by the total weight).
    case mean
    /// The sum.
    case sum
    /// No reduction: one value per element (per sample for class losses).
    case none
}

extension Variable {
    /// Reduces per-element losses.
    @inlinable func reduced(_ reduction: Reduction) -> Variable {
        switch reduction {
        case .mean: mean()
        case .sum: sum()
        case .none: self
        }
    }
}

@inlinable func checkSameShape<S>(_ input: Variable<S>, _ target: Tensor<S>, _ op: String) {
    precondition(input.shape == target.shape, "\(op): input of shape \(input.shape) and target of shape \(target.shape) differ")
}

/// Mean squared error `(x − y)²`. Mirrors `F.mse_loss` / `nn.MSELoss`.
public func mseLoss<S: TensorFloatingPoint>(_ input: Variable<S>, _ target: Tensor<S>, reduction: Reduction = .mean) -> Variable<S> {
    checkSameShape(input, target, "mseLoss")
    return (input - target).squared().reduced(reduction)
}

/// Mean absolute error `|x − y|`. Mirrors `F.l1_loss` / `nn.L1Loss`.
public func l1Loss<S: TensorFloatingPoint>(_ input: Variable<S>, _ target: Tensor<S>, reduction: Reduction = .mean) -> Variable<S> {
    checkSameShape(input, target, "l1Loss")
    return (input - target).abs().reduced(reduction)
}

/// `½d²/β` where `|d| < β`, `|d| − ½β` elsewhere, `d = x − y`. Mirrors `F.smooth_l1_loss(beta=1)`;
/// `beta: 0` is the L1 loss.
public func smoothL1Loss<S: TensorFloatingPoint>(_ input: Variable<S>, _ target: Tensor<S>, beta: S = 1,
                                                reduction: Reduction = .mean) -> Variable<S> {
    checkSameShape(input, target, "smoothL1Loss")
    let d = input - target
    if beta == 0 { return d.abs().reduced(reduction) }
    // The mask comes from the value: on the whole batch at once under `vmap`.
    return d.elementwiseOnBatch { d in
        let a = d.abs()
        return Variable.where(a.value .< beta, d.squared() * (0.5 / beta), a - 0.5 * beta)
    }.reduced(reduction)
}

/// `½d²` where `|d| ≤ δ`, `δ(|d| − ½δ)` elsewhere. Mirrors `F.huber_loss(delta=1)` (the smooth L1
/// loss times `δ`).
public func huberLoss<S: TensorFloatingPoint>(_ input: Variable<S>, _ target: Tensor<S>, delta: S = 1,
                                             reduction: Reduction = .mean) -> Variable<S> {
    checkSameShape(input, target, "huberLoss")
    let d = input - target
    return d.elementwiseOnBatch { d in
        let a = d.abs()
        return Variable.where(a.value .<= delta, d.squared() * 0.5, (a - 0.5 * delta) * delta)
    }.reduced(reduction)
}

/// `−w·[y·log p + (1 − y)·log(1 − p)]` for probabilities `p`, each log clamped at −100 as
/// PyTorch does. Mirrors `F.binary_cross_entropy(input, target, weight)`.
public func binaryCrossEntropy<S: TensorFloatingPoint>(_ input: Variable<S>, _ target: Tensor<S>, weight: Tensor<S>? = nil,
                                                      reduction: Reduction = .mean) -> Variable<S> {
    checkSameShape(input, target, "binaryCrossEntropy")
    let logP = input.log().clamped(min: -100), log1mP = (1 - input).log().clamped(min: -100)
    var l = -(logP * target + log1mP * (1 - target))
    if let weight { l = l * weight }
    return l.reduced(reduction)
}

/// Binary cross-entropy from logits `x`, computed stably:
/// `(1 − y)·x + (1 + (pw − 1)·y)·(log(1 + e^{−|x|}) + max(−x, 0))`. Mirrors
/// `F.binary_cross_entropy_with_logits(input, target, weight, pos_weight)`; `posWeight` (broadcast
/// over the last axis, one per class) weighs the positive examples.
public func binaryCrossEntropyWithLogits<S: TensorFloatingPoint>(
    _ input: Variable<S>, _ target: Tensor<S>, weight: Tensor<S>? = nil, posWeight: Tensor<S>? = nil,
    reduction: Reduction = .mean) -> Variable<S> {
    checkSameShape(input, target, "binaryCrossEntropyWithLogits")
    let softTerm = (-input.abs()).exp().log1p() + (-input).relu()
    var l: Variable<S>
    if let posWeight {
        l = (1 - target) * input + (target * (posWeight - 1) + 1) * softTerm
    } else {
        l = (1 - target) * input + softTerm
    }
    if let weight { l = l * weight }
    return l.reduced(reduction)
}

/// Moves the class axis (1) of `[N, C, d₁, …]` last and flattens: `[N·d₁⋯, C]`.
@inlinable func classesLast<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
    if x.rank <= 2 { return x.rank == 1 ? x.reshaped([1, x.count]) : x }
    let perm = [0] + Array(2..<x.rank) + [1]
    return x.permuted(perm).reshaped([-1, x.shape[1]])
}

/// The negative log-likelihood `−w_{yᵢ}·log pᵢ[yᵢ]` of class indices `target` given log-probabilities
/// `input` (`[N, C]`, `[C]` or `[N, C, d₁, …]` with `target` `[N]`, `[]` or `[N, d₁, …]`). Targets
/// equal to `ignoreIndex` contribute nothing; the mean divides by the total weight of the rest.
/// Mirrors `F.nll_loss(input, target, weight, ignore_index=-100)`.
@_specialize(where S == Float)
@_specialize(where S == Double)
public func nllLoss<S: TensorFloatingPoint>(_ input: Variable<S>, _ target: Tensor<Int>, weight: Tensor<S>? = nil,
                                           ignoreIndex: Int = -100, reduction: Reduction = .mean) -> Variable<S> {
    let c = input.rank == 1 ? input.shape[0] : input.shape[1]
    let flat = classesLast(input)
    let t = target.flattened().scalars
    precondition(t.count == flat.shape[0], "nllLoss: target of shape \(target.shape) for input of shape \(input.shape)")
    precondition(weight.map { $0.shape == [c] } ?? true, "nllLoss: weight must have shape [\(c)]")
    let w = weight?.scalars
    var idx = [Int](), wts = [S]()
    idx.reserveCapacity(t.count); wts.reserveCapacity(t.count)
    for k in t {
        if k == ignoreIndex { idx.append(0); wts.append(0); continue }
        precondition(k >= 0 && k < c, "nllLoss: target \(k) is outside 0..<\(c)")
        idx.append(k); wts.append(w?[k] ?? 1)
    }
    let picked = flat.gathering(indices: Tensor(shape: [t.count, 1], scalars: idx), axis: 1).reshaped([t.count])
    let weights = Tensor<S>(shape: [t.count], scalars: wts)
    let l = -(picked * weights)
    switch reduction {
    case .none: return l.reshaped(target.shape)
    case .sum: return l.sum()
    case .mean: return l.sum() / weights.sum().scalar
    }
}

/// What `crossEntropy(_:_:weight:ignoreIndex:labelSmoothing:reduction:)` compares the logits with.
public enum CrossEntropyTarget<Scalar: TensorFloatingPoint> {
    /// One class index per sample.
    case indices(Tensor<Int>)
    /// A probability distribution over the classes per sample, the logits' shape.
    case probabilities(Tensor<Scalar>)
}

/// Cross-entropy of logits against class indices: the log-softmax (stable) followed by the
/// negative log-likelihood, with optional class `weight`, `ignoreIndex` and label smoothing `ε`
/// (`(1 − ε)·nll + ε/C · Σ_c −w_c log p_c`). Mirrors `F.cross_entropy(input, target, weight,
/// ignore_index=-100, label_smoothing=0)` with integer targets. Logits are `[N, C]`, `[C]` or
/// `[N, C, d₁, …]`.
@_specialize(where S == Float)
@_specialize(where S == Double)
public func crossEntropy<S: TensorFloatingPoint>(_ logits: Variable<S>, _ target: Tensor<Int>, weight: Tensor<S>? = nil,
                                                ignoreIndex: Int = -100, labelSmoothing: S = 0,
                                                reduction: Reduction = .mean) -> Variable<S> {
    precondition(labelSmoothing >= 0 && labelSmoothing <= 1, "crossEntropy: label smoothing must be in [0, 1]")
    // The common case as one op, forward and backward each one pass (`Variable.softmaxCrossEntropy`):
    // `[N, C]` logits, no weights or smoothing, a reduction, and every label a class (an ignored or
    // out-of-range label takes the general path, which skips or reports it).
    if weight == nil && labelSmoothing == 0 && reduction != .none && logits.rank == 2 && !logits.isBatched
        && target.rank == 1 && target.shape[0] == logits.shape[0] {
        let c = logits.shape[1]
        if target._allLabels(in: c, excluding: ignoreIndex) {
            return logits.softmaxCrossEntropy(labels: target, mean: reduction == .mean)
        }
    }
    let classAxis = logits.rank == 1 ? 0 : 1
    let c = logits.shape[classAxis]
    let logP = logits.logSoftmax(axis: classAxis)
    let nll = nllLoss(logP, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    guard labelSmoothing > 0 else { return nll }
    let flat = classesLast(logP)
    let t = target.flattened().scalars
    let keep = Tensor<S>(shape: [t.count], scalars: t.map { $0 == ignoreIndex ? 0 : 1 })
    let smooth = (weight.map { -(flat * $0).sum(axis: 1) } ?? -flat.sum(axis: 1)) * keep
    let reducedSmooth: Variable<S>
    switch reduction {
    case .none: reducedSmooth = smooth.reshaped(target.shape)
    case .sum: reducedSmooth = smooth.sum()
    case .mean:
        let denominator = weight.map { w in zip(t, keep.scalars).reduce(S(0)) { $0 + ($1.1 > 0 ? w.scalars[$1.0] : 0) } }
            ?? keep.sum().scalar
        reducedSmooth = smooth.sum() / denominator
    }
    return nll * (1 - labelSmoothing) + reducedSmooth * (labelSmoothing / S(c))
}

/// Cross-entropy of logits against class probabilities `target` (the logits' shape):
/// `−Σ_c w_c·y_c·log softmax(x)_c` per sample, with `y` smoothed to `(1 − ε)y + ε/C`. The mean
/// divides by the number of samples. Mirrors `F.cross_entropy` with floating-point targets.
public func crossEntropy<S: TensorFloatingPoint>(_ logits: Variable<S>, probabilities target: Tensor<S>, weight: Tensor<S>? = nil,
                                                labelSmoothing: S = 0, reduction: Reduction = .mean) -> Variable<S> {
    checkSameShape(logits, target, "crossEntropy")
    let classAxis = logits.rank == 1 ? 0 : 1
    let c = logits.shape[classAxis]
    var y = target
    if labelSmoothing > 0 { y = y * (1 - labelSmoothing) + labelSmoothing / S(c) }
    var terms = logits.logSoftmax(axis: classAxis) * y
    if let weight {
        var s = [Int](repeating: 1, count: logits.rank)
        s[classAxis] = c
        terms = terms * weight.reshaped(s)
    }
    let l = -terms.sum(axis: classAxis)
    return l.reduced(reduction)
}

/// Cross-entropy with either kind of target (see the two overloads).
public func crossEntropy<S: TensorFloatingPoint>(_ logits: Variable<S>, _ target: CrossEntropyTarget<S>, weight: Tensor<S>? = nil,
                                                ignoreIndex: Int = -100, labelSmoothing: S = 0,
                                                reduction: Reduction = .mean) -> Variable<S> {
    switch target {
    case .indices(let t):
        crossEntropy(logits, t, weight: weight, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing, reduction: reduction)
    case .probabilities(let p):
        crossEntropy(logits, probabilities: p, weight: weight, labelSmoothing: labelSmoothing, reduction: reduction)
    }
}

/// The Gaussian negative log-likelihood `½(log max(v, ε) + (x − y)²/max(v, ε))` (plus `½log 2π`
/// when `full`), for predicted means `input` and variances `variance` (the input's shape, or with
/// the last axis 1 or missing, for one variance per sample). The clamp passes gradients through,
/// as in PyTorch. Mirrors `F.gaussian_nll_loss(input, target, var, full=False, eps=1e-6)`.
public func gaussianNLLLoss<S: TensorFloatingPoint>(_ input: Variable<S>, _ target: Tensor<S>, variance: Variable<S>,
                                                   full: Bool = false, eps: S = 1e-6, reduction: Reduction = .mean) -> Variable<S> {
    checkSameShape(input, target, "gaussianNLLLoss")
    var v = variance
    if v.shape != input.shape && v.rank == input.rank - 1 { v = v.unsqueezed(axis: -1) }
    precondition(v.shape == input.shape || (v.rank == input.rank && v.shape.last == 1 && Array(v.shape.dropLast()) == Array(input.shape.dropLast())),
                 "gaussianNLLLoss: variance of shape \(variance.shape) for input \(input.shape)")
    // Clamped in value only (PyTorch clamps a copy under no_grad): the derivative passes through.
    let clamped = v.elementwiseOnBatch { v in v + Variable(v.value.map { Swift.max($0, eps) } - v.value) }
    var l = (clamped.log() + (input - target).squared() / clamped) * 0.5
    if full { l = l + S(0.918_938_533_204_672_7) }   // ½ log 2π
    return l.reduced(reduction)
}

/// How ``klDivergence(_:_:reduction:logTarget:)`` reduces. `batchMean` is the mathematically
/// correct KL divergence per sample; `mean` (PyTorch's default) divides by the element count.
public enum KLDivergenceReduction: Sendable, Equatable {
    /// Divide the sum by the number of elements (PyTorch's default).
    case mean
    /// Divide the sum by the batch size (the first axis).
    case batchMean
    /// The sum.
    case sum
    /// No reduction.
    case none
}

/// `y·(log y − x)` for log-probabilities `input` and probabilities `target` (0 where `y = 0`), or
/// `eʸ·(y − x)` for a log-space target. Mirrors `F.kl_div(input, target, reduction, log_target)`.
public func klDivergence<S: TensorFloatingPoint>(_ input: Variable<S>, _ target: Tensor<S>, reduction: KLDivergenceReduction = .mean,
                                                logTarget: Bool = false) -> Variable<S> {
    checkSameShape(input, target, "klDivergence")
    let l: Variable<S>
    if logTarget {
        l = target.exp() * (target - input)
    } else {
        let yLogY = target * (target.map { $0 > 0 ? $0 : 1 } as Tensor<S>).log()   // 0 where y = 0
        l = yLogY - target * input
    }
    switch reduction {
    case .mean: return l.mean()
    case .batchMean: return l.sum() / S(input.rank == 0 ? 1 : input.shape[0])
    case .sum: return l.sum()
    case .none: return l
    }
}

/// The hinge loss `max(0, 1 − y·h)` of scores `h` for labels `y ∈ {−1, 1}`, as in empirical risk
/// minimization (the support-vector machine's loss). PyTorch has no exact equivalent
/// (`F.hinge_embedding_loss` is a different function).
public func hingeLoss<S: TensorFloatingPoint>(_ scores: Variable<S>, _ labels: Tensor<S>, reduction: Reduction = .mean) -> Variable<S> {
    checkSameShape(scores, labels, "hingeLoss")
    return (1 - scores * labels).relu().reduced(reduction)
}

/// The zero-one loss `1[y ≠ h]` of predicted labels `h` against labels `y`: the error rate under
/// `mean`. Piecewise constant, so a plain tensor (it has no useful gradient). For real-valued
/// scores with labels in {−1, 1}, pass `scores.sign()`.
public func zeroOneLoss<S: TensorFloatingPoint>(_ predictions: Tensor<S>, _ labels: Tensor<S>, reduction: Reduction = .mean) -> Tensor<S> {
    precondition(predictions.shape == labels.shape, "zeroOneLoss: predictions \(predictions.shape) and labels \(labels.shape) differ")
    let wrong = predictions.zipWith(labels) { $0 == $1 ? S(0) : S(1) }
    switch reduction {
    case .mean: return wrong.mean()
    case .sum: return wrong.sum()
    case .none: return wrong
    }
}
