import NablaTensor

/// Composites over the shape and linear-algebra primitives (no rules of their own).
extension Variable {
    /// The tensor repeated `multiples[i]` times along each axis (leading 1s added when `multiples`
    /// is longer than the rank). Mirrors `torch.Tensor.repeat` / `numpy.tile`: a broadcast view
    /// `[m₀, d₀, m₁, d₁, …]` reshaped, so its gradient sums the copies.
    @inlinable public func tiled(_ multiples: [Int]) -> Variable {
        precondition(multiples.count >= rank, "repeat: \(multiples) has fewer entries than the rank of shape \(shape)")
        let lead = multiples.count - rank
        let dims = [Int](repeating: 1, count: lead) + shape
        let interleaved = dims.flatMap { [1, $0] }
        let expandedShape = zip(multiples, dims).flatMap { [$0, $1] }
        return reshaped(interleaved).expanded(to: expandedShape).reshaped(zip(multiples, dims).map { $0 * $1 })
    }

    /// Equal pieces of `size` along `axis` (the last may be shorter). Mirrors `torch.split(x, size, dim)`.
    @inlinable public func split(size: Int, axis: Int = 0) -> [Variable] {
        let a = Shape.normalizeAxis(axis, rank: rank, op: "split")
        precondition(size > 0, "split: size must be positive, got \(size)")
        let n = shape[a]
        return split(sizes: stride(from: 0, to: n, by: size).map { Swift.min(size, n - $0) }, axis: a)
    }

    /// The slices along `axis`, that axis removed. Mirrors `torch.unbind`.
    @inlinable public func unstacked(axis: Int = 0) -> [Variable] {
        let a = Shape.normalizeAxis(axis, rank: rank, op: "unbind")
        return (0..<shape[a]).map { i in self[indices: [TensorIndex](repeating: .all, count: a) + [.index(i)]] }
    }

    /// `Aⁿ` for square matrices, any integer `n` (negative powers invert first). Mirrors
    /// `torch.linalg.matrix_power`; built from `matmul` (square-and-multiply) and ``inverse()``.
    /// - Throws: `LinearAlgebraError.singular(op:pivot:)` for `n < 0` and a singular matrix.
    @inlinable public func matrixPower(_ n: Int) throws(LinearAlgebraError) -> Variable {
        precondition(rank >= 2 && shape[rank - 1] == shape[rank - 2], "matrixPower: expected square matrices, got shape \(shape)")
        var base = n < 0 ? try inverse() : self
        var k = Swift.abs(n)
        var result: Variable? = nil
        while k > 0 {
            if k & 1 == 1 { result = result.map { $0.matmul(base) } ?? base }
            k >>= 1
            if k > 0 { base = base.matmul(base) }
        }
        return result ?? Variable(Tensor<Scalar>.eye(shape[rank - 1]).expanded(to: shape).contiguous)
    }

    /// The least-squares solution of `self·X ≈ b` for a full-rank `[..., m, n]` matrix, through the
    /// differentiable QR factorization: for `m ≥ n`, `A = QR` and `X = R⁻¹·Qᵀ·b` (the least-squares
    /// solution); for `m < n`, `Aᵀ = QR` and `X = Q·R⁻ᵀ·b` (the minimum-norm solution). Both equal
    /// `torch.linalg.lstsq(A, b, driver='gelsd').solution` (and `Tensor.leastSquares(_:rcond:)`) for
    /// full-rank `A`, without squaring the condition number as the normal equations would.
    ///
    /// `b` is a vector `[..., m]` (rank 1, or `self.shape` without its last axis) or a matrix
    /// `[..., m, k]`; batch axes broadcast.
    /// - Parameters:
    ///   - b: the right-hand side, a vector or a matrix as above.
    ///   - rcond: as in `Tensor.leastSquares(_:rcond:)`: singular values `≤ rcond·σ_max`
    ///     count as zero. When given, the rank is checked first (one SVD of the value, no derivative),
    ///     and a matrix that is rank-deficient at that cut-off throws. `nil` (the default) checks
    ///     only for an exactly singular `R`.
    /// - Throws: `LinearAlgebraError.singular(op:pivot:)` when `A` is rank-deficient (an exactly
    ///   zero diagonal in `R`, or a singular value under `rcond·σ_max`); rank-deficient least
    ///   squares is not differentiable here.
    @inlinable public func leastSquares(_ b: Variable, rcond: Scalar? = nil) throws(LinearAlgebraError) -> Variable {
        precondition(rank >= 2, "leastSquares: expected matrices [..., m, n], got shape \(shape)")
        if let rcond {
            let s = try value.singularValues()
            let k = s.shape[s.rank - 1]
            let smallest = s[indices: [.ellipsis, .index(k - 1)]], largest = s[indices: [.ellipsis, .index(0)]]
            if (smallest .<= largest * rcond).any() { throw LinearAlgebraError.singular(op: "leastSquares", pivot: k) }
        }
        let m = shape[rank - 2], n = shape[rank - 1]
        if b.rank == 1 || b.shape == Array(shape.dropLast()) {
            precondition(b.shape[b.rank - 1] == m, "leastSquares: right-hand side of shape \(b.shape) does not have \(m) rows for \(shape)")
            return try leastSquares(b.unsqueezed(axis: -1)).squeezed(axes: [-1])
        }
        precondition(b.shape[b.rank - 2] == m, "leastSquares: right-hand side of shape \(b.shape) does not have \(m) rows for \(shape)")
        if m >= n {
            let (q, r) = qr()
            return try r.solve(q.mT.matmul(b))
        }
        let (q, r) = mT.qr()
        return q.matmul(try r.mT.solve(b))
    }
}
