import NablaTensor

/// `a` where `condition` is true, `b` elsewhere, all three broadcasting. Mirrors `torch.where`.
/// The condition is a constant: no derivative flows into it.
public struct Select: BinaryOperator {
    /// The op's name in the registry and in messages, `"where"`.
    public static let name = "where"
    /// The mask.
    public let condition: Tensor<Bool>
    /// Batching rule: the condition (one per-example mask) broadcasts past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, batchedA: Bool, batchedB: Bool) -> Variable<S> {
        broadcastingBatchRule(a, b, batchedA: batchedA, batchedB: batchedB, rank: condition.rank) { Variable.applying(self, $0, $1) }
    }
    /// Creates the op.
    @inlinable public init(_ condition: Tensor<Bool>) { self.condition = condition }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
        Tensor.where(condition, a, b)
    }
    /// `ā = ȳ` where the condition holds (else 0), `b̄ = ȳ` elsewhere; each summed to its input's shape.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        let zero = Variable(Tensor<S>(0))
        return (needA ? Variable.applying(self, ct, zero).summed(to: a.shape) : nil,
                needB ? Variable.applying(self, zero, ct).summed(to: b.shape) : nil)
    }
    /// `ẏ = where(condition, ȧ, ḃ)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                                       _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S> {
        let zero = Variable(Tensor<S>(0))
        return Variable.applying(self, da ?? zero, db ?? zero).expanded(to: y.shape)
    }
}

extension Variable {
    /// `a` where `condition` is true, else `b`, broadcasting. Mirrors `torch.where(condition, a, b)`.
    @inlinable public static func `where`(_ condition: Tensor<Bool>, _ a: Variable, _ b: Variable) -> Variable {
        applying(Select(condition), a, b)
    }
    /// Clamps into `[lower, upper]`; the gradient is 1 strictly inside, 0 where clamped, on the
    /// bounds themselves and at NaN. Mirrors `torch.clamp` (torch 2.x gives 0 at the bounds too).
    @inlinable public func clamped(to range: ClosedRange<Scalar>) -> Variable {
        elementwiseOnBatch { x in
            let inside = x.value.map { $0 > range.lowerBound && $0 < range.upperBound }
            return Variable.where(inside, x, Variable(x.value.clamped(to: range)))
        }
    }
}
