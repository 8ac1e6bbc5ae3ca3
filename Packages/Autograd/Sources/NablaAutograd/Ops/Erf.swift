import NablaTensor

/// The error function elementwise. Mirrors `torch.erf`.
public struct Erf: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"erf"`.
    public static let name = "erf"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.erf() }
    /// `erf′(x) = 2/√π · e^(−x²)`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { (-x.squared()).exp() * (2 / S.pi.squareRoot()) }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { 2 / S.pi.squareRoot() * S.reference(.exp, -x * x) }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// The error function elementwise. Mirrors `torch.erf`.
    @inlinable public consuming func erf() -> Variable { applying(Erf()) }
}
