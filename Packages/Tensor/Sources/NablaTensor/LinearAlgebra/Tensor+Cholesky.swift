/// Cholesky factorization of symmetric positive-definite matrices.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The lower-triangular `L` with positive diagonal such that `A = L·Lᵀ`.
    /// Mirrors `torch.linalg.cholesky` (and `numpy.linalg.cholesky`).
    ///
    /// Only the lower triangle of `A` is read (as PyTorch does); the upper triangle of the result is 0.
    ///
    /// - Returns: `[..., n, n]`, batched.
    /// - Throws: ``LinearAlgebraError/notPositiveDefinite(op:minor:)`` naming the first leading
    ///   minor (1-based) that is not positive definite.
    /// - Precondition: `self` has shape `[..., n, n]`.
    @inlinable public func cholesky() throws(LinearAlgebraError) -> Tensor {
        let (batch, n) = squareMatrixShape("cholesky")
        let result = copied()
        if n == 0 { return result }
        for b in 0..<Shape.count(batch) {
            let a = result.storage.base + b * n * n
            try checkLAPACK(Scalar.potrf(lower: true, n: n, a: a, lda: n), op: "cholesky") {
                .notPositiveDefinite(op: "cholesky", minor: $0)
            }
            for i in 0..<n { for j in (i + 1)..<n { a[i * n + j] = 0 } }
        }
        return result
    }
}
