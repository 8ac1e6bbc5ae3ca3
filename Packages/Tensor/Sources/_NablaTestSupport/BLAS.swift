#if canImport(Accelerate)
import Accelerate
#else
import CNablaBLAS
#endif
import NablaTensor

/// `C ← alpha·op(A)·op(B) + beta·C` by CBLAS `?gemm` directly (row-major, row strides `lda`,
/// `ldb`, `ldc`), bypassing Nabla's own small-matrix paths: the reference those paths are tested
/// against. `Float` and `Double` only.
public func blasGEMM<S: TensorFloatingPoint>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: S, a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
    beta: S, c: UnsafeMutablePointer<S>, ldc: Int) {
    let ta = transposeA ? CblasTrans : CblasNoTrans, tb = transposeB ? CblasTrans : CblasNoTrans
    if S.self == Float.self {
        cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), Float(alpha),
                    UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), Int32(lda),
                    UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), Int32(ldb), Float(beta),
                    UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), Int32(ldc))
    } else if S.self == Double.self {
        cblas_dgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), Double(alpha),
                    UnsafeRawPointer(a).assumingMemoryBound(to: Double.self), Int32(lda),
                    UnsafeRawPointer(b).assumingMemoryBound(to: Double.self), Int32(ldb), Double(beta),
                    UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), Int32(ldc))
    } else {
        preconditionFailure("blasGEMM: Float and Double only, got \(S.self)")
    }
}
