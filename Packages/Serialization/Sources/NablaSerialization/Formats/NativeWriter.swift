import NablaTensor

/// Writes one native checkpoint to a ``RandomAccessByteSink``: reserves the header, streams the
/// entries (compressed by a ``FramePipeline``) into the data section, then writes the header.
///
/// Tensors already in memory (a ``Checkpoint``) are compressed several at a time; a stream that
/// loads them one by one (``TensorStream``, e.g. `nabla convert`) holds one tensor at a time.
struct NativeWriter {
    /// One entry as the header describes it.
    struct Record {
        var name: String
        var elementType: ElementType
        var shape: [Int]
        var rawSize: Int
        var offset: Int          // relative to the data section
        var storedSize: Int
        var compression: String
        var filter: String
        var checksum: UInt64
    }

    let stream: TensorStream
    let options: WriteOptions

    init(_ stream: TensorStream, options: WriteOptions) {
        self.stream = stream
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
                ("name", .string(r.name)), ("dtype", .string(r.elementType.rawValue)),
                ("shape", .array(r.shape.map { .int($0) })), ("offset", .int(r.offset)),
                ("stored_size", .int(r.storedSize)), ("raw_size", .int(r.rawSize)),
                ("compression", .string(r.compression)), ("filter", .string(r.filter)),
                ("checksum", .string(XXHash64.hex(r.checksum))),
            ])
        }
        let header = JSONValue.object([
            ("format", .string("nabla")), ("version", .int(Int(NativeFormat.version))),
            ("data_size", .int(dataSize)),
            ("metadata", .sortedObject(stream.metadata)),
            ("tensors", .array(entries)),
        ])
        return Array(header.description.utf8)
    }

    /// Whether entry `i` is compressed, and with which shuffle width.
    func choice(_ i: Int) -> (compress: Bool, shuffleWidth: Int) {
        let e = stream.entries[i]
        let type = e.elementType
        let width = type.isComplex ? type.byteSize / 2 : type.byteSize
        let shuffle = options.shuffle && width > 1 && (type.isFloatingPoint || type.isComplex)
        let raw = AnyTensor.byteCount(type, e.shape) ?? 0
        let compress = options.compress && raw > 0 && !options.uncompressed.contains(e.name)
        return (compress, shuffle ? width : 1)
    }

    /// The compression job for tensor `t` (entry `i`), or nil to store it raw. `total` is the raw size
    /// of the tensors that may be compressed at the same time.
    func plan(_ i: Int, _ t: AnyTensor, total: Int, threads: Int) -> FramePipeline.Plan? {
        let (compress, width) = choice(i)
        guard compress else { return nil }
        let raw = t.bytes.count
        // A tensor that is large compared with the rest also gets zstd's own worker threads.
        let zstdWorkers = raw >= 4 << 20 && raw * 2 > total ? threads : 0
        // Shuffled floats at the fast levels: a 1024-entry hash table (hashLog 10 instead of level 1's
        // 14) stays in L1 and keeps only recent positions, which is where the exponent planes
        // repeat: on the benchmark weights 30-45% faster and 1-2% smaller (docs/performance.md).
        let hashLog = width > 1 && options.compressionLevel <= 1 ? NativeWriter.shuffledHashLog : 0
        return .init(bytes: t.bytes, shuffleWidth: width, zstdWorkers: zstdWorkers, hashLog: hashLog)
    }

    func write(to sink: any RandomAccessByteSink) throws {
        let entries = stream.entries
        try requireNamesReadable(entries, format: "nabla")
        let threads = Parallel.threadCount
        var sizes: [Int] = []
        for e in entries {
            guard let n = AnyTensor.byteCount(e.elementType, e.shape) else {
                throw SerializationError.inTensor(name: e.name, .malformed(format: "nabla", reason: "shape \(e.shape) overflows"))
            }
            sizes.append(n)
        }
        let total = max(1, sizes.reduce(0, +))

        // Worst case for the header: every entry raw at the largest offset, the longest filter name.
        var records: [Record] = []
        var bound = 0                       // the data section if nothing compressed
        for (i, e) in entries.enumerated() {
            let (compress, width) = choice(i)
            records.append(Record(name: e.name, elementType: e.elementType, shape: e.shape, rawSize: sizes[i], offset: bound,
                                  storedSize: sizes[i], compression: "none",
                                  filter: compress && width > 1 ? "shuffle" : "none", checksum: 0))
            bound = NativeWriter.aligned(bound + sizes[i])
        }
        for i in records.indices { records[i].offset = bound }
        let reserved = NativeWriter.aligned(NativeFormat.preambleSize + headerText(records, dataSize: bound).count)
        let headerLength = reserved - NativeFormat.preambleSize
        sink.reserve(reserved + bound)

        // Tensors in memory: one pipeline compresses several at a time, in file order. A stream:
        // each tensor is loaded, compressed (by zstd's workers when large), written and released.
        let shared = stream.inMemory.map { tensors in
            FramePipeline(plans: tensors.indices.map { plan($0, tensors[$0], total: total, threads: threads) },
                          level: options.compressionLevel, workerCount: threads)
        }
        defer { shared?.finish() }
        var end = 0                          // end of the last entry, relative to the data section
        var written = 0
        for i in entries.indices {
            let t = try stream.inMemory?[i] ?? stream.tensor(at: i)
            let offset = NativeWriter.aligned(end)
            let start = reserved + offset
            if offset > end {               // zero padding, written explicitly: the space may hold a discarded frame
                try sink.write(UnsafeRawBufferPointer(start: NativeWriter.zeros, count: offset - end), at: reserved + end)
            }
            var size = t.bytes.count
            var record = records[i]
            record.offset = offset
            record.storedSize = size
            record.filter = "none"
            var compressed = false
            let (compress, width) = choice(i)
            let own: FramePipeline? = shared == nil && compress ? plan(i, t, total: t.bytes.count, threads: threads).map {
                FramePipeline(plans: [$0], level: options.compressionLevel, workerCount: 1)
            } : nil
            defer { own?.finish() }
            if compress, let pipeline = shared ?? own {
                var frameSize = 0
                if let checksum = try pipeline.consume(shared == nil ? 0 : i, { chunk in
                    try sink.write(chunk, at: start + frameSize)
                    frameSize += chunk.count
                }) {
                    compressed = true
                    size = frameSize
                    record.storedSize = size
                    record.compression = "zstd"
                    record.filter = width > 1 ? "shuffle" : "none"
                    record.checksum = checksum
                }
            }
            if !compressed {                // raw: written in place of anything a discarded frame left
                try t.withUnsafeBytes { try sink.write($0, at: start) }
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
