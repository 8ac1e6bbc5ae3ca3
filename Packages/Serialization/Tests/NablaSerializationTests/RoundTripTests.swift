import Foundation
import Testing
@testable import NablaSerialization

@Suite("Round trips")
struct RoundTripTests {
    /// Every dtype safetensors can hold (all but complex128, which its spec lacks).
    let original = TestData.everyDType(excluding: [.complex128])

    @Test("native ↔ safetensors ↔ npz is lossless for every dtype and shape")
    func chain() throws {
        for compress in [true, false] {
            let options = WriteOptions(compress: compress)
            let native = try Checkpoint(decoding: original.encoded(format: "nabla", options: options), format: "nabla")
            #expect(native == original)
            // safetensors stores metadata values as strings; non-string values are JSON text listed
            // under __nabla_json_keys__, so they come back as the same JSON values.
            let st = try Checkpoint(decoding: native.encoded(format: "safetensors"), format: "safetensors")
            #expect(st == original)
            let npz = try Checkpoint(decoding: st.encoded(format: "npz", options: options), format: "npz")
            #expect(npz == original.withoutMetadata)
            let back = try Checkpoint(decoding: npz.encoded(format: "nabla", options: options), format: "nabla")
            #expect(back == original.withoutMetadata)
        }
    }

    @Test("complex128: native ↔ npz lossless; safetensors refuses it by name")
    func complex128() throws {
        let c = Checkpoint([("z", TestData.random(.complex128, [2, 3], seed: 5))])
        #expect(try Checkpoint(decoding: c.encoded(format: "nabla"), format: "nabla") == c)
        #expect(try Checkpoint(decoding: c.encoded(format: "npz"), format: "npz") == c)
        #expect(throws: SerializationError.inTensor(name: "z", .unsupportedDType(format: "safetensors", dtype: "complex128"))) {
            try c.encoded(format: "safetensors")
        }
    }

    @Test("float8 tensors round-trip through native and safetensors")
    func float8() throws {
        let c = TestData.everyDType(includeFloat8: true, excluding: [.complex128])
        #expect(try Checkpoint(decoding: c.encoded(format: "nabla"), format: "nabla") == c)
        #expect(try Checkpoint(decoding: c.encoded(format: "safetensors"), format: "safetensors").withoutMetadata == c.withoutMetadata)
        #expect(throws: SerializationError.inTensor(name: "float8_e4m3.0", .unsupportedDType(format: "npy", dtype: "float8_e4m3"))) {
            try c.encoded(format: "npz")
        }
    }

    @Test("single .npy file holds one tensor named \"array\"")
    func npy() throws {
        let t = TestData.random(.float32, [2, 3], seed: 9)
        let c = Checkpoint([("w", t)])
        let back = try Checkpoint(decoding: c.encoded(format: "npy"), format: "npy")
        #expect(back.names == ["array"])
        #expect(back["array"] == t)
        #expect(throws: SerializationError.self) { try original.encoded(format: "npy") }
    }

    @Test("files on disk: atomic save, load by extension, typed access")
    func files() throws {
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let w = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
        var c = Checkpoint()
        c.set("fc.weight", w)
        c.metadata["epoch"] = .int(3)
        for ext in ["nabla", "safetensors", "npz"] {
            let path = dir + "/model." + ext
            try c.save(to: path)
            let back = try Checkpoint(contentsOf: path)
            #expect(try back.tensor("fc.weight", as: Float.self) == w)
            #expect(try back.tensor("fc.weight", as: Double.self) == Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3, 4]))
        }
        // No temporary files are left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
        #expect(throws: SerializationError.inFile(path: dir + "/model.pt", .unknownFormat("'.pt'"))) {
            try c.save(to: dir + "/model.pt")
        }
    }

    @Test("uncompressed native tensors are read in place from the mapped file")
    func zeroCopy() throws {
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/raw.nabla"
        var c = Checkpoint()
        c.set("a", Tensor<Float>(shape: [3], scalars: [1, 2, 3]))
        c.set("b", Tensor<Double>(shape: [5], scalars: [1, 2, 3, 4, 5]))
        var options = WriteOptions()
        options.uncompressed = ["a", "b"]   // per tensor: everything else would be compressed
        c.set("c", Tensor<Float>(repeating: 0, shape: [1000]))
        try c.save(to: path, options: options)
        let file = try FileBytes(contentsOfFile: path)
        let reader = try NativeFormat().open(file, options: ReadOptions())
        #expect(reader.entries.map(\.compression) == ["none", "none", "zstd"])
        for name in ["a", "b"] {
            let t = try reader.tensor(named: name)
            let p = t.bytes.baseAddress!
            #expect(p >= UnsafeRawPointer(file.base) && p < UnsafeRawPointer(file.base + file.count))
            #expect(Int(bitPattern: p) % 64 == 0)
        }
        var b = try reader.tensor(named: "b").tensor(as: Double.self)
        #expect(b.scalars == [1, 2, 3, 4, 5])
        b[element: 0] = 42   // private mapping: the file is not changed
        #expect(try Checkpoint(contentsOf: path).tensor("b", as: Double.self).scalars == [1, 2, 3, 4, 5])
    }

    @Test("registry: lookup by name and extension, unknown names throw, third-party formats register")
    func registry() throws {
        let r = FormatRegistry(builtinFormats)
        #expect(try r.format(forPath: "/x/y/m.SafeTensors").name == "safetensors")
        #expect(try r.format(named: "NPZ").name == "npz")
        #expect(throws: SerializationError.unknownFormat("'gguf' (known: nabla, safetensors, npy, npz)")) {
            try r.format(named: "gguf")
        }
        #expect(throws: SerializationError.unknownFormat("(model has no file extension)")) { try r.format(forPath: "model") }
        struct Alias: CheckpointFormat {
            let name = "st2"
            let fileExtensions = ["st2"]
            func open(_ bytes: FileBytes, options: ReadOptions) throws -> any CheckpointReader {
                try SafetensorsFormat().open(bytes, options: options)
            }
            func write(_ c: Checkpoint, to sink: any ByteSink, options: WriteOptions) throws {
                try SafetensorsFormat().write(c, to: sink, options: options)
            }
        }
        r.register(Alias())
        #expect(try r.format(forPath: "a.st2").name == "st2")
    }
}
