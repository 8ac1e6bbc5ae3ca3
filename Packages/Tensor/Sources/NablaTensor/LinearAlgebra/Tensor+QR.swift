/// QR factorization.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The reduced QR factorization `A = Q·R` of each `m×n` matrix: `Q` `[..., m, k]` with
    /// orthonormal columns and `R` `[..., k, n]` upper triangular, `k = min(m, n)`.
    /// Mirrors `torch.linalg.qr(A, mode='reduced')` (and `numpy.linalg.qr`).
    ///
    /// Householder reflections (`?geqrf`, `?orgqr`), as NumPy and PyTorch: the same signs, so the
    /// diagonal of `R` may be negative. It does not throw: QR exists for every matrix (for a
    /// rank-deficient `A`, `R` has zeros on its diagonal).
    ///
    /// - Returns: `Q` and `R`, batched over the leading axes.
    /// - Precondition: `self` has shape `[..., m, n]`.
    @inlinable public func qr() -> (Q: Tensor, R: Tensor) {
        let (batch, m, n) = matrixShape("qr")
        let k = Swift.min(m, n)
        let a = copied()
        let q = Tensor(zeroedShape: batch + [m, k])
        let r = Tensor(zeroedShape: batch + [k, n])
        if k == 0 { return (q, r) }
        var tau = [Scalar](repeating: 0, count: k)
        for b in 0..<Shape.count(batch) {
            let ab = a.storage.base + b * m * n, qb = q.storage.base + b * m * k, rb = r.storage.base + b * k * n
            var info = Scalar.geqrf(m: m, n: n, a: ab, lda: n, tau: &tau)
            precondition(info == 0, "qr: LAPACK geqrf returned info = \(info)")
            for i in 0..<k { for j in i..<n { rb[i * n + j] = ab[i * n + j] } }
            for i in 0..<m { for j in 0..<k { qb[i * k + j] = ab[i * n + j] } }
            info = Scalar.orgqr(m: m, n: k, k: k, a: qb, lda: k, tau: tau)
            precondition(info == 0, "qr: LAPACK orgqr returned info = \(info)")
        }
        return (q, r)
    }
}
