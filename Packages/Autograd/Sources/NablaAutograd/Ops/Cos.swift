import NablaTensor

/// Cosine elementwise. Mirrors `torch.cos`.
public struct Cos: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"cos"`.
    public static let name = "cos"
    /// Creates the op.
    @inlinable public init() {}
    /// `false`: the rules read only the input, so a recorded node does not keep the output.
    @inlinable public static var vjpUsesOutput: Bool { false }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.cos() }
    /// `d/dx cos x = −sin x`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { -x.sin() }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { -S.reference(.sin, x) }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep),
    /// with `sin x` from the vectorized kernel.
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent, kernel: .sin) { -$0 }
    }
}

extension Variable {
    /// Cosine elementwise. Mirrors `torch.cos`.
    @inlinable public consuming func cos() -> Variable { applying(Cos()) }
}
