import NablaTensor

/// `eˣ` elementwise. Mirrors `torch.exp`.
public struct Exp: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"exp"`.
    public static let name = "exp"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.exp() }
    /// `d/dx eˣ = eˣ = y`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { y }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { y }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// `eˣ` elementwise. Mirrors `torch.exp`.
    @inlinable public consuming func exp() -> Variable { applying(Exp()) }
}
