import NablaTensor

/// The solution `X` of `A·X = B` for square `A` `[..., n, n]` and matrix `B` `[..., n, k]`.
/// Mirrors `torch.linalg.solve` (``Variable/solve(_:)`` also takes a vector `B`).
public struct Solve: BinaryOperator {
    /// The op's name in the registry and in messages, `"solve"`.
    public static let name = "solve"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
        mustSucceed("solve") { () throws(LinearAlgebraError) in try a.solve(b) }
    }
    /// Batching rule: one batched LAPACK solve. The operands' own batch axes broadcast, so unit axes
    /// go after the vmap axis until both have as many per-example axes.
    @inlinable public func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>,
                                                           batchedA: Bool, batchedB: Bool) -> Variable<S> {
        let r = Swift.max(a.rank - (batchedA ? 1 : 0), b.rank - (batchedB ? 1 : 0))
        return Variable.applying(self, a.batchAligned(batched: batchedA, rank: r), b.batchAligned(batched: batchedB, rank: r))
    }
    /// `B̄ = A⁻ᵀ·X̄` (a solve with `Aᵀ`), `Ā = −B̄·Xᵀ`; summed over broadcast batch axes.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        let gb = Variable.applying(Solve(), a.mT, ct)
        return (needA ? (-gb.matmul(y.mT)).summed(to: a.shape) : nil, needB ? gb.summed(to: b.shape) : nil)
    }
    /// `Ẋ = A⁻¹·(Ḃ − Ȧ·X)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                                       _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S> {
        let rhs = sumOfTangents(db, da.map { -$0.matmul(y) }, shape: y.shape)
        return Variable.applying(Solve(), a, rhs)
    }
}

extension Variable {
    /// The solution `X` of `self·X = b`; `b` is a matrix `[..., n, k]` or a vector `[n]`.
    /// Mirrors `torch.linalg.solve`.
    /// - Throws: `LinearAlgebraError.singular(op:pivot:)` for a singular matrix.
    @inlinable public func solve(_ b: Variable) throws(LinearAlgebraError) -> Variable {
        if b.rank == 1 {
            let x = try solve(b.reshaped([b.count, 1]))
            return x.reshaped([b.count])
        }
        return Variable.applying(Solve(), self, b, value: try value.solve(b.value))
    }
}
