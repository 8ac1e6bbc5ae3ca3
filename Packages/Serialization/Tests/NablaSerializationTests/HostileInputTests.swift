import Foundation
import Testing
@testable import NablaSerialization

/// A `.nabla` file with the given header JSON and data section (preamble, padding and checksum computed).
func nativeFile(_ header: String, data: [UInt8]) -> [UInt8] {
    var h = Array(header.utf8)
    h += [UInt8](repeating: 0x20, count: (64 - (32 + h.count) % 64) % 64)
    var out = NativeFormat.magic
    func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
    le(UInt32(1)); le(UInt32(0)); le(UInt64(h.count)); le(XXHash64.hash(h))
    return out + h + data
}

/// One native entry's header JSON.
func nativeEntry(_ name: String, dtype: String = "U8", shape: [Int], offset: Int = 0, stored: [UInt8], raw: Int,
                 compression: String = "none") -> String {
    #"{"name":"\#(name)","dtype":"\#(dtype)","shape":\#(shape),"offset":\#(offset),"stored_size":\#(stored.count),"#
        + #""raw_size":\#(raw),"compression":"\#(compression)","filter":"none","checksum":"\#(XXHash64.hex(XXHash64.hash(stored)))"}"#
}

func le32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }

/// The offset of the first zip central directory entry (signature PK\u{1}\u{2}) in `b`.
func centralDirectory(_ b: [UInt8]) -> Int? {
    let signature: [UInt8] = [0x50, 0x4B, 1, 2]
    for i in 0..<(b.count - 4) where b[i..<(i + 4)].elementsEqual(signature) { return i }
    return nil
}

@Suite("Readers and writers under attack")
struct HostileInputTests {
    @Test("npz: a ZIP64 compressed size of 2⁶⁴−1 is an error, not an arithmetic trap")
    func npzZip64SizeOverflow() throws {
        var c = Checkpoint()
        c.set("w", Tensor<Double>(repeating: 0, shape: [300]))
        let sink = MemorySink()
        // Threshold 0: every size and offset goes to the ZIP64 extra field (usize, csize, offset).
        try NPZFormat(zip64Threshold: 0).write(c, to: sink, options: WriteOptions(compress: true))
        var b = sink.bytes
        let cd = try #require(centralDirectory(b))
        let nameLength = Int(b[cd + 28]) | Int(b[cd + 29]) << 8
        let extra = cd + 46 + nameLength
        #expect(b[extra] == 1 && b[extra + 1] == 0)
        for k in 0..<8 { b[extra + 4 + 8 + k] = 0xFF }          // the compressed size
        #expect(throws: SerializationError.self) { try NPZFormat().open(FileBytes(b), options: ReadOptions()) }
    }

    /// A stored zip holding the local record of one member, and a central directory of `count`
    /// entries that all point at it.
    static func overlappingZip(count: Int) throws -> [UInt8] {
        var one = Checkpoint()
        one.set("a", Tensor<Float>(repeating: 1, shape: [1000]))
        let zip = try one.encoded(format: "npz", options: WriteOptions(compress: false))
        let cd = try #require(centralDirectory(zip))
        let entry = Array(zip[cd..<(cd + 46)])
        var central: [UInt8] = []
        for i in 0..<count {
            let name = Array("m\(i).npy".utf8)
            var e = entry
            e[28] = UInt8(name.count); e[29] = 0
            central += e + name
        }
        let records = Array(zip[0..<cd])
        return records + central + le32(0x0605_4B50) + le16(0) + le16(0) + le16(count) + le16(count)
            + le32(UInt32(central.count)) + le32(UInt32(cd)) + le16(0)
    }

    @Test("npz: directory entries that share one member's bytes (a zip bomb) are refused")
    func npzOverlappingMembers() throws {
        let bytes = try Self.overlappingZip(count: 400)
        #expect(throws: SerializationError.malformed(format: "npz", reason: "members 'm0.npy' and 'm1.npy' overlap (bytes 0..<4163)")) {
            try NPZFormat().open(FileBytes(bytes), options: ReadOptions())
        }
        // One entry is a valid archive.
        #expect(try NPZFormat().open(FileBytes(Self.overlappingZip(count: 1)), options: ReadOptions()).entries.count == 1)
    }

    @Test("a FIFO as input is refused at once, without blocking in open()")
    func fifoInput() throws {
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe.nabla"
        #expect(mkfifo(fifo, 0o600) == 0)
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox()
        Thread {
            do { _ = try CheckpointFile.open(fifo) } catch { result.set(error) }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 10) == .timedOut {
            Issue.record("open() blocked on a FIFO")
            let fd = open(fifo, O_WRONLY | O_NONBLOCK)   // unblocks the reader
            if fd >= 0 { close(fd) }
            _ = done.wait(timeout: .now() + 10)
            return
        }
        #expect(result.error as? SerializationError == .io(path: fifo, message: "not a regular file (a FIFO)"))
    }

    @Test("native: duplicate keys in nested metadata and zstd frames without a checksum are refused")
    func nativeSpec() throws {
        let data: [UInt8] = [1, 2, 3, 4]
        let ok = nativeFile(#"{"format":"nabla","version":1,"data_size":4,"metadata":{"cfg":{"a":1,"b":2}},"tensors":["#
                            + nativeEntry("x", shape: [4], stored: data, raw: 4) + "]}", data: data)
        #expect(try NativeFormat().open(FileBytes(ok), options: ReadOptions()).metadata["cfg"] == .object([("a", .int(1)), ("b", .int(2))]))
        let dup = nativeFile(#"{"format":"nabla","version":1,"data_size":4,"metadata":{"cfg":{"a":1,"a":2}},"tensors":["#
                             + nativeEntry("x", shape: [4], stored: data, raw: 4) + "]}", data: data)
        #expect(throws: SerializationError.self) { try NativeFormat().open(FileBytes(dup), options: ReadOptions()) }

        // A valid frame, then the same frame with the content-checksum flag cleared and its 4 checksum bytes dropped.
        let raw = [UInt8](repeating: 7, count: 4096)
        let frame = try raw.withUnsafeBytes { try Zstd.compressToArray($0, level: 1) }
        #expect(frame[4] & 0x04 != 0)
        var bare = Array(frame.dropLast(4))
        bare[4] &= ~0x04
        for (f, accepted) in [(frame, true), (bare, false)] {
            let padded = f + [UInt8](repeating: 0, count: 0)
            let file = nativeFile(#"{"format":"nabla","version":1,"data_size":\#(padded.count),"metadata":{},"tensors":["#
                                  + nativeEntry("x", shape: [4096], stored: f, raw: 4096, compression: "zstd") + "]}", data: padded)
            let reader = try NativeFormat().open(FileBytes(file), options: ReadOptions())
            if accepted {
                #expect(try reader.tensor(named: "x").byteArray == raw)
                try reader.verify()
            } else {
                let expected = SerializationError.malformed(format: "nabla",
                    reason: "entry 'x': zstd frame has no content checksum (the format requires one)")
                #expect(throws: expected) { try reader.tensor(named: "x") }
                #expect(throws: expected) { try reader.verify() }
            }
        }
    }

    @Test("names are compared as bytes: \"é\" two ways are two tensors, as in the reference safetensors")
    func unicodeNames() throws {
        let composed = "\u{E9}", decomposed = "e\u{301}"
        #expect(composed == decomposed)            // Swift's String ==: canonical equivalence
        let file = safetensorsFile(#"{"\#(composed)":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"#
                                   + #""\#(decomposed)":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#, data: [1, 2])
        let c = try openSafetensors(file)
        #expect(c.count == 2)
        #expect(try c.tensor(composed, as: UInt8.self).scalars == [1])
        #expect(try c.tensor(decomposed, as: UInt8.self).scalars == [2])
        for format in ["nabla", "safetensors", "npz"] {
            let back = try Checkpoint(decoding: c.encoded(format: format), format: format)
            #expect(back == c, "\(format)")
            #expect(try back.tensor(decomposed, as: UInt8.self).scalars == [2], "\(format)")
        }
        // Byte-identical duplicates are still refused.
        #expect(throws: SerializationError.self) {
            try openSafetensors(safetensorsFile(#"{"\#(composed)":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"#
                                                + #""\#(composed)":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#, data: [1, 2]))
        }
    }

    @Test("writers refuse names no reader accepts back, naming the tensor")
    func unreadableNames() throws {
        let t = AnyTensor(Tensor<Float>(shape: [1], scalars: [1]))
        #expect(throws: SerializationError.invalidName(format: "safetensors", name: "__metadata__",
                                                       reason: "the header key __metadata__ is reserved for metadata")) {
            try Checkpoint([("__metadata__", t)]).encoded(format: "safetensors")
        }
        for format in ["nabla", "npz"] {
            #expect(throws: SerializationError.invalidName(format: format, name: "", reason: "names must not be empty")) {
                try Checkpoint([("", t)]).encoded(format: format)
            }
        }
        // Through a file: the error names the file, and nothing is written.
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: SerializationError.self) { try Checkpoint([("", t)]).save(to: dir + "/x.nabla") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("errors are LocalizedErrors: localizedDescription names what and where")
    func localizedDescriptions() {
        let e = SerializationError.inFile(path: "m.nabla", .unknownTensor("w"))
        #expect(e.localizedDescription == "m.nabla: no tensor named 'w'")
        #expect((e as Error).localizedDescription == e.description)
        let cast = SerializationError.inTensor(name: "w", .castOverflow(from: "float64", to: "float16", count: 2))
        #expect(cast.localizedDescription.hasPrefix("tensor 'w': casting float64 to float16 turns 2 finite values into infinity"))
    }

    @Test("print(checkpoint) shows names, dtypes, shapes and metadata keys; a dictionary builds one")
    func descriptionAndDictionary() throws {
        var c = Checkpoint(["fc.weight": Tensor<Float>(repeating: 0, shape: [4, 3]), "fc.bias": Tensor<Float>(repeating: 0, shape: [4])],
                           metadata: ["step": .int(3)])
        #expect(c.names == ["fc.bias", "fc.weight"])
        #expect(c.description == "Checkpoint(2 tensors: fc.bias float32 [4], fc.weight float32 [4, 3]; metadata: step)")
        #expect("\(c)" == c.description)
        #expect(c.debugDescription.contains("  fc.weight: float32 [4, 3] (48 bytes)"))
        c = Checkpoint(["i": AnyTensor(Tensor<Int64>(shape: [1], scalars: [5])), "h": AnyTensor(Tensor<Double>(shape: [], scalars: [1]))])
        #expect(c.description == "Checkpoint(2 tensors: h float64 [], i int64 [1])")
        #expect(try c.tensor("i", as: Int64.self).scalars == [5])
    }

    @Test("a save to a FIFO or device is refused, not replaced by a regular file")
    func nonRegularTarget() throws {
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/out.nabla"
        #expect(mkfifo(fifo, 0o600) == 0)
        let c = Checkpoint([("w", AnyTensor(Tensor<Float>(shape: [1], scalars: [1])))])
        #expect(throws: SerializationError.io(path: fifo, message: "is a FIFO, not a regular file; refusing to replace it")) {
            try c.save(to: fifo)
        }
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
        #expect(throws: SerializationError.self) { try c.save(to: "/dev/null", format: "nabla") }
    }

    @Test("temporary files: none left by a failed save, stale ones of dead writers removed, long names work")
    func temporaryFiles() throws {
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = Checkpoint([("w", AnyTensor(Tensor<Float>(shape: [1000], scalars: (0..<1000).map(Float.init))))])
        // A pid that no longer runs: a finished child's.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        let dead = p.processIdentifier
        let stale = [".nabla-tmp-\(dead)-1f2e", ".ckpt.nabla.tmp-\(dead)-abc"]
        let alive = ".nabla-tmp-1-abc"                 // pid 1 runs: kept
        for name in stale + [alive] { _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data([1, 2, 3])) }
        try c.save(to: dir + "/ckpt.nabla")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["ckpt.nabla", alive])
        // A failing save leaves nothing.
        #expect(throws: SerializationError.self) {
            try AtomicFile.write(to: dir + "/other.nabla") { sink in
                try sink.write([1, 2, 3])
                throw SerializationError.malformed(format: "test", reason: "stop")
            }
        }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["ckpt.nabla", alive])
        // 255 bytes is the longest legal name: the temporary file's name does not depend on it.
        for length in [236, 250, 255] {
            let name = String(repeating: "n", count: length - 6) + ".nabla"
            try c.save(to: dir + "/" + name)
            #expect(try Checkpoint(contentsOf: dir + "/" + name) == c)
        }
    }

    @Test("a path with non-UTF-8 bytes opens, saves and renames")
    func nonUTF8Path() throws {
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = Array(dir.utf8) + Array("/w\u{FF}".utf8.prefix(2)) + [0xFF, 0xFE] + Array(".nabla".utf8)
        let path = FilePath.string(fileSystemRepresentation: bytes)
        #expect(FilePath.fileSystemRepresentation(path) == bytes)
        #expect(FilePath.display(path) == dir + "/w\\xFF\\xFE.nabla")
        let c = Checkpoint([("w", AnyTensor(Tensor<Float>(shape: [2], scalars: [1, 2])))])
        try c.save(to: path)
        #expect(try Checkpoint(contentsOf: path) == c)
        // The file really has those bytes as its name.
        let fd = (bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY) }
        #expect(fd >= 0)
        close(fd)
        #expect(throws: SerializationError.io(path: path + "x", message: "cannot open: No such file or directory")) {
            try FileBytes(contentsOfFile: path + "x")
        }
    }

    @Test("rounding casts refuse finite values that overflow to infinity, naming the tensor and the count")
    func overflowingCasts() throws {
        let big = AnyTensor(Tensor<Double>(shape: [4], scalars: [1e300, 7e4, 1.0001, .infinity]))
        #expect(throws: SerializationError.castOverflow(from: "float64", to: "float16", count: 2)) {
            try big.converted(to: .float16, casting: .allowRounding)
        }
        #expect(throws: SerializationError.castOverflow(from: "float64", to: "float32", count: 1)) {
            try big.converted(to: .float32, casting: .allowRounding)
        }
        let lossy = try big.converted(to: .float16, casting: .allowLossy).tensor(as: Float16.self).scalars
        #expect(lossy[0] == .infinity && lossy[1] == .infinity && lossy[2] == 1 && lossy[3] == .infinity)
        let fine = AnyTensor(Tensor<Float>(shape: [2], scalars: [1.0001, 60000]))
        #expect(try fine.converted(to: .float16, casting: .allowRounding).tensor(as: Float16.self).scalars == [1, 60000])
        let c = Checkpoint([("ok", fine), ("bad", big)])
        #expect(throws: SerializationError.inTensor(name: "bad", .castOverflow(from: "float64", to: "float16", count: 2))) {
            try c.converted(floatingPointTo: .float16, casting: .allowRounding)
        }
    }

    @Test("streams hold one tensor at a time; limits on total decoded bytes; unsatisfiable allocations throw")
    func boundedMemory() throws {
        // Every writer releases a stream's tensor before loading the next.
        final class Tracker: @unchecked Sendable {
            var live = 0, peak = 0
        }
        final class Owner {
            let tracker: Tracker
            init(_ t: Tracker) { tracker = t; t.live += 1; t.peak = max(t.peak, t.live) }
            deinit { tracker.live -= 1 }
        }
        let entries = (0..<6).map { TensorStream.Entry(name: "t\($0)", elementType: .float32, shape: [1 << 16]) }
        for format in ["nabla", "safetensors", "npz"] {
            let tracker = Tracker()
            let stream = TensorStream(entries: entries, metadata: ["k": .int(1)]) { i in
                let buffer = ByteBuffer(count: 4 << 16)
                buffer.base.initializeMemory(as: Float.self, repeating: Float(i), count: 1 << 16)
                let owner = Owner(tracker)
                return AnyTensor(elementType: .float32, shape: [1 << 16], bytes: buffer.buffer, owner: [buffer, owner] as AnyObject)
            }
            let sink = MemorySink()
            try FormatRegistry.shared.format(named: format).write(stream, to: sink, options: WriteOptions())
            #expect(tracker.peak == 1, "\(format)")
            let back = try Checkpoint(decoding: sink.bytes, format: format)
            #expect(try back.tensor("t5", as: Float.self).scalars.allSatisfy { $0 == 5 })
        }
        // Eight 1 MiB zero tensors: refused above a total limit of 4 MiB.
        var c = Checkpoint()
        for i in 0..<8 { c.set("z\(i)", Tensor<Float>(repeating: 0, shape: [1 << 18])) }
        let bytes = try c.encoded(format: "nabla")
        #expect(bytes.count < 64 << 10)
        #expect(throws: SerializationError.limitExceeded(format: "nabla", what: "total decoded size", value: 5 << 20, limit: 4 << 20)) {
            try NativeFormat().open(FileBytes(bytes), options: ReadOptions(maxTotalBytes: 4 << 20))
        }
        // verify streams each frame through a small buffer (and still checks it).
        try NativeFormat().open(FileBytes(bytes), options: ReadOptions()).verify()
        var chunks = 0, total = 0
        let frame = try [UInt8](repeating: 0, count: 8 << 20).withUnsafeBytes { try Zstd.compressToArray($0, level: 1) }
        try frame.withUnsafeBytes { f in
            try Zstd.decompressStreaming(f, expected: 8 << 20, format: "nabla", entry: "z") { chunk in
                #expect(chunk.count <= 128 << 10)
                chunks += 1
                total += chunk.count
            }
        }
        #expect(total == 8 << 20 && chunks >= 64)
        // An allocation the system refuses is a thrown error, not an abort.
        #expect(throws: SerializationError.outOfMemory(what: "'huge'", bytes: 1 << 52)) {
            try ByteBuffer(allocating: 1 << 52, for: "'huge'")
        }
    }

    @Test("memoryMap: false copies the file: truncating it afterwards cannot raise SIGBUS")
    func copyInsteadOfMap() throws {
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.nabla"
        let c = Checkpoint([("w", AnyTensor(Tensor<Float>(shape: [1 << 16], scalars: (0..<(1 << 16)).map(Float.init))))])
        try c.save(to: path, options: WriteOptions(compress: false))
        let reader = try CheckpointFile.open(path, options: ReadOptions(maxTotalBytes: nil, memoryMap: false))
        #expect(truncate(path, 0) == 0)
        #expect(try reader.loadAll() == c)
        try reader.verify()
        #expect(try FileBytes(contentsOfFile: path, memoryMap: false).isMemoryMapped == false)
    }
}

/// Carries an error out of a thread.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    func set(_ e: Error) { lock.lock(); stored = e; lock.unlock() }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return stored }
}
