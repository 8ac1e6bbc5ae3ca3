/// Matrix inverse by LU factorization.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The inverse `A⁻¹` of each square matrix, so that `A⁻¹·A = A·A⁻¹ = I`.
    /// Mirrors `torch.linalg.inv` (and `numpy.linalg.inv`).
    ///
    /// Computed by LU factorization with partial pivoting (`?getrf`, `?getri`). To solve
    /// `A·x = b` prefer ``solve(_:)``: it is faster and more accurate than `inverse().matmul(b)`.
    ///
    /// - Returns: the same shape as `self`, `[..., n, n]`, batched over the leading axes.
    /// - Throws: ``LinearAlgebraError/singular(op:pivot:)`` if a matrix is exactly singular
    ///   (LU meets a zero pivot). A nearly singular matrix gives a large, inaccurate inverse, as in
    ///   NumPy and PyTorch.
    /// - Precondition: `self` has shape `[..., n, n]`.
    @inlinable public func inverse() throws(LinearAlgebraError) -> Tensor {
        let (batch, n) = squareMatrixShape("inverse")
        let result = copied()
        if n == 0 { return result }
        var pivots = [Int32](repeating: 0, count: n)
        let base = result.storage.base
        for i in 0..<Shape.count(batch) {
            let a = base + i * n * n
            try pivots.withUnsafeMutableBufferPointer { (p) throws(LinearAlgebraError) in
                try checkLAPACK(Scalar.getrf(m: n, n: n, a: a, lda: n, pivots: p.baseAddress!), op: "inverse") {
                    .singular(op: "inverse", pivot: $0)
                }
                try checkLAPACK(Scalar.getri(n: n, a: a, lda: n, pivots: p.baseAddress!), op: "inverse") {
                    .singular(op: "inverse", pivot: $0)
                }
            }
        }
        return result
    }

    /// `Aⁿ` for an integer `n`: repeated squaring, `I` for `n = 0`, and `(A⁻¹)^|n|` for negative `n`.
    /// Mirrors `torch.linalg.matrix_power`.
    ///
    /// - Returns: `[..., k, k]`, batched.
    /// - Throws: ``LinearAlgebraError/singular(op:pivot:)`` for a negative power of a singular matrix.
    /// - Precondition: `self` has shape `[..., k, k]`.
    @inlinable public func matrixPower(_ n: Int) throws(LinearAlgebraError) -> Tensor {
        let (batch, k) = squareMatrixShape("matrixPower")
        var base = n < 0 ? try inverse() : self
        var exponent = n.magnitude
        var result = Tensor.eye(k).expanded(to: batch + [k, k]).copied()
        var first = true
        while exponent > 0 {
            if exponent & 1 == 1 {
                result = first ? base.copied() : result.matmul(base)
                first = false
            }
            exponent >>= 1
            if exponent > 0 { base = base.matmul(base) }
        }
        return result
    }
}
