#if canImport(Accelerate)
import Accelerate
#else
import CNablaBLAS
#endif

/// Nabla runs OpenBLAS on one thread and splits large matrix products across its own threads.
///
/// OpenBLAS's worker threads, once a call is done, spin in `sched_yield` for a long time waiting
/// for the next one (their timeout is read from `OPENBLAS_THREAD_TIMEOUT` when the library loads,
/// before any Nabla code runs). In a training step they spun against Nabla's own parallel loops
/// and against the products made from inside a parallel piece (a convolution's batch split) on
/// the same two cores: about 20% of a 784-512-512-10 step went to `sched_yield`. So the first
/// product through BLAS sets OpenBLAS to one thread (`openblas_set_num_threads(1)`, process-wide),
/// and ``splitGEMM(m:n:k:transposeA:transposeB:lda:ldb:ldc:_:)`` cuts a large product into
/// pieces of rows (or columns) of C that run on ``Parallel``'s threads (`NABLA_NUM_THREADS`).
/// LAPACK routines run on one thread too. Accelerate (macOS) manages its own threads and is left alone.
@usableFromInline let _blasRunsSingleThreaded: Bool = {
    #if !canImport(Accelerate)
    openblas_set_num_threads(1)
    #endif
    return true
}()

/// The smallest product, in multiply-adds, that ``splitGEMM(m:n:k:transposeA:transposeB:lda:ldb:ldc:_:)``
/// gives one thread: about 0.1 ms of work, well above the cost of handing it over.
@inlinable var gemmPieceWork: Int { 1 << 22 }

/// Runs `C = op(A)·op(B)` as `body(m', n', a', b', c')` calls on disjoint blocks of C: one call for
/// a product under two ``gemmPieceWork``s or with one thread, else pieces of at least 64 rows of C
/// or 64 columns through `Parallel.forRanges`. Columns when `byColumns` and n ≥ 128 (the GEMM kernels
/// pack op(B) and read op(A) in place, so a piece of columns packs only its own part of B), else the
/// longer side. `a`, `b`, `c` are element offsets from the operands' starts; each block is a product
/// of the same form, so `body` calls BLAS or the kernels with the original leading dimensions.
@inlinable func splitGEMM(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool,
                          lda: Int, ldb: Int, ldc: Int, byColumns: Bool = false,
                          _ body: (_ m: Int, _ n: Int, _ a: Int, _ b: Int, _ c: Int) -> Void) {
    _ = _blasRunsSingleThreaded
    let work = m * n * k
    if Parallel.threadCount == 1 || work < 2 * gemmPieceWork {
        body(m, n, 0, 0, 0)
        return
    }
    if byColumns ? n < 128 : m >= n {
        let chunk = Swift.max(64, gemmPieceWork / Swift.max(1, n * k))
        Parallel.forRanges(m, minimumChunk: chunk) { r in
            body(r.count, n, transposeA ? r.lowerBound : r.lowerBound * lda, 0, r.lowerBound * ldc)
        }
    } else {
        let chunk = Swift.max(64, gemmPieceWork / Swift.max(1, m * k))
        Parallel.forRanges(n, minimumChunk: chunk) { r in
            body(m, r.count, 0, transposeB ? r.lowerBound * ldb : r.lowerBound, r.lowerBound)
        }
    }
}
