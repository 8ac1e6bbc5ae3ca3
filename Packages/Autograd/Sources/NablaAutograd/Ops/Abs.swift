import NablaTensor

/// Absolute value elementwise. Mirrors `torch.abs`.
public struct Abs: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"abs"`.
    public static let name = "abs"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.abs() }
    /// `d/dx |x| = sign x`, and 0 at 0 (PyTorch's convention).
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { Variable(x.value.sign()) }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { x > 0 ? 1 : (x < 0 ? -1 : 0) }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// Absolute value elementwise. Mirrors `torch.abs`.
    @inlinable public consuming func abs() -> Variable { applying(Abs()) }
}
