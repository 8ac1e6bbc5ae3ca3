import Dispatch
import CNablaVector

/// Splits large elementwise work across cores.
///
/// Work below ``minimumChunk`` elements per core runs inline: dispatching costs a few
/// microseconds, which only pays off for tensors of tens of thousands of elements.
public enum Parallel {
    /// The smallest number of elements worth giving one thread.
    public static let minimumChunk = 1 << 15

    /// The number of threads used for large tensors: the environment variable `NABLA_NUM_THREADS`
    /// if set to a positive number (like `OMP_NUM_THREADS`), else the active processor count.
    public static let threadCount: Int = {
        if let value = getenv("NABLA_NUM_THREADS"), let n = Int(String(cString: value)), n > 0 { return n }
        return Swift.max(1, System.activeProcessorCount)
    }()

    /// The number of pieces `forRanges` cuts `count` elements into: 1 (run inline on the calling
    /// thread) below two `minimumChunk`s or with one thread, else `count / minimumChunk` up to four
    /// per thread.
    ///
    /// This is the whole policy, and it depends only on the sizes, so the same call is always cut
    /// the same way. Up to four pieces per thread: the pool (or Dispatch, see ``usesPool``) lets a
    /// thread that is free take pieces from one that is not, the caller included, so a core busy
    /// with another process delays the op by one small piece, not by half the work; when no worker
    /// gets a core in time, the calling thread runs every piece itself (which is what makes a large
    /// op's speed vary between one and two cores on a loaded machine, not this decision).
    @inlinable public static func pieceCount(_ count: Int, minimumChunk: Int = Parallel.minimumChunk) -> Int {
        if threadCount == 1 { return 1 }
        return Swift.max(1, Swift.min(4 * threadCount, count / Swift.max(minimumChunk, 1)))
    }

    /// Whether pieces run on Nabla's own thread pool (`nabla_parallel_for`), the default, instead of
    /// Dispatch's `concurrentPerform` (set the environment variable `NABLA_PARALLEL=dispatch`).
    ///
    /// The pool's workers spin up to 100 µs for the next job before they park (yielding the CPU
    /// every few µs), as OpenMP's do, so back-to-back ops find the second core awake; and each
    /// thread takes the same contiguous run of pieces op after op, which keeps its part of the
    /// operands in its caches. On the 2-core machine of docs/performance.md ("Two cores for
    /// x*x+x"), `x * x` then `+ x` on 4M Floats ran at 14.3–14.6 G/s (C microbenchmark) against
    /// 10.6–12.7 with pieces going to whichever thread asked first, and in TensorBench at load 4
    /// the pool got the second core in three of four runs where Dispatch got it in none. Work
    /// below two ``minimumChunk``s never reaches either.
    public static let usesPool: Bool = {
        if let value = getenv("NABLA_PARALLEL") { return String(cString: value) != "dispatch" }
        return true
    }()

    /// Calls `body` on disjoint sub-ranges covering `0..<count`, in parallel when `count` is large.
    /// `body` must only write to memory belonging to its range.
    @inlinable public static func forRanges(_ count: Int, minimumChunk: Int = Parallel.minimumChunk,
                                            _ body: (Range<Int>) -> Void) {
        forRanges(count, minimumChunk: minimumChunk, context: ()) { r, _ in body(r) }
    }

    /// Calls `body(range, context)` on disjoint sub-ranges covering `0..<count`, in parallel when
    /// `count` is large. `body` must only write to memory belonging to its range.
    ///
    /// Hand the loop's pointers and sizes over in `context` rather than capturing them: a `body`
    /// closure whose only captures are constants (such as the operation closure of
    /// `zipWith { $0 + $1 }`) is specialized by the optimizer, so the operation is inlined and the
    /// loop vectorizes; a closure that captures runtime values would be called per element instead.
    @inlinable @inline(__always)
    public static func forRanges<Context>(_ count: Int, minimumChunk: Int = Parallel.minimumChunk,
                                          context: Context, _ body: (Range<Int>, Context) -> Void) {
        let pieces = pieceCount(count, minimumChunk: minimumChunk)
        if pieces <= 1 {
            body(0..<count, context)
            return
        }
        let step = ((count + pieces - 1) / pieces + 15) & ~15   // multiples of 16 keep SIMD loops whole
        let chunks = (count + step - 1) / step
        // Each piece writes a disjoint range, so sharing the closure across threads is safe.
        _runPieces(chunks) { c in
            let lo = c * step
            let hi = Swift.min(count, lo + step)
            if lo < hi { body(lo..<hi, context) }
        }
    }

    /// Runs `piece(0..<chunks)` on Dispatch or the pool (`nabla_parallel_for`). Not generic and not
    /// inlinable: the C callback lives here, once (the Swift 6.3 optimizer crashed on it inlined
    /// into `forRanges`).
    @usableFromInline static func _runPieces(_ chunks: Int, _ piece: (Int) -> Void) {
        if !usesPool {
            withoutActuallyEscaping(piece) { piece in
                let shared = UncheckedSendable(piece)
                DispatchQueue.concurrentPerform(iterations: chunks) { shared.value($0) }
            }
            return
        }
        _poolFor(pieces: chunks, threads: threadCount, piece)
    }
}

extension Parallel {
    /// Runs `piece(p)` for every `p` in `0..<pieces` on the pool (`nabla_parallel_for`) with
    /// `threads` participants, whatever ``usesPool`` says: the pool path of `forRanges`, and tests
    /// of the pool itself. Each piece runs exactly once; which thread runs it is not specified.
    public static func _poolFor(pieces: Int, threads: Int, _ piece: (Int) -> Void) {
        withoutActuallyEscaping(piece) { piece in
            var f = piece
            withUnsafeMutablePointer(to: &f) { p in
                nabla_parallel_for(pieces, Int32(threads), { raw, c in
                    raw!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(c)
                }, p)
            }
        }
    }
}

/// Wraps a value the caller knows is safe to share across threads.
@usableFromInline struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @inlinable init(_ value: Value) { self.value = value }
}

/// Processor count without Foundation.
@usableFromInline enum System {
    @usableFromInline static var activeProcessorCount: Int {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #elseif canImport(Darwin)
        return Int(sysconf(_SC_NPROCESSORS_ONLN))
        #else
        return 1
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
