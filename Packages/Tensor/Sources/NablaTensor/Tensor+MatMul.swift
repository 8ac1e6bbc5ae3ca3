/// Matrix products through BLAS GEMM, with `torch.matmul`'s rules for vectors and batches.
extension Tensor where Scalar: TensorFloatingPoint {
    /// How a 2-D view can be handed to BLAS without a copy: transposed or not, and its row stride.
    @usableFromInline struct BLASOperand {
        @usableFromInline var transposed: Bool
        @usableFromInline var leadingDimension: Int
        @inlinable init(transposed: Bool, leadingDimension: Int) {
            self.transposed = transposed
            self.leadingDimension = leadingDimension
        }
    }

    /// The BLAS layout of the last two axes (rows `r`, columns `c`), or `nil` if a copy is needed.
    @inlinable static func blasLayout(rows r: Int, cols c: Int, rowStride s0: Int, colStride s1: Int) -> BLASOperand? {
        if (s1 == 1 || c == 1) && s0 >= Swift.max(1, c) { return BLASOperand(transposed: false, leadingDimension: s0) }
        if (s0 == 1 || r == 1) && s1 >= Swift.max(1, r) { return BLASOperand(transposed: true, leadingDimension: s1) }
        if r == 1 && c == 1 { return BLASOperand(transposed: false, leadingDimension: 1) }
        return nil
    }

    /// Matrix product with broadcasting over batch axes. Mirrors `torch.matmul`:
    /// vector·vector is a dot product (rank 0), matrix·vector and vector·matrix drop the vector
    /// axis, and `[..., m, k]·[..., k, n]` gives `[broadcast(...), m, n]`.
    ///
    /// Transposed views go to BLAS as they are (no copy). Stops with both shapes if the inner
    /// dimensions differ or the batch axes do not broadcast.
    @inlinable public func matmul(_ other: Tensor) -> Tensor {
        // The common matrix·matrix case without the batch machinery: one uninitialized result
        // (GEMM with beta = 0 writes every element) and one GEMM call.
        if rank == 2 && other.rank == 2 && _shape[1] == other._shape[0] && _shape[1] > 0 {
            let m = _shape[0], n = other._shape[1]
            var result = Tensor(storage: TensorStorage(uninitializedCount: m * n), shape: [m, n],
                                strides: [n, 1], offset: 0)
            if m > 0 && n > 0 { gemm(other, into: &result, outputOffset: 0) }
            return result
        }
        precondition(rank >= 1 && other.rank >= 1,
                     "matmul: both operands need at least one dimension, got shapes \(shape) and \(other.shape)")
        let a = rank == 1 ? unsqueezed(axis: 0) : self
        let b = other.rank == 1 ? other.unsqueezed(axis: 1) : other
        let m = a._shape[a.rank - 2], k = a._shape[a.rank - 1]
        let k2 = b._shape[b.rank - 2], n = b._shape[b.rank - 1]
        precondition(k == k2, "matmul: shapes \(shape) and \(other.shape) have mismatched inner dimensions (\(k) and \(k2))")
        let batchA = Array(a._shape.dropLast(2)), batchB = Array(b._shape.dropLast(2))
        guard let batch = Shape.broadcast(batchA, batchB) else {
            preconditionFailure("matmul: batch dimensions of shapes \(shape) and \(other.shape) do not broadcast")
        }
        let batchCount = Shape.count(batch)
        // Every output matrix is written by a GEMM with beta = 0 unless k = 0 (then it is zero).
        var result = k > 0 ? Tensor(shape: batch + [m, n]) { _ in } : Tensor.zeros(batch + [m, n])
        if batchCount > 0 && m > 0 && n > 0 && k > 0 {
            // Fold a's batch into its rows when b is shared by every batch and a is dense.
            if batchB.allSatisfy({ $0 == 1 }) && a.isContiguous && !batchA.isEmpty && batch == batchA {
                let b2 = b.reshaped([k, n])
                let a2 = a.reshaped([batchCount * m, k])
                a2.gemm(b2, into: &result, outputOffset: 0)
            } else {
                let ea = a.expanded(to: batch + [m, k]), eb = b.expanded(to: batch + [k, n])
                let (bshape, bstrides) = StridedLoop.coalesce(
                    batch.isEmpty ? [1] : batch,
                    [batch.isEmpty ? [0] : Array(ea._strides.dropLast(2)),
                     batch.isEmpty ? [0] : Array(eb._strides.dropLast(2))])
                var index = 0
                let aView = Tensor(storage: ea.storage, shape: [m, k], strides: Array(ea._strides.suffix(2)), offset: 0)
                let bView = Tensor(storage: eb.storage, shape: [k, n], strides: Array(eb._strides.suffix(2)), offset: 0)
                StridedLoop.forEach(shape: bshape, strides: bstrides) { offs, len, inner in
                    for j in 0..<len {
                        var av = aView, bv = bView
                        av._offset = ea._offset + offs[0] + j * inner[0]
                        bv._offset = eb._offset + offs[1] + j * inner[1]
                        av.gemm(bv, into: &result, outputOffset: index * m * n)
                        index += 1
                    }
                }
            }
        }
        if rank == 1 && other.rank == 1 { return result.reshaped([]) }
        if rank == 1 { return result.squeezed(axes: [-2]) }
        if other.rank == 1 { return result.squeezed(axes: [-1]) }
        return result
    }

    /// `out[offset...] = self · other` for 2-D views, via one GEMM call.
    @inlinable func gemm(_ other: Tensor, into out: inout Tensor, outputOffset: Int) {
        let m = _shape[0], k = _shape[1], n = other._shape[1]
        var a = self, b = other
        var la = Tensor.blasLayout(rows: m, cols: k, rowStride: _strides[0], colStride: _strides[1])
        if la == nil { a = copied(); la = BLASOperand(transposed: false, leadingDimension: k) }
        var lb = Tensor.blasLayout(rows: k, cols: n, rowStride: other._strides[0], colStride: other._strides[1])
        if lb == nil { b = other.copied(); lb = BLASOperand(transposed: false, leadingDimension: n) }
        let c = out.storage.base + out._offset + outputOffset
        withExtendedLifetime((a, b)) {
            Scalar.gemm(transposeA: la!.transposed, transposeB: lb!.transposed, m: m, n: n, k: k,
                        alpha: 1, a: a.storage.base + a._offset, lda: la!.leadingDimension,
                        b: b.storage.base + b._offset, ldb: lb!.leadingDimension,
                        beta: 0, c: c, ldc: n)
        }
    }

    /// Inner product `Σ aᵢbᵢ` of two vectors of equal length. Mirrors `torch.dot`.
    @inlinable public func dot(_ other: Tensor) -> Tensor {
        precondition(rank == 1 && other.rank == 1 && count == other.count,
                     "dot: expected two vectors of equal length, got shapes \(shape) and \(other.shape)")
        return matmul(other)
    }

    /// Outer product `aᵢbⱼ` of two vectors. Mirrors `torch.outer`.
    @inlinable public func outer(_ other: Tensor) -> Tensor {
        precondition(rank == 1 && other.rank == 1,
                     "outer: expected two vectors, got shapes \(shape) and \(other.shape)")
        return unsqueezed(axis: 1) * other.unsqueezed(axis: 0)
    }
}

/// Matrix product, `a.matmul(b)`.
@inlinable public func matmul<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> { a.matmul(b) }
