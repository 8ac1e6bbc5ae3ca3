import NablaTensor

/// Broadcast to a larger shape. Mirrors `torch.expand` / `torch.broadcast_to`.
public struct Expand: UnaryOperator {
    /// The op's name in the registry and in messages, `"expand"`.
    public static let name = "expand"
    /// The target shape.
    public let targetShape: [Int]
    /// Creates the op with the given attributes.
    @inlinable public init(_ targetShape: [Int]) { self.targetShape = targetShape }
    /// Batching rule: unit axes after the batch axis, then the batch size prepended to the target.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        x.batchAligned(batched: true, rank: targetShape.count).applying(Expand([x.shape[0]] + targetShape))
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.expanded(to: targetShape) }
    /// `x̄ = ȳ` summed back to the input's shape (expand and sum are adjoint).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.summed(to: x.shape)
    }
    /// `ẏ = ẋ` expanded.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.expanded(to: targetShape)
    }
}

/// Sum of a broadcast tensor back to `shape`: the adjoint of ``Expand``. Mirrors JAX's `_unbroadcast`
/// (`Tensor.unbroadcast(to:)`).
public struct SumTo: UnaryOperator {
    /// The op's name in the registry and in messages, `"sumTo"`.
    public static let name = "sumTo"
    /// The target shape.
    public let targetShape: [Int]
    /// Creates the op with the given attributes.
    @inlinable public init(_ targetShape: [Int]) { self.targetShape = targetShape }
    /// Batching rule: extra leading per-example axes are summed first, then the rest past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        let extra = x.rank - 1 - targetShape.count
        let y = extra > 0 ? x.sum(axes: Array(1...extra)) : x
        let target = [x.shape[0]] + targetShape
        return y.shape == target ? y : y.applying(SumTo(target))
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.unbroadcast(to: targetShape) }
    /// `x̄ = ȳ` expanded back.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.expanded(to: x.shape)
    }
    /// `ẏ = ẋ` summed the same way.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.summed(to: targetShape)
    }
}

extension Variable {
    /// A broadcast to `shape`. Mirrors `torch.expand`.
    @inlinable public func expanded(to shape: [Int]) -> Variable { shape == self.shape ? self : applying(Expand(shape)) }
    /// Sums a broadcast value back to `shape` (identity when the shapes agree).
    @inlinable public func summed(to shape: [Int]) -> Variable { shape == self.shape ? self : applying(SumTo(shape)) }
}
