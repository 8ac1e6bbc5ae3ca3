#if canImport(Accelerate)
import Accelerate
#else
import CNablaBLAS
#endif

extension Float {
    /// Applies `function` to `count` elements of `src`, writing `dst` (which may equal `src`).
    ///
    /// exp, expm1, log, log1p, sqrt, sin, cos, tanh and sigmoid run the branch-free kernels of
    /// `Float+Transcendental.swift`, four elements per SSE2 instruction (within 3 ulps of the exact
    /// value); tan and erf use libm element by element.
    @inlinable public static func apply(_ function: UnaryFunction, _ src: UnsafePointer<Float>,
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

    /// CBLAS `sgemm` on row-major matrices. A product with one row or one column is a
    /// matrix–vector product: `smallGEMV` on one core up to `smallGEMVLimit` elements, `sgemv`
    /// above (GEMM would pack both operands).
    @inlinable public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if n == 1 || m == 1 {
            // n = 1: c (m×1, row stride ldc) = op(A)·x, x = the one column of op(B).
            // m = 1: cᵀ (n×1) = op(B)ᵀ·x, x = the one row of op(A).
            let columnResult = n == 1
            let transposed = columnResult ? transposeA : !transposeB
            let rows = columnResult ? (transposeA ? k : m) : (transposeB ? n : k)
            let cols = columnResult ? (transposeA ? m : k) : (transposeB ? k : n)
            let matrix = columnResult ? a : b, ld = columnResult ? lda : ldb
            let x = columnResult ? b : a
            let incx = columnResult ? (transposeB ? 1 : ldb) : (transposeA ? lda : 1)
            let incy = columnResult ? ldc : 1
            if rows * cols <= smallGEMVLimit {
                smallGEMV(transposed: transposed, rows: rows, cols: cols, alpha: alpha, a: matrix, lda: ld,
                          x: x, incx: incx, beta: beta, y: c, incy: incy)
            } else {
                cblas_sgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, blasInt(rows), blasInt(cols),
                            alpha, matrix, blasInt(ld), x, blasInt(incx), beta, c, blasInt(incy))
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
    /// exp, expm1, log, log1p, sqrt, sin, cos, tanh and sigmoid run the branch-free kernels of
    /// `Double+Transcendental.swift`, two elements per SSE2 instruction (within 4 ulps of glibc);
    /// tan and erf use libm element by element.
    @inlinable public static func apply(_ function: UnaryFunction, _ src: UnsafePointer<Double>,
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

    /// CBLAS `dgemm` on row-major matrices. A product with one row or one column is a
    /// matrix–vector product: `smallGEMV` on one core up to `smallGEMVLimit` elements, `dgemv`
    /// above (GEMM would pack both operands).
    @inlinable public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        if n == 1 || m == 1 {
            // n = 1: c (m×1, row stride ldc) = op(A)·x, x = the one column of op(B).
            // m = 1: cᵀ (n×1) = op(B)ᵀ·x, x = the one row of op(A).
            let columnResult = n == 1
            let transposed = columnResult ? transposeA : !transposeB
            let rows = columnResult ? (transposeA ? k : m) : (transposeB ? n : k)
            let cols = columnResult ? (transposeA ? m : k) : (transposeB ? k : n)
            let matrix = columnResult ? a : b, ld = columnResult ? lda : ldb
            let x = columnResult ? b : a
            let incx = columnResult ? (transposeB ? 1 : ldb) : (transposeA ? lda : 1)
            let incy = columnResult ? ldc : 1
            if rows * cols <= smallGEMVLimit {
                smallGEMV(transposed: transposed, rows: rows, cols: cols, alpha: alpha, a: matrix, lda: ld,
                          x: x, incx: incx, beta: beta, y: c, incy: incy)
            } else {
                cblas_dgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, blasInt(rows), blasInt(cols),
                            alpha, matrix, blasInt(ld), x, blasInt(incx), beta, c, blasInt(incy))
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
