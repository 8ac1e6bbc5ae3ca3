/// Singular value decomposition.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The singular value decomposition `A = U·diag(S)·Vh` of each `m×n` matrix.
    /// Mirrors `torch.linalg.svd(A, full_matrices=…)` (and `numpy.linalg.svd`); note the default
    /// here is the reduced form (`fullMatrices: false`), which is what most code wants.
    ///
    /// Divide and conquer (`?gesdd`). `S` is non-negative and descending. `U` and `Vh` have
    /// orthonormal columns and rows; each pair of singular vectors is determined only up to a
    /// common sign, so compare reconstructions, not the factors, across libraries.
    ///
    /// - Parameter fullMatrices: `true` gives square `U` `[..., m, m]` and `Vh` `[..., n, n]`;
    ///   `false` gives `U` `[..., m, k]` and `Vh` `[..., k, n]`, `k = min(m, n)`.
    /// - Returns: `U`, `S` `[..., k]`, `Vh`.
    /// - Throws: ``LinearAlgebraError/didNotConverge(op:)`` if the iteration fails.
    /// - Precondition: `self` has shape `[..., m, n]`.
    @inlinable public func svd(fullMatrices: Bool = false) throws(LinearAlgebraError)
        -> (U: Tensor, S: Tensor, Vh: Tensor) {
        let (batch, m, n) = matrixShape("svd")
        let k = Swift.min(m, n)
        let (uc, vr) = fullMatrices ? (m, n) : (k, k)
        let a = copied()
        let u = Tensor(zeroedShape: batch + [m, uc])
        let s = Tensor(zeroedShape: batch + [k])
        let vh = Tensor(zeroedShape: batch + [vr, n])
        if k == 0 { return (u, s, vh) }
        for b in 0..<Shape.count(batch) {
            let info = Scalar.gesdd(job: fullMatrices ? UInt8(ascii: "A") : UInt8(ascii: "S"), m: m, n: n,
                                    a: a.storage.base + b * m * n, lda: n, s: s.storage.base + b * k,
                                    u: u.storage.base + b * m * uc, ldu: uc,
                                    vt: vh.storage.base + b * vr * n, ldvt: n)
            try checkLAPACK(info, op: "svd") { _ in .didNotConverge(op: "svd") }
        }
        return (u, s, vh)
    }

    /// The singular values of each matrix, descending, without the vectors (cheaper than ``svd(fullMatrices:)``).
    /// Mirrors `torch.linalg.svdvals`.
    ///
    /// - Returns: `[..., min(m, n)]`.
    /// - Throws: ``LinearAlgebraError/didNotConverge(op:)`` if the iteration fails.
    /// - Precondition: `self` has shape `[..., m, n]`.
    @inlinable public func singularValues() throws(LinearAlgebraError) -> Tensor {
        let (batch, m, n) = matrixShape("singularValues")
        let k = Swift.min(m, n)
        let a = copied()
        let s = Tensor(zeroedShape: batch + [k])
        if k == 0 { return s }
        for b in 0..<Shape.count(batch) {
            let info = Scalar.gesdd(job: UInt8(ascii: "N"), m: m, n: n, a: a.storage.base + b * m * n, lda: n,
                                    s: s.storage.base + b * k, u: nil, ldu: m, vt: nil, ldvt: n)
            try checkLAPACK(info, op: "singularValues") { _ in .didNotConverge(op: "singularValues") }
        }
        return s
    }
}
