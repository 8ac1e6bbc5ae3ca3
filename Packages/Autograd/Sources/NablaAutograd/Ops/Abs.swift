import NablaTensor

/// Absolute value elementwise. Mirrors `torch.abs`.
public struct Abs: ElementwiseOperator {
    public static let name = "abs"
    @inlinable public init() {}
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.abs() }
    /// `d/dx |x| = sign x`, and 0 at 0 (PyTorch's convention).
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { Variable(x.value.sign()) }
}

extension Variable {
    /// Absolute value elementwise. Mirrors `torch.abs`.
    @inlinable public func abs() -> Variable { applying(Abs()) }
}
