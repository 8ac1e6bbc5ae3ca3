#if canImport(Accelerate)
import Accelerate
#else
import CNablaBLAS
#endif

extension Float {
    /// Applies `function` to `count` elements (vectorized where a kernel exists).
    @inlinable public static func apply(_ function: UnaryFunction, _ src: UnsafePointer<Float>,
                                        _ dst: UnsafeMutablePointer<Float>, count: Int) {
        applyReference(function, src, dst, count: count)
    }

    /// CBLAS `sgemm` on row-major matrices.
    @inlinable public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }
}

extension Double {
    /// Applies `function` to `count` elements (vectorized where a kernel exists).
    @inlinable public static func apply(_ function: UnaryFunction, _ src: UnsafePointer<Double>,
                                        _ dst: UnsafeMutablePointer<Double>, count: Int) {
        applyReference(function, src, dst, count: count)
    }

    /// CBLAS `dgemm` on row-major matrices.
    @inlinable public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }
}

/// Converts a dimension to the BLAS integer type, stopping if it does not fit.
@inlinable func blasInt(_ x: Int) -> Int32 {
    precondition(x <= Int(Int32.max), "BLAS: dimension \(x) exceeds the 32-bit BLAS interface")
    return Int32(x)
}
