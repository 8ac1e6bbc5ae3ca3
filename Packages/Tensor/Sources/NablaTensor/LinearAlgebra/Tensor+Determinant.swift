import RealModule

/// Determinants from the LU factorization.
extension Tensor where Scalar: TensorFloatingPoint {
    /// Factors each `n×n` matrix as `P·L·U` and calls `body(u, pivots)` with the factored matrix
    /// (row-major, `U` on and above the diagonal) and LAPACK's 1-based pivots. Zero pivots are
    /// not an error here: the determinant is then 0.
    @inlinable func forEachLU(_ op: StaticString, _ body: (Int, UnsafePointer<Scalar>, UnsafePointer<Int32>) -> Void) -> [Int] {
        let (batch, n) = squareMatrixShape(op)
        let lu = copied()
        var pivots = [Int32](repeating: 0, count: Swift.max(n, 1))
        for i in 0..<Shape.count(batch) {
            let a = lu.storage.base + i * n * n
            pivots.withUnsafeMutableBufferPointer { p in
                if n > 0 {
                    let info = Scalar.getrf(m: n, n: n, a: a, lda: n, pivots: p.baseAddress!)
                    precondition(info >= 0, "\(op): LAPACK getrf rejected argument \(-info)")
                }
                body(i, a, p.baseAddress!)
            }
        }
        return batch
    }

    /// The determinant of each square matrix: `det A = (±1)·∏ Uᵢᵢ` from `A = P·L·U`.
    /// Mirrors `torch.linalg.det` (and `numpy.linalg.det`).
    ///
    /// A singular matrix has determinant `0` (no error is thrown). The determinant of a `0×0`
    /// matrix is 1. For large matrices the product may overflow; ``slogdet()`` does not.
    ///
    /// - Returns: the batch shape: rank 0 for one matrix, `[...]` for `[..., n, n]`.
    /// - Precondition: `self` has shape `[..., n, n]`.
    @inlinable public func determinant() -> Tensor {
        let n = _shape.last ?? 0
        var values: [Scalar] = []
        let batch = forEachLU("determinant") { _, u, pivots in
            var det: Scalar = 1
            for j in 0..<n {
                det *= u[j * n + j]
                if pivots[j] != Int32(j + 1) { det = -det }
            }
            values.append(det)
        }
        return Tensor(shape: batch, scalars: values)
    }

    /// The sign and the natural logarithm of the absolute value of each determinant:
    /// `det A = sign · exp(logAbsDet)`. Mirrors `torch.linalg.slogdet` (and `numpy.linalg.slogdet`).
    ///
    /// Stays finite where ``determinant()`` would overflow or underflow. For a singular matrix
    /// `sign` is `0` and `logAbsDet` is `-∞`, as in NumPy and PyTorch.
    ///
    /// - Returns: two tensors of the batch shape (rank 0 for one matrix).
    /// - Precondition: `self` has shape `[..., n, n]`.
    @inlinable public func slogdet() -> (sign: Tensor, logAbsDet: Tensor) {
        let n = _shape.last ?? 0
        var signs: [Scalar] = [], logs: [Scalar] = []
        let batch = forEachLU("slogdet") { _, u, pivots in
            var sign: Scalar = 1, logAbs: Scalar = 0
            for j in 0..<n {
                let d = u[j * n + j]
                if d == 0 { sign = 0; logAbs = -.infinity; break }
                if d < 0 { sign = -sign }
                if pivots[j] != Int32(j + 1) { sign = -sign }
                logAbs += Scalar.log(d.magnitude)
            }
            signs.append(sign)
            logs.append(logAbs)
        }
        return (Tensor(shape: batch, scalars: signs), Tensor(shape: batch, scalars: logs))
    }
}
