#if canImport(Accelerate)
import Accelerate
#else
import CNablaBLAS
#endif
import CNablaVector

extension Float {
    /// Applies `function` to `count` elements of `src`, writing `dst` (which may equal `src`).
    ///
    /// At ``VectorLevel/current`` above `portable` (Linux x86-64), every function runs SLEEF's
    /// vectorized one at 4, 8 or 16 lanes (within 1 ulp of the exact value; sigmoid is built on
    /// SLEEF's exp). At `portable` see `_applyPortable(_:_:_:count:)`.
    @inlinable public static func apply(_ function: UnaryFunction, _ src: UnsafePointer<Float>,
                                        _ dst: UnsafeMutablePointer<Float>, count: Int) {
        if nabla_unary_f32(function._vectorIndex, src, dst, count) != 0 { return }
        _applyPortable(function, src, dst, count: count)
    }

    /// The portable kernels: exp, expm1, log, log1p, sqrt, sin, cos, tanh and sigmoid run the
    /// branch-free kernels of `Float+Transcendental.swift`, four elements per SSE2 instruction
    /// (within 3 ulps of the exact value); tan and erf use libm element by element.
    @inlinable public static func _applyPortable(_ function: UnaryFunction, _ src: UnsafePointer<Float>,
                                                 _ dst: UnsafeMutablePointer<Float>, count: Int) {
        switch function {
        case .exp: _forEachElement(src, dst, count: count) { _vexp($0) }
        case .expm1: _forEachElement(src, dst, count: count) { _vexpm1($0) }
        case .log: _forEachElement(src, dst, count: count) { _vlog($0) }
        case .log1p: _forEachElement(src, dst, count: count) { _vlog1p($0) }
        case .sqrt: _forEachElement(src, dst, count: count) { _vsqrt($0) }
        case .tanh: _forEachElement(src, dst, count: count) { _vtanh($0) }
        case .sigmoid: _forEachElement(src, dst, count: count) { _vsigmoid($0) }
        case .sin: _applySinCos(src, dst, count: count, cosine: false)
        case .cos: _applySinCos(src, dst, count: count, cosine: true)
        case .tan, .erf: applyReference(function, src, dst, count: count)
        }
    }

    /// `C ← alpha·op(A)·op(B) + beta·C` on row-major matrices (CBLAS `sgemm`'s arguments). A product
    /// with one row or one column is a matrix–vector product: `smallGEMV` on one core up to
    /// `smallGEMVLimit` elements, `sgemv` above (GEMM would pack both operands). Other products go
    /// to the register-tiled kernel of CNablaVector (`nabla_small_sgemm`) when `usesGEMMKernelInPieces` says so (k longer
    /// than the kernel's limit in equal pieces, see `forEachGEMMPiece`), cut across Nabla's threads by `splitGEMM` when large; the others to `cblas_sgemm` on OpenBLAS's threads.
    @inlinable public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if let p = MatrixVectorProduct(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                       a: a, lda: lda, b: b, ldb: ldb, ldc: ldc) {
            if p.isSmall {
                p.run(alpha: alpha, beta: beta, y: c)
            } else {
                cblas_sgemv(CblasRowMajor, p.transposed ? CblasTrans : CblasNoTrans, blasInt(p.rows), blasInt(p.cols),
                            alpha, p.matrix, blasInt(p.ld), p.x, blasInt(p.incx), beta, c, blasInt(p.incy))
            }
            return
        }
        if usesGEMMKernelInPieces(m: m, n: n, k: k) {
            let (rsa, csa) = operandStrides(transposed: transposeA, ld: lda)
            let (rsb, csb) = operandStrides(transposed: transposeB, ld: ldb)
            splitGEMM(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, lda: lda, ldb: ldb, ldc: ldc,
                      byColumns: true) { m, n, da, db, dc in
                forEachGEMMPiece(k: k, beta: beta) { p0, kk, beta in
                    let ap = a + da + p0 * csa, bp = b + db + p0 * rsb
                    if nabla_small_sgemm(m, n, kk, alpha, ap, rsa, csa, bp, rsb, csb, beta, c + dc, ldc, 1) != 0 { return }
                    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                                blasInt(m), blasInt(n), blasInt(kk), alpha, ap, blasInt(lda), bp, blasInt(ldb),
                                beta, c + dc, blasInt(ldc))
                }
            }
            return
        }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }
}

extension Double {
    /// Applies `function` to `count` elements of `src`, writing `dst` (which may equal `src`).
    ///
    /// At ``VectorLevel/current`` above `portable` (Linux x86-64), every function runs SLEEF's
    /// vectorized one at 2, 4 or 8 lanes (within 1 ulp of the exact value; sigmoid is built on
    /// SLEEF's exp). At `portable` see `_applyPortable(_:_:_:count:)`.
    @inlinable public static func apply(_ function: UnaryFunction, _ src: UnsafePointer<Double>,
                                        _ dst: UnsafeMutablePointer<Double>, count: Int) {
        if nabla_unary_f64(function._vectorIndex, src, dst, count) != 0 { return }
        _applyPortable(function, src, dst, count: count)
    }

    /// The portable kernels: exp, expm1, log, log1p, sqrt, sin, cos, tanh and sigmoid run the
    /// branch-free kernels of `Double+Transcendental.swift`, two elements per SSE2 instruction
    /// (within 4 ulps of glibc); tan and erf use libm element by element.
    @inlinable public static func _applyPortable(_ function: UnaryFunction, _ src: UnsafePointer<Double>,
                                                 _ dst: UnsafeMutablePointer<Double>, count: Int) {
        switch function {
        case .exp: _forEachElement(src, dst, count: count) { _vexp($0) }
        case .expm1: _forEachElement(src, dst, count: count) { _vexpm1($0) }
        case .log: _forEachElement(src, dst, count: count) { _vlog($0) }
        case .log1p: _forEachElement(src, dst, count: count) { _vlog1p($0) }
        case .sqrt: _forEachElement(src, dst, count: count) { _vsqrt($0) }
        case .tanh: _forEachElement(src, dst, count: count) { _vtanh($0) }
        case .sigmoid: _forEachElement(src, dst, count: count) { _vsigmoid($0) }
        case .sin: _applySinCos(src, dst, count: count, cosine: false)
        case .cos: _applySinCos(src, dst, count: count, cosine: true)
        case .tan, .erf: applyReference(function, src, dst, count: count)
        }
    }

    /// `C ← alpha·op(A)·op(B) + beta·C` on row-major matrices (CBLAS `dgemm`'s arguments). A product
    /// with one row or one column is a matrix–vector product: `smallGEMV` on one core up to
    /// `smallGEMVLimit` elements, `dgemv` above (GEMM would pack both operands). Other products go
    /// to the register-tiled kernel of CNablaVector (`nabla_small_dgemm`) when `usesGEMMKernelInPieces` says so (k longer
    /// than the kernel's limit in equal pieces, see `forEachGEMMPiece`), cut across Nabla's threads by `splitGEMM` when large; the others to `cblas_dgemm` on OpenBLAS's threads.
    @inlinable public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        if let p = MatrixVectorProduct(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                       a: a, lda: lda, b: b, ldb: ldb, ldc: ldc) {
            if p.isSmall {
                p.run(alpha: alpha, beta: beta, y: c)
            } else {
                cblas_dgemv(CblasRowMajor, p.transposed ? CblasTrans : CblasNoTrans, blasInt(p.rows), blasInt(p.cols),
                            alpha, p.matrix, blasInt(p.ld), p.x, blasInt(p.incx), beta, c, blasInt(p.incy))
            }
            return
        }
        if usesGEMMKernelInPieces(m: m, n: n, k: k) {
            let (rsa, csa) = operandStrides(transposed: transposeA, ld: lda)
            let (rsb, csb) = operandStrides(transposed: transposeB, ld: ldb)
            splitGEMM(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, lda: lda, ldb: ldb, ldc: ldc,
                      byColumns: true) { m, n, da, db, dc in
                forEachGEMMPiece(k: k, beta: beta) { p0, kk, beta in
                    let ap = a + da + p0 * csa, bp = b + db + p0 * rsb
                    if nabla_small_dgemm(m, n, kk, alpha, ap, rsa, csa, bp, rsb, csb, beta, c + dc, ldc, 1) != 0 { return }
                    cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                                blasInt(m), blasInt(n), blasInt(kk), alpha, ap, blasInt(lda), bp, blasInt(ldb),
                                beta, c + dc, blasInt(ldc))
                }
            }
            return
        }
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }
}

/// Converts a dimension to the BLAS integer type, stopping if it does not fit.
@inlinable func blasInt(_ x: Int) -> Int32 {
    precondition(x <= Int(Int32.max), "BLAS: dimension \(x) exceeds the 32-bit BLAS interface")
    return Int32(x)
}
