/// Reading and writing checkpoint files by path.
extension Checkpoint {
    /// Loads every tensor and the metadata of the file at `path`.
    /// - Parameters:
    ///   - path: the file to read.
    ///   - format: a registered format name; by default chosen from the file extension.
    ///   - registry: where formats are looked up.
    ///   - options: limits against hostile files, and whether to map or copy the file.
    /// - Throws: ``SerializationError/inFile(path:_:)`` wrapping what is wrong.
    public init(contentsOf path: String, format: String? = nil, registry: FormatRegistry = .shared,
                options: ReadOptions = ReadOptions()) throws {
        let reader = try CheckpointFile.open(path, format: format, registry: registry, options: options, populate: true)
        self = try CheckpointFile.wrap(path) { try reader.loadAll() }
    }

    /// Writes the checkpoint to `path` atomically (temporary file, fsync, rename, directory fsync).
    /// - Parameters:
    ///   - path: the file to write (replaced atomically if it exists).
    ///   - format: a registered format name; by default chosen from the file extension.
    ///   - registry: where formats are looked up.
    ///   - options: compression and precision choices of the format.
    /// - Throws: ``SerializationError/inFile(path:_:)`` wrapping what is wrong; `path` is then untouched.
    public func save(to path: String, format: String? = nil, registry: FormatRegistry = .shared,
                     options: WriteOptions = WriteOptions()) throws {
        try CheckpointFile.wrap(path) {
            let f = try format.map { try registry.format(named: $0) } ?? registry.format(forPath: path)
            try AtomicFile.write(to: path) { sink in try f.write(self, to: sink, options: options) }
        }
    }

    /// The bytes of this checkpoint in `format` (in memory; for tests and small files).
    public func encoded(format: String, registry: FormatRegistry = .shared,
                        options: WriteOptions = WriteOptions()) throws -> [UInt8] {
        let sink = MemorySink()
        try registry.format(named: format).write(self, to: sink, options: options)
        return sink.bytes
    }

    /// Decodes a checkpoint from in-memory bytes.
    public init(decoding bytes: [UInt8], format: String, registry: FormatRegistry = .shared,
                options: ReadOptions = ReadOptions()) throws {
        self = try registry.format(named: format).open(FileBytes(bytes), options: options).loadAll()
    }
}

/// Opening checkpoint files for lazy, per-tensor reading.
public enum CheckpointFile {
    /// Maps the file at `path` (reads it, with ``ReadOptions/memoryMap`` off) and validates its
    /// layout; tensors load on demand. Only regular files are opened (a FIFO is refused, not waited on).
    /// - Parameters:
    ///   - path: the file to open.
    ///   - format: a registered format name; by default chosen from the file extension.
    ///   - registry: where formats are looked up.
    ///   - options: limits against hostile files, and whether to map or copy the file.
    ///   - populate: read the whole file into memory up front (when every tensor will be loaded).
    /// - Throws: ``SerializationError/inFile(path:_:)``.
    public static func open(_ path: String, format: String? = nil, registry: FormatRegistry = .shared,
                            options: ReadOptions = ReadOptions(), populate: Bool = false) throws -> any CheckpointReader {
        try wrap(path) {
            let f = try format.map { try registry.format(named: $0) } ?? registry.format(forPath: path)
            let bytes = try FileBytes(contentsOfFile: path, populate: populate, memoryMap: options.memoryMap)
            return PathReader(path: path, base: try f.open(bytes, options: options))
        }
    }

    /// Runs `body`, attaching `path` to any ``SerializationError`` it throws (as ``SerializationError/inFile(path:_:)``).
    public static func wrap<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SerializationError {
            if case .inFile = e { throw e }
            if case let .io(p, _) = e, p == path { throw e }
            if case let .fileTooLarge(p) = e, p == path { throw e }
            throw SerializationError.inFile(path: path, e)
        }
    }
}

/// A reader whose errors name the file.
struct PathReader: CheckpointReader {
    let path: String
    let base: any CheckpointReader
    var formatName: String { base.formatName }
    var entries: [EntryInfo] { base.entries }
    var metadata: [String: JSONValue] { base.metadata }
    func tensor(named name: String) throws -> AnyTensor { try CheckpointFile.wrap(path) { try base.tensor(named: name) } }
    func verify() throws { try CheckpointFile.wrap(path) { try base.verify() } }
    func loadAll(progress: ((Double) -> Void)?) throws -> Checkpoint {
        try CheckpointFile.wrap(path) { try base.loadAll(progress: progress) }
    }
}
