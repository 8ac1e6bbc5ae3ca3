import NablaTensor

/// `a·b` elementwise with broadcasting. Mirrors `torch.mul`.
public struct Mul: BinaryOperator {
    /// The op's name in the registry and in messages, `"mul"`.
    public static let name = "mul"
    /// Batching rule: elementwise with broadcasting, so the operands are aligned past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, batchedA: Bool, batchedB: Bool) -> Variable<S> {
        broadcastingBatchRule(a, b, batchedA: batchedA, batchedB: batchedB) { Variable.applying(self, $0, $1) }
    }
    /// Creates the op.
    @inlinable public init() {}
    /// `false`: the rules read only the operands, so a recorded node does not keep the output.
    @inlinable public static var vjpUsesOutput: Bool { false }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
        arithmeticForward(a, b, op: "mul", { $0 * $1 }, general: { $0 * $1 })
    }
    /// `ā = ȳ·b`, `b̄ = ȳ·a`, each summed back to its input's shape (JAX's `_unbroadcast`).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        (needA ? (ct * b).summed(to: a.shape) : nil, needB ? (ct * a).summed(to: b.shape) : nil)
    }
    /// The same on plain tensors (first order).
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>, _ y: Tensor<S>, _ ct: Tensor<S>,
                                                            needA: Bool, needB: Bool) -> (Tensor<S>?, Tensor<S>?) {
        (needA ? (ct * b).unbroadcast(to: a.shape) : nil, needB ? (ct * a).unbroadcast(to: b.shape) : nil)
    }
    /// `ẏ = ȧ·b + a·ḃ` (product rule).
    @inlinable public func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                                       _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S> {
        sumOfTangents(da.map { $0 * b }, db.map { a * $0 }, shape: y.shape)
    }
}

extension Variable {
    /// Elementwise product with broadcasting. Mirrors `torch.mul`.
    @inlinable public static func * (a: consuming Variable, b: Variable) -> Variable { applying(Mul(), a, b) }
}
