/// Tensors to write, described up front (name, dtype, shape) and loaded one at a time, so that a
/// writer can hold a single tensor in memory: what `nabla convert` uses to convert a checkpoint
/// larger than memory (read one tensor, convert it, write it, drop it).
///
/// ```swift
/// let reader = try CheckpointFile.open("big.safetensors")
/// try TensorStream(reader, floatingPointTo: .bfloat16).save(to: "big.nabla")
/// ```
///
/// Every built-in format writes a stream tensor by tensor; a third-party ``CheckpointFormat`` that
/// does not implement ``CheckpointFormat/write(_:to:options:)-(TensorStream,_,_)`` gets the whole
/// stream loaded into a ``Checkpoint`` first.
public struct TensorStream {
    /// What the header of a file needs to know about a tensor before its bytes are written.
    public struct Entry: Sendable, Equatable {
        /// The tensor name.
        public var name: String
        /// The element type the loaded tensor has.
        public var elementType: ElementType
        /// The shape the loaded tensor has.
        public var shape: [Int]
        /// Creates an entry.
        public init(name: String, elementType: ElementType, shape: [Int]) {
            self.name = name
            self.elementType = elementType
            self.shape = shape
        }
    }

    /// The tensors, in the order they are written.
    public var entries: [Entry]
    /// The checkpoint metadata.
    public var metadata: [String: JSONValue]
    private let load: (Int) throws -> AnyTensor
    /// The tensors, when they are all in memory already (a stream made from a ``Checkpoint``):
    /// writers may then work on several at once.
    let inMemory: [AnyTensor]?

    /// A stream whose tensor `i` is `load(i)`, which must have the dtype and shape of `entries[i]`.
    public init(entries: [Entry], metadata: [String: JSONValue] = [:], load: @escaping (Int) throws -> AnyTensor) {
        self.entries = entries
        self.metadata = metadata
        self.load = load
        self.inMemory = nil
    }

    /// The tensors of `checkpoint`, already in memory.
    public init(_ checkpoint: Checkpoint) {
        let tensors = checkpoint.tensors
        entries = tensors.map { Entry(name: $0.name, elementType: $0.tensor.elementType, shape: $0.tensor.shape) }
        metadata = checkpoint.metadata
        let all = tensors.map(\.tensor)
        inMemory = all
        load = { all[$0] }
    }

    /// The tensors of an opened file, loaded (and checked) one at a time, every floating-point tensor
    /// converted to `target` if it is given (integer and bool tensors are kept).
    /// - Parameters:
    ///   - reader: the opened file.
    ///   - target: the element type floating-point tensors are converted to; `nil` keeps each as stored.
    ///   - casting: how the conversion may change values (see ``CastingPolicy``); a failed
    ///     conversion is thrown as ``SerializationError/inTensor(name:_:)`` naming the tensor.
    public init(_ reader: any CheckpointReader, floatingPointTo target: ElementType? = nil,
                casting: CastingPolicy = .allowRounding) {
        let infos = reader.entries
        entries = infos.map { e in
            Entry(name: e.name, elementType: target != nil && e.elementType.isFloatingPoint ? target! : e.elementType,
                  shape: e.shape)
        }
        metadata = reader.metadata
        inMemory = nil
        load = { i in
            let name = infos[i].name
            let t = try reader.tensor(named: name)
            guard let target, t.elementType.isFloatingPoint else { return t }
            do { return try t.converted(to: target, casting: casting) } catch let e as SerializationError {
                throw SerializationError.inTensor(name: name, e)
            }
        }
    }

    /// Loads tensor `i`.
    /// - Throws: what loading throws, or ``SerializationError/inTensor(name:_:)`` when the tensor's
    ///   dtype or shape is not the one its entry announced.
    public func tensor(at i: Int) throws -> AnyTensor {
        let t = try load(i)
        let e = entries[i]
        guard t.elementType == e.elementType && t.shape == e.shape else {
            throw SerializationError.inTensor(name: e.name, .malformed(
                format: "stream", reason: "loaded as \(t.elementType) \(t.shape), announced as \(e.elementType) \(e.shape)"))
        }
        return t
    }

    /// Loads every tensor into a ``Checkpoint``.
    public func loadAll() throws -> Checkpoint {
        var c = Checkpoint()
        for i in entries.indices { c[entries[i].name] = try tensor(at: i) }
        c.metadata = metadata
        return c
    }

    /// Writes the stream to `path` atomically (as ``Checkpoint/save(to:format:registry:options:)``),
    /// holding one tensor at a time in memory (plus what the format's writer buffers).
    /// - Throws: ``SerializationError/inFile(path:_:)`` wrapping what is wrong; `path` is then untouched.
    public func save(to path: String, format: String? = nil, registry: FormatRegistry = .shared,
                     options: WriteOptions = WriteOptions()) throws {
        try CheckpointFile.wrap(path) {
            let f = try format.map { try registry.format(named: $0) } ?? registry.format(forPath: path)
            try AtomicFile.write(to: path) { sink in try f.write(self, to: sink, options: options) }
        }
    }
}

/// Refuses an empty tensor name, which no reader of `format` accepts back.
func requireNamesReadable(_ entries: [TensorStream.Entry], format: String) throws {
    if let e = entries.first(where: { $0.name.isEmpty }) {
        throw SerializationError.invalidName(format: format, name: e.name, reason: "names must not be empty")
    }
}
