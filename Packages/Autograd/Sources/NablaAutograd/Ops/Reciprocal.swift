import NablaTensor

/// `1/x` elementwise. Mirrors `torch.reciprocal`.
public struct Reciprocal: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"reciprocal"`.
    public static let name = "reciprocal"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.reciprocal() }
    /// `d/dx (1/x) = −1/x² = −y²`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { -y.squared() }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { -(y * y) }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// `1/x` elementwise. Mirrors `torch.reciprocal`.
    @inlinable public consuming func reciprocal() -> Variable { applying(Reciprocal()) }
}
