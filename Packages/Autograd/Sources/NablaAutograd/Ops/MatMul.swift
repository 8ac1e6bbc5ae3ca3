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
    /// The value, computed on plain tensors. A batch of products one of whose operands is the same
    /// matrix for every batch element (a plain matrix, or batch axes of stride 0: an unbatched value
    /// broadcast over a `vmap` batch, the primal of a batched Jacobian) is one GEMM, not one per
    /// element (see `sharedRightProduct(_:_:)` and `sharedLeftProduct(_:_:)`); a batch of outer
    /// products (inner dimension 1) is written directly (`batchedOuterProducts(_:_:)`).
    @inlinable public func forward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
        if (a.rank >= 3 || b.rank >= 3) && a.count > 0 && b.count > 0 {
            // Inner dimension 1 (a batch of outer products, as in per-sample weight gradients): each
            // product is written once, where a GEMM per element would first clear its output.
            if a.shape[a.rank - 1] == 1 && b.shape[b.rank - 2] == 1 && a.rank == b.rank
                && a.shape.dropLast(2) == b.shape.dropLast(2) { return batchedOuterProducts(a, b) }
            if let y = MatMul.sharedRightProduct(a, b) ?? MatMul.sharedLeftProduct(a, b) { return y }
        }
        return a.matmul(b)
    }

    /// Whether every matrix of `t` (rank ≥ 2) is the same: its batch axes have stride 0 or size 1.
    @inlinable static func isSharedMatrix<S>(_ t: Tensor<S>) -> Bool {
        for i in 0..<(t.rank - 2) where t.strides[i] != 0 && t.shape[i] != 1 { return false }
        return true
    }

    /// The one matrix of a tensor whose matrices are all the same (a view, no copy).
    @inlinable static func firstMatrix<S>(_ t: Tensor<S>) -> Tensor<S> {
        var m = t
        while m.rank > 2 { m = m[0] }
        return m
    }

    /// Whether batch shape `small` broadcasts to `large` without growing it (right-aligned).
    @inlinable static func broadcastsInto(_ small: ArraySlice<Int>, _ large: ArraySlice<Int>) -> Bool {
        guard small.count <= large.count else { return false }
        for (s, l) in zip(small.reversed(), large.reversed()) where s != l && s != 1 { return false }
        return true
    }

    /// `a·b` for `a` `[…, m, k]` with its own batch and `b` one shared matrix: `a`'s batch folds into
    /// its rows, one `[B·m, k]·[k, n]` GEMM. `nil` when `b` is not shared or `a` lacks batch axes.
    @inlinable static func sharedRightProduct<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S>? {
        guard a.rank >= 3, b.rank >= 2, isSharedMatrix(b), a.shape[a.rank - 1] == b.shape[b.rank - 2],
              broadcastsInto(b.shape.dropLast(2), a.shape.dropLast(2)) else { return nil }
        let m = firstMatrix(b), k = m.shape[0]
        return a.reshaped([-1, k]).matmul(m).reshaped(Array(a.shape.dropLast()) + [m.shape[1]])
    }

    /// `a·b` for `a` one shared matrix `[m, k]` and `b` `[…, k, n]` with its own batch: `b`'s batch
    /// folds into its columns, one `[m, k]·[k, B·n]` GEMM (`b` and the result are transposed
    /// through one copy each; none when `n` is 1). `nil` when `a` is not shared or `b` lacks batch axes.
    @inlinable static func sharedLeftProduct<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S>? {
        guard b.rank >= 3, a.rank >= 2, isSharedMatrix(a), a.shape[a.rank - 1] == b.shape[b.rank - 2],
              broadcastsInto(a.shape.dropLast(2), b.shape.dropLast(2)) else { return nil }
        let m = firstMatrix(a), rows = m.shape[0]
        let k = b.shape[b.rank - 2], n = b.shape[b.rank - 1], batch = Array(b.shape.dropLast(2))
        let count = batch.reduce(1, *)
        if n == 1 {
            // Matrix·vector per element: the transposed products (bᵢᵀ·mᵀ) are the rows of one
            // [B, k]·[k, m] GEMM, already in the result's layout (mᵀ is a view BLAS reads transposed).
            return b.reshaped([count, k]).matmul(m.transposed()).reshaped(batch + [rows, 1])
        }
        let columns = b.reshaped([count, k, n]).permuted([1, 0, 2]).reshaped([k, count * n])
        let y = m.matmul(columns)                                                  // [m, B·n]
        return y.reshaped([rows, count, n]).permuted([1, 0, 2]).contiguous.reshaped(batch + [rows, n])
    }
    /// `Ā = Ȳ·Bᵀ`, `B̄ = Aᵀ·Ȳ`, each summed over broadcast batch axes.
    ///
    /// An operand that is a transposed view of a dense matrix (the `x·Wᵀ` of a linear layer) gets
    /// its gradient in the same layout, `B̄ = (Ȳᵀ·A)ᵀ`: the transpose's own gradient is then dense
    /// again, and the optimizer reads it without a strided copy.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        let plain = a.batch == nil && b.batch == nil && a.rank == 2 && b.rank == 2
        return (needA ? (plain && MatMul.isTransposedView(a.value) ? b.matmul(ct.transposed()).transposed()
                                                                   : ct.matmul(b.transposed()).summed(to: a.shape)) : nil,
                needB ? (plain && MatMul.isTransposedView(b.value) ? ct.transposed().matmul(a).transposed()
                                                                   : a.transposed().matmul(ct).summed(to: b.shape)) : nil)
    }
    /// Whether a matrix is stored column by column (a transposed view of a dense matrix) and not
    /// row by row.
    @inlinable static func isTransposedView<S>(_ m: Tensor<S>) -> Bool {
        m.strides[0] == 1 && m.strides[1] == m.shape[0] && m.shape[0] > 1 && m.shape[1] > 1
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

/// `a·b` for `a` `[…, m, 1]` and `b` `[…, 1, n]` with the same batch axes: each output matrix is
/// the outer product of a column and a row, written once (rows split across cores). A GEMM with
/// inner dimension 1 first clears its output and is called once per batch element; per-sample
/// weight gradients (`vmap` of `gradient` through a linear layer) are exactly this product.
@_specialize(where S == Float)
@_specialize(where S == Double)
@usableFromInline func batchedOuterProducts<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
    let m = a.shape[a.rank - 2], n = b.shape[b.rank - 1]
    let rows = a.count                                   // batch · m, one output row each
    let column = a.contiguous, row = b.contiguous
    return Tensor(shape: Array(a.shape.dropLast()) + [n]) { out in
        column.withUnsafeBufferPointer { cb in
            row.withUnsafeBufferPointer { rb in
                let context = (out: out.baseAddress!, column: cb.baseAddress!, row: rb.baseAddress!, m: m, n: n)
                Parallel.forRanges(rows, minimumChunk: Swift.max(1, Parallel.minimumChunk / Swift.max(n, 1)),
                                   context: context) { range, c in
                    for r in range {
                        let s = c.column[r]
                        let src = c.row + (r / c.m) * c.n, dst = c.out + r * c.n
                        for j in 0..<c.n { (dst + j).initialize(to: s * src[j]) }
                    }
                }
            }
        }
    }
}
