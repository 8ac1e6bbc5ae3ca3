import NablaTensor

/// The elementwise maximum of `a` and `b` with broadcasting. Mirrors `torch.maximum(a, b)`: NaN
/// propagates, and the derivative follows torch's `maximum` backward: 1 to the larger input, 0 to
/// the smaller, ½ to each where they are equal (ties, ±∞ included), and 1 to both where either is
/// NaN (neither is smaller).
public struct Maximum: BinaryOperator {
    /// The op's name in the registry and in messages, `"maximum"`.
    public static let name = "maximum"
    /// Batching rule: elementwise with broadcasting, so the operands are aligned past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, batchedA: Bool, batchedB: Bool) -> Variable<S> {
        broadcastingBatchRule(a, b, batchedA: batchedA, batchedB: batchedB) { Variable.applying(self, $0, $1) }
    }
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> { a.maximum(b) }
    /// `∂y/∂a` and `∂y/∂b` as constant weights (the function is piecewise linear, so its second
    /// derivative is 0): `a`'s is ½ on ties, 0 where `a < b`, else 1; `b`'s mirrors it.
    @inlinable static func weights<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> (Tensor<S>, Tensor<S>) {
        (a.zipWith(b, op: "maximum") { a, b in a == b ? 0.5 : (a < b ? 0 : 1) },
         a.zipWith(b, op: "maximum") { a, b in a == b ? 0.5 : (a > b ? 0 : 1) })
    }
    /// `ā = ȳ·∂y/∂a`, `b̄ = ȳ·∂y/∂b`, each summed back to its input's shape.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        let (wa, wb) = Maximum.weights(a.value, b.value)
        return (needA ? (ct * Variable(wa)).summed(to: a.shape) : nil, needB ? (ct * Variable(wb)).summed(to: b.shape) : nil)
    }
    /// `ẏ = ȧ·∂y/∂a + ḃ·∂y/∂b`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                                       _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S> {
        let (wa, wb) = Maximum.weights(a.value, b.value)
        return sumOfTangents(da.map { $0 * Variable(wa) }, db.map { $0 * Variable(wb) }, shape: y.shape)
    }
}

extension Variable {
    /// Elementwise maximum with broadcasting; on ties each input gets half the gradient. Mirrors
    /// `torch.maximum`.
    @inlinable public func maximum(_ other: Variable) -> Variable { Variable.applying(Maximum(), self, other) }
}
