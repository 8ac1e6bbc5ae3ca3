import NablaTensor

/// The same elements with a new shape (one `-1` is inferred). Mirrors `torch.reshape`.
public struct Reshape: UnaryOperator {
    /// The op's name in the registry and in messages, `"reshape"`.
    public static let name = "reshape"
    /// The requested shape.
    public let newShape: [Int]
    /// Batching rule: the batch size is prepended to the new shape.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(Reshape([x.shape[0]] + newShape)) }
    /// Creates the op.
    @inlinable public init(_ newShape: [Int]) { self.newShape = newShape }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.reshaped(newShape) }
    /// `x̄ = ȳ` reshaped back.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.reshaped(x.shape)
    }
    /// `ẏ = ẋ` reshaped.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.reshaped(y.shape)
    }
}

extension Variable {
    /// The same elements with a new shape. Mirrors `torch.reshape`.
    @inlinable public func reshaped(_ shape: [Int]) -> Variable { shape == self.shape ? self : applying(Reshape(shape)) }
    /// The same elements with a new shape.
    @inlinable public func reshaped(_ shape: Int...) -> Variable { reshaped(shape) }
    /// A rank-1 view of all elements. Mirrors `torch.flatten`.
    @inlinable public func flattened() -> Variable { reshaped([count]) }
    /// Removes axes of size 1 (all, or only `axes`). Mirrors `torch.squeeze`.
    @inlinable public func squeezed(axes: [Int]? = nil) -> Variable { reshaped(Tensor<Scalar>.zeros(shape).squeezed(axes: axes).shape) }
    /// Inserts an axis of size 1. Mirrors `torch.unsqueeze`.
    @inlinable public func unsqueezed(axis: Int) -> Variable {
        var s = shape
        s.insert(1, at: axis < 0 ? axis + s.count + 1 : axis)
        return reshaped(s)
    }
}
