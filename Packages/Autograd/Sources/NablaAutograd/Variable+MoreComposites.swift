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
    /// - Throws: ``LinearAlgebraError/singular(op:pivot:)`` for `n < 0` and a singular matrix.
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

    /// The least-squares solution of `self·X ≈ b` for a full-column-rank `[..., m, n]` matrix, through
    /// the normal equations `(AᵀA)·X = Aᵀb` (differentiable through ``solve(_:)``; squares the
    /// condition number, so use it for well-conditioned problems). Mirrors `torch.linalg.lstsq(A, b).solution`.
    /// - Throws: ``LinearAlgebraError/singular(op:pivot:)`` when `AᵀA` is singular (rank-deficient `A`).
    @inlinable public func leastSquares(_ b: Variable) throws(LinearAlgebraError) -> Variable {
        let at = mT
        if b.rank == 1 {
            return try at.matmul(self).solve(at.matmul(b.reshaped([b.count, 1]))).reshaped([shape[rank - 1]])
        }
        return try at.matmul(self).solve(at.matmul(b))
    }
}
