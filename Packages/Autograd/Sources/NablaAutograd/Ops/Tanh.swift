import NablaTensor

/// Hyperbolic tangent elementwise. Mirrors `torch.tanh`.
public struct Tanh: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"tanh"`.
    public static let name = "tanh"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.tanh() }
    /// `d/dx tanh x = 1 − tanh²x = 1 − y²`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { 1 - y.squared() }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { 1 - y * y }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// Hyperbolic tangent elementwise. Mirrors `torch.tanh`.
    @inlinable public consuming func tanh() -> Variable { applying(Tanh()) }
}
