/// Linear least squares.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The minimum-norm solution `X` of `min ‖A·X − B‖₂` for any `m×n` matrix `A = self`
    /// (over- or under-determined, rank-deficient or not). Mirrors `numpy.linalg.lstsq(A, B)[0]`
    /// and `torch.linalg.lstsq(A, B, driver='gelsd').solution`.
    ///
    /// Computed by SVD (`?gelsd`): singular values `≤ rcond·σ_max` are treated as zero.
    ///
    /// - Parameters:
    ///   - b: a vector right-hand side `[..., m]` (rank 1, or `self.shape` without the last axis)
    ///     or a matrix `[..., m, k]`; batch axes broadcast with those of `self`.
    ///   - rcond: the relative cut-off; `nil` (the default) uses `ε·max(m, n)`, NumPy's `rcond=None`.
    /// - Returns: `X`, `[..., n]` or `[..., n, k]`.
    /// - Throws: ``LinearAlgebraError/didNotConverge(op:)`` if the SVD fails to converge.
    /// - Precondition: `self` is `[..., m, n]` and `b` has `m` rows.
    @inlinable public func leastSquares(_ b: Tensor, rcond: Scalar? = nil) throws(LinearAlgebraError) -> Tensor {
        let (batchA, m, n) = matrixShape("leastSquares")
        let (rhs, k, batch, vector) = matrixRightHandSide(b, rows: m, batch: batchA, op: "leastSquares", relation: "≈")
        let a = expanded(to: batch + [m, n]).copied()
        let bb = rhs.expanded(to: batch + [m, k]).contiguous
        let rows = Swift.max(m, n)
        let cut = rcond ?? Scalar.ulpOfOne * Scalar(rows)
        let x = Tensor(zeroedShape: batch + [n, k])
        if m > 0 && n > 0 && k > 0 {
            var work = [Scalar](repeating: 0, count: rows * k)
            var s = [Scalar](repeating: 0, count: Swift.min(m, n))
            var rank: Int32 = 0
            let src = bb.storage.base + bb._offset
            for i in 0..<Shape.count(batch) {
                for j in 0..<(rows * k) { work[j] = j < m * k ? src[i * m * k + j] : 0 }
                let info = Scalar.gelsd(m: m, n: n, nrhs: k, a: a.storage.base + i * m * n, lda: n, b: &work, ldb: k,
                                        singularValues: &s, rcond: cut, rank: &rank)
                try checkLAPACK(info, op: "leastSquares") { _ in .didNotConverge(op: "leastSquares") }
                let dst = x.storage.base + i * n * k
                for j in 0..<(n * k) { dst[j] = work[j] }
            }
        }
        return vector ? x.squeezed(axes: [-1]) : x
    }
}
