import Foundation
import Testing
import NablaSerialization
@testable import NablaTools

/// Runs `nabla args…` in-process; returns the exit status and the output with `dir` replaced by `DIR`.
func nabla(_ args: [String], in dir: String) -> (status: Int32, out: String, err: String) {
    let console = Console(capturing: true)
    let status = Console.$current.withValue(console) { NablaTool.run(args) }
    return (status, console.standardOutput.replacingOccurrences(of: dir, with: "DIR"),
            console.standardError.replacingOccurrences(of: dir, with: "DIR"))
}

@Suite("nabla command line")
final class NablaToolTests {
    let dir: String

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    init() throws {
        dir = NSTemporaryDirectory() + "nabla-tools-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var c = Checkpoint()
        // 64 Floats i/8 (exact in float16, compressible) and two int64 indices.
        c.set("layer.weight", Tensor<Float>(shape: [8, 8], scalars: (0..<64).map { Float($0) / 8 }))
        c.set("layer.index", Tensor<Int64>(shape: [2], scalars: [3, -1]))
        c.metadata["step"] = .int(7)
        try c.save(to: dir + "/m.nabla")
        try c.save(to: dir + "/m.safetensors")
    }

    @Test("inspect prints entries, sizes, compression and metadata")
    func inspect() throws {
        // Uncompressed, so every size is fixed by the format: 32-byte preamble + 416-byte header
        // (403 bytes of JSON padded so the data starts at 448 = 7·64), then 256 bytes of float32
        // at offset 0 and 16 bytes of int64 at offset 256: 448 + 272 = 720.
        try Checkpoint(contentsOf: dir + "/m.nabla").save(to: dir + "/raw.nabla", options: WriteOptions(compress: false))
        let r = nabla(["inspect", dir + "/raw.nabla"], in: dir)
        #expect(r.status == 0)
        #expect(r.out == """
        DIR/raw.nabla: nabla, 720 B
        name          dtype    shape   parameters  stored  raw    ratio  storage
        layer.weight  float32  [8, 8]  64          256 B   256 B  1.00   raw
        layer.index   int64    [2]     2           16 B    16 B   1.00   raw
        2 tensors, 66 parameters, 272 B stored / 272 B raw (ratio 1.000)
        metadata:
          step: 7

        """)
        // Compressed: the float tensor is shuffled and zstd-compressed (exact size depends on the
        // libzstd version); the 16-byte int64 tensor does not compress and is stored raw.
        let lines = nabla(["inspect", dir + "/m.nabla"], in: dir).out.split(separator: "\n")
        #expect(lines[2].hasPrefix("layer.weight  float32  [8, 8]  64 ") && lines[2].hasSuffix("zstd+shuffle"))
        #expect(lines[3] == "layer.index   int64    [2]     2           16 B    16 B   1.00   raw")
    }

    @Test("inspect --json is one JSON object scripts can parse")
    func inspectJSON() throws {
        let r = nabla(["inspect", "--json", dir + "/m.safetensors"], in: dir)
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "safetensors")
        #expect(object["parameters"] as? Int == 66)
        // Non-string metadata keeps its type through safetensors (JSON text listed under __nabla_json_keys__).
        #expect(object["metadata"] as? [String: Int] == ["step": 7])
        let tensors = try #require(object["tensors"] as? [[String: Any]])
        #expect(tensors.map { $0["name"] as? String } == ["layer.weight", "layer.index"])
        #expect(tensors[0]["shape"] as? [Int] == [8, 8])
    }

    @Test("verify: 0 when intact, 1 when corrupted, 2 when unreadable")
    func verify() throws {
        #expect(nabla(["verify", dir + "/m.nabla"], in: dir).out == "OK DIR/m.nabla: nabla, 2 tensors, all checksums match\n")
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: dir + "/m.nabla")))
        bytes[bytes.count - 3] ^= 0x10   // inside the int64 tensor
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/bad.nabla"))
        let bad = nabla(["verify", dir + "/bad.nabla"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.err.hasPrefix("FAILED DIR/bad.nabla: nabla checksum mismatch in 'layer.index': stored "))
        let missing = nabla(["verify", dir + "/missing.nabla"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.err == "nabla: error: DIR/missing.nabla: cannot open: No such file or directory\n")
        let unknown = nabla(["verify", dir + "/m.pt"], in: dir)
        #expect(unknown.status == 2)
        #expect(unknown.err == "nabla: error: DIR/m.pt: unknown checkpoint format '.pt'\n")
    }

    @Test("convert between formats and dtypes; diff reports the rounding")
    func convertAndDiff() {
        let c = nabla(["convert", dir + "/m.safetensors", dir + "/out.npz"], in: dir)
        #expect(c.status == 0)
        #expect(c.out.hasPrefix("DIR/m.safetensors (safetensors) → DIR/out.npz (npz): 2 tensors, "))
        // .npz holds no metadata, so diff reports it and exits 1; the tensors are identical.
        let d = nabla(["diff", dir + "/m.nabla", dir + "/out.npz"], in: dir)
        #expect(d.status == 1)
        #expect(d.out == """
        name          dtype    shape   max_abs  max_rel  result
        layer.weight  float32  [8, 8]  0        0        equal
        layer.index   int64    [2]     0        0        equal
        metadata differs: step
        checkpoints differ

        """)
        #expect(nabla(["diff", dir + "/m.nabla", dir + "/out.npz", "--ignore-metadata"], in: dir).status == 0)
        // i/8 for i < 64 is exact in float16 and bfloat16 (at most 6 significant bits).
        #expect(nabla(["convert", dir + "/m.nabla", dir + "/h.nabla", "--dtype", "bf16", "--level", "19"], in: dir).status == 0)
        let h = nabla(["diff", dir + "/m.nabla", dir + "/h.nabla"], in: dir)
        #expect(h.status == 0)
        #expect(h.out.contains("layer.weight  float32/bfloat16  [8, 8]  0        0        equal"))
        // A real difference: scale one tensor and compare.
        var c2 = try! Checkpoint(contentsOf: dir + "/m.nabla")
        c2.set("layer.index", Tensor<Int64>(shape: [2], scalars: [4, -1]))
        c2["extra"] = AnyTensor(Tensor<Float>(shape: [1], scalars: [0]))
        try! c2.save(to: dir + "/m2.nabla")
        let diff = nabla(["diff", dir + "/m.nabla", dir + "/m2.nabla"], in: dir)
        #expect(diff.status == 1)
        // |3 − 4| = 1 absolute, 1/4 = 0.25 relative to b.
        #expect(diff.out == """
        only in b: extra
        name          dtype    shape   max_abs  max_rel  result
        layer.weight  float32  [8, 8]  0        0        equal
        layer.index   int64    [2]     1        0.25     DIFFERENT
        checkpoints differ

        """)
        #expect(nabla(["diff", dir + "/m.nabla", dir + "/m2.nabla", "--atol", "1"], in: dir).out.contains("within tolerance"))
    }

    @Test("bad arguments exit 2 with usage on stderr; --help exits 0")
    func arguments() {
        let r = nabla(["convert", "a.nabla", "b.nabla", "--level=-1"], in: dir)
        #expect(r.status == 2)
        #expect(r.err.hasPrefix("nabla: error: --level must be 0 or more, got -1\nUsage: nabla convert <input> <output>"))
        #expect(nabla(["convert", "a.nabla", "b.nabla", "--dtype", "f8"], in: dir).status == 2)
        #expect(nabla(["frobnicate"], in: dir).status == 2)
        for command in ["convert", "inspect", "verify", "diff"] {
            let help = nabla([command, "--help"], in: dir)
            #expect(help.status == 0)
            #expect(help.out.contains("USAGE: nabla \(command)"))
        }
        #expect(nabla(["--help"], in: dir).out.contains("SUBCOMMANDS:"))
    }
}
