import NablaTensor

/// Running sum along `axis`. Mirrors `torch.cumsum`.
public struct CumulativeSum: UnaryOperator {
    /// The op's name in the registry and in messages, `"cumsum"`.
    public static let name = "cumsum"
    /// The axis.
    public let axis: Int
    /// Creates the op with the given attributes.
    @inlinable public init(axis: Int) { self.axis = axis }
    /// Batching rule: the axis moves past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        x.applying(CumulativeSum(axis: Shape.normalizeAxis(axis, rank: x.rank - 1, op: "cumsum") + 1))
    }
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

extension Variable {
    /// Running sum along `axis`. Mirrors `torch.cumsum`.
    @inlinable public func cumulativeSum(axis: Int) -> Variable { applying(CumulativeSum(axis: axis)) }
}
