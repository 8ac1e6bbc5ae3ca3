import Foundation
import Testing
import _NablaTestSupport
@testable import NablaSerialization

/// The ZIP64 path of the `.npz` writer, exercised on small files by lowering the thresholds
/// (real archives need it past 4 GiB or 65 535 members).
@Suite("npz ZIP64")
struct NPZZip64Tests {
    static func checkpoint() -> Checkpoint {
        var c = Checkpoint()
        c.set("small", Tensor<Float>(shape: [2], scalars: [1, 2]))                     // 136-byte member
        c.set("zeros", Tensor<Double>(repeating: 0, shape: [300]))                     // deflates well
        c["noise"] = TestData.random(.int32, [50], seed: 4)
        return c
    }

    static func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[i + $1]) << (8 * UInt32($1)) } }

    @Test("members and offsets past the threshold get ZIP64 fields and end records; the reader gets the same tensors back")
    func smallThreshold() throws {
        let c = Self.checkpoint()
        for compress in [false, true] {
            let sink = MemorySink()
            // Threshold 100: every member (a .npy header alone is 128 bytes) and every offset but the
            // first overflow; 3 members ≥ count threshold 2 needs the ZIP64 end record as well.
            try NPZFormat(zip64Threshold: 100, zip64CountThreshold: 2).write(c, to: sink, options: WriteOptions(compress: compress))
            let b = sink.bytes
            // First local header (APPNOTE 4.3.7): version 45, both sizes 0xFFFFFFFF, a 20-byte extra
            // field with id 1 and length 16 after the 9-byte name "small.npy".
            #expect(Self.u32(b, 0) == 0x0403_4B50 && Self.u16(b, 4) == 45)
            #expect(Self.u32(b, 18) == 0xFFFF_FFFF && Self.u32(b, 22) == 0xFFFF_FFFF)
            #expect(Self.u16(b, 26) == 9 && Self.u16(b, 28) == 20)
            #expect(Self.u16(b, 39) == 1 && Self.u16(b, 41) == 16)
            // Classic end record (last 22 bytes): counts 0xFFFF, size and offset 0xFFFFFFFF; the
            // 20-byte locator before it, pointing at the 56-byte ZIP64 end record before that.
            let eocd = b.count - 22
            #expect(Self.u32(b, eocd) == 0x0605_4B50)
            #expect(Self.u16(b, eocd + 8) == 0xFFFF && Self.u16(b, eocd + 10) == 0xFFFF)
            #expect(Self.u32(b, eocd + 12) == 0xFFFF_FFFF && Self.u32(b, eocd + 16) == 0xFFFF_FFFF)
            #expect(Self.u32(b, eocd - 20) == 0x0706_4B50)
            #expect(Int(Self.u32(b, eocd - 12)) == eocd - 20 - 56)
            #expect(Self.u32(b, eocd - 20 - 56) == 0x0606_4B50)
            let reader = try NPZFormat().open(FileBytes(b), options: ReadOptions())
            // (Whether the random member deflates depends on its mostly-blank .npy header; not checked.)
            #expect(reader.entries.prefix(2).map(\.compression) == (compress ? ["deflate", "deflate"] : ["none", "none"]))
            #expect(try reader.loadAll(progress: nil) == c)
            try reader.verify()
        }
    }

    @Test("under the real limits nothing changes: no ZIP64 records")
    func noZip64() throws {
        let b = try Self.checkpoint().encoded(format: "npz")
        #expect(Self.u16(b, 4) == 20)
        let signature: [UInt8] = [0x50, 0x4B, 0x06, 0x06]
        #expect(!(0..<(b.count - 3)).contains { Array(b[$0..<($0 + 4)]) == signature })
    }

    @Test("numpy reads a ZIP64 .npz that Nabla wrote", .enabled(if: pythonHasPackages, "needs python3 with numpy"))
    func numpyReadsZip64() throws {
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = Self.checkpoint()
        for compress in [false, true] {
            let sink = MemorySink()
            try NPZFormat(zip64Threshold: 100, zip64CountThreshold: 2).write(c, to: sink, options: WriteOptions(compress: compress))
            try Data(sink.bytes).write(to: URL(fileURLWithPath: dir + "/z\(compress).npz"))
        }
        let noise = try c.tensor("noise", as: Int32.self).scalars.map(String.init).joined(separator: ",")
        let script = """
        import sys, numpy as np
        for name in ['zfalse', 'ztrue']:
            z = np.load(sys.argv[1] + '/' + name + '.npz')
            assert sorted(z.files) == ['noise', 'small', 'zeros'], z.files
            assert z['small'].dtype == np.float32 and z['small'].tolist() == [1.0, 2.0]
            assert z['zeros'].dtype == np.float64 and z['zeros'].shape == (300,) and not z['zeros'].any()
            assert z['noise'].dtype == np.int32 and z['noise'].tolist() == [\(noise)]
        print('ok')
        """
        let result = try #require(runPython(script, [dir]))
        #expect(result.status == 0 && result.output.contains("ok"), "\(result.output)")
    }
}
