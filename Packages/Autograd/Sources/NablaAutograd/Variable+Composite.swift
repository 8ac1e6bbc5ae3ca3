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
        let m = Variable(value.max(axes: axes, keepingDims: true))
        let r = (self - m).exp().sum(axes: axes, keepingDims: true).log() + m
        return keepingDims ? r : r.reshaped(value.max(axes: axes, keepingDims: false).shape)
    }
    /// `log Σ exp(x)` along one axis.
    @inlinable public func logSumExp(axis: Int, keepingDims: Bool = false) -> Variable {
        logSumExp(axes: [axis], keepingDims: keepingDims)
    }

    /// `exp(xᵢ) / Σⱼ exp(xⱼ)` along `axis`. Mirrors `torch.softmax`.
    @inlinable public func softmax(axis: Int = -1) -> Variable {
        let e = (self - Variable(value.max(axis: axis, keepingDims: true))).exp()
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
