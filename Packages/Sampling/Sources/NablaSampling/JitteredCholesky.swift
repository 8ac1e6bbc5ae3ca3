/// The Cholesky factorization of covariance matrices that may be only semi-definite, on top of
/// NablaTensor's LAPACK `cholesky()` (`?potrf`).
extension Tensor where Scalar == Double {
    /// The lower Cholesky factor L (`LLᵀ = A + jitter·I`) of this symmetric `[n, n]` matrix, with no
    /// jitter when LAPACK factors it as it is, else with 1e-10·(mean diagonal), ×10 each retry.
    /// - Precondition: the matrix is positive semi-definite up to a jitter of 10¹⁰·(mean diagonal)
    ///   (otherwise it stops, naming the shape).
    func jitteredCholesky() -> Tensor<Double> {
        if let l = try? cholesky() { return l }
        let n = shape[0]
        let scale = Swift.max(diagonalPart().scalars.map(Swift.abs).reduce(0, +) / Double(Swift.max(n, 1)), 1e-300)
        var jitter = 1e-10 * scale
        while true {
            if let l = try? (self + Tensor<Double>.eye(n) * jitter).cholesky() { return l }
            jitter *= 10
            precondition(jitter < 1e10 * scale, "jitteredCholesky: the \(shape) matrix is far from positive semi-definite")
        }
    }

    /// log det A = 2 Σ log Lᵢᵢ from this lower Cholesky factor L of A.
    var choleskyLogDeterminant: Double { 2 * diagonalPart().log().sum().scalar }

    /// A⁻¹b from this lower Cholesky factor L of A, by the two triangular systems L·y = b and
    /// Lᵀ·x = y, each solved by NablaTensor's `solve` (LAPACK `?gesv`; NablaTensor has no
    /// triangular solver yet); `b` is `[n]` or `[n, k]`.
    /// - Throws: `LinearAlgebraError.singular` for a zero pivot.
    func choleskySolve(_ b: Tensor<Double>) throws -> Tensor<Double> {
        try transposed().solve(try solve(b))
    }
}
