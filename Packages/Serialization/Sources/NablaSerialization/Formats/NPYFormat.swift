/// NumPy's `.npy` format (versions 1.0, 2.0 and 3.0): one array per file.
///
/// Layout: `\x93NUMPY`, major and minor version bytes, the header length (2 bytes little-endian in
/// 1.0, 4 bytes in 2.0/3.0), then a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` (Latin-1 in 1.0/2.0, UTF-8 in 3.0),
/// then the data. The reader accepts both byte orders (big-endian data is swapped on load) and
/// Fortran order (transposed to row-major on load). The single tensor is named `"array"`.
///
/// dtype codes: `b1` bool, `i1…i8`, `u1…u8`, `f2 f4 f8`, `c8 c16`; NumPy has no bfloat16, so Nabla
/// writes it as the 2-byte void type `V2` (NumPy loads raw 2-byte records) and reads `V2` back as
/// bfloat16. float8 cannot be written. The writer emits version 1.0 (2.0 for headers ≥ 64 KiB),
/// little-endian, C order, header padded with spaces and `\n` so the data starts 64-byte aligned.
public struct NPYFormat: CheckpointFormat {
    /// The registry name, also used in error messages.
    public let name = "npy"
    /// The file extensions this format is chosen for.
    public let fileExtensions = ["npy"]
    /// The name of the one tensor a `.npy` file holds.
    public static let arrayName = "array"
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    /// Creates the value.
    public init() {}

    /// Writes `checkpoint` with the layout described above.
    public func write(_ checkpoint: Checkpoint, to sink: any ByteSink, options: WriteOptions) throws {
        try write(TensorStream(checkpoint), to: sink, options: options)
    }

    /// Writes the one tensor of `stream`.
    public func write(_ stream: TensorStream, to sink: any ByteSink, options: WriteOptions) throws {
        guard stream.entries.count == 1 else {
            throw SerializationError.malformed(format: "npy", reason: "a .npy file holds exactly one tensor, got \(stream.entries.count) (use .npz)")
        }
        do { _ = try NPYFormat.descriptor(stream.entries[0].elementType) } catch let e as SerializationError {
            throw SerializationError.inTensor(name: stream.entries[0].name, e)
        }
        try NPYFormat.writeArray(try stream.tensor(at: 0), to: sink)
    }

    /// Writes one array as a complete `.npy` file.
    static func writeArray(_ t: AnyTensor, to sink: any ByteSink) throws {
        let descr = try descriptor(t.elementType)
        let shape = t.shape.count == 1 ? "(\(t.shape[0]),)" : "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        var header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }".utf8)
        var prefix = 10
        if header.count + 1 + prefix >= 65536 { prefix = 12 }
        header += [UInt8](repeating: 0x20, count: (64 - (prefix + header.count + 1) % 64) % 64)
        header.append(0x0A)
        try sink.write(magic)
        if prefix == 10 {
            try sink.write([1, 0])
            try sink.writeLE(UInt16(header.count))
        } else {
            try sink.write([2, 0])
            try sink.writeLE(UInt32(header.count))
        }
        try sink.write(header)
        try sink.write(t.bytes)
    }

    static func descriptor(_ type: ElementType) throws -> String {
        switch type {
        case .bool: return "|b1"
        case .uint8: return "|u1"
        case .int8: return "|i1"
        case .int16: return "<i2"
        case .uint16: return "<u2"
        case .int32: return "<i4"
        case .uint32: return "<u4"
        case .int64: return "<i8"
        case .uint64: return "<u8"
        case .float16: return "<f2"
        case .bfloat16: return "|V2"
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .complex64: return "<c8"
        case .complex128: return "<c16"
        case .float8E4M3, .float8E5M2, .float8E8M0, .float8E4M3FNUZ, .float8E5M2FNUZ:
            throw SerializationError.unsupportedDType(format: "npy", dtype: type.description)
        }
    }

    /// Parses and validates the layout described above; tensor data is read on demand.
    public func open(_ bytes: FileBytes, options: ReadOptions) throws -> any CheckpointReader {
        let a = try NPYArray(bytes.buffer, format: "npy", options: options)
        let reader = NPYReader(file: bytes, array: a)
        try options.checkTotal(reader.entries, format: "npy")
        return reader
    }
}

/// A parsed `.npy` header and where its data lies.
struct NPYArray {
    var type: ElementType
    var shape: [Int]
    var bigEndian: Bool
    var fortranOrder: Bool
    var dataOffset: Int
    var dataSize: Int

    /// Parses the header of `bytes` (a whole `.npy` file) and checks that the data fills the rest exactly.
    init(_ bytes: UnsafeRawBufferPointer, format f: String, options: ReadOptions, checkDataSize: Bool = true) throws {
        try require(bytes.count >= 10, f, "file is \(bytes.count) bytes, too short for a .npy header")
        try require(bytes.prefix(6).elementsEqual(NPYFormat.magic), f, "bad magic (not a .npy file)")
        let major = bytes[6], minor = bytes[7]
        try require((1...3).contains(major) && minor == 0, f, "unsupported .npy version \(major).\(minor)")
        let headerLength: Int, start: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        } else {
            try require(bytes.count >= 12, f, "file too short for a version \(major) header")
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            start = 12
        }
        if headerLength > options.maxHeaderBytes {
            throw SerializationError.limitExceeded(format: f, what: "header length", value: UInt64(headerLength),
                                                   limit: UInt64(options.maxHeaderBytes))
        }
        try require(headerLength <= bytes.count - start, f, "header length \(headerLength) runs past the end of the file")
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + headerLength)])
        let dict = try PyLiteralParser.parseDict(text, utf8: major == 3, format: f)
        try require(Set(dict.keys) == ["descr", "fortran_order", "shape"], f,
                    "header keys are \(dict.keys.sorted()), expected descr, fortran_order, shape")
        guard case let .string(descr)? = dict["descr"] else {
            throw SerializationError.unsupportedDType(format: f, dtype: "structured dtype (descr is not a string)")
        }
        guard case let .bool(fortran)? = dict["fortran_order"] else {
            throw SerializationError.malformed(format: f, reason: "fortran_order is not True or False")
        }
        guard case let .tuple(dims)? = dict["shape"] else { throw SerializationError.malformed(format: f, reason: "shape is not a tuple") }
        try require(dims.count <= 64, f, "rank \(dims.count) is above 64")
        shape = try dims.map {
            guard case let .int(d) = $0, d >= 0 else { throw SerializationError.malformed(format: f, reason: "shape entries must be non-negative integers") }
            return d
        }
        (type, bigEndian) = try NPYArray.parseDescr(descr, format: f)
        fortranOrder = fortran
        guard let size = AnyTensor.byteCount(type, shape) else {
            throw SerializationError.malformed(format: f, reason: "shape \(shape) overflows")
        }
        if size > options.maxTensorBytes {
            throw SerializationError.limitExceeded(format: f, what: "array size", value: UInt64(size), limit: UInt64(options.maxTensorBytes))
        }
        dataOffset = start + headerLength
        dataSize = size
        try require(!checkDataSize || bytes.count - dataOffset == size, f,
                    "\(type) × \(shape) needs \(size) data bytes, the file has \(bytes.count - dataOffset)")
    }

    static func parseDescr(_ d: String, format f: String) throws -> (ElementType, Bool) {
        let chars = Array(d.utf8)
        try require(chars.count >= 2, f, "dtype descr '\(d)' is too short")
        var order = chars[0], body = String(decoding: chars[1...], as: UTF8.self)
        if !"<>|=".utf8.contains(order) { order = UInt8(ascii: "|"); body = d }
        let type: ElementType
        switch body {
        case "b1", "?": type = .bool
        case "u1", "B": type = .uint8
        case "i1", "b": type = .int8
        case "i2", "h": type = .int16
        case "u2", "H": type = .uint16
        case "i4", "i": type = .int32
        case "u4", "I": type = .uint32
        case "i8", "q", "l": type = .int64
        case "u8", "Q", "L": type = .uint64
        case "f2", "e": type = .float16
        case "f4", "f": type = .float32
        case "f8", "d": type = .float64
        case "c8", "F": type = .complex64
        case "c16", "D": type = .complex128
        case "V2": type = .bfloat16
        default: throw SerializationError.unknownDType(format: f, name: d)
        }
        return (type, order == UInt8(ascii: ">") && type.byteSize > 1)
    }

    /// The array's elements as a row-major, little-endian tensor (copying only when the file's
    /// layout differs: big-endian data is swapped, Fortran order transposed).
    func load(from bytes: UnsafeRawBufferPointer, owner: AnyObject, format: String, entry: String) throws -> AnyTensor {
        let data = UnsafeRawBufferPointer(rebasing: bytes[dataOffset..<(dataOffset + dataSize)])
        var t: AnyTensor
        if !bigEndian && !fortranOrder {
            t = AnyTensor(elementType: type, shape: shape, bytes: data, owner: owner)
        } else {
            let out = try ByteBuffer(allocating: dataSize, for: "'\(entry)'")
            let w = type.byteSize
            if fortranOrder && shape.count > 1 {
                // Fortran data is the row-major array of the reversed shape; transpose it back.
                let rank = shape.count
                var fstrides = [Int](repeating: w, count: rank)   // byte stride of axis k in the file
                for k in 1..<rank { fstrides[k] = fstrides[k - 1] * shape[k - 1] }
                let count = Shape.count(shape)
                var idx = [Int](repeating: 0, count: rank)
                var src = 0
                for i in 0..<count {
                    (out.base + i * w).copyMemory(from: data.baseAddress! + src, byteCount: w)
                    var k = rank - 1
                    while k >= 0 {
                        idx[k] += 1
                        src += fstrides[k]
                        if idx[k] < shape[k] { break }
                        src -= fstrides[k] * shape[k]
                        idx[k] = 0
                        k -= 1
                    }
                }
            } else if dataSize > 0 {
                out.base.copyMemory(from: data.baseAddress!, byteCount: dataSize)
            }
            if bigEndian {
                let part = type.isComplex ? w / 2 : w
                let p = out.base.assumingMemoryBound(to: UInt8.self)
                var i = 0
                while i < dataSize {
                    var a = i, b = i + part - 1
                    while a < b { let x = p[a]; p[a] = p[b]; p[b] = x; a += 1; b -= 1 }
                    i += part
                }
            }
            t = AnyTensor(elementType: type, shape: shape, bytes: out.buffer, owner: out)
        }
        try validateBool(t, format: format, entry: entry)
        return t
    }
}

import NablaTensor

struct NPYReader: CheckpointReader {
    let file: FileBytes
    let array: NPYArray
    let formatName = "npy"
    var entries: [EntryInfo] {
        [EntryInfo(name: NPYFormat.arrayName, elementType: array.type, shape: array.shape, storedSize: array.dataSize,
                   rawSize: array.dataSize, compression: "none", filter: "none")]
    }
    var metadata: [String: JSONValue] { [:] }
    func tensor(named name: String) throws -> AnyTensor {
        guard name == NPYFormat.arrayName else { throw SerializationError.unknownTensor(name) }
        return try array.load(from: file.buffer, owner: file, format: "npy", entry: name)
    }
    func verify() throws { try verifyByLoading() }
}

/// The subset of Python literal syntax `.npy` headers use: a dict of string keys to strings,
/// `True`/`False`, integers and tuples of integers.
enum PyLiteral: Equatable {
    case string(String), bool(Bool), int(Int), tuple([PyLiteral])
}

enum PyLiteralParser {
    static func parseDict(_ text: UnsafeRawBufferPointer, utf8: Bool, format f: String) throws -> [String: PyLiteral] {
        var i = 0
        let n = text.count
        func fail(_ what: String) -> SerializationError { .malformed(format: f, reason: "header: \(what) at offset \(i)") }
        func space() { while i < n, text[i] == 0x20 || text[i] == 0x0A || text[i] == 0x09 || text[i] == 0x0D { i += 1 } }
        func expect(_ c: Character) throws {
            space()
            guard i < n, text[i] == c.asciiValue! else { throw fail("expected '\(c)'") }
            i += 1
        }
        func string() throws -> String {
            space()
            guard i < n, text[i] == 0x27 || text[i] == 0x22 else { throw fail("expected a string") }
            let q = text[i]; i += 1
            let s = i
            while i < n, text[i] != q {
                guard text[i] != 0x5C else { throw fail("escapes are not supported") }
                i += 1
            }
            guard i < n else { throw fail("unterminated string") }
            let raw = UnsafeRawBufferPointer(rebasing: text[s..<i])
            i += 1
            if utf8 {
                guard let str = String(validating: raw, as: UTF8.self) else { throw fail("invalid UTF-8") }
                return str
            }
            return String(raw.map { Character(Unicode.Scalar($0)) })   // Latin-1
        }
        func value(depth: Int) throws -> PyLiteral {
            space()
            guard i < n else { throw fail("unexpected end") }
            let c = text[i]
            if c == 0x27 || c == 0x22 { return .string(try string()) }
            if c == UInt8(ascii: "(") {
                guard depth < 2 else { throw fail("nested tuple") }
                i += 1
                var items: [PyLiteral] = []
                while true {
                    space()
                    guard i < n else { throw fail("unterminated tuple") }
                    if text[i] == UInt8(ascii: ")") { i += 1; return .tuple(items) }
                    guard items.count < 64 else { throw fail("tuple too long") }
                    items.append(try value(depth: depth + 1))
                    space()
                    guard i < n else { throw fail("unterminated tuple") }
                    if text[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard text[i] == UInt8(ascii: ")") else { throw fail("expected ',' or ')'") }
                }
            }
            if c >= 0x30 && c <= 0x39 {
                var v = 0
                while i < n, text[i] >= 0x30, text[i] <= 0x39 {
                    let (m, o1) = v.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(Int(text[i] - 0x30))
                    guard !o1 && !o2 else { throw fail("integer overflows") }
                    v = a; i += 1
                }
                if i < n, text[i] == UInt8(ascii: "L") { i += 1 }   // Python 2 long suffix
                return .int(v)
            }
            for (word, b) in [("True", true), ("False", false)] {
                let w = Array(word.utf8)
                if i + w.count <= n, text[i..<(i + w.count)].elementsEqual(w) { i += w.count; return .bool(b) }
            }
            throw fail("unsupported value")
        }
        try expect("{")
        var dict: [String: PyLiteral] = [:]
        while true {
            space()
            guard i < n else { throw fail("unterminated dict") }
            if text[i] == UInt8(ascii: "}") { i += 1; break }
            guard dict.count < 16 else { throw fail("too many keys") }
            let key = try string()
            try expect(":")
            guard dict.updateValue(try value(depth: 0), forKey: key) == nil else { throw fail("key '\(key)' appears twice") }
            space()
            guard i < n else { throw fail("unterminated dict") }
            if text[i] == UInt8(ascii: ",") { i += 1; continue }
            guard text[i] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
        }
        space()
        guard i == n else { throw fail("trailing bytes after the dict") }
        return dict
    }
}
