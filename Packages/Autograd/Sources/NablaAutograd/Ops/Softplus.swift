import NablaTensor

/// `log(1 + eˣ)` elementwise, stable for large `|x|` (threshold 20, as torch). Mirrors `torch.nn.functional.softplus`.
public struct Softplus: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"softplus"`.
    public static let name = "softplus"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.softplus() }
    /// `d/dx log(1 + eˣ) = σ(x)`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { x.sigmoid() }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { S.reference(.sigmoid, x) }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// `log(1 + eˣ)` elementwise, stable for large `|x|` (threshold 20, as torch). Mirrors `torch.nn.functional.softplus`.
    @inlinable public consuming func softplus() -> Variable { applying(Softplus()) }
}
