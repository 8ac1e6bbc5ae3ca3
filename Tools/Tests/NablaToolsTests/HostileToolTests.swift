import Foundation
import Testing
import NablaSerialization
@testable import NablaTools

@Suite("nabla command line under attack")
final class HostileToolTests {
    let dir: String

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    init() throws {
        dir = NSTemporaryDirectory() + "nabla-hostile-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var c = Checkpoint()
        c.set("w", Tensor<Float>(shape: [4], scalars: [1, 2, 3, 4]))
        c.metadata["step"] = .int(7)
        c.metadata["config"] = .object([("hidden", .int(64))])
        try c.save(to: dir + "/m.nabla")
    }

    @Test("convert --dtype refuses values that overflow, naming the tensor; --allow-lossy accepts them")
    func lossyCast() throws {
        let c = Checkpoint([("ok", AnyTensor(Tensor<Float>(shape: [1], scalars: [1]))),
                            ("big", AnyTensor(Tensor<Double>(shape: [3], scalars: [1e300, 7e4, 1])))])
        try c.save(to: dir + "/big.nabla")
        let r = nabla(["convert", dir + "/big.nabla", dir + "/h.nabla", "--dtype", "f16"], in: dir)
        #expect(r.status == 2)
        #expect(r.err.hasPrefix("nabla: error: DIR/h.nabla: tensor 'big': casting float64 to float16 turns 2 finite values into infinity or NaN"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/h.nabla"))
        #expect(nabla(["convert", dir + "/big.nabla", dir + "/h.nabla", "--dtype", "f16", "--allow-lossy"], in: dir).status == 0)
        let h = try Checkpoint(contentsOf: dir + "/h.nabla").tensor("big", as: Float16.self).scalars
        #expect(h[0] == .infinity && h[1] == .infinity && h[2] == 1)
    }

    @Test("convert refuses to replace its input however it is spelled or linked, and non-regular outputs")
    func sameFile() throws {
        let input = dir + "/m.nabla"
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.nabla", withDestinationPath: input)
        #expect(link(input, dir + "/hard.nabla") == 0)
        for output in [dir + "/./m.nabla", dir + "/../" + (dir as NSString).lastPathComponent + "/m.nabla",
                       dir + "/link.nabla", dir + "/hard.nabla"] {
            let r = nabla(["convert", input, output], in: dir)
            #expect(r.status == 2, "\(output)")
            #expect(r.err.contains("is the input file DIR/m.nabla (same device and inode)"), "\(r.err)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
        let device = nabla(["convert", input, "/dev/null", "--to", "nabla"], in: dir)
        #expect(device.status == 2)
        #expect(device.err == "nabla: error: /dev/null: is not a regular file; refusing to replace it\n")
    }

    @Test("--level is checked against each format's documented range")
    func levels() {
        let input = dir + "/m.nabla"
        for (output, level, ok) in [("a.nabla", 19, true), ("a.nabla", 20, false), ("a.nabla", 22, false), ("a.npz", 9, true),
                                    ("a.npz", 10, false), ("a.safetensors", 1, false), ("b.nabla", 0, true)] {
            let r = nabla(["convert", input, dir + "/" + output, "--level", String(level)], in: dir)
            #expect((r.status == 0) == ok, "\(output) --level \(level): \(r.err)")
        }
        #expect(nabla(["convert", input, dir + "/c.nabla", "--level", "20"], in: dir).err
                == "nabla: error: --level for nabla must be in 0…19, got 20\n")
        #expect(nabla(["convert", input, dir + "/c.npz", "--level", "10"], in: dir).err
                == "nabla: error: --level for npz must be in 0…9, got 10\n")
    }

    @Test("help does not repeat itself; --version; every error in the nabla: error: form")
    func helpVersionErrors() {
        let help = nabla(["convert", "--help"], in: dir).out
        #expect(help.components(separatedBy: "f16, bf16, f32, f64").count == 2, "\(help)")
        let version = nabla(["--version"], in: dir)
        #expect(version.status == 0 && version.out == nablaVersion + "\n")
        let op = nabla(["gradcheck", "--op", "nope"], in: dir)
        #expect(op.status == 2)
        #expect(op.err.hasPrefix("nabla: error: "), "\(op.err)")
        #expect(!op.err.contains("Error:"))
        #expect(nabla(["frobnicate"], in: dir).err.hasPrefix("nabla: error: "))
        #expect(CheckFailed().localizedDescription == "a check failed (the report above says which)")
        #expect(ToolError("x: bad").localizedDescription == "x: bad")
    }

    @Test("diff exits 1 when only metadata differs; metadata types survive a safetensors round trip")
    func metadata() throws {
        #expect(nabla(["convert", dir + "/m.nabla", dir + "/m.safetensors"], in: dir).status == 0)
        let same = nabla(["diff", dir + "/m.nabla", dir + "/m.safetensors"], in: dir)
        #expect(same.status == 0, "\(same.out)")
        var c = try Checkpoint(contentsOf: dir + "/m.nabla")
        c.metadata["step"] = .int(8)
        try c.save(to: dir + "/m8.nabla")
        let r = nabla(["diff", dir + "/m.nabla", dir + "/m8.nabla"], in: dir)
        #expect(r.status == 1)
        #expect(r.out.hasSuffix("metadata differs: step\ncheckpoints differ\n"))
    }

    @Test("inspect keeps non-ASCII names whole; paths with non-UTF-8 bytes open; FIFOs are refused; --no-mmap")
    func namesAndPaths() throws {
        let name = "cafe\u{301}.w"                          // 6 Characters, 7 UTF-16 units
        try Checkpoint([(name, AnyTensor(Tensor<Float>(shape: [1], scalars: [1])))]).save(to: dir + "/u.nabla")
        let r = nabla(["inspect", dir + "/u.nabla"], in: dir)
        #expect(r.out.contains("\n" + name + "  float32"), "\(r.out)")

        let bytes = Array(dir.utf8) + [0x2F, 0x78, 0xFF] + Array(".nabla".utf8)
        let path = FilePath.string(fileSystemRepresentation: bytes)
        #expect(nabla(["convert", dir + "/m.nabla", path], in: dir).status == 0)
        let i = nabla(["inspect", path], in: dir)
        #expect(i.status == 0)
        #expect(i.out.hasPrefix(path.replacingOccurrences(of: dir, with: "DIR") + ": nabla"))
        let absent = FilePath.string(fileSystemRepresentation: Array(dir.utf8) + [0x2F, 0x79, 0xFE] + Array(".nabla".utf8))
        let missing = nabla(["inspect", absent], in: dir)
        #expect(missing.err == "nabla: error: DIR/y\\xFE.nabla: cannot open: No such file or directory\n")

        #expect(mkfifo(dir + "/p.nabla", 0o600) == 0)
        let fifo = nabla(["verify", dir + "/p.nabla"], in: dir)
        #expect(fifo.status == 2)
        #expect(fifo.err == "nabla: error: DIR/p.nabla: not a regular file (a FIFO)\n")

        #expect(nabla(["verify", "--no-mmap", dir + "/m.nabla"], in: dir).status == 0)
        #expect(nabla(["convert", "--no-mmap", dir + "/m.nabla", dir + "/copy.npz"], in: dir).status == 0)
    }
}
