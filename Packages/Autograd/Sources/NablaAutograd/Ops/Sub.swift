import NablaTensor

/// `a − b` with broadcasting. Mirrors `torch.sub`.
public struct Sub: BinaryOperator {
    /// The op's name in the registry and in messages, `"sub"`.
    public static let name = "sub"
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
        arithmeticForward(a, b, op: "sub", { $0 - $1 }, general: { $0 - $1 })
    }
    /// `ā = ȳ`, `b̄ = −ȳ`, each summed back to its input's shape.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        (needA ? ct.summed(to: a.shape) : nil, needB ? (-ct).summed(to: b.shape) : nil)
    }
    /// The same on plain tensors (first order).
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>, _ y: Tensor<S>, _ ct: Tensor<S>,
                                                            needA: Bool, needB: Bool) -> (Tensor<S>?, Tensor<S>?) {
        (needA ? ct.unbroadcast(to: a.shape) : nil, needB ? ct.map { -$0 }.unbroadcast(to: b.shape) : nil)
    }
    /// `ẏ = ȧ − ḃ`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                                       _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S> {
        sumOfTangents(da, db.map { -$0 }, shape: y.shape)
    }
}

extension Variable {
    /// Elementwise difference with broadcasting. Mirrors `torch.sub`.
    @inlinable public static func - (a: consuming Variable, b: Variable) -> Variable { applying(Sub(), a, b) }
}
