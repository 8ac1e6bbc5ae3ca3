import NablaTensor

/// `eˣ − 1` elementwise, accurate near 0. Mirrors `torch.expm1`.
public struct Expm1: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"expm1"`.
    public static let name = "expm1"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.expm1() }
    /// `d/dx (eˣ − 1) = eˣ = y + 1`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { y + 1 }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { y + 1 }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// `eˣ − 1` elementwise, accurate near 0. Mirrors `torch.expm1`.
    @inlinable public consuming func expm1() -> Variable { applying(Expm1()) }
}
