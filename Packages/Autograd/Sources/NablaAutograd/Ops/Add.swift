import NablaTensor

/// `a + b` with broadcasting. Mirrors `torch.add`.
public struct Add: BinaryOperator {
    /// The op's name in the registry and in messages, `"add"`.
    public static let name = "add"
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
        arithmeticForward(a, b, op: "add", { $0 + $1 }, general: { $0 + $1 })
    }
    /// `ā = ȳ`, `b̄ = ȳ`, each summed back to its input's shape.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        (needA ? ct.summed(to: a.shape) : nil, needB ? ct.summed(to: b.shape) : nil)
    }
    /// The same on plain tensors (first order): `ȳ`, summed back to each input's shape.
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>, _ y: Tensor<S>, _ ct: Tensor<S>,
                                                            needA: Bool, needB: Bool) -> (Tensor<S>?, Tensor<S>?) {
        (needA ? ct.unbroadcast(to: a.shape) : nil, needB ? ct.unbroadcast(to: b.shape) : nil)
    }
    /// `ẏ = ȧ + ḃ`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                                       _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S> {
        sumOfTangents(da, db, shape: y.shape)
    }
}

/// `ȧ + ḃ` where a missing tangent is zero, broadcast to `shape`.
@inlinable func sumOfTangents<S: TensorFloatingPoint>(_ da: Variable<S>?, _ db: Variable<S>?, shape: [Int]) -> Variable<S> {
    let t: Variable<S>
    switch (da, db) {
    case let (a?, b?): t = a + b
    case let (a?, nil): t = a
    case let (nil, b?): t = b
    case (nil, nil): return Variable(Tensor<S>.zeros(shape))
    }
    return t.shape == shape ? t : t.expanded(to: shape)
}

extension Variable {
    /// Elementwise sum with broadcasting. Mirrors `torch.add`.
    @inlinable public static func + (a: consuming Variable, b: Variable) -> Variable { applying(Add(), a, b) }
}
