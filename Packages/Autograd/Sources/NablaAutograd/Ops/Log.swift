import NablaTensor

/// Natural logarithm elementwise (`x > 0`). Mirrors `torch.log`.
public struct Log: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"log"`.
    public static let name = "log"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.log() }
    /// `d/dx log x = 1/x`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { x.reciprocal() }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { 1 / x }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// Natural logarithm elementwise (`x > 0`). Mirrors `torch.log`.
    @inlinable public consuming func log() -> Variable { applying(Log()) }
}
