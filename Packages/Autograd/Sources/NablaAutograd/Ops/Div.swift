import NablaTensor

/// `a / b` elementwise with broadcasting. Mirrors `torch.div`.
public struct Div: BinaryOperator {
    /// The op's name in the registry and in messages, `"div"`.
    public static let name = "div"
    /// Batching rule: elementwise with broadcasting, so the operands are aligned past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, batchedA: Bool, batchedB: Bool) -> Variable<S> {
        broadcastingBatchRule(a, b, batchedA: batchedA, batchedB: batchedB) { Variable.applying(self, $0, $1) }
    }
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
        arithmeticForward(a, b, op: "div", { $0 / $1 }, general: { $0 / $1 })
    }
    /// `ā = ȳ/b`, `b̄ = −ȳ·y/b` (with `y = a/b`), each summed back to its input's shape.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        let ga = ct / b
        return (needA ? ga.summed(to: a.shape) : nil, needB ? (-(ga * y)).summed(to: b.shape) : nil)
    }
    /// The same on plain tensors (first order).
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>, _ y: Tensor<S>, _ ct: Tensor<S>,
                                                            needA: Bool, needB: Bool) -> (Tensor<S>?, Tensor<S>?) {
        let ga = ct / b
        return (needA ? ga.unbroadcast(to: a.shape) : nil,
                needB ? ga.zipWith(y, op: "div") { -($0 * $1) }.unbroadcast(to: b.shape) : nil)
    }
    /// `ẏ = (ȧ − y·ḃ)/b`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                                       _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S> {
        sumOfTangents(da.map { $0 / b }, db.map { -($0 * y / b) }, shape: y.shape)
    }
}

extension Variable {
    /// Elementwise quotient with broadcasting. Mirrors `torch.div`.
    @inlinable public static func / (a: consuming Variable, b: Variable) -> Variable { applying(Div(), a, b) }
}
