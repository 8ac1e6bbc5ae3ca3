/// Hugging Face safetensors (`.safetensors`), following the reference implementation's rules.
///
/// Layout: an 8-byte little-endian header length `N`, `N` bytes of JSON, then the data. The header
/// maps each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative
/// to the data) and may hold `"__metadata__"`, an object of string to string.
///
/// The reader enforces: `N` ≤ 100 MB (``ReadOptions/maxHeaderBytes``) and within the file; the
/// header is a JSON object; `__metadata__` maps strings to strings; no name appears twice; sorted by
/// offset, the entries tile the data from 0 to its end with no gap or overlap; each entry's size is
/// the product of its shape times the dtype width (overflow-checked). Empty and rank-0 tensors are
/// valid; data need not be aligned. The writer pads the header with spaces to a multiple of 8 bytes
/// (so tensors start 8-byte aligned) and writes non-string metadata values as JSON text, listing
/// their keys under the extra metadata key ``jsonKeysKey`` so that Nabla's reader decodes them back
/// to the same JSON values (other readers see the JSON text). The writer refuses a tensor named
/// `__metadata__` (no reader could load it back).
/// complex128 is not in the safetensors spec: the writer refuses it (the reader accepts `C128`).
/// The sub-byte types `F4`, `F6_E2M3`, `F6_E3M2` are not supported (thrown as unknown dtypes).
public struct SafetensorsFormat: CheckpointFormat {
    /// The registry name, also used in error messages.
    public let name = "safetensors"
    /// The file extensions this format is chosen for.
    public let fileExtensions = ["safetensors"]
    /// The `__metadata__` key that lists (as a JSON array in a string) the metadata keys whose values
    /// are JSON text standing for a non-string value: `{"step": "7", "__nabla_json_keys__": "[\"step\"]"}`
    /// reads back as `step: 7`. Reserved: a checkpoint's own metadata must not use it.
    public static let jsonKeysKey = "__nabla_json_keys__"

    /// Creates the value.
    public init() {}

    /// Writes `checkpoint` with the layout described above.
    public func write(_ checkpoint: Checkpoint, to sink: any ByteSink, options: WriteOptions) throws {
        try write(TensorStream(checkpoint), to: sink, options: options)
    }

    /// Writes the tensors of `stream` one at a time (each is loaded, written and released).
    public func write(_ stream: TensorStream, to sink: any ByteSink, options: WriteOptions) throws {
        // The safetensors spec has C64 but no C128 (the reference reader rejects it).
        if let e = stream.entries.first(where: { $0.elementType == .complex128 }) {
            throw SerializationError.inTensor(name: e.name,
                                              .unsupportedDType(format: "safetensors", dtype: e.elementType.description))
        }
        if let e = stream.entries.first(where: { $0.name == "__metadata__" }) {
            throw SerializationError.invalidName(format: "safetensors", name: e.name,
                                                 reason: "the header key __metadata__ is reserved for metadata")
        }
        var members: [(String, JSONValue)] = []
        if !stream.metadata.isEmpty {
            guard stream.metadata[SafetensorsFormat.jsonKeysKey] == nil else {
                throw SerializationError.malformed(format: "safetensors",
                                                   reason: "metadata key \(SafetensorsFormat.jsonKeysKey) is reserved")
            }
            var jsonKeys: [JSONValue] = []
            var meta = stream.metadata.sorted { $0.key < $1.key }.map { (k, v) -> (String, JSONValue) in
                if let text = v.stringValue { return (k, .string(text)) }
                jsonKeys.append(.string(k))
                return (k, .string(v.description))
            }
            if !jsonKeys.isEmpty { meta.append((SafetensorsFormat.jsonKeysKey, .string(JSONValue.array(jsonKeys).description))) }
            members.append(("__metadata__", .object(meta)))
        }
        var offset = 0
        for e in stream.entries {
            guard let size = AnyTensor.byteCount(e.elementType, e.shape) else {
                throw SerializationError.inTensor(name: e.name, .malformed(format: "safetensors", reason: "shape \(e.shape) overflows"))
            }
            members.append((e.name, .object([
                ("dtype", .string(e.elementType.rawValue)),
                ("shape", .array(e.shape.map { .int($0) })),
                ("data_offsets", .array([.int(offset), .int(offset + size)])),
            ])))
            offset += size
        }
        var header = Array(JSONValue.object(members).description.utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        try sink.writeLE(UInt64(header.count))
        try sink.write(header)
        let total = max(1, offset)
        var done = 0
        for i in stream.entries.indices {
            let t = try stream.tensor(at: i)
            try t.withUnsafeBytes { try sink.write($0) }
            done += t.bytes.count
            options.progress?(Double(done) / Double(total))
        }
    }

    /// Parses and validates the layout described above; tensor data is read on demand.
    public func open(_ bytes: FileBytes, options: ReadOptions) throws -> any CheckpointReader {
        try SafetensorsReader(file: bytes, options: options)
    }
}

struct SafetensorsReader: CheckpointReader {
    let file: FileBytes
    let formatName = "safetensors"
    let entries: [EntryInfo]
    let metadata: [String: JSONValue]
    let offsets: [Int]   // absolute
    let index: [NameKey: Int]

    init(file: FileBytes, options: ReadOptions) throws {
        let f = "safetensors"
        self.file = file
        let n = file.count
        try require(n >= 8, f, "file is \(n) bytes, too short for the 8-byte header length")
        let length = file.load(0, as: UInt64.self)
        if length > UInt64(options.maxHeaderBytes) {
            throw SerializationError.limitExceeded(format: f, what: "header length", value: length,
                                                   limit: UInt64(options.maxHeaderBytes))
        }
        try require(length <= UInt64(n - 8), f, "header length \(length) runs past the end of the \(n)-byte file")
        let h = Int(length)
        let dataStart = 8 + h
        let headerBytes = file.slice(8, h)
        try require(h > 0 && headerBytes[0] == UInt8(ascii: "{"), f, "header does not start with '{'")
        guard let top = try JSONParser.parse(headerBytes, format: f).objectValue else {
            throw SerializationError.malformed(format: f, reason: "header is not a JSON object")
        }
        if top.count > options.maxEntries + 1 {
            throw SerializationError.limitExceeded(format: f, what: "entry count", value: UInt64(top.count),
                                                   limit: UInt64(options.maxEntries))
        }
        var metadata: [String: JSONValue] = [:]
        var raw: [(info: EntryInfo, begin: Int, end: Int)] = []
        // The JSON parser refuses a key whose bytes appear twice; names that are canonically
        // equivalent but different bytes ("é" two ways) are different tensors, as in the reference.
        for (name, value) in top {
            if name == "__metadata__" {
                guard let m = value.objectValue else { throw SerializationError.malformed(format: f, reason: "__metadata__ is not an object") }
                for (k, v) in m {
                    guard v.stringValue != nil else {
                        throw SerializationError.malformed(format: f, reason: "__metadata__['\(k)'] is not a string")
                    }
                    try require(metadata.updateValue(v, forKey: k) == nil, f,
                                "__metadata__ keys '\(k)' are canonically equivalent Unicode (Checkpoint metadata cannot hold both)")
                }
                SafetensorsReader.decodeJSONValues(&metadata)
                continue
            }
            guard let obj = value.objectValue else { throw SerializationError.malformed(format: f, reason: "'\(name)' is not an object") }
            var fields: [String: JSONValue] = [:]
            for (k, v) in obj { try require(fields.updateValue(v, forKey: k) == nil, f, "'\(name)': key '\(k)' appears twice") }
            try require(Set(fields.keys) == ["dtype", "shape", "data_offsets"], f,
                        "'\(name)': keys are \(fields.keys.sorted()), expected data_offsets, dtype, shape")
            guard let tag = fields["dtype"]!.stringValue else { throw SerializationError.malformed(format: f, reason: "'\(name)': dtype is not a string") }
            guard let type = ElementType(rawValue: tag) else { throw SerializationError.unknownDType(format: f, name: tag) }
            let shape = try parseShape(fields["shape"]!, format: f, entry: name)
            guard let o = fields["data_offsets"]!.arrayValue, o.count == 2, let begin = o[0].intValue, let end = o[1].intValue,
                  begin >= 0, end >= begin else {
                throw SerializationError.malformed(format: f, reason: "'\(name)': data_offsets must be [begin, end] with 0 ≤ begin ≤ end")
            }
            guard let size = AnyTensor.byteCount(type, shape) else {
                throw SerializationError.malformed(format: f, reason: "'\(name)': shape \(shape) overflows")
            }
            try require(size == end - begin, f, "'\(name)': \(type) × \(shape) is \(size) bytes but data_offsets span \(end - begin)")
            raw.append((EntryInfo(name: name, elementType: type, shape: shape, storedSize: size, rawSize: size,
                                  compression: "none", filter: "none"), begin, end))
        }
        raw.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var position = 0
        for r in raw {
            try require(r.begin == position, f,
                        "'\(r.info.name)' starts at data offset \(r.begin), expected \(position) (entries must be contiguous)")
            position = r.end
        }
        try require(position == n - dataStart, f,
                    "tensors cover \(position) data bytes but the file has \(n - dataStart) after the header")
        self.metadata = metadata
        self.entries = raw.map(\.info)
        self.offsets = raw.map { dataStart + $0.begin }
        var index: [NameKey: Int] = [:]
        for (i, r) in raw.enumerated() { index[NameKey(r.info.name)] = i }
        self.index = index
        try options.checkTotal(entries, format: f)
    }

    /// Replaces the values of the keys listed under ``SafetensorsFormat/jsonKeysKey`` by the JSON
    /// they hold, and removes that key (values that do not parse stay strings).
    static func decodeJSONValues(_ metadata: inout [String: JSONValue]) {
        guard let list = metadata[SafetensorsFormat.jsonKeysKey]?.stringValue,
              let keys = (try? parseJSON(list))?.arrayValue else { return }
        metadata[SafetensorsFormat.jsonKeysKey] = nil
        for k in keys {
            guard let key = k.stringValue, let text = metadata[key]?.stringValue, let value = try? parseJSON(text) else { continue }
            metadata[key] = value
        }
    }

    static func parseJSON(_ text: String) throws -> JSONValue {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { try JSONParser.parse($0, format: "safetensors") }
    }

    func tensor(named name: String) throws -> AnyTensor {
        guard let i = index[NameKey(name)] else { throw SerializationError.unknownTensor(name) }
        let e = entries[i]
        let t = AnyTensor(elementType: e.elementType, shape: e.shape, bytes: file.slice(offsets[i], e.rawSize), owner: file)
        try validateBool(t, format: formatName, entry: name)
        return t
    }

    /// safetensors has no checksums: verification re-checks the layout (done when opening) and the
    /// bool bytes.
    func verify() throws { try verifyByLoading() }
}
