import NablaTensor

/// `log(1 + x)` elementwise, accurate near 0. Mirrors `torch.log1p`.
public struct Log1p: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"log1p"`.
    public static let name = "log1p"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.log1p() }
    /// `d/dx log(1 + x) = 1/(1 + x)`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { (x + 1).reciprocal() }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { 1 / (1 + x) }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// `log(1 + x)` elementwise, accurate near 0. Mirrors `torch.log1p`.
    @inlinable public consuming func log1p() -> Variable { applying(Log1p()) }
}
