import CZlib

/// NumPy's `.npz` format: a zip archive with one `<name>.npy` member per tensor
/// (`numpy.savez` stores members, `numpy.savez_compressed` deflates them).
///
/// The reader takes the member list from the zip central directory (ZIP64 records included),
/// accepts stored (method 0) and deflated (method 8) members, refuses encrypted ones, bounds every
/// size before allocating (deflate expands at most 1032:1) and checks each member's CRC-32 when it
/// loads. The writer deflates when ``WriteOptions/compress`` is set (zlib level clamped to 1…9),
/// otherwise stores. Members or archives past the classic zip limits (4 GiB sizes and offsets,
/// 65 535 members) are written with ZIP64 records, as Python's `zipfile` does: the overflowing
/// 32-bit fields hold `0xFFFFFFFF` and the real values follow in a ZIP64 extra field (local
/// header: both sizes; central directory: those that overflow, in the order uncompressed size,
/// compressed size, offset), and a ZIP64 end record and locator precede the classic end record.
/// Metadata is not stored (NumPy has no place for it).
public struct NPZFormat: CheckpointFormat {
    /// The registry name, also used in error messages.
    public let name = "npz"
    /// The file extensions this format is chosen for.
    public let fileExtensions = ["npz"]
    /// Sizes and offsets from this value on are written as ZIP64 (`0xFFFFFFFF`, the zip limit;
    /// tests lower it to exercise the ZIP64 path on small files).
    let zip64Threshold: UInt64
    /// Member counts from this value on need the ZIP64 end record (`0xFFFF`).
    let zip64CountThreshold: Int
    /// Creates the value.
    public init() { self.init(zip64Threshold: 0xFFFF_FFFF, zip64CountThreshold: 0xFFFF) }
    init(zip64Threshold: UInt64, zip64CountThreshold: Int = 0xFFFF) {
        self.zip64Threshold = zip64Threshold
        self.zip64CountThreshold = zip64CountThreshold
    }

    /// Writes `checkpoint` with the layout described above.
    public func write(_ checkpoint: Checkpoint, to sink: any ByteSink, options: WriteOptions) throws {
        try write(TensorStream(checkpoint), to: sink, options: options)
    }

    /// Writes the tensors of `stream` one at a time, with the layout described above.
    /// - Throws: ``SerializationError/invalidName(format:name:reason:)`` for an empty name (which
    ///   would make the member `.npy`, which no reader loads back), before writing anything.
    public func write(_ stream: TensorStream, to sink: any ByteSink, options: WriteOptions) throws {
        try requireNamesReadable(stream.entries, format: "npz")
        for e in stream.entries {
            do { _ = try NPYFormat.descriptor(e.elementType) } catch let error as SerializationError {
                throw SerializationError.inTensor(name: e.name, error)
            }
        }
        var central: [UInt8] = []
        var offset: UInt64 = 0
        let total = max(1, stream.entries.reduce(0) { $0 + (AnyTensor.byteCount($1.elementType, $1.shape) ?? 0) })
        var done = 0
        func le16(_ v: Int, _ out: inout [UInt8]) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: UInt32, _ out: inout [UInt8]) { for k in 0..<4 { out.append(UInt8(v >> (8 * k) & 0xFF)) } }
        func le64(_ v: UInt64, _ out: inout [UInt8]) { for k in 0..<8 { out.append(UInt8(v >> (8 * UInt64(k)) & 0xFF)) } }
        let limit = zip64Threshold
        /// The 32-bit field for `v`: `v` itself, or the ZIP64 marker.
        func field(_ v: UInt64) -> UInt32 { v >= limit ? 0xFFFF_FFFF : UInt32(v) }
        for (i, entry) in stream.entries.enumerated() {
            let name = entry.name
            let t = try stream.tensor(at: i)
            let member = MemorySink()
            try NPYFormat.writeArray(t, to: member)
            let raw = member.bytes
            let crc = raw.withUnsafeBytes { Deflate.crc32($0) }
            var data = raw
            var method = 0
            if options.compress {
                let d = try Deflate.compress(raw, level: min(9, max(1, options.compressionLevel)))
                if d.count < raw.count { data = d; method = 8 }
            }
            let fileName = Array((name + ".npy").utf8)
            guard fileName.count < 0xFFFF else {
                throw SerializationError.limitExceeded(format: "npz", what: "member name length", value: UInt64(fileName.count),
                                                       limit: 0xFFFE)
            }
            let usize = UInt64(raw.count), csize = UInt64(data.count)
            let zip64 = usize >= limit || csize >= limit || offset >= limit
            let version = zip64 ? 45 : 20
            var local: [UInt8] = []
            le32(0x0403_4B50, &local); le16(version, &local); le16(0x0800, &local)   // UTF-8 names
            le16(method, &local); le16(0, &local); le16(0x21, &local)                 // time, date 1980-01-01
            le32(crc, &local)
            if zip64 {                          // the local header's ZIP64 extra holds both sizes
                le32(0xFFFF_FFFF, &local); le32(0xFFFF_FFFF, &local)
                le16(fileName.count, &local); le16(20, &local)
                local += fileName
                le16(1, &local); le16(16, &local); le64(usize, &local); le64(csize, &local)
            } else {
                le32(UInt32(csize), &local); le32(UInt32(usize), &local)
                le16(fileName.count, &local); le16(0, &local)
                local += fileName
            }
            var extra: [UInt8] = []
            for v in [usize, csize, offset] where v >= limit { le64(v, &extra) }
            if !extra.isEmpty { extra = [1, 0, UInt8(extra.count), 0] + extra }
            var c: [UInt8] = []
            le32(0x0201_4B50, &c); le16(version, &c); le16(version, &c); le16(0x0800, &c)
            le16(method, &c); le16(0, &c); le16(0x21, &c)
            le32(crc, &c); le32(field(csize), &c); le32(field(usize), &c)
            le16(fileName.count, &c); le16(extra.count, &c); le16(0, &c); le16(0, &c); le16(0, &c)
            le32(0, &c); le32(field(offset), &c)
            c += fileName
            c += extra
            central += c
            try sink.write(local)
            try sink.write(data)
            offset += UInt64(local.count) + csize
            done += t.bytes.count
            options.progress?(Double(done) / Double(total))
        }
        let count = stream.entries.count
        let cdSize = UInt64(central.count), cdOffset = offset
        try sink.write(central)
        var end: [UInt8] = []
        if count >= zip64CountThreshold || cdSize >= limit || cdOffset >= limit {
            let record = cdOffset + cdSize
            le32(0x0606_4B50, &end); le64(44, &end)                   // ZIP64 end of central directory record
            le16(45, &end); le16(45, &end); le32(0, &end); le32(0, &end)
            le64(UInt64(count), &end); le64(UInt64(count), &end); le64(cdSize, &end); le64(cdOffset, &end)
            le32(0x0706_4B50, &end); le32(0, &end); le64(record, &end); le32(1, &end)   // its locator
        }
        let count16 = count >= zip64CountThreshold ? 0xFFFF : count
        le32(0x0605_4B50, &end); le16(0, &end); le16(0, &end)
        le16(count16, &end); le16(count16, &end)
        le32(field(cdSize), &end); le32(field(cdOffset), &end); le16(0, &end)
        try sink.write(end)
    }

    /// Parses and validates the layout described above; tensor data is read on demand.
    public func open(_ bytes: FileBytes, options: ReadOptions) throws -> any CheckpointReader {
        try NPZReader(file: bytes, options: options)
    }
}

struct NPZReader: CheckpointReader {
    struct Member {
        var name: String
        var method: Int
        var crc: UInt32
        var dataOffset: Int
        var compressedSize: Int
        var size: Int
        var array: NPYArray
    }
    let file: FileBytes
    let formatName = "npz"
    let members: [Member]
    let index: [NameKey: Int]
    let options: ReadOptions
    var metadata: [String: JSONValue] { [:] }
    var entries: [EntryInfo] {
        members.map {
            EntryInfo(name: $0.name, elementType: $0.array.type, shape: $0.array.shape, storedSize: $0.compressedSize,
                      rawSize: $0.array.dataSize, compression: $0.method == 8 ? "deflate" : "none", filter: "none")
        }
    }

    init(file: FileBytes, options: ReadOptions) throws {
        let f = "npz"
        self.file = file
        self.options = options
        let n = file.count
        try require(n >= 22, f, "file is \(n) bytes, too short for a zip archive")
        // Find the end-of-central-directory record (its comment is at most 65535 bytes).
        var eocd = -1
        var p = n - 22
        let lowest = max(0, n - 22 - 65535)
        while p >= lowest {
            if file.load(p, as: UInt32.self) == 0x0605_4B50 && p + 22 + Int(file.load(p + 20, as: UInt16.self)) == n { eocd = p; break }
            p -= 1
        }
        try require(eocd >= 0, f, "no zip end-of-central-directory record")
        var count = Int(file.load(eocd + 10, as: UInt16.self))
        var cdSize = UInt64(file.load(eocd + 12, as: UInt32.self))
        var cdOffset = UInt64(file.load(eocd + 16, as: UInt32.self))
        try require(file.load(eocd + 4, as: UInt16.self) == 0 && file.load(eocd + 6, as: UInt16.self) == 0, f, "multi-disk archives are not supported")
        if eocd >= 20 && file.load(eocd - 20, as: UInt32.self) == 0x0706_4B50 {
            let z = file.load(eocd - 12, as: UInt64.self)
            try require(z <= UInt64(eocd - 20) && UInt64(eocd - 20) - z >= 56, f, "ZIP64 end record offset out of range")
            let zo = Int(z)
            try require(file.load(zo, as: UInt32.self) == 0x0606_4B50, f, "bad ZIP64 end record signature")
            let c64 = file.load(zo + 32, as: UInt64.self)
            try require(c64 <= UInt64(options.maxEntries), f, "ZIP64 entry count \(c64) is above the limit")
            count = Int(c64)
            cdSize = file.load(zo + 40, as: UInt64.self)
            cdOffset = file.load(zo + 48, as: UInt64.self)
        }
        try require(count <= options.maxEntries, f, "entry count \(count) is above the limit")
        try require(cdOffset <= UInt64(n) && cdSize <= UInt64(n) - cdOffset && cdSize >= UInt64(46 * count), f,
                    "central directory (offset \(cdOffset), \(cdSize) bytes) lies outside the file")
        var members: [Member] = []
        var index: [NameKey: Int] = [:]
        var spans: [(start: Int, end: Int, name: String)] = []   // local header through data, per member
        var q = Int(cdOffset)
        let cdEnd = Int(cdOffset + cdSize)
        for _ in 0..<count {
            try require(q + 46 <= cdEnd, f, "central directory entry runs past its end")
            try require(file.load(q, as: UInt32.self) == 0x0201_4B50, f, "bad central directory signature at \(q)")
            let flags = Int(file.load(q + 8, as: UInt16.self))
            let method = Int(file.load(q + 10, as: UInt16.self))
            let crc = file.load(q + 16, as: UInt32.self)
            var csize = UInt64(file.load(q + 20, as: UInt32.self))
            var usize = UInt64(file.load(q + 24, as: UInt32.self))
            let nameLength = Int(file.load(q + 28, as: UInt16.self))
            let extraLength = Int(file.load(q + 30, as: UInt16.self))
            let commentLength = Int(file.load(q + 32, as: UInt16.self))
            var localOffset = UInt64(file.load(q + 42, as: UInt32.self))
            try require(q + 46 + nameLength + extraLength + commentLength <= cdEnd, f, "central directory entry runs past its end")
            let nameBytes = file.slice(q + 46, nameLength)
            guard let fullName = String(validating: nameBytes, as: UTF8.self) else {
                throw SerializationError.malformed(format: f, reason: "member name is not UTF-8")
            }
            // ZIP64 extra field: replaces the 0xFFFFFFFF fields, in order usize, csize, offset.
            var e = q + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = file.load(e, as: UInt16.self), len = Int(file.load(e + 2, as: UInt16.self))
                try require(e + 4 + len <= extraEnd, f, "'\(fullName)': extra field runs past its end")
                if id == 1 {
                    var r = e + 4
                    func next() throws -> UInt64 {
                        try require(r + 8 <= e + 4 + len, f, "'\(fullName)': short ZIP64 extra field")
                        defer { r += 8 }
                        return file.load(r, as: UInt64.self)
                    }
                    if usize == 0xFFFF_FFFF { usize = try next() }
                    if csize == 0xFFFF_FFFF { csize = try next() }
                    if localOffset == 0xFFFF_FFFF { localOffset = try next() }
                }
                e += 4 + len
            }
            q += 46 + nameLength + extraLength + commentLength
            try require(flags & 1 == 0, f, "'\(fullName)' is encrypted")
            try require(method == 0 || method == 8, f, "'\(fullName)' uses compression method \(method) (only stored and deflate)")
            try require(method != 0 || csize == usize, f, "'\(fullName)': stored member with different sizes")
            // Deflate cannot expand more than 1032:1. Every size here comes from the file, so the
            // arithmetic is checked (a ZIP64 size of 2⁶⁴−1 must be an error, not a trap).
            let (csizePlusOne, csizeOverflow) = csize.addingReportingOverflow(1)
            try require(method != 8 || csizeOverflow || usize / 1032 <= csizePlusOne, f, "'\(fullName)': impossible deflate ratio")
            let (largest, largestOverflow) = UInt64(options.maxTensorBytes).addingReportingOverflow(UInt64(options.maxHeaderBytes))
            try require(largestOverflow || usize <= largest, f, "'\(fullName)' is too large")
            try require(localOffset <= UInt64(n) && UInt64(n) - localOffset >= 30, f, "'\(fullName)': local header outside the file")
            let lo = Int(localOffset)
            try require(file.load(lo, as: UInt32.self) == 0x0403_4B50, f, "'\(fullName)': bad local header signature")
            let dataOffset = lo + 30 + Int(file.load(lo + 26, as: UInt16.self)) + Int(file.load(lo + 28, as: UInt16.self))
            try require(dataOffset <= n && csize <= UInt64(n - dataOffset), f, "'\(fullName)': data runs past the end of the file")
            guard fullName.hasSuffix(".npy") else {
                throw SerializationError.malformed(format: f, reason: "member '\(fullName)' is not a .npy file")
            }
            let name = String(fullName.dropLast(4))
            try require(!name.isEmpty && index[NameKey(name)] == nil, f, "member '\(fullName)' is empty-named or appears twice")
            // Parse the member's .npy header (inflating only its start when deflated).
            let stored = file.slice(dataOffset, Int(csize))
            let array: NPYArray
            if method == 0 {
                array = try NPYArray(stored, format: f, options: options)
            } else {
                let prefix = try Deflate.decompress(stored, size: min(Int(usize), 12 + 65536 * 2), allowShort: true, format: f, entry: name)
                array = try NPZReader.headerOnly(prefix, total: Int(usize), format: f, options: options)
            }
            index[NameKey(name)] = members.count
            spans.append((lo, dataOffset + Int(csize), name))
            members.append(Member(name: name, method: method, crc: crc, dataOffset: dataOffset, compressedSize: Int(csize),
                                  size: Int(usize), array: array))
        }
        // Members must not share bytes: an archive whose directory points many entries at one
        // member (a "zip bomb" of overlapping files) would decode the same bytes again and again.
        spans.sort { $0.start < $1.start }
        for (a, b) in zip(spans, spans.dropFirst()) {
            try require(b.start >= a.end, f, "members '\(a.name).npy' and '\(b.name).npy' overlap (bytes \(b.start)..<\(a.end))")
        }
        self.members = members
        self.index = index
        try options.checkTotal(entries, format: f)
    }

    /// Parses a `.npy` header from the first bytes of a member of `total` bytes.
    static func headerOnly(_ prefix: [UInt8], total: Int, format f: String, options: ReadOptions) throws -> NPYArray {
        // Re-parse with a buffer that claims the full length: build a fake view only over the header.
        try prefix.withUnsafeBytes { b -> NPYArray in
            try require(b.count >= 10, f, "member too short for a .npy header")
            let major = b[6]
            let start = major == 1 ? 10 : 12
            try require(b.count >= start, f, "member too short for a .npy header")
            let hl = major == 1 ? Int(b[8]) | Int(b[9]) << 8 : Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            try require(hl <= b.count - start, f, "member .npy header longer than its start")
            let headerEnd = start + hl
            let parsed = try NPYArray(UnsafeRawBufferPointer(rebasing: b[0..<headerEnd]), format: f, options: options,
                                      checkDataSize: false)
            try require(parsed.dataSize == total - headerEnd, f,
                        "\(parsed.type) × \(parsed.shape) needs \(parsed.dataSize) data bytes, the member has \(total - headerEnd)")
            return parsed
        }
    }

    func tensor(named name: String) throws -> AnyTensor {
        guard let i = index[NameKey(name)] else { throw SerializationError.unknownTensor(name) }
        let m = members[i]
        let stored = file.slice(m.dataOffset, m.compressedSize)
        var data: UnsafeRawBufferPointer = stored
        var owner: AnyObject = file
        if m.method == 8 {
            let out = try ByteBuffer(allocating: m.size, for: "'\(name)'")
            try Deflate.decompress(stored, into: out.base, size: m.size, format: "npz", entry: name)
            data = out.buffer
            owner = out
        }
        let crc = Deflate.crc32(data)
        guard crc == m.crc else {
            throw SerializationError.checksumMismatch(format: "npz", entry: "'\(name)'", expected: String(m.crc, radix: 16),
                                                      actual: String(crc, radix: 16))
        }
        let array = try NPYArray(data, format: "npz", options: options)
        return try array.load(from: data, owner: owner, format: "npz", entry: name)
    }

    /// Checks every member's CRC-32 (and bool bytes) in bounded memory: deflated members are
    /// inflated through a small buffer, never whole.
    func verify() throws {
        for m in members {
            var crc: uLong = 0
            var position = 0
            let isBool = m.array.type == .bool, dataStart = m.array.dataOffset
            func consume(_ chunk: UnsafeRawBufferPointer) throws {
                crc = Deflate.crc32(chunk, seed: crc)
                if isBool, position + chunk.count > dataStart {
                    let from = max(0, dataStart - position)
                    try require(chunk[from...].allSatisfy { $0 <= 1 }, "npz", "'\(m.name)': bool tensor holds a byte other than 0 or 1")
                }
                position += chunk.count
            }
            let stored = file.slice(m.dataOffset, m.compressedSize)
            if m.method == 8 {
                try Deflate.inflateStreaming(stored, size: m.size, format: "npz", entry: m.name, body: consume)
            } else {
                try consume(stored)
            }
            guard UInt32(crc) == m.crc else {
                throw SerializationError.checksumMismatch(format: "npz", entry: "'\(m.name)'", expected: String(m.crc, radix: 16),
                                                          actual: String(UInt32(crc), radix: 16))
            }
        }
    }
}

/// Raw deflate (RFC 1951) through zlib, as zip uses it.
enum Deflate {
    /// The CRC-32 of `bytes` (zlib's, fed in pieces below 4 GiB).
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 { UInt32(crc32(bytes, seed: 0)) }

    /// The CRC-32 of `bytes` continuing from `seed` (the CRC of what came before).
    static func crc32(_ bytes: UnsafeRawBufferPointer, seed: uLong) -> uLong {
        var crc: uLong = seed
        var i = 0
        repeat {
            let k = min(1 << 30, bytes.count - i)
            crc = CZlib.crc32(crc, bytes.baseAddress.map { ($0 + i).assumingMemoryBound(to: Bytef.self) }, uInt(k))
            i += k
        } while i < bytes.count
        return crc
    }

    /// Inflates `src`, which must decode to exactly `size` bytes, through a 256 KiB buffer, handing
    /// each piece to `body` (bounded memory whatever `size` is).
    static func inflateStreaming(_ src: UnsafeRawBufferPointer, size: Int, format f: String, entry: String,
                                 body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw SerializationError.io(path: "zlib", message: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        let capacity = 256 << 10
        let buffer = UnsafeMutablePointer<Bytef>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var consumed = 0, produced = 0
        while true {
            if stream.avail_in == 0 && consumed < src.count {
                let k = min(1 << 30, src.count - consumed)
                stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress!.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(k)
                consumed += k
            }
            stream.next_out = buffer
            stream.avail_out = uInt(capacity)
            let status = inflate(&stream, Z_NO_FLUSH)
            let made = capacity - Int(stream.avail_out)
            produced += made
            try require(produced <= size, f, "'\(entry)': deflate data is longer than the declared \(size) bytes")
            if made > 0 { try body(UnsafeRawBufferPointer(start: buffer, count: made)) }
            if status == Z_STREAM_END { break }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw SerializationError.malformed(format: f, reason: "'\(entry)': corrupt deflate data (zlib \(status))")
            }
            if made == 0 && stream.avail_in == 0 && consumed >= src.count {
                throw SerializationError.malformed(format: f, reason: "'\(entry)': truncated deflate data")
            }
        }
        try require(produced == size, f, "'\(entry)': deflate produced \(produced) bytes, the zip header says \(size)")
    }

    /// Raw-deflates `src` at `level`, feeding zlib in pieces below 4 GiB (its counters are 32-bit).
    static func compress(_ src: [UInt8], level: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Int32(level), Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw SerializationError.io(path: "zlib", message: "deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(src.count))))
        let chunk = 1 << 30
        let produced: Int = try src.withUnsafeBytes { s in
            try out.withUnsafeMutableBytes { o in
                var consumed = 0, written = 0
                while true {
                    if stream.avail_in == 0 && consumed < s.count {
                        let k = min(chunk, s.count - consumed)
                        stream.next_in = UnsafeMutablePointer(mutating: (s.baseAddress! + consumed).assumingMemoryBound(to: Bytef.self))
                        stream.avail_in = uInt(k)
                        consumed += k
                    }
                    let room = min(chunk, o.count - written)
                    stream.next_out = (o.baseAddress! + written).assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(room)
                    let status = deflate(&stream, consumed == s.count ? Z_FINISH : Z_NO_FLUSH)
                    written += room - Int(stream.avail_out)
                    if status == Z_STREAM_END { return written }
                    guard status == Z_OK || status == Z_BUF_ERROR else {
                        throw SerializationError.io(path: "zlib", message: "deflate failed (\(status))")
                    }
                }
            }
        }
        out.removeSubrange(produced...)
        return out
    }

    /// Inflates `src` into `dst`, which must end up exactly `size` bytes (or at most, with `allowShort`).
    @discardableResult
    static func decompress(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawPointer, size: Int,
                           allowShort: Bool = false, format f: String, entry: String) throws -> Int {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw SerializationError.io(path: "zlib", message: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var produced = 0
        var consumed = 0
        // zlib counts in 32-bit uInt: feed and drain in chunks.
        let chunk = 1 << 30
        var status: Int32 = Z_OK
        let scratch = UnsafeMutablePointer<Bytef>.allocate(capacity: 1)
        defer { scratch.deallocate() }
        while true {
            if stream.avail_in == 0 && consumed < src.count {
                let k = min(chunk, src.count - consumed)
                stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress!.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(k)
                consumed += k
            }
            let room = min(chunk, size - produced)
            if room == 0 && allowShort { break }
            // A zero-room call with a 1-byte scratch detects data beyond `size`.
            let target = room > 0 ? dst.advanced(by: produced).assumingMemoryBound(to: Bytef.self) : scratch
            stream.next_out = target
            stream.avail_out = uInt(room > 0 ? room : 1)
            let before = Int(stream.avail_out)
            status = inflate(&stream, Z_NO_FLUSH)
            let made = before - Int(stream.avail_out)
            if room == 0 && made > 0 {
                throw SerializationError.malformed(format: f, reason: "'\(entry)': deflate data is longer than the declared \(size) bytes")
            }
            produced += made
            if status == Z_STREAM_END { break }
            if status == Z_BUF_ERROR && stream.avail_in == 0 && consumed >= src.count {
                if allowShort { break }
                throw SerializationError.malformed(format: f, reason: "'\(entry)': truncated deflate data")
            }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw SerializationError.malformed(format: f, reason: "'\(entry)': corrupt deflate data (zlib \(status))")
            }
            if made == 0 && stream.avail_in == 0 && consumed >= src.count {
                if allowShort { break }
                throw SerializationError.malformed(format: f, reason: "'\(entry)': truncated deflate data")
            }
        }
        if !allowShort {
            try require(produced == size, f, "'\(entry)': deflate produced \(produced) bytes, the zip header says \(size)")
        }
        return produced
    }

    /// Inflates up to `size` bytes into a new array.
    static func decompress(_ src: UnsafeRawBufferPointer, size: Int, allowShort: Bool, format f: String, entry: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        let n = try out.withUnsafeMutableBytes { o in
            try decompress(src, into: o.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 1)!, size: size, allowShort: allowShort,
                           format: f, entry: entry)
        }
        out.removeSubrange(n...)
        return out
    }
}
