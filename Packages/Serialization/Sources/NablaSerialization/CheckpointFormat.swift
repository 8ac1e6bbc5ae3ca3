/// A checkpoint file format: the extension point behind ``FormatRegistry``.
///
/// A format opens a file's bytes into a ``CheckpointReader`` (validating the whole layout first,
/// without reading tensor data) and writes a ``Checkpoint`` to a ``ByteSink``. Built-in formats are
/// listed in `Builtins.swift`; third-party formats call ``FormatRegistry/register(_:)``.
public protocol CheckpointFormat: Sendable {
    /// The name used with `--format` and in errors, e.g. `"nabla"`, `"safetensors"`.
    var name: String { get }
    /// File extensions without the dot, lowercase, e.g. `["safetensors"]`.
    var fileExtensions: [String] { get }
    /// Parses and validates the layout of `bytes`.
    /// - Throws: ``SerializationError`` for any malformed or hostile content.
    func open(_ bytes: FileBytes, options: ReadOptions) throws -> any CheckpointReader
    /// Writes `checkpoint`.
    /// - Throws: ``SerializationError/unsupportedDType(format:dtype:)`` when the format cannot hold a
    ///   dtype, or the sink's I/O errors.
    func write(_ checkpoint: Checkpoint, to sink: any ByteSink, options: WriteOptions) throws
    /// Writes the tensors of `stream`, ideally one at a time so that memory stays bounded. The
    /// default loads the whole stream into a ``Checkpoint`` and writes that.
    /// - Throws: as ``write(_:to:options:)-(Checkpoint,_,_)``, and what loading a tensor throws.
    func write(_ stream: TensorStream, to sink: any ByteSink, options: WriteOptions) throws
}

extension CheckpointFormat {
    /// Loads the whole stream into a ``Checkpoint`` and writes that (formats that can write tensor
    /// by tensor implement this requirement themselves).
    public func write(_ stream: TensorStream, to sink: any ByteSink, options: WriteOptions) throws {
        try write(stream.loadAll(), to: sink, options: options)
    }
}

/// One entry of a checkpoint as listed in its header, before its data is read.
public struct EntryInfo: Sendable, Equatable {
    /// The tensor name.
    public var name: String
    /// The element type.
    public var elementType: ElementType
    /// The shape.
    public var shape: [Int]
    /// Bytes the entry occupies in the file.
    public var storedSize: Int
    /// Bytes of the elements when loaded (`count × element size`).
    public var rawSize: Int
    /// How the bytes are stored: `"none"`, `"zstd"`, `"deflate"`.
    public var compression: String
    /// The filter applied before compression: `"none"` or `"shuffle"`.
    public var filter: String

    /// The number of elements.
    public var count: Int { rawSize / max(1, elementType.byteSize) }
}

/// An opened checkpoint file: its entries and metadata, and tensors loaded on demand.
public protocol CheckpointReader {
    /// The format's name.
    var formatName: String { get }
    /// The entries in file order.
    var entries: [EntryInfo] { get }
    /// The metadata.
    var metadata: [String: JSONValue] { get }
    /// Loads one tensor, verifying its checksum when the format has one.
    /// - Throws: ``SerializationError/unknownTensor(_:)``, checksum or decoding errors.
    func tensor(named name: String) throws -> AnyTensor
    /// Checks every checksum and every byte of the file that the format constrains.
    /// - Throws: the first problem found.
    func verify() throws
    /// Loads every tensor (checking each as ``tensor(named:)`` does) into a ``Checkpoint``,
    /// reporting progress in `0...1`. The default loads them one after another.
    func loadAll(progress: ((Double) -> Void)?) throws -> Checkpoint
}

extension CheckpointReader {
    /// Loads every tensor into a ``Checkpoint``.
    public func loadAll() throws -> Checkpoint { try loadAll(progress: nil) }

    /// Loads every tensor into a ``Checkpoint``, one after another.
    public func loadAll(progress: ((Double) -> Void)?) throws -> Checkpoint {
        var ckpt = Checkpoint()
        ckpt.metadata = metadata
        let total = max(1, entries.reduce(0) { $0 + $1.storedSize })
        var done = 0
        for e in entries {
            ckpt[e.name] = try tensor(named: e.name)
            done += e.storedSize
            progress?(Double(done) / Double(total))
        }
        return ckpt
    }

    /// Default `verify`: load every tensor (which checks what the format can check).
    public func verifyByLoading() throws {
        for e in entries { _ = try tensor(named: e.name) }
    }
}

/// Limits that protect readers from hostile files.
public struct ReadOptions: Sendable {
    /// The largest header accepted, in bytes (safetensors' reference limit is 100 MB).
    public var maxHeaderBytes: Int = 100_000_000
    /// The largest tensor (decoded) accepted, in bytes. Defaults to the machine's physical memory.
    public var maxTensorBytes: Int = Int(clamping: ProcessInfoLite.physicalMemory)
    /// The largest number of entries accepted.
    public var maxEntries: Int = 1_000_000
    /// The largest total of decoded bytes (the sum of every tensor's raw size) accepted when a file
    /// is opened; `nil` (the default) sets no limit beyond ``maxTensorBytes`` per tensor. Set it to
    /// refuse files whose tensors together would not fit in the memory you can give them.
    public var maxTotalBytes: Int? = nil
    /// Whether files are memory-mapped (the default: uncompressed tensors are used without a copy).
    /// With `false` the file is read into memory instead: slower and uses memory for the whole file,
    /// but another process truncating the file while it is in use cannot crash this one with
    /// `SIGBUS`, which it can with a mapping.
    public var memoryMap: Bool = true
    /// Creates the default limits.
    public init() {}
    /// Creates limits with `maxTotalBytes` and `memoryMap` set (other limits default).
    public init(maxTotalBytes: Int?, memoryMap: Bool = true) {
        self.maxTotalBytes = maxTotalBytes
        self.memoryMap = memoryMap
    }

    /// Throws ``SerializationError/limitExceeded(format:what:value:limit:)`` when the raw sizes of
    /// `entries` add up to more than ``maxTotalBytes`` (the sum is overflow-checked).
    func checkTotal(_ entries: [EntryInfo], format: String) throws {
        guard let limit = maxTotalBytes else { return }
        var total = 0
        for e in entries {
            let (sum, overflow) = total.addingReportingOverflow(e.rawSize)
            if overflow || sum > limit {
                throw SerializationError.limitExceeded(format: format, what: "total decoded size",
                                                       value: overflow ? .max : UInt64(sum), limit: UInt64(max(limit, 0)))
            }
            total = sum
        }
    }
}

/// How to write a checkpoint.
public struct WriteOptions: Sendable {
    /// The zstd level (1…19; negative levels are faster). Default 1: on float weights it is both
    /// faster and smaller than 3 (docs/performance.md, Serialization).
    public var compressionLevel: Int = 1
    /// Whether to compress at all (native format; `.npz` uses deflate when true).
    public var compress: Bool = true
    /// Whether the native format may apply the byte-shuffle filter to floating-point tensors.
    public var shuffle: Bool = true
    /// Tensors stored uncompressed even when `compress` is set (native format), e.g. large embeddings
    /// that should be used straight from the memory-mapped file.
    public var uncompressed: Set<String> = []
    /// Reports progress in `0...1` while writing large files.
    public var progress: (@Sendable (Double) -> Void)? = nil
    /// Creates the defaults.
    public init(compressionLevel: Int = 1, compress: Bool = true, shuffle: Bool = true,
                progress: (@Sendable (Double) -> Void)? = nil) {
        self.compressionLevel = compressionLevel
        self.compress = compress
        self.shuffle = shuffle
        self.progress = progress
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum ProcessInfoLite {
    static var physicalMemory: UInt64 {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0 && size > 0 { return UInt64(pages) * UInt64(size) }
        return 1 << 34
    }
}
