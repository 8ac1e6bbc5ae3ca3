import NablaTensor

/// Sine elementwise. Mirrors `torch.sin`.
public struct Sin: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"sin"`.
    public static let name = "sin"
    /// Creates the op.
    @inlinable public init() {}
    /// `false`: the rules read only the input, so a recorded node does not keep the output.
    @inlinable public static var vjpUsesOutput: Bool { false }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.sin() }
    /// `d/dx sin x = cos x`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { x.cos() }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { S.reference(.cos, x) }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep),
    /// with `cos x` from the vectorized kernel.
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent, kernel: .cos) { $0 }
    }
}

extension Variable {
    /// Sine elementwise. Mirrors `torch.sin`.
    @inlinable public consuming func sin() -> Variable { applying(Sin()) }
}
