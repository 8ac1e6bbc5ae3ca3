import NablaTensor

/// Running sum along `axis`. Mirrors `torch.cumsum`.
public struct CumulativeSum: UnaryOperator {
    /// The op's name in the registry and in messages, `"cumsum"`.
    public static let name = "cumsum"
    /// The axis.
    public let axis: Int
    /// Creates the op with the given attributes.
    @inlinable public init(axis: Int) { self.axis = axis }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.cumulativeSum(axis: axis) }
    /// `x̄ₖ = Σ_{j ≥ k} ȳⱼ`: a running sum from the end (flip, cumsum, flip).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.flipped(axes: [axis]).applying(self).flipped(axes: [axis])
    }
    /// Linear: `ẏ = cumsum(ẋ)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

/// The product of elements over `axes` (all when `nil`). Mirrors `torch.prod`.
/// Its derivative `∂y/∂xᵢ = y/xᵢ` is used as is, so it needs inputs without zeros.
public struct Product: UnaryOperator {
    /// The op's name in the registry and in messages, `"prod"`.
    public static let name = "prod"
    /// The reduced axes (`nil`: all).
    public let axes: [Int]?
    /// Whether reduced axes stay with size 1.
    public let keepingDims: Bool
    /// Creates the op with the given attributes.
    @inlinable public init(axes: [Int]?, keepingDims: Bool) {
        self.axes = axes
        self.keepingDims = keepingDims
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.product(axes: axes, keepingDims: keepingDims) }
    /// `x̄ᵢ = ȳ·y/xᵢ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let kept = keptShape(x.shape, axes)
        return ct.reshaped(kept) * y.reshaped(kept) / x
    }
    /// `ẏ = y·Σ ẋᵢ/xᵢ`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        y * (t / x).sum(axes: axes, keepingDims: keepingDims)
    }
}

extension Variable {
    /// Running sum along `axis`. Mirrors `torch.cumsum`.
    @inlinable public func cumulativeSum(axis: Int) -> Variable { applying(CumulativeSum(axis: axis)) }
    /// Product over `axes` (all when `nil`); the derivative needs nonzero inputs. Mirrors `torch.prod`.
    @inlinable public func product(axes: [Int]? = nil, keepingDims: Bool = false) -> Variable {
        applying(Product(axes: axes, keepingDims: keepingDims))
    }
}
