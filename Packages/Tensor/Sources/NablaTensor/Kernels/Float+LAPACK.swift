#if canImport(Accelerate)
import Accelerate
#else
import CNablaBLAS
#endif

/// LAPACK for `Float`: thin row-major wrappers over LAPACKE's `s*` routines. See the requirements
/// on ``TensorFloatingPoint`` for the contract of each; every function returns LAPACK's `info`.
///
/// LAPACKE with `LAPACK_ROW_MAJOR` transposes in and out of LAPACK's column-major layout
/// (`O(n²)` copies next to `O(n³)` work) and allocates the optimal workspace itself.
extension Float {
#if canImport(Accelerate)
    // Accelerate ships LAPACK without LAPACKE; these entry points are not wired on Apple platforms yet.
    /// `getrf` is not wired to Accelerate yet: stops with a message.
    public static func getrf(m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                             pivots: UnsafeMutablePointer<Int32>) -> Int { lapackUnavailable("getrf") }
    /// `getri` is not wired to Accelerate yet: stops with a message.
    public static func getri(n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                             pivots: UnsafePointer<Int32>) -> Int { lapackUnavailable("getri") }
    /// `gesv` is not wired to Accelerate yet: stops with a message.
    public static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                            pivots: UnsafeMutablePointer<Int32>, b: UnsafeMutablePointer<Float>, ldb: Int) -> Int {
        lapackUnavailable("gesv")
    }
    /// `gelsd` is not wired to Accelerate yet: stops with a message.
    public static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                             b: UnsafeMutablePointer<Float>, ldb: Int, singularValues: UnsafeMutablePointer<Float>,
                             rcond: Float, rank: UnsafeMutablePointer<Int32>) -> Int { lapackUnavailable("gelsd") }
    /// `potrf` is not wired to Accelerate yet: stops with a message.
    public static func potrf(lower: Bool, n: Int, a: UnsafeMutablePointer<Float>, lda: Int) -> Int {
        lapackUnavailable("potrf")
    }
    /// `syevd` is not wired to Accelerate yet: stops with a message.
    public static func syevd(computeVectors: Bool, lower: Bool, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                             eigenvalues: UnsafeMutablePointer<Float>) -> Int { lapackUnavailable("syevd") }
    /// `geev` is not wired to Accelerate yet: stops with a message.
    public static func geev(n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                            realParts: UnsafeMutablePointer<Float>, imaginaryParts: UnsafeMutablePointer<Float>,
                            rightVectors: UnsafeMutablePointer<Float>?, ldvr: Int) -> Int { lapackUnavailable("geev") }
    /// `gesdd` is not wired to Accelerate yet: stops with a message.
    public static func gesdd(job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                             s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>?, ldu: Int,
                             vt: UnsafeMutablePointer<Float>?, ldvt: Int) -> Int { lapackUnavailable("gesdd") }
    /// `geqrf` is not wired to Accelerate yet: stops with a message.
    public static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                             tau: UnsafeMutablePointer<Float>) -> Int { lapackUnavailable("geqrf") }
    /// `orgqr` is not wired to Accelerate yet: stops with a message.
    public static func orgqr(m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                             tau: UnsafePointer<Float>) -> Int { lapackUnavailable("orgqr") }
#else
    /// LU factorization with partial pivoting (`LAPACKE_sgetrf`).
    @inlinable public static func getrf(m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                                        pivots: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_sgetrf(LAPACK_ROW_MAJOR, lapackInt(m), lapackInt(n), a, lapackInt(lda), pivots))
    }

    /// Inverse from an LU factorization (`LAPACKE_sgetri`).
    @inlinable public static func getri(n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                                        pivots: UnsafePointer<Int32>) -> Int {
        Int(LAPACKE_sgetri(LAPACK_ROW_MAJOR, lapackInt(n), a, lapackInt(lda), pivots))
    }

    /// Square solve by LU (`LAPACKE_sgesv`).
    @inlinable public static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                                       pivots: UnsafeMutablePointer<Int32>, b: UnsafeMutablePointer<Float>,
                                       ldb: Int) -> Int {
        Int(LAPACKE_sgesv(LAPACK_ROW_MAJOR, lapackInt(n), lapackInt(nrhs), a, lapackInt(lda), pivots,
                          b, lapackInt(ldb)))
    }

    /// Minimum-norm least squares by SVD (`LAPACKE_sgelsd`).
    @inlinable public static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                                        b: UnsafeMutablePointer<Float>, ldb: Int,
                                        singularValues: UnsafeMutablePointer<Float>,
                                        rcond: Float, rank: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_sgelsd(LAPACK_ROW_MAJOR, lapackInt(m), lapackInt(n), lapackInt(nrhs), a, lapackInt(lda),
                           b, lapackInt(ldb), singularValues, rcond, rank))
    }

    /// Cholesky factorization (`LAPACKE_spotrf`).
    @inlinable public static func potrf(lower: Bool, n: Int, a: UnsafeMutablePointer<Float>, lda: Int) -> Int {
        Int(LAPACKE_spotrf(LAPACK_ROW_MAJOR, lapackChar(lower ? "L" : "U"), lapackInt(n), a, lapackInt(lda)))
    }

    /// Symmetric eigendecomposition by divide and conquer (`LAPACKE_ssyevd`).
    @inlinable public static func syevd(computeVectors: Bool, lower: Bool, n: Int, a: UnsafeMutablePointer<Float>,
                                        lda: Int, eigenvalues: UnsafeMutablePointer<Float>) -> Int {
        Int(LAPACKE_ssyevd(LAPACK_ROW_MAJOR, lapackChar(computeVectors ? "V" : "N"), lapackChar(lower ? "L" : "U"),
                           lapackInt(n), a, lapackInt(lda), eigenvalues))
    }

    /// General eigendecomposition, right eigenvectors only (`LAPACKE_sgeev`).
    @inlinable public static func geev(n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                                       realParts: UnsafeMutablePointer<Float>,
                                       imaginaryParts: UnsafeMutablePointer<Float>,
                                       rightVectors: UnsafeMutablePointer<Float>?, ldvr: Int) -> Int {
        Int(LAPACKE_sgeev(LAPACK_ROW_MAJOR, lapackChar("N"), lapackChar(rightVectors == nil ? "N" : "V"),
                          lapackInt(n), a, lapackInt(lda), realParts, imaginaryParts,
                          nil, 1, rightVectors, lapackInt(Swift.max(ldvr, 1))))
    }

    /// Singular value decomposition by divide and conquer (`LAPACKE_sgesdd`).
    @inlinable public static func gesdd(job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                                        s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>?, ldu: Int,
                                        vt: UnsafeMutablePointer<Float>?, ldvt: Int) -> Int {
        Int(LAPACKE_sgesdd(LAPACK_ROW_MAJOR, CChar(bitPattern: job), lapackInt(m), lapackInt(n), a, lapackInt(lda),
                           s, u, lapackInt(Swift.max(ldu, 1)), vt, lapackInt(Swift.max(ldvt, 1))))
    }

    /// Householder QR factorization (`LAPACKE_sgeqrf`).
    @inlinable public static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                                        tau: UnsafeMutablePointer<Float>) -> Int {
        Int(LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, lapackInt(m), lapackInt(n), a, lapackInt(lda), tau))
    }

    /// `Q` from Householder reflectors (`LAPACKE_sorgqr`).
    @inlinable public static func orgqr(m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                                        tau: UnsafePointer<Float>) -> Int {
        Int(LAPACKE_sorgqr(LAPACK_ROW_MAJOR, lapackInt(m), lapackInt(n), lapackInt(k), a, lapackInt(lda), tau))
    }
#endif
}
