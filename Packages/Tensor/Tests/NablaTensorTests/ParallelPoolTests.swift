import Testing
import NablaTensor

/// Nabla's thread pool (`nabla_parallel_for`), the default backend of `Parallel.forRanges`: each
/// participant takes its own contiguous run of pieces first and the others' from the back, so every
/// piece must still run exactly once, whatever the number of pieces and threads, back to back (the
/// workers spinning between jobs), nested, and from several callers at once.
@Suite("Thread pool")
struct ParallelPoolTests {
    /// Counts how often each piece ran: every piece writes only its own slot.
    static func visits(pieces: Int, threads: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: pieces)
        counts.withUnsafeMutableBufferPointer { c in
            let base = c.baseAddress!
            Parallel._poolFor(pieces: pieces, threads: threads) { p in base[p] += 1 }
        }
        return counts
    }

    @Test func everyPieceRunsOnceForAnySplit() {
        // Piece counts that do and do not divide among the participants, fewer pieces than
        // threads, and one piece; 2 to 5 threads (more than this machine's cores is allowed).
        for threads in [2, 3, 4, 5] {
            for pieces in [1, 2, 3, 7, 8, 9, 31, 64, 1000] {
                for _ in 0..<20 {   // back to back, as ops in an expression
                    let counts = Self.visits(pieces: pieces, threads: threads)
                    #expect(counts.allSatisfy { $0 == 1 }, "\(pieces) pieces, \(threads) threads")
                }
            }
        }
    }

    @Test func unevenPiecesAllRunOnce() {
        // Pieces of very different lengths: the runs are uneven, so threads take pieces from the
        // back of the others' runs. The sums are exact in Double (integers below 2^53).
        let pieces = 16
        var sums = [Double](repeating: 0, count: pieces)
        sums.withUnsafeMutableBufferPointer { s in
            let base = s.baseAddress!
            Parallel._poolFor(pieces: pieces, threads: 2) { p in
                var total = 0.0
                for i in 0..<((p % 4 == 0) ? 400_000 : 1_000) { total += Double(i) }
                base[p] += total
            }
        }
        let expected = (0..<pieces).map { p -> Double in
            let n = Double((p % 4 == 0) ? 400_000 : 1_000)
            return n * (n - 1) / 2
        }
        #expect(sums == expected)
    }

    @Test func nestedCallsRunInline() {
        // A piece that starts another parallel loop: the inner one runs on the piece's own thread.
        let outer = 6, inner = 5
        var counts = [Int](repeating: 0, count: outer * inner)
        counts.withUnsafeMutableBufferPointer { c in
            let base = c.baseAddress!
            Parallel._poolFor(pieces: outer, threads: 2) { o in
                Parallel._poolFor(pieces: inner, threads: 2) { i in base[o * inner + i] += 1 }
            }
        }
        #expect(counts.allSatisfy { $0 == 1 })
    }

    @Test func concurrentCallersEachGetEveryPiece() async {
        // Eight tasks at once: one holds the pool, the others run their pieces inline.
        let results = await withTaskGroup(of: Bool.self) { group in
            for t in 0..<8 {
                group.addTask {
                    (0..<20).allSatisfy { r in
                        Self.visits(pieces: 8 + (t + r) % 9, threads: 2).allSatisfy { $0 == 1 }
                    }
                }
            }
            var all: [Bool] = []
            for await ok in group { all.append(ok) }
            return all
        }
        #expect(results.count == 8 && results.allSatisfy { $0 })
    }

    @Test func largeArithmeticIsExactOnEitherSideOfTheStreamingThreshold() {
        // x*x+x and x*x−x on 4M Floats (16 MiB outputs: cached stores on a machine whose last
        // level cache holds 16 MiB or more) and on 16 Mi + 16 Floats (64 MiB: streaming stores on
        // any cache of up to 64 MiB), against the scalar expression element by element.
        for n in [1 << 22, (1 << 24) + 16] {
            let xs = (0..<n).map { Float(($0 % 2001) - 1000) * 0.0137 }
            let x = Tensor<Float>(shape: [n], scalars: xs)
            let sum = (x * x + x).scalars
            let difference = (x * x - x).scalars
            var sumRight = true, differenceRight = true
            for i in 0..<n {
                sumRight = sumRight && sum[i].bitPattern == (xs[i] * xs[i] + xs[i]).bitPattern
                differenceRight = differenceRight && difference[i].bitPattern == (xs[i] * xs[i] - xs[i]).bitPattern
            }
            #expect(sumRight && differenceRight, "\(n) elements")
        }
        // The policy: stream exactly the outputs larger than the last-level cache.
        let llc = Float._lastLevelCacheBytes
        #expect(llc > 0)
        #expect(!Float._streamsArithmeticOutput(bytes: llc) && Float._streamsArithmeticOutput(bytes: llc + 1))
        #expect(!Float._streamsArithmeticOutput(bytes: 1 << 20))
    }
}
