import NablaTensor

/// Writes one native checkpoint to a ``RandomAccessByteSink``: reserves the header, streams the
/// entries (compressed by a ``FramePipeline``) into the data section, then writes the header.
struct NativeWriter {
    /// One entry as the header describes it.
    struct Record {
        var name: String
        var tensor: AnyTensor
        var offset: Int          // relative to the data section
        var storedSize: Int
        var compression: String
        var filter: String
        var checksum: UInt64
    }

    let checkpoint: Checkpoint
    let options: WriteOptions

    init(_ checkpoint: Checkpoint, options: WriteOptions) {
        self.checkpoint = checkpoint
        self.options = options
    }

    /// zstd `hashLog` for byte-shuffled floating-point entries at levels ≤ 1.
    static let shuffledHashLog = 10

    static func aligned(_ n: Int) -> Int {
        (n + NativeFormat.alignment - 1) / NativeFormat.alignment * NativeFormat.alignment
    }

    /// The JSON header for `records` (entry keys in the order the spec lists them).
    func headerText(_ records: [Record], dataSize: Int) -> [UInt8] {
        let entries: [JSONValue] = records.map { r in
            .object([
                ("name", .string(r.name)), ("dtype", .string(r.tensor.elementType.rawValue)),
                ("shape", .array(r.tensor.shape.map { .int($0) })), ("offset", .int(r.offset)),
                ("stored_size", .int(r.storedSize)), ("raw_size", .int(r.tensor.bytes.count)),
                ("compression", .string(r.compression)), ("filter", .string(r.filter)),
                ("checksum", .string(XXHash64.hex(r.checksum))),
            ])
        }
        let header = JSONValue.object([
            ("format", .string("nabla")), ("version", .int(Int(NativeFormat.version))),
            ("data_size", .int(dataSize)),
            ("metadata", .sortedObject(checkpoint.metadata)),
            ("tensors", .array(entries)),
        ])
        return Array(header.description.utf8)
    }

    func write(to sink: any RandomAccessByteSink) throws {
        let tensors = checkpoint.tensors
        let threads = Parallel.threadCount
        let total = max(1, tensors.reduce(0) { $0 + $1.tensor.bytes.count })

        // What each entry may become: compressed (with or without the shuffle) or raw.
        var plans: [FramePipeline.Plan?] = []
        var records: [Record] = []
        var bound = 0                       // the data section if nothing compressed
        for (name, t) in tensors {
            let raw = t.bytes.count
            let width = t.elementType.isComplex ? t.elementType.byteSize / 2 : t.elementType.byteSize
            let shuffle = options.shuffle && width > 1 && (t.elementType.isFloatingPoint || t.elementType.isComplex)
            let compress = options.compress && raw > 0 && !options.uncompressed.contains(name)
            // A tensor that is large compared with the rest also gets zstd's own worker threads.
            let zstdWorkers = raw >= 4 << 20 && raw * 2 > total ? threads : 0
            // Shuffled floats at the fast levels: a 1024-entry hash table (hashLog 10 instead of level 1's
            // 14) stays in L1 and keeps only recent positions, which is where the exponent planes
            // repeat: on the benchmark weights 30-45% faster and 1-2% smaller (docs/performance.md).
            let hashLog = shuffle && options.compressionLevel <= 1 ? NativeWriter.shuffledHashLog : 0
            plans.append(compress ? .init(bytes: t.bytes, shuffleWidth: shuffle ? width : 1, zstdWorkers: zstdWorkers,
                                          hashLog: hashLog) : nil)
            // Worst case for the header: the largest numbers and the longest strings it can hold.
            records.append(Record(name: name, tensor: t, offset: bound, storedSize: raw, compression: "none",
                                  filter: compress && shuffle ? "shuffle" : "none", checksum: 0))
            bound = NativeWriter.aligned(bound + raw)
        }
        for i in records.indices { records[i].offset = bound }
        let reserved = NativeWriter.aligned(NativeFormat.preambleSize + headerText(records, dataSize: bound).count)
        let headerLength = reserved - NativeFormat.preambleSize
        sink.reserve(reserved + bound)

        let pipeline = FramePipeline(plans: plans, level: options.compressionLevel, workerCount: threads)
        defer { pipeline.finish() }
        var end = 0                          // end of the last entry, relative to the data section
        var written = 0
        for (i, (name, t)) in tensors.enumerated() {
            let offset = NativeWriter.aligned(end)
            let start = reserved + offset
            if offset > end {               // zero padding, written explicitly: the space may hold a discarded frame
                try sink.write(UnsafeRawBufferPointer(start: NativeWriter.zeros, count: offset - end), at: reserved + end)
            }
            var size = t.bytes.count
            var record = Record(name: name, tensor: t, offset: offset, storedSize: size, compression: "none",
                                filter: "none", checksum: 0)
            var compressed = false
            if plans[i] != nil {
                var frameSize = 0
                if let checksum = try pipeline.consume(i, { chunk in
                    try sink.write(chunk, at: start + frameSize)
                    frameSize += chunk.count
                }) {
                    compressed = true
                    size = frameSize
                    record.storedSize = size
                    record.compression = "zstd"
                    record.filter = plans[i]!.shuffleWidth > 1 ? "shuffle" : "none"
                    record.checksum = checksum
                }
            }
            if !compressed {                // raw: written in place of anything a discarded frame left
                try sink.write(t.bytes, at: start)
                record.checksum = XXHash64.hash(t.bytes)
            }
            sink.startWriteback(start..<start + size)
            records[i] = record
            end = offset + size
            written += t.bytes.count
            options.progress?(0.99 * Double(written) / Double(total))
        }
        try sink.truncate(to: reserved + end)   // drops the tail of a discarded last frame

        var text = headerText(records, dataSize: end)
        precondition(text.count <= headerLength, "NativeWriter: header grew past its reservation (\(text.count) > \(headerLength))")
        text += [UInt8](repeating: 0x20, count: headerLength - text.count)
        var preamble: [UInt8] = NativeFormat.magic
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { preamble += $0 } }
        le(NativeFormat.version)
        le(UInt32(0))
        le(UInt64(text.count))
        le(XXHash64.hash(text))
        try (preamble + text).withUnsafeBytes { try sink.write($0, at: 0) }
        options.progress?(1)
    }

    /// 64 zero bytes for padding.
    nonisolated(unsafe) static let zeros: UnsafeRawPointer = {
        let p = UnsafeMutableRawPointer.allocate(byteCount: NativeFormat.alignment, alignment: 64)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: NativeFormat.alignment)
        return UnsafeRawPointer(p)
    }()
}
