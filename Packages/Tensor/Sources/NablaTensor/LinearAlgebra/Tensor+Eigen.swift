import ComplexModule

/// Eigendecompositions: symmetric (`eigh`) and general (`eig`).
extension Tensor where Scalar: TensorFloatingPoint {
    /// Eigenvalues and orthonormal eigenvectors of each real symmetric matrix:
    /// `A = Q·diag(λ)·Qᵀ` with `QᵀQ = I`. Mirrors `torch.linalg.eigh` (and `numpy.linalg.eigh`).
    ///
    /// Divide and conquer (`?syevd`). Only the lower triangle of `A` is read (PyTorch's default
    /// `UPLO='L'`). Eigenvalues are real and ascending; column `j` of `eigenvectors` belongs to
    /// `eigenvalues[j]`. Each eigenvector is determined only up to sign (and, for repeated
    /// eigenvalues, up to a rotation within the eigenspace): compare `A·Q` with `Q·diag(λ)`, not `Q`
    /// itself, with another library's output.
    ///
    /// - Returns: `eigenvalues` `[..., n]` (ascending) and `eigenvectors` `[..., n, n]` (columns).
    /// - Throws: ``LinearAlgebraError/didNotConverge(op:)`` if the iteration fails (rare; NaN input).
    /// - Precondition: `self` has shape `[..., n, n]`.
    @inlinable public func eigh() throws(LinearAlgebraError) -> (eigenvalues: Tensor, eigenvectors: Tensor) {
        let (batch, n) = squareMatrixShape("eigh")
        let vectors = copied()
        let values = Tensor(zeroedShape: batch + [n])
        if n == 0 { return (values, vectors) }
        for b in 0..<Shape.count(batch) {
            let info = Scalar.syevd(computeVectors: true, lower: true, n: n, a: vectors.storage.base + b * n * n,
                                    lda: n, eigenvalues: values.storage.base + b * n)
            try checkLAPACK(info, op: "eigh") { _ in .didNotConverge(op: "eigh") }
        }
        return (values, vectors)
    }

    /// Eigenvalues and right eigenvectors of each general square matrix: `A·V = V·diag(λ)`, so
    /// `A = V·diag(λ)·V⁻¹` when `V` is invertible (`A` diagonalizable). Mirrors `torch.linalg.eig`.
    ///
    /// QR algorithm (`?geev`). The results are complex even when every eigenvalue is real, as in
    /// PyTorch: a real matrix can have complex eigenvalues, e.g. a rotation by θ has `e^{±iθ}`.
    /// Complex eigenvalues come in conjugate pairs, `a + bi` (with `b > 0`) first, and their
    /// eigenvectors are conjugate too. Eigenvalues are in LAPACK's order (not sorted). Each
    /// eigenvector has Euclidean norm 1 and its largest component real (LAPACK's normalization,
    /// the same as NumPy and PyTorch), leaving only a sign (for real vectors) undetermined.
    ///
    /// Check a decomposition with complex products, e.g.
    /// `A.complex().matmul(V)` against `V * λ.unsqueezed(axis: -2)`, or
    /// `V.matmul(...).matmul(try V.inverse())` (see `Tensor.inverse()` on complex tensors).
    ///
    /// - Returns: `eigenvalues` `[..., n]` and `eigenvectors` `[..., n, n]` (columns), complex.
    /// - Throws: ``LinearAlgebraError/didNotConverge(op:)`` if the QR algorithm fails to converge.
    /// - Precondition: `self` has shape `[..., n, n]`.
    @inlinable public func eig() throws(LinearAlgebraError)
        -> (eigenvalues: Tensor<Complex<Scalar>>, eigenvectors: Tensor<Complex<Scalar>>) {
        let (batch, n) = squareMatrixShape("eig")
        let a = copied()
        let values = Tensor<Complex<Scalar>>(zeroedShape: batch + [n])
        let vectors = Tensor<Complex<Scalar>>(zeroedShape: batch + [n, n])
        if n == 0 { return (values, vectors) }
        var wr = [Scalar](repeating: 0, count: n), wi = [Scalar](repeating: 0, count: n)
        var vr = [Scalar](repeating: 0, count: n * n)
        for b in 0..<Shape.count(batch) {
            let info = Scalar.geev(n: n, a: a.storage.base + b * n * n, lda: n, realParts: &wr,
                                   imaginaryParts: &wi, rightVectors: &vr, ldvr: n)
            try checkLAPACK(info, op: "eig") { _ in .didNotConverge(op: "eig") }
            let lam = values.storage.base + b * n, v = vectors.storage.base + b * n * n
            var j = 0
            while j < n {
                lam[j] = Complex(wr[j], wi[j])
                if wi[j] == 0 || j == n - 1 {
                    for r in 0..<n { v[r * n + j] = Complex(vr[r * n + j], 0) }
                    j += 1
                } else {
                    // Columns j and j + 1 hold the real and imaginary parts of the pair's vectors.
                    lam[j + 1] = Complex(wr[j + 1], wi[j + 1])
                    for r in 0..<n {
                        let re = vr[r * n + j], im = vr[r * n + j + 1]
                        v[r * n + j] = Complex(re, im)
                        v[r * n + j + 1] = Complex(re, -im)
                    }
                    j += 2
                }
            }
        }
        return (values, vectors)
    }
}
