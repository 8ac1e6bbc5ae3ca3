import NablaTensor

/// Square root elementwise (`x > 0` for a finite derivative). Mirrors `torch.sqrt`.
public struct Sqrt: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"sqrt"`.
    public static let name = "sqrt"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.sqrt() }
    /// `d/dx √x = 1/(2√x) = 1/(2y)`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { y.reciprocal() * 0.5 }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { 0.5 / y }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// Square root elementwise (`x > 0` for a finite derivative). Mirrors `torch.sqrt`.
    @inlinable public consuming func sqrt() -> Variable { applying(Sqrt()) }
}
