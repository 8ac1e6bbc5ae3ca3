import NablaTensor

/// Logistic sigmoid `σ(x) = 1/(1 + e⁻ˣ)` elementwise. Mirrors `torch.sigmoid`.
public struct Sigmoid: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"sigmoid"`.
    public static let name = "sigmoid"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.sigmoid() }
    /// `σ′(x) = σ(x)(1 − σ(x)) = y(1 − y)`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { y * (1 - y) }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { y * (1 - y) }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// Logistic sigmoid `σ(x) = 1/(1 + e⁻ˣ)` elementwise. Mirrors `torch.sigmoid`.
    @inlinable public consuming func sigmoid() -> Variable { applying(Sigmoid()) }
}
