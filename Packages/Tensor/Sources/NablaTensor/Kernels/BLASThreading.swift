#if canImport(Accelerate)
import Accelerate
#else
import CNablaBLAS
#endif

// Threads for matrix products.
//
// OpenBLAS's worker threads, once a call is done, spin in `sched_yield` for a long time waiting
// for the next one (their timeout is read from `OPENBLAS_THREAD_TIMEOUT` when the library loads,
// before any Nabla code runs). In a training step, whose products came one after another with
// Nabla's own parallel loops in between, they spun against those loops on the same two cores:
// about 20% of a 784-512-512-10 step went to `sched_yield` (issue 10). Setting OpenBLAS to one
// thread and cutting every product across Nabla's threads stopped that, but a very large product
// then ran on one core whenever Dispatch's second worker did not get the CPU in time on a loaded
// machine, where OpenBLAS's spinning threads always do (sgemm 1024³ at 0.58–0.9× raw CBLAS).
// So the work is divided by size instead:
// - products that run through Nabla's GEMM kernel (`usesGEMMKernel`: at AVX-512, k ≤ 1024 and
//   under ``gemmKernelLimit`` multiply-adds: every product of a training step, and 1024³) are cut
//   across ``Parallel``'s threads by ``splitGEMM(m:n:k:transposeA:transposeB:lda:ldb:ldc:byColumns:_:)``;
//   OpenBLAS is never called, so its threads stay parked;
// - everything else (larger products, longer k, CPUs without AVX-512) goes to OpenBLAS whole, on its
//   own threads, whose spinning after a product of that size costs little.

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
