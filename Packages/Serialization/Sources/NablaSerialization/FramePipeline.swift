import Foundation

/// Compresses tensors into zstd frames on worker threads while the writer consumes the frames in
/// file order, so compression, writing and the disk's writeback overlap.
///
/// Jobs start in entry order on `workerCount` threads (plain threads, not Dispatch: a caller that
/// itself runs on a Dispatch or Swift-concurrency worker must not be able to starve them). A job
/// hands its frame over in chunks as zstd produces them (``Zstd/StreamCompressor``),
/// and the writer takes the chunks of the entry it is at as soon as they exist. Memory stays bounded:
/// a job only starts while the raw bytes of the started but not yet written entries stay within
/// `budget` (or when nothing else is in flight), and a frame is never larger than its raw bytes
/// (a job gives up as soon as it would be).
final class FramePipeline: @unchecked Sendable {
    /// What a job compresses.
    struct Plan {
        var bytes: UnsafeRawBufferPointer
        var shuffleWidth: Int
        var zstdWorkers: Int
        /// zstd's `hashLog` for this frame, 0 for the level's default.
        var hashLog: Int = 0
    }

    /// One entry's compression: its chunks not yet taken by the writer, and its outcome.
    final class Job {
        var chunks: [Zstd.FrameBuffer] = []
        var finished = false
        var compressible = true
        var checksum: UInt64 = 0
        var error: Error?
    }

    private let condition = NSCondition()
    private let pool = Zstd.BufferPool()
    private let plans: [Plan?]       // nil: not compressed (the writer stores it raw)
    private let order: [Int]         // indices of the compressed entries, in file order
    private let level: Int
    private let budget: Int
    private var jobs: [Job?]
    private var next = 0             // position in `order` of the next job to start
    private var inFlight = 0         // raw bytes of started entries the writer has not finished
    private var liveWorkers = 0
    private var cancelled = false

    /// Starts `workerCount` threads that compress the non-nil `plans` in order at zstd `level`.
    init(plans: [Plan?], level: Int, workerCount: Int, budget: Int = 64 << 20) {
        self.plans = plans
        self.order = plans.indices.filter { plans[$0] != nil }
        self.level = level
        self.budget = budget
        self.jobs = Array(repeating: nil, count: plans.count)
        let threads = min(max(workerCount, 1), order.count)
        liveWorkers = threads
        for _ in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func work() {
        let compressor = Result { try Zstd.StreamCompressor() }
        condition.lock()
        while true {
            while !cancelled, next < order.count,
                  inFlight > 0 && inFlight + plans[order[next]]!.bytes.count > budget {
                condition.wait()
            }
            if cancelled || next >= order.count { break }
            let i = order[next]
            next += 1
            let plan = plans[i]!
            inFlight += plan.bytes.count
            let job = Job()
            jobs[i] = job
            condition.unlock()

            var hash = XXHash64.Stream()
            var outcome: Result<Bool, Error>
            do {
                outcome = .success(try compressor.get().compress(plan.bytes, level: level, workers: plan.zstdWorkers,
                                                                 shuffleWidth: plan.shuffleWidth, hashLog: plan.hashLog,
                                                                 limit: plan.bytes.count - 1, pool: pool) { piece in
                    hash.update(piece.bytes)
                    condition.lock()
                    defer { condition.unlock() }
                    if cancelled { pool.give(piece); throw CancellationError() }
                    job.chunks.append(piece)
                    condition.broadcast()
                })
            } catch {
                outcome = .failure(error)
            }

            condition.lock()
            switch outcome {
            case let .success(ok): job.compressible = ok
            case let .failure(e): job.error = e
            }
            job.checksum = hash.finalize()
            job.finished = true
            condition.broadcast()
        }
        liveWorkers -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Hands entry `i`'s frame to `body` chunk by chunk, in order, as it is produced. Entries must be
    /// consumed in increasing order. Returns the frame's XXH64, or `nil` when the entry did not
    /// compress (the frame would not be smaller than the raw bytes; what `body` got is then void).
    /// - Throws: a compression error, or what `body` throws.
    func consume(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> UInt64? {
        condition.lock()
        while true {
            if let job = jobs[i] {
                if !job.chunks.isEmpty {
                    let taken = job.chunks
                    job.chunks.removeAll(keepingCapacity: true)
                    condition.unlock()
                    defer { for c in taken { pool.give(c) } }
                    for c in taken { try body(c.bytes) }
                    condition.lock()
                    continue
                }
                if job.finished {
                    jobs[i] = nil
                    inFlight -= plans[i]!.bytes.count
                    condition.broadcast()
                    condition.unlock()
                    if let e = job.error { throw e }
                    return job.compressible ? job.checksum : nil
                }
            }
            condition.wait()
        }
    }

    /// Stops the workers (jobs under way end at their next chunk) and waits for them to exit.
    /// Must be called before the tensors' bytes go away.
    func finish() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while liveWorkers > 0 { condition.wait() }
        condition.unlock()
    }
}
