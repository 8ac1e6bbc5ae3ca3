import CZlib
import Foundation
import NablaSerialization
import NablaTensor

/// The IDX format of the MNIST files (LeCun et al.), raw or gzip-compressed (`train-images-idx3-ubyte.gz`).
///
/// Layout: two zero bytes, a type byte (`0x08` uint8, `0x09` int8, `0x0B` int16, `0x0C` int32,
/// `0x0D` float32, `0x0E` float64), the number of dimensions, each dimension as a big-endian
/// `UInt32`, then the elements, big-endian, row-major. A gzip file is recognized by its magic
/// bytes (`1f 8b`) and inflated as a stream.
///
/// Hostile files: the element count is computed with overflow checks and compared with
/// `maxBytes` before anything is allocated, and memory then grows only with the bytes actually
/// present (a 20-byte file claiming 2³² images cannot make the reader reserve them). A file with
/// fewer or more bytes than its header promises throws, naming the byte offset.
public enum IDXFile {
    /// The largest decoded payload accepted by default: 4 GiB.
    public static let defaultMaxBytes = 1 << 32

    /// The tensor stored in the IDX file at `path` (raw or gzip), converted exactly to `Scalar`
    /// (`uint8` images into `Float` or `Int32`; a narrowing conversion is refused).
    /// - Throws: ``DataError/malformedBytes(file:format:offset:reason:)`` (offsets count decoded
    ///   bytes, i.e. after decompression), ``DataError/limitExceeded(file:what:value:limit:)``, ``DataError/io(file:message:)``.
    public static func read<Scalar: TensorScalar>(_ path: String, as type: Scalar.Type = Scalar.self,
                                                  maxBytes: Int = defaultMaxBytes) throws -> Tensor<Scalar> {
        var source = try ByteSource(path: path)
        let head = try source.read(exactly: 4, what: "the magic number")
        guard head[0] == 0, head[1] == 0 else {
            throw DataError.malformedBytes(file: path, format: "IDX", offset: 0,
                                           reason: "bad magic \(hex(head)): an IDX file starts with two zero bytes")
        }
        guard let code = IDXType(rawValue: head[2]) else {
            throw DataError.malformedBytes(file: path, format: "IDX", offset: 2, reason: "unknown element type 0x\(String(head[2], radix: 16))")
        }
        let rank = Int(head[3])
        let dimBytes = try source.read(exactly: 4 * rank, what: "\(rank) dimensions")
        var shape: [Int] = []
        var count = 1
        for d in 0..<rank {
            let v = dimBytes[4 * d..<4 * d + 4].reduce(0) { $0 << 8 | Int($1) }
            shape.append(v)
            let (c, o) = count.multipliedReportingOverflow(by: v)
            guard !o else { throw DataError.limitExceeded(file: path, what: "the element count", value: .max, limit: maxBytes) }
            count = c
        }
        let (bytes, o) = count.multipliedReportingOverflow(by: code.size)
        guard !o, bytes <= maxBytes else {
            throw DataError.limitExceeded(file: path, what: "the data size in bytes of shape \(shape)", value: o ? .max : bytes, limit: maxBytes)
        }
        let payloadOffset = 4 + 4 * rank
        let payload = try source.read(exactly: bytes, what: "\(count) elements of shape \(shape)")
        if try source.hasMore() {
            throw DataError.malformedBytes(file: path, format: "IDX", offset: payloadOffset + bytes,
                                           reason: "trailing bytes after the \(count) elements of shape \(shape)")
        }
        return try code.decode(payload, shape: shape, as: Scalar.self, path: path)
    }

    enum IDXType: UInt8 {
        case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E
        var size: Int { switch self { case .uint8, .int8: 1; case .int16: 2; case .int32, .float32: 4; case .float64: 8 } }

        func decode<S: TensorScalar>(_ b: [UInt8], shape: [Int], as: S.Type, path: String) throws -> Tensor<S> {
            func be(_ i: Int, _ n: Int) -> UInt64 { (0..<n).reduce(0) { $0 << 8 | UInt64(b[i * n + $1]) } }
            let n = b.count / size
            func make<T: TensorScalar>(_ f: (Int) -> T) throws -> Tensor<S> {
                let source = Tensor(shape: shape, scalars: (0..<n).map(f))
                if let t = source as? Tensor<S> { return t }
                // Exact conversions only (NablaSerialization's lossless casting rules).
                do { return try AnyTensor(source).tensor(as: S.self) } catch let e as SerializationError {
                    throw DataError.serialization(file: path, .inFile(path: path, e))
                }
            }
            switch self {
            case .uint8: return try make { b[$0] }
            case .int8: return try make { Int8(bitPattern: b[$0]) }
            case .int16: return try make { Int16(bitPattern: UInt16(be($0, 2))) }
            case .int32: return try make { Int32(bitPattern: UInt32(be($0, 4))) }
            case .float32: return try make { Float(bitPattern: UInt32(be($0, 4))) }
            case .float64: return try make { Double(bitPattern: be($0, 8)) }
            }
        }
    }

    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined(separator: " ") }
}

/// The decoded bytes of a file, raw or gzip, read sequentially with bounded memory.
struct ByteSource {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private let owner: FileOwner
    private var gzip: Inflater?
    private var pending: [UInt8] = []   // raw bytes read ahead (the magic check)
    /// Decoded bytes consumed so far.
    private(set) var offset = 0

    final class FileOwner { let f: UnsafeMutablePointer<FILE>; init(_ f: UnsafeMutablePointer<FILE>) { self.f = f }; deinit { fclose(f) } }

    init(path: String) throws {
        self.path = path
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
            throw DataError.io(file: path, message: "not a regular file")
        }
        guard let f = fopen(path, "rb") else { throw DataError.io(file: path, message: String(cString: strerror(errno))) }
        file = f
        owner = FileOwner(f)
        var magic = [UInt8](repeating: 0, count: 2)
        let n = fread(&magic, 1, 2, f)
        pending = Array(magic[0..<n])
        if n == 2 && magic == [0x1f, 0x8b] { gzip = try Inflater(path: path) }
    }

    /// Up to `count` raw bytes of the file.
    private mutating func rawRead(_ count: Int) throws -> [UInt8] {
        var out = pending.count <= count ? pending : Array(pending[0..<count])
        pending.removeFirst(out.count)
        if out.count < count {
            var more = [UInt8](repeating: 0, count: count - out.count)
            let n = fread(&more, 1, more.count, file)
            if n < more.count && ferror(file) != 0 { throw DataError.io(file: path, message: "read error") }
            out += more[0..<n]
        }
        return out
    }

    /// Exactly `count` decoded bytes; memory grows with the bytes actually read, in ≤ 16 MiB steps.
    mutating func read(exactly count: Int, what: String) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Swift.min(count, 1 << 24))
        while out.count < count {
            let want = Swift.min(count - out.count, 1 << 24)
            let got = try readSome(want)
            if got.isEmpty {
                throw DataError.malformedBytes(file: path, format: "IDX", offset: offset + out.count,
                                               reason: "truncated: the file ends \(count - out.count) bytes short of \(what)")
            }
            out += got
        }
        offset += count
        return out
    }

    /// Whether decoded bytes remain.
    mutating func hasMore() throws -> Bool { !(try readSome(1)).isEmpty }

    private mutating func readSome(_ want: Int) throws -> [UInt8] {
        guard var z = gzip else { return try rawRead(want) }
        defer { gzip = z }
        return try z.inflate(want) { try rawRead($0) }
    }
}

/// A zlib inflate stream of a gzip file.
struct Inflater {
    let path: String
    private let stream: StreamBox
    private var input: [UInt8] = []
    private var inputUsed = 0
    private var consumedRaw = 0
    private var finished = false

    final class StreamBox {
        var s = z_stream()
        deinit { inflateEnd(&s) }
    }

    init(path: String) throws {
        self.path = path
        stream = StreamBox()
        let r = inflateInit2_(&stream.s, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard r == Z_OK else { throw DataError.io(file: path, message: "zlib inflateInit failed (\(r))") }
    }

    /// Up to `want` decoded bytes (fewer only at the end of the stream).
    mutating func inflate(_ want: Int, raw: (Int) throws -> [UInt8]) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: want)
        var produced = 0
        while produced < want && !finished {
            if inputUsed == input.count {
                input = try raw(1 << 16)
                inputUsed = 0
                if input.isEmpty {
                    throw DataError.malformedBytes(file: path, format: "gzip", offset: consumedRaw,
                                                   reason: "truncated: the compressed stream ends early")
                }
            }
            let before = input.count - inputUsed
            let r: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
                out.withUnsafeMutableBufferPointer { outBuf in
                    stream.s.next_in = inBuf.baseAddress! + inputUsed
                    stream.s.avail_in = UInt32(before)
                    stream.s.next_out = outBuf.baseAddress! + produced
                    stream.s.avail_out = UInt32(want - produced)
                    let r = CZlib.inflate(&stream.s, Z_NO_FLUSH)
                    produced = want - Int(stream.s.avail_out)
                    return r
                }
            }
            let used = before - Int(stream.s.avail_in)
            inputUsed += used
            consumedRaw += used
            switch r {
            case Z_OK, Z_BUF_ERROR: break
            case Z_STREAM_END:
                finished = true
                let rest = inputUsed < input.count ? [0] : try raw(1)
                if !rest.isEmpty {
                    throw DataError.malformedBytes(file: path, format: "gzip", offset: consumedRaw,
                                                   reason: "trailing bytes after the compressed stream")
                }
            default:
                let message = stream.s.msg.map { String(cString: $0) } ?? "error \(r)"
                throw DataError.malformedBytes(file: path, format: "gzip", offset: consumedRaw, reason: "corrupt compressed data: \(message)")
            }
        }
        return Array(out[0..<produced])
    }
}
