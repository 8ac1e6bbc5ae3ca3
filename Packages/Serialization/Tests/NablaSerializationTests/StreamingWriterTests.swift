import Foundation
import Testing
@testable import NablaSerialization

/// A sink that only appends (not a ``RandomAccessByteSink``): the native writer builds the file in memory for it.
final class AppendOnlySink: ByteSink {
    var bytes: [UInt8] = []
    func write(_ b: UnsafeRawBufferPointer) throws { bytes += b }
}

/// A random-access sink that fails once more than `failAfter` bytes were written.
final class FailingSink: RandomAccessByteSink {
    let failAfter: Int
    var written = 0
    init(failAfter: Int) { self.failAfter = failAfter }
    func write(_ b: UnsafeRawBufferPointer) throws { try write(b, at: 0) }
    func write(_ b: UnsafeRawBufferPointer, at offset: Int) throws {
        written += b.count
        if written > failAfter { throw SerializationError.io(path: "test", message: "disk full") }
    }
    func truncate(to size: Int) throws {}
}

/// A value behind a lock (for a `@Sendable` progress callback).
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ v: T) { value = v }
    func withLock<R>(_ body: (inout T) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&value) }
}

@Suite("Streaming native writer")
struct StreamingWriterTests {
    /// Random bytes as F32 (incompressible: zstd's frame would be larger, so the entry is stored raw).
    static func noise(_ count: Int, seed: UInt64) -> AnyTensor {
        TestData.random(.float32, [count], seed: seed)
    }

    @Test("an empty checkpoint, a metadata-only one and 500 small entries round-trip through a file")
    func shapesOfCheckpoints() throws {
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var many = Checkpoint()
        for i in 0..<500 {   // mixed: compressible floats, bytes, raw-stored noise; names of growing length
            many["layer.\(i).w"] = i % 3 == 0 ? AnyTensor(TestData.gaussian(100 + i, seed: UInt64(i)))
                : i % 3 == 1 ? TestData.random(.uint8, [i], seed: UInt64(i)) : Self.noise(7, seed: UInt64(i))
        }
        var meta = Checkpoint()
        meta.metadata["step"] = .int(3)
        for (k, c) in [("empty", Checkpoint()), ("meta", meta), ("many", many)] {
            let path = dir + "/\(k).nabla"
            try c.save(to: path)
            let reader = try CheckpointFile.open(path)
            try reader.verify()
            #expect(try reader.loadAll(progress: nil) == c, "\(k)")
            let file = try FileBytes(contentsOfFile: path)
            let onDisk = withExtendedLifetime(file) { Array(file.buffer) }
            #expect(try onDisk == c.encoded(format: "nabla"), "\(k)")
        }
    }

    @Test("incremental XXH64 equals the one-shot hash for every split of lengths 0…300 and for random pieces")
    func streamHash() {
        var rng = SplitMix64(seed: 11)
        let data = (0..<300).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        data.withUnsafeBytes { all in
            for n in 0...300 {
                let whole = XXHash64.hash(UnsafeRawBufferPointer(rebasing: all[0..<n]))
                for split in Set([0, n / 3, n / 2, max(0, n - 1), n]) {
                    var s = XXHash64.Stream()
                    s.update(UnsafeRawBufferPointer(rebasing: all[0..<split]))
                    s.update(UnsafeRawBufferPointer(rebasing: all[split..<n]))
                    #expect(s.finalize() == whole, "length \(n), split \(split)")
                }
            }
        }
        // 1 MB in pieces of 1…100 bytes, then 3 large ones.
        let big = (0..<1_000_003).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        big.withUnsafeBytes { all in
            var s = XXHash64.Stream()
            var i = 0
            while i < 10_000 {
                let k = min(Int(rng.next() % 100) + 1, 10_000 - i)
                s.update(UnsafeRawBufferPointer(rebasing: all[i..<i + k]))
                i += k
            }
            for cut in [400_001, 999_999, all.count] {
                s.update(UnsafeRawBufferPointer(rebasing: all[i..<cut]))
                i = cut
            }
            #expect(s.finalize() == XXHash64.hash(all))
        }
    }

    @Test("file, memory and append-only sinks get identical bytes; incompressible entries (first, middle, last) are stored raw")
    func sinksAgree() throws {
        var c = Checkpoint()
        c["noise.first"] = Self.noise(700_000, seed: 1)                         // 2.8 MB: several 1 MiB chunks before giving up
        c["gauss"] = AnyTensor(TestData.gaussian(300_001, seed: 2))
        c["noise.mid"] = Self.noise(33, seed: 3)
        c["half"] = AnyTensor(TestData.gaussian(1_000, seed: 4).map { Float16($0) })
        c["zeros"] = AnyTensor(Tensor<Float>(repeating: 0, shape: [5_000_000]))   // 20 MB, > half of the total: zstd workers
        c["empty"] = AnyTensor(Tensor<Float>(shape: [0], scalars: []))
        c["noise.last"] = Self.noise(400_001, seed: 5)
        c.metadata["step"] = .int(7)
        let memory = try c.encoded(format: "nabla")
        let append = AppendOnlySink()
        try NativeFormat().write(c, to: append, options: WriteOptions())
        #expect(append.bytes == memory)
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try c.save(to: dir + "/s.nabla")
        let file = try FileBytes(contentsOfFile: dir + "/s.nabla")
        #expect(Array(file.buffer) == memory)

        let reader = try NativeFormat().open(file, options: ReadOptions())
        // Random bytes do not compress (stored raw); Gaussian floats and zeros do; empty tensors are raw.
        #expect(reader.entries.map(\.compression) == ["none", "zstd", "none", "zstd", "zstd", "none", "none"])
        #expect(reader.entries.map(\.filter) == ["none", "shuffle", "none", "shuffle", "shuffle", "none", "none"])
        try reader.verify()                       // checksums, frames, and zero padding between entries
        #expect(try reader.loadAll(progress: nil) == c)
        // The data section is as small as the entries allow: the last (raw) entry ends the file.
        #expect(reader.entries.last!.storedSize == 1_600_004)
    }

    @Test("streamed and one-shot compression give frames that decode to the input; incompressible input gives up early")
    func compressorPaths() throws {
        let gauss = AnyTensor(TestData.gaussian(300_001, seed: 9))       // 1.2 MB: more than one shuffle block
        let noise = Self.noise(300_000, seed: 10)
        for oneShotLimit in [0, 16 << 20] {
            let compressor = try Zstd.StreamCompressor(chunkSize: 100_000, oneShotLimit: oneShotLimit)
            let pool = Zstd.BufferPool()
            for w in [1, 4] {
                var frame: [UInt8] = []
                var pieces = 0
                let done = try compressor.compress(gauss.bytes, level: 1, shuffleWidth: w, hashLog: 10, limit: gauss.bytes.count - 1,
                                                   pool: pool) {
                    // Streamed: pieces of at most the chunk size; one-shot: the whole frame at once.
                    #expect(oneShotLimit > 0 || $0.count <= 100_000)
                    frame += $0.bytes
                    pieces += 1
                    pool.give($0)
                }
                #expect(done && frame.count < gauss.bytes.count, "limit \(oneShotLimit), width \(w)")
                #expect(oneShotLimit > 0 ? pieces == 1 : pieces >= 2)
                var back = [UInt8](repeating: 0, count: gauss.bytes.count)
                try frame.withUnsafeBytes { f in
                    try back.withUnsafeMutableBytes {
                        try Zstd.decompress(f, into: $0.baseAddress!, expected: gauss.bytes.count, shuffleWidth: w, format: "t", entry: "g")
                    }
                }
                #expect(back.elementsEqual(gauss.bytes))
            }
            // Random bytes: the frame would be larger than the input, so it stops (before emitting more than the limit).
            var emitted = 0
            let done = try compressor.compress(noise.bytes, level: 1, shuffleWidth: 4, limit: noise.bytes.count - 1, pool: pool) {
                emitted += $0.count
                pool.give($0)
            }
            #expect(!done && emitted < noise.bytes.count)
        }
    }

    @Test("the pipeline hands out every frame in order, also when the memory budget lets one job run at a time")
    func pipelineBudget() throws {
        let tensors = (0..<6).map { AnyTensor(TestData.gaussian(100_000 + 1_000 * $0, seed: UInt64($0))) }
        for budget in [1, 64 << 20] {
            let plans: [FramePipeline.Plan?] = tensors.enumerated().map { i, t in
                i == 2 ? nil : .init(bytes: t.bytes, shuffleWidth: 4, zstdWorkers: 0)
            }
            let pipeline = FramePipeline(plans: plans, level: 1, workerCount: 2, budget: budget)
            defer { pipeline.finish() }
            for (i, t) in tensors.enumerated() where i != 2 {
                var frame: [UInt8] = []
                let checksum = try pipeline.consume(i) { frame += $0 }
                #expect(checksum == XXHash64.hash(frame))
                var back = [UInt8](repeating: 0, count: t.bytes.count)
                try frame.withUnsafeBytes { f in
                    try back.withUnsafeMutableBytes {
                        try Zstd.decompress(f, into: $0.baseAddress!, expected: t.bytes.count, shuffleWidth: 4, format: "t", entry: "\(i)")
                    }
                }
                #expect(back.elementsEqual(t.bytes), "entry \(i), budget \(budget)")
            }
        }
    }

    @Test("a sink that fails mid-write: the error comes out, no hang, workers stopped")
    func failingSink() throws {
        var c = Checkpoint()
        for i in 0..<8 { c["w\(i)"] = AnyTensor(TestData.gaussian(200_000, seed: UInt64(i))) }
        for failAfter in [0, 100, 1 << 20, 3 << 20] {
            #expect(throws: SerializationError.io(path: "test", message: "disk full")) {
                try NativeFormat().write(c, to: FailingSink(failAfter: failAfter), options: WriteOptions())
            }
        }
        // Progress goes up to 1 without going back.
        let seen = Locked<[Double]>([])
        var options = WriteOptions()
        options.progress = { f in seen.withLock { $0.append(f) } }
        _ = try c.encoded(format: "nabla", options: options)
        let values = seen.withLock { $0 }
        #expect(values.count == 9 && values.last == 1)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
