/// Square linear systems `A·X = B`.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The solution `X` of `A·X = B` for square, invertible `A = self`. Mirrors `torch.linalg.solve`
    /// (and `numpy.linalg.solve`).
    ///
    /// LU factorization with partial pivoting (`?gesv`); equal to `A⁻¹·B` but cheaper and more accurate.
    ///
    /// - Parameter b: a vector right-hand side `[..., n]` (when `b` is rank 1, or its shape is
    ///   `self.shape` without the last axis, as in PyTorch) or a matrix `[..., n, k]`. Batch axes of
    ///   `self` and `b` broadcast.
    /// - Returns: `X` with the shape of `b` (after batch broadcasting): `[..., n]` or `[..., n, k]`.
    /// - Throws: ``LinearAlgebraError/singular(op:pivot:)`` if some `A` is exactly singular.
    /// - Precondition: `self` is `[..., n, n]`, `b` has `n` rows and the batch axes broadcast.
    @inlinable public func solve(_ b: Tensor) throws(LinearAlgebraError) -> Tensor {
        let (batchA, n) = squareMatrixShape("solve")
        let (rhs, k, batch, vector) = matrixRightHandSide(b, rows: n, batch: batchA, op: "solve", relation: "=")
        let a = expanded(to: batch + [n, n]).copied()
        let x = rhs.expanded(to: batch + [n, k]).copied()
        if n > 0 && k > 0 {
            var pivots = [Int32](repeating: 0, count: n)
            for i in 0..<Shape.count(batch) {
                let info = pivots.withUnsafeMutableBufferPointer { p in
                    Scalar.gesv(n: n, nrhs: k, a: a.storage.base + i * n * n, lda: n, pivots: p.baseAddress!,
                                b: x.storage.base + i * n * k, ldb: k)
                }
                try checkLAPACK(info, op: "solve") { .singular(op: "solve", pivot: $0) }
            }
        }
        return vector ? x.squeezed(axes: [-1]) : x
    }
}
