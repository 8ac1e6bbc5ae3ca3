#if canImport(Accelerate)
import Accelerate
#else
import CNablaBLAS
#endif

/// LAPACK for `Double`: thin row-major wrappers over LAPACKE's `d*` routines. See the requirements
/// on ``TensorFloatingPoint`` for the contract of each; every function returns LAPACK's `info`.
///
/// LAPACKE with `LAPACK_ROW_MAJOR` transposes in and out of LAPACK's column-major layout
/// (`O(n²)` copies next to `O(n³)` work) and allocates the optimal workspace itself.
extension Double {
#if canImport(Accelerate)
    // Accelerate ships LAPACK without LAPACKE; these entry points are not wired on Apple platforms yet.
    /// `getrf` is not wired to Accelerate yet: stops with a message.
    public static func getrf(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                             pivots: UnsafeMutablePointer<Int32>) -> Int { lapackUnavailable("getrf") }
    /// `getri` is not wired to Accelerate yet: stops with a message.
    public static func getri(n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                             pivots: UnsafePointer<Int32>) -> Int { lapackUnavailable("getri") }
    /// `gesv` is not wired to Accelerate yet: stops with a message.
    public static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                            pivots: UnsafeMutablePointer<Int32>, b: UnsafeMutablePointer<Double>, ldb: Int) -> Int {
        lapackUnavailable("gesv")
    }
    /// `gelsd` is not wired to Accelerate yet: stops with a message.
    public static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                             b: UnsafeMutablePointer<Double>, ldb: Int, singularValues: UnsafeMutablePointer<Double>,
                             rcond: Double, rank: UnsafeMutablePointer<Int32>) -> Int { lapackUnavailable("gelsd") }
    /// `potrf` is not wired to Accelerate yet: stops with a message.
    public static func potrf(lower: Bool, n: Int, a: UnsafeMutablePointer<Double>, lda: Int) -> Int {
        lapackUnavailable("potrf")
    }
    /// `syevd` is not wired to Accelerate yet: stops with a message.
    public static func syevd(computeVectors: Bool, lower: Bool, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                             eigenvalues: UnsafeMutablePointer<Double>) -> Int { lapackUnavailable("syevd") }
    /// `geev` is not wired to Accelerate yet: stops with a message.
    public static func geev(n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                            realParts: UnsafeMutablePointer<Double>, imaginaryParts: UnsafeMutablePointer<Double>,
                            rightVectors: UnsafeMutablePointer<Double>?, ldvr: Int) -> Int { lapackUnavailable("geev") }
    /// `gesdd` is not wired to Accelerate yet: stops with a message.
    public static func gesdd(job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                             s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>?, ldu: Int,
                             vt: UnsafeMutablePointer<Double>?, ldvt: Int) -> Int { lapackUnavailable("gesdd") }
    /// `geqrf` is not wired to Accelerate yet: stops with a message.
    public static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                             tau: UnsafeMutablePointer<Double>) -> Int { lapackUnavailable("geqrf") }
    /// `orgqr` is not wired to Accelerate yet: stops with a message.
    public static func orgqr(m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                             tau: UnsafePointer<Double>) -> Int { lapackUnavailable("orgqr") }
#else
    /// LU factorization with partial pivoting (`LAPACKE_dgetrf`).
    @inlinable public static func getrf(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                                        pivots: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_dgetrf(LAPACK_ROW_MAJOR, lapackInt(m), lapackInt(n), a, lapackInt(lda), pivots))
    }

    /// Inverse from an LU factorization (`LAPACKE_dgetri`).
    @inlinable public static func getri(n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                                        pivots: UnsafePointer<Int32>) -> Int {
        Int(LAPACKE_dgetri(LAPACK_ROW_MAJOR, lapackInt(n), a, lapackInt(lda), pivots))
    }

    /// Square solve by LU (`LAPACKE_dgesv`).
    @inlinable public static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                                       pivots: UnsafeMutablePointer<Int32>, b: UnsafeMutablePointer<Double>,
                                       ldb: Int) -> Int {
        Int(LAPACKE_dgesv(LAPACK_ROW_MAJOR, lapackInt(n), lapackInt(nrhs), a, lapackInt(lda), pivots,
                          b, lapackInt(ldb)))
    }

    /// Minimum-norm least squares by SVD (`LAPACKE_dgelsd`).
    @inlinable public static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                                        b: UnsafeMutablePointer<Double>, ldb: Int,
                                        singularValues: UnsafeMutablePointer<Double>,
                                        rcond: Double, rank: UnsafeMutablePointer<Int32>) -> Int {
        Int(LAPACKE_dgelsd(LAPACK_ROW_MAJOR, lapackInt(m), lapackInt(n), lapackInt(nrhs), a, lapackInt(lda),
                           b, lapackInt(ldb), singularValues, rcond, rank))
    }

    /// Cholesky factorization (`LAPACKE_dpotrf`).
    @inlinable public static func potrf(lower: Bool, n: Int, a: UnsafeMutablePointer<Double>, lda: Int) -> Int {
        Int(LAPACKE_dpotrf(LAPACK_ROW_MAJOR, lapackChar(lower ? "L" : "U"), lapackInt(n), a, lapackInt(lda)))
    }

    /// Symmetric eigendecomposition by divide and conquer (`LAPACKE_dsyevd`).
    @inlinable public static func syevd(computeVectors: Bool, lower: Bool, n: Int, a: UnsafeMutablePointer<Double>,
                                        lda: Int, eigenvalues: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dsyevd(LAPACK_ROW_MAJOR, lapackChar(computeVectors ? "V" : "N"), lapackChar(lower ? "L" : "U"),
                           lapackInt(n), a, lapackInt(lda), eigenvalues))
    }

    /// General eigendecomposition, right eigenvectors only (`LAPACKE_dgeev`).
    @inlinable public static func geev(n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                                       realParts: UnsafeMutablePointer<Double>,
                                       imaginaryParts: UnsafeMutablePointer<Double>,
                                       rightVectors: UnsafeMutablePointer<Double>?, ldvr: Int) -> Int {
        Int(LAPACKE_dgeev(LAPACK_ROW_MAJOR, lapackChar("N"), lapackChar(rightVectors == nil ? "N" : "V"),
                          lapackInt(n), a, lapackInt(lda), realParts, imaginaryParts,
                          nil, 1, rightVectors, lapackInt(Swift.max(ldvr, 1))))
    }

    /// Singular value decomposition by divide and conquer (`LAPACKE_dgesdd`).
    @inlinable public static func gesdd(job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                                        s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>?, ldu: Int,
                                        vt: UnsafeMutablePointer<Double>?, ldvt: Int) -> Int {
        Int(LAPACKE_dgesdd(LAPACK_ROW_MAJOR, CChar(bitPattern: job), lapackInt(m), lapackInt(n), a, lapackInt(lda),
                           s, u, lapackInt(Swift.max(ldu, 1)), vt, lapackInt(Swift.max(ldvt, 1))))
    }

    /// Householder QR factorization (`LAPACKE_dgeqrf`).
    @inlinable public static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                                        tau: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, lapackInt(m), lapackInt(n), a, lapackInt(lda), tau))
    }

    /// `Q` from Householder reflectors (`LAPACKE_dorgqr`).
    @inlinable public static func orgqr(m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                                        tau: UnsafePointer<Double>) -> Int {
        Int(LAPACKE_dorgqr(LAPACK_ROW_MAJOR, lapackInt(m), lapackInt(n), lapackInt(k), a, lapackInt(lda), tau))
    }
#endif
}
