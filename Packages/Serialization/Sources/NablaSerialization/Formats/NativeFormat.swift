import Dispatch
import Foundation
import NablaTensor

/// The native Nabla checkpoint format (`.nabla`), specified in `docs/checkpoint-format.md`.
///
/// A 32-byte preamble (magic, version, flags, header length, header XXH64), a JSON header listing
/// every entry (name, dtype, shape, offset, stored and raw sizes, compression, filter, XXH64 of the
/// stored bytes) and the metadata, then each tensor at a 64-byte aligned offset: one zstd frame
/// (content size and checksum flags set), optionally byte-shuffled first, or the raw bytes, which
/// load without a copy from the memory-mapped file.
public struct NativeFormat: CheckpointFormat {
    /// The registry name, also used in error messages.
    public let name = "nabla"
    /// The file extensions this format is chosen for.
    public let fileExtensions = ["nabla"]
    /// `0x89 N A B L A \r \n`: the high byte and CR LF catch text-mode transfers, as PNG's magic does.
    public static let magic: [UInt8] = [0x89, 0x4E, 0x41, 0x42, 0x4C, 0x41, 0x0D, 0x0A]
    /// The only version this reader accepts.
    public static let version: UInt32 = 1
    /// Size of the fixed preamble before the JSON header.
    public static let preambleSize = 32
    /// Alignment of the data section and of every entry.
    public static let alignment = 64
    /// Ceiling on raw/stored for a zstd entry: a zstd block yields at most 128 KiB from at least 4 bytes.
    static let maxZstdRatio = 32768

    /// Creates the value.
    public init() {}

    // MARK: Writing

    /// Writes `checkpoint` with the layout described above.
    ///
    /// The data is streamed: room for the header is reserved first (its size is bounded before any
    /// tensor is compressed: every number in it is at most the uncompressed layout's), the
    /// tensors are compressed on worker threads and each frame is written as it is produced (and its
    /// writeback started), then the header is filled in, padded with spaces to the reserved size.
    /// A sink that cannot write at a position (not a ``RandomAccessByteSink``) gets the file built
    /// in memory first.
    /// - Throws: ``SerializationError/invalidName(format:name:reason:)`` for an empty tensor name
    ///   (before writing anything), or the sink's I/O errors.
    public func write(_ checkpoint: Checkpoint, to sink: any ByteSink, options: WriteOptions) throws {
        try write(TensorStream(checkpoint), to: sink, options: options)
    }

    /// Writes the tensors of `stream` one at a time (each is loaded, compressed, written and released).
    public func write(_ stream: TensorStream, to sink: any ByteSink, options: WriteOptions) throws {
        guard let target = sink as? any RandomAccessByteSink else {
            let memory = MemorySink()
            try write(stream, to: memory, options: options)
            try sink.write(memory.bytes)
            return
        }
        try NativeWriter(stream, options: options).write(to: target)
    }

    // MARK: Reading

    /// Parses and validates the layout described above; tensor data is read on demand.
    public func open(_ bytes: FileBytes, options: ReadOptions) throws -> any CheckpointReader {
        try NativeReader(bytes: bytes, options: options)
    }
}

/// Lets concurrent workers write disjoint elements of one buffer.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Keeps the first error thrown by concurrent workers.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    func set(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
    func check() throws { if let error { throw error } }
}

/// A validated native checkpoint: the layout was checked in `init`, tensor bytes are read on demand.
struct NativeReader: CheckpointReader {
    struct Entry {
        var info: EntryInfo
        var offset: Int      // absolute, in the file
        var checksum: UInt64
    }
    let file: FileBytes
    let formatName = "nabla"
    let entries: [EntryInfo]
    let metadata: [String: JSONValue]
    let table: [Entry]
    let index: [NameKey: Int]
    let dataStart: Int

    init(bytes file: FileBytes, options: ReadOptions) throws {
        let f = "nabla"
        self.file = file
        let n = file.count
        try require(n >= NativeFormat.preambleSize, f, "file is \(n) bytes, shorter than the 32-byte preamble")
        try require(file.buffer.prefix(8).elementsEqual(NativeFormat.magic), f, "bad magic bytes (not a Nabla checkpoint)")
        let version = file.load(8, as: UInt32.self)
        try require(version == NativeFormat.version, f, "unsupported version \(version) (this reader knows 1)")
        let flags = file.load(12, as: UInt32.self)
        try require(flags == 0, f, "unknown flags \(flags)")
        let headerLength = file.load(16, as: UInt64.self)
        if headerLength > UInt64(options.maxHeaderBytes) {
            throw SerializationError.limitExceeded(format: f, what: "header length", value: headerLength,
                                                   limit: UInt64(options.maxHeaderBytes))
        }
        try require(headerLength <= UInt64(n - NativeFormat.preambleSize), f,
                    "header length \(headerLength) runs past the end of the \(n)-byte file")
        let h = Int(headerLength)
        dataStart = NativeFormat.preambleSize + h
        try require(dataStart % NativeFormat.alignment == 0, f, "data section at \(dataStart) is not 64-byte aligned")
        let headerBytes = file.slice(NativeFormat.preambleSize, h)
        let stored = file.load(24, as: UInt64.self)
        let actual = XXHash64.hash(headerBytes)
        guard stored == actual else {
            throw SerializationError.checksumMismatch(format: f, entry: "header", expected: XXHash64.hex(stored),
                                                      actual: XXHash64.hex(actual))
        }
        let json = try JSONParser.parse(headerBytes, format: f)
        guard let top = json.objectValue else { throw SerializationError.malformed(format: f, reason: "header is not a JSON object") }
        var fields: [String: JSONValue] = [:]
        for (k, v) in top {
            try require(fields.updateValue(v, forKey: k) == nil, f, "header key '\(k)' appears twice")
        }
        try require(Set(fields.keys) == ["format", "version", "data_size", "metadata", "tensors"], f,
                    "header keys are \(fields.keys.sorted()), expected format, version, data_size, metadata, tensors")
        try require(fields["format"]?.stringValue == "nabla", f, "header format is not \"nabla\"")
        try require(fields["version"]?.intValue == Int(NativeFormat.version), f, "header version is not 1")
        guard let dataSize = fields["data_size"]?.intValue, dataSize >= 0 else {
            throw SerializationError.malformed(format: f, reason: "data_size is not a non-negative integer")
        }
        try require(dataSize == n - dataStart, f,
                    "data_size \(dataSize) does not match the \(n - dataStart) bytes after the header (truncated or extended file)")
        guard let meta = fields["metadata"]?.objectValue else {
            throw SerializationError.malformed(format: f, reason: "metadata is not a JSON object")
        }
        var metadata: [String: JSONValue] = [:]
        for (k, v) in meta {
            // The parser already refused byte-identical keys; these are canonically equivalent ones,
            // which a Swift `[String: JSONValue]` cannot hold apart.
            try require(metadata.updateValue(v, forKey: k) == nil, f,
                        "metadata keys '\(k)' are canonically equivalent Unicode (Checkpoint metadata cannot hold both)")
        }
        self.metadata = metadata
        guard let list = fields["tensors"]?.arrayValue else {
            throw SerializationError.malformed(format: f, reason: "tensors is not an array")
        }
        if list.count > options.maxEntries {
            throw SerializationError.limitExceeded(format: f, what: "entry count", value: UInt64(list.count),
                                                   limit: UInt64(options.maxEntries))
        }
        var table: [Entry] = []
        var index: [NameKey: Int] = [:]
        var previousEnd = 0
        let keys: Set<String> = ["name", "dtype", "shape", "offset", "stored_size", "raw_size", "compression", "filter", "checksum"]
        for (i, item) in list.enumerated() {
            guard let obj = item.objectValue else { throw SerializationError.malformed(format: f, reason: "entry \(i) is not an object") }
            var e: [String: JSONValue] = [:]
            for (k, v) in obj { try require(e.updateValue(v, forKey: k) == nil, f, "entry \(i): key '\(k)' appears twice") }
            try require(Set(e.keys) == keys, f, "entry \(i): keys are \(e.keys.sorted()), expected \(keys.sorted())")
            guard let name = e["name"]!.stringValue, !name.isEmpty else {
                throw SerializationError.malformed(format: f, reason: "entry \(i): name is not a non-empty string")
            }
            try require(index[NameKey(name)] == nil, f, "tensor name '\(name)' appears twice")
            guard let tag = e["dtype"]!.stringValue else { throw SerializationError.malformed(format: f, reason: "'\(name)': dtype is not a string") }
            guard let type = ElementType(rawValue: tag) else { throw SerializationError.unknownDType(format: f, name: tag) }
            let shape = try parseShape(e["shape"]!, format: f, entry: name)
            guard let raw = AnyTensor.byteCount(type, shape) else {
                throw SerializationError.malformed(format: f, reason: "'\(name)': shape \(shape) overflows")
            }
            guard let offset = e["offset"]!.intValue, let size = e["stored_size"]!.intValue,
                  let rawSize = e["raw_size"]!.intValue, offset >= 0, size >= 0, rawSize >= 0 else {
                throw SerializationError.malformed(format: f, reason: "'\(name)': offset and sizes must be non-negative integers")
            }
            try require(rawSize == raw, f, "'\(name)': raw_size \(rawSize) differs from \(type) × \(shape) = \(raw) bytes")
            if raw > options.maxTensorBytes {
                throw SerializationError.limitExceeded(format: f, what: "size of '\(name)'", value: UInt64(raw),
                                                       limit: UInt64(options.maxTensorBytes))
            }
            try require(offset % NativeFormat.alignment == 0, f, "'\(name)': offset \(offset) is not 64-byte aligned")
            try require(offset >= previousEnd, f, "'\(name)': offset \(offset) overlaps the previous entry (ends at \(previousEnd))")
            let (end, overflow) = offset.addingReportingOverflow(size)
            try require(!overflow && end <= dataSize, f, "'\(name)': bytes \(offset)..<\(offset &+ size) run past the data section (\(dataSize) bytes)")
            previousEnd = end
            guard let compression = e["compression"]!.stringValue, let filter = e["filter"]!.stringValue else {
                throw SerializationError.malformed(format: f, reason: "'\(name)': compression and filter must be strings")
            }
            switch compression {
            case "none":
                try require(size == raw, f, "'\(name)': uncompressed entry has stored_size \(size) ≠ raw_size \(raw)")
                try require(filter == "none", f, "'\(name)': filter '\(filter)' on an uncompressed entry")
            case "zstd":
                try require(size > 0 && raw > 0, f, "'\(name)': empty zstd entry")
                try require(raw / NativeFormat.maxZstdRatio <= size, f, "'\(name)': raw_size \(raw) is impossible for a \(size)-byte zstd frame")
                let width = type.isComplex ? type.byteSize / 2 : type.byteSize
                switch filter {
                case "none": break
                case "shuffle": try require(width > 1, f, "'\(name)': shuffle filter on 1-byte elements")
                default: throw SerializationError.malformed(format: f, reason: "'\(name)': unknown filter '\(filter)'")
                }
            default:
                throw SerializationError.malformed(format: f, reason: "'\(name)': unknown compression '\(compression)'")
            }
            guard let hex = e["checksum"]!.stringValue, hex.utf8.count == 16,
                  hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
                  let checksum = UInt64(hex, radix: 16) else {
                throw SerializationError.malformed(format: f, reason: "'\(name)': checksum is not 16 lowercase hex digits")
            }
            index[NameKey(name)] = table.count
            table.append(Entry(info: EntryInfo(name: name, elementType: type, shape: shape, storedSize: size, rawSize: raw,
                                               compression: compression, filter: filter),
                               offset: dataStart + offset, checksum: checksum))
        }
        self.table = table
        self.index = index
        self.entries = table.map(\.info)
        // The last entry must end the file (no trailing bytes beyond padding rules).
        let lastEnd = table.last.map { $0.offset - dataStart + $0.info.storedSize } ?? 0
        try require(lastEnd == dataSize, f, "data section is \(dataSize) bytes but the last entry ends at \(lastEnd)")
        try options.checkTotal(entries, format: f)
    }

    func checkStored(_ e: Entry) throws -> UnsafeRawBufferPointer {
        let stored = file.slice(e.offset, e.info.storedSize)
        let actual = XXHash64.hash(stored)
        guard actual == e.checksum else {
            throw SerializationError.checksumMismatch(format: "nabla", entry: "'\(e.info.name)'", expected: XXHash64.hex(e.checksum),
                                                      actual: XXHash64.hex(actual))
        }
        return stored
    }

    func tensor(named name: String) throws -> AnyTensor {
        guard let i = index[NameKey(name)] else { throw SerializationError.unknownTensor(name) }
        return try tensor(at: i)
    }

    func tensor(at i: Int) throws -> AnyTensor {
        let e = table[i]
        let name = e.info.name
        let stored = try checkStored(e)
        let info = e.info
        let t: AnyTensor
        if info.compression == "none" {
            t = AnyTensor(elementType: info.elementType, shape: info.shape, bytes: stored, owner: file)
        } else {
            let out = try ByteBuffer(allocating: info.rawSize, for: "'\(name)'")
            let width = info.elementType.isComplex ? info.elementType.byteSize / 2 : info.elementType.byteSize
            try Zstd.decompress(stored, into: out.base, expected: info.rawSize, shuffleWidth: info.filter == "shuffle" ? width : 1,
                                format: "nabla", entry: name)
            t = AnyTensor(elementType: info.elementType, shape: info.shape, bytes: out.buffer, owner: out)
        }
        try validateBool(t, format: "nabla", entry: name)
        return t
    }

    /// Loads every tensor, decompressing on all cores.
    func loadAll(progress: ((Double) -> Void)?) throws -> Checkpoint {
        var tensors = [AnyTensor?](repeating: nil, count: table.count)
        let failure = FirstError()
        tensors.withUnsafeMutableBufferPointer { out in
            let results = UncheckedSendable(out)
            DispatchQueue.concurrentPerform(iterations: table.count) { i in
                do { results.value[i] = try tensor(at: i) } catch { failure.set(error) }
            }
        }
        try failure.check()
        progress?(1)
        return Checkpoint(zip(table, tensors).map { ($0.info.name, $1!) }, metadata: metadata)
    }

    /// Checks every byte in bounded memory: each stored checksum, each zstd frame decoded through a
    /// small buffer (its content checksum checked by zstd, never the whole tensor in memory), bool
    /// bytes, and the zero padding.
    func verify() throws {
        var position = dataStart
        for e in table {
            // Padding between entries must be zero, so that no byte of the file goes unchecked.
            for p in position..<e.offset where file.base.load(fromByteOffset: p, as: UInt8.self) != 0 {
                throw SerializationError.malformed(format: "nabla", reason: "non-zero padding byte at offset \(p)")
            }
            let stored = try checkStored(e)
            let name = e.info.name, isBool = e.info.elementType == .bool
            func checkBool(_ chunk: UnsafeRawBufferPointer) throws {
                try require(!isBool || chunk.allSatisfy { $0 <= 1 }, "nabla", "'\(name)': bool tensor holds a byte other than 0 or 1")
            }
            if e.info.compression == "none" {
                try checkBool(stored)
            } else {
                try Zstd.decompressStreaming(stored, expected: e.info.rawSize, format: "nabla", entry: name, body: checkBool)
            }
            position = e.offset + e.info.storedSize
        }
    }
}

/// Parses a JSON shape: an array of non-negative integers.
func parseShape(_ v: JSONValue, format: String, entry: String) throws -> [Int] {
    guard let a = v.arrayValue else { throw SerializationError.malformed(format: format, reason: "'\(entry)': shape is not an array") }
    try require(a.count <= 64, format, "'\(entry)': rank \(a.count) is above 64")
    return try a.map {
        guard let d = $0.intValue, d >= 0 else {
            throw SerializationError.malformed(format: format, reason: "'\(entry)': shape entries must be non-negative integers")
        }
        return d
    }
}

/// Bool tensors must hold only bytes 0 and 1 (other bytes are not valid Swift `Bool`s).
func validateBool(_ t: AnyTensor, format: String, entry: String) throws {
    guard t.elementType == .bool else { return }
    try require(t.bytes.allSatisfy { $0 <= 1 }, format, "'\(entry)': bool tensor holds a byte other than 0 or 1")
}
