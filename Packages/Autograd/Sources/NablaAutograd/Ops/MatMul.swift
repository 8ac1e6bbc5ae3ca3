import NablaTensor

/// Matrix product of operands of rank ≥ 2, batch axes broadcasting. Mirrors `torch.matmul`
/// (``Variable/matmul(_:)-(Variable<Scalar>)`` reshapes vectors to matrices first, so this op sees matrices only).
public struct MatMul: BinaryOperator {
    /// The op's name in the registry and in messages, `"matmul"`.
    public static let name = "matmul"
    /// Batching rule: a batched matmul. A batched left operand times an unbatched matrix is folded
    /// into one GEMM (`[B·…·m, k]·[k, n]`); otherwise the batch axis broadcasts like the others.
    @inlinable public func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, batchedA: Bool, batchedB: Bool) -> Variable<S> {
        if batchedA && !batchedB && b.rank == 2 {
            let k = a.shape[a.rank - 1], n = b.shape[1]
            return Variable.applying(self, a.reshaped([-1, k]), b).reshaped(Array(a.shape.dropLast()) + [n])
        }
        let r = Swift.max(a.rank - (batchedA ? 1 : 0), b.rank - (batchedB ? 1 : 0))
        return Variable.applying(self, a.batchAligned(batched: batchedA, rank: r), b.batchAligned(batched: batchedB, rank: r))
    }
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> { a.matmul(b) }
    /// `Ā = Ȳ·Bᵀ`, `B̄ = Aᵀ·Ȳ`, each summed over broadcast batch axes.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        (needA ? ct.matmul(b.transposed()).summed(to: a.shape) : nil,
         needB ? a.transposed().matmul(ct).summed(to: b.shape) : nil)
    }
    /// `Ẏ = Ȧ·B + A·Ḃ`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                                       _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S> {
        sumOfTangents(da.map { $0.matmul(b) }, db.map { a.matmul($0) }, shape: y.shape)
    }
}

extension Variable {
    /// Matrix product with `torch.matmul`'s rules: vector·vector is a dot product (rank 0),
    /// matrix·vector and vector·matrix drop the vector axis, batch axes broadcast.
    @inlinable public func matmul(_ other: Variable) -> Variable {
        precondition(rank >= 1 && other.rank >= 1,
                     "matmul: both operands need at least one dimension, got shapes \(shape) and \(other.shape)")
        if rank >= 2 && other.rank >= 2 { return Variable.applying(MatMul(), self, other) }
        let a = rank == 1 ? reshaped([1, count]) : self
        let b = other.rank == 1 ? other.reshaped([other.count, 1]) : other
        let p = Variable.applying(MatMul(), a, b)
        var s = p.shape
        if other.rank == 1 { s.removeLast() }
        if rank == 1 { s.remove(at: s.count - (other.rank == 1 ? 1 : 2)) }
        return p.reshaped(s)
    }
    /// Inner product of two vectors. Mirrors `torch.dot`.
    @inlinable public func dot(_ other: Variable) -> Variable {
        precondition(rank == 1 && other.rank == 1 && count == other.count,
                     "dot: expected two vectors of equal length, got shapes \(shape) and \(other.shape)")
        return matmul(other)
    }
    /// Outer product `aᵢbⱼ` of two vectors. Mirrors `torch.outer`.
    @inlinable public func outer(_ other: Variable) -> Variable {
        precondition(rank == 1 && other.rank == 1, "outer: expected two vectors, got shapes \(shape) and \(other.shape)")
        return reshaped([count, 1]) * other.reshaped([1, other.count])
    }
}

/// Matrix product, `a.matmul(b)`.
@inlinable public func matmul<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>) -> Variable<S> { a.matmul(b) }
