import NablaTensor

/// `x²` elementwise. Mirrors `torch.square`.
public struct Square: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"square"`.
    public static let name = "square"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.squared() }
    /// `d/dx x² = 2x`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { x * 2 }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { 2 * x }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// `x²` elementwise. Mirrors `torch.square`.
    @inlinable public consuming func squared() -> Variable { applying(Square()) }
}
