import NablaTensor

/// Functions composed from primitives, so they need no rules of their own (tinygrad's way).
extension Variable {
    /// Mean over `axes` (all when `nil`). Mirrors `torch.mean`.
    @inlinable public func mean(axes: [Int]? = nil, keepingDims: Bool = false) -> Variable {
        let n = axes.map { Shape.count(Shape.normalizeAxes($0, rank: rank, op: "mean").map { shape[$0] }) } ?? count
        return sum(axes: axes, keepingDims: keepingDims) / Scalar(n)
    }
    /// Mean over one axis.
    @inlinable public func mean(axis: Int, keepingDims: Bool = false) -> Variable { mean(axes: [axis], keepingDims: keepingDims) }

    /// Variance over `axes` with Bessel's `correction` (torch default 1). Mirrors `torch.var`.
    @inlinable public func variance(axes: [Int]? = nil, correction: Int = 1, keepingDims: Bool = false) -> Variable {
        let n = axes.map { Shape.count(Shape.normalizeAxes($0, rank: rank, op: "variance").map { shape[$0] }) } ?? count
        let centered = self - mean(axes: axes, keepingDims: true)
        return centered.squared().sum(axes: axes, keepingDims: keepingDims) / Scalar(Swift.max(n - correction, 0))
    }

    /// `log Σ exp(x)` over `axes`, stable for large inputs. Mirrors `torch.logsumexp`.
    @inlinable public func logSumExp(axes: [Int]? = nil, keepingDims: Bool = false) -> Variable {
        let m = detached().max(axes: axes, keepingDims: true)
        let r = (self - m).exp().sum(axes: axes, keepingDims: true).log() + m
        return keepingDims ? r : r.reshaped(Tensor<Scalar>.zeros(shape).max(axes: axes, keepingDims: false).shape)
    }
    /// `log Σ exp(x)` along one axis.
    @inlinable public func logSumExp(axis: Int, keepingDims: Bool = false) -> Variable {
        logSumExp(axes: [axis], keepingDims: keepingDims)
    }

    /// `exp(xᵢ) / Σⱼ exp(xⱼ)` along `axis`. Mirrors `torch.softmax`.
    @inlinable public func softmax(axis: Int = -1) -> Variable {
        let e = (self - detached().max(axes: [axis], keepingDims: true)).exp()
        return e / e.sum(axis: axis, keepingDims: true)
    }
    /// `xᵢ − log Σⱼ exp(xⱼ)` along `axis`. Mirrors `torch.log_softmax`.
    @inlinable public func logSoftmax(axis: Int = -1) -> Variable { self - logSumExp(axis: axis, keepingDims: true) }

    /// Tangent, `sin x / cos x`. Mirrors `torch.tan`.
    @inlinable public func tan() -> Variable { sin() / cos() }
    /// `1/√x`. Mirrors `torch.rsqrt`.
    @inlinable public func rsqrt() -> Variable { sqrt().reciprocal() }
}

// MARK: Free functions, for code that reads like the math

/// `eˣ` elementwise.
@inlinable public func exp<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.exp() }
/// Natural logarithm elementwise.
@inlinable public func log<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.log() }
/// Sine elementwise.
@inlinable public func sin<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.sin() }
/// Cosine elementwise.
@inlinable public func cos<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.cos() }
/// Hyperbolic tangent elementwise.
@inlinable public func tanh<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.tanh() }
/// Logistic sigmoid elementwise.
@inlinable public func sigmoid<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.sigmoid() }
/// Square root elementwise.
@inlinable public func sqrt<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.sqrt() }
/// `max(x, 0)` elementwise.
@inlinable public func relu<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.relu() }
/// `xᵖ` elementwise.
@inlinable public func pow<S: TensorFloatingPoint>(_ x: Variable<S>, _ p: S) -> Variable<S> { x.pow(p) }

/// More composites: statistics, similarity, spectra, and the piecewise-constant functions.
extension Variable {
    /// Standard deviation over `axes` with Bessel's `correction`. Mirrors `torch.std`.
    @inlinable public func standardDeviation(axes: [Int]? = nil, correction: Int = 1, keepingDims: Bool = false) -> Variable {
        variance(axes: axes, correction: correction, keepingDims: keepingDims).sqrt()
    }
    /// The `p`-distance `‖self − other‖_p` (all elements, or along `axis`). Mirrors `torch.dist`.
    @inlinable public func distance(to other: Variable, p: Scalar = 2, axis: Int? = nil) -> Variable {
        (self - other).norm(p: p, axes: axis.map { [$0] })
    }
    /// `⟨x, y⟩ / (max(‖x‖, ε)·max(‖y‖, ε))` along `axis`. Mirrors `torch.nn.functional.cosine_similarity`
    /// (default axis: the last).
    @inlinable public func cosineSimilarity(_ other: Variable, axis: Int = -1, eps: Scalar = 1e-8) -> Variable {
        let dot = (self * other).sum(axis: axis)
        let nx = norm(axes: [axis]), ny = other.norm(axes: [axis])
        let floor = Variable(Tensor<Scalar>(eps))
        return dot / (nx.maximum(floor) * ny.maximum(floor))
    }
    /// The nuclear norm `Σσᵢ` of each matrix. Mirrors `torch.linalg.matrix_norm(x, 'nuc')`.
    @inlinable public func nuclearNorm() throws(LinearAlgebraError) -> Variable { try singularValues().sum(axis: -1) }
    /// The spectral norm `σ_max` of each matrix. Mirrors `torch.linalg.matrix_norm(x, 2)`.
    @inlinable public func spectralNorm() throws(LinearAlgebraError) -> Variable { try singularValues()[indices: [.ellipsis, .index(0)]] }

    /// `−1`, `0` or `1` by sign: piecewise constant, so a constant here (derivative 0, as in PyTorch).
    @inlinable public func sign() -> Variable { Variable(value.sign(), node: nil, batch: batch) }
    /// Rounds down (derivative 0). Mirrors `torch.floor`.
    @inlinable public func floor() -> Variable { Variable(value.floor(), node: nil, batch: batch) }
    /// Rounds up (derivative 0). Mirrors `torch.ceil`.
    @inlinable public func ceil() -> Variable { Variable(value.ceil(), node: nil, batch: batch) }
    /// Rounds to nearest, ties to even (derivative 0). Mirrors `torch.round`.
    @inlinable public func rounded() -> Variable { Variable(value.rounded(), node: nil, batch: batch) }
}
