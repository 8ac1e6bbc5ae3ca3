import NablaTensor

/// `max(x, 0)` elementwise. Mirrors `torch.relu`.
public struct ReLU: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"relu"`.
    public static let name = "relu"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.relu() }
    /// `relu′(x) = 1` for `x > 0`, else 0 (so relu′(0) = 0, as PyTorch and the seeds define it).
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { Variable(x.value.map { $0 > 0 ? 1 : 0 }) }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { x > 0 ? 1 : 0 }
    /// `ȳ·relu′(x)` in one SIMD pass (`Tensor.reluBackward(cotangent:)`).
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: Tensor<S>) -> Tensor<S> {
        x.reluBackward(cotangent: cotangent)
    }
}

extension Variable {
    /// `max(x, 0)` elementwise. Mirrors `torch.relu`.
    @inlinable public consuming func relu() -> Variable { applying(ReLU()) }
}
