import Foundation
import Testing
@testable import NablaSerialization

/// Builds a safetensors file from a header string and data bytes.
func safetensorsFile(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
    let h = Array(header.utf8)
    return withUnsafeBytes(of: (length ?? UInt64(h.count)).littleEndian) { Array($0) } + h + data
}

func openSafetensors(_ bytes: [UInt8]) throws -> Checkpoint {
    try SafetensorsFormat().open(FileBytes(bytes), options: ReadOptions()).loadAll()
}

@Suite("Reader validation")
struct ValidationTests {
    @Test("safetensors: the known attacks are thrown errors")
    func safetensorsAttacks() throws {
        let f = "safetensors"
        // Header length larger than the file.
        #expect(throws: SerializationError.malformed(format: f, reason: "header length 1000 runs past the end of the 12-byte file")) {
            try openSafetensors(safetensorsFile("{}  ", length: 1000))
        }
        // Header length above the 100 MB limit (checked before anything is read).
        #expect(throws: SerializationError.limitExceeded(format: f, what: "header length", value: UInt64.max, limit: 100_000_000)) {
            try openSafetensors(safetensorsFile("{}", length: UInt64.max))
        }
        // Offsets that wrap around: 2^64 - 8 does not fit an Int, so it is not an integer offset.
        #expect(throws: SerializationError.self) {
            try openSafetensors(safetensorsFile(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[18446744073709551608,0]}}"#))
        }
        #expect(throws: SerializationError.malformed(format: f, reason: "'a': data_offsets must be [begin, end] with 0 ≤ begin ≤ end")) {
            try openSafetensors(safetensorsFile(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#))
        }
        // Unknown dtype.
        #expect(throws: SerializationError.unknownDType(format: f, name: "F7")) {
            try openSafetensors(safetensorsFile(#"{"a":{"dtype":"F7","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        }
        // Shape whose product overflows.
        #expect(throws: SerializationError.malformed(format: f, reason: "'a': shape [4611686018427387904, 4] overflows")) {
            try openSafetensors(safetensorsFile(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#))
        }
        // Size that disagrees with the shape.
        #expect(throws: SerializationError.malformed(format: f, reason: "'a': float32 × [2] is 8 bytes but data_offsets span 4")) {
            try openSafetensors(safetensorsFile(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        }
        // Duplicate names (a JSON parser that keeps the last one would hide this).
        #expect(throws: SerializationError.malformed(format: f, reason: "header JSON: key 'a' appears twice in one object at offset 53")) {
            try openSafetensors(safetensorsFile(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#, data: [1, 2]))
        }
        // Gap, overlap, data not covered exactly.
        #expect(throws: SerializationError.malformed(format: f, reason: "'b' starts at data offset 2, expected 1 (entries must be contiguous)")) {
            try openSafetensors(safetensorsFile(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}}"#, data: [1, 2, 3]))
        }
        #expect(throws: SerializationError.malformed(format: f, reason: "tensors cover 1 data bytes but the file has 2 after the header")) {
            try openSafetensors(safetensorsFile(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, data: [1, 2]))
        }
        // Metadata must map strings to strings.
        #expect(throws: SerializationError.malformed(format: f, reason: "__metadata__['x'] is not a string")) {
            try openSafetensors(safetensorsFile(#"{"__metadata__":{"x":1}}"#))
        }
        // Not an object; deep nesting.
        #expect(throws: SerializationError.malformed(format: f, reason: "header does not start with '{'")) {
            try openSafetensors(safetensorsFile("[1]"))
        }
        #expect(throws: SerializationError.self) {
            try openSafetensors(safetensorsFile("{\"a\":" + String(repeating: "[", count: 100_000)))
        }
        // Bool bytes must be 0 or 1.
        #expect(throws: SerializationError.malformed(format: f, reason: "'a': bool tensor holds a byte other than 0 or 1")) {
            try openSafetensors(safetensorsFile(#"{"a":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}"#, data: [2]))
        }
    }

    @Test("safetensors: empty and rank-0 tensors, unaligned data, metadata")
    func safetensorsValid() throws {
        // Header of 75 bytes: data starts at byte 83, not aligned for F32.
        let header = #"{"__metadata__":{"k":"v"},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"#
            + #""s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"v":{"dtype":"F64","shape":[2],"data_offsets":[4,20]}}"#
        let data = withUnsafeBytes(of: Float(2.5)) { Array($0) } + withUnsafeBytes(of: (1.25, -7.0)) { Array($0) }
        let c = try openSafetensors(safetensorsFile(header, data: data))
        #expect(c.metadata == ["k": .string("v")])
        #expect(c["e"]!.shape == [0, 3])
        #expect(try c.tensor("s", as: Float.self).scalar == 2.5)
        #expect(try c.tensor("v", as: Double.self).scalars == [1.25, -7])
        #expect(try c.tensor("v", as: Double.self).shape == [2])
        // The writer pads the header to a multiple of 8.
        let out = try c.encoded(format: "safetensors")
        let n = out.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(n % 8 == 0)
        #expect(out[8 + Int(n) - 1] == 0x20 || n == 0)
    }

    @Test("npy: v1-v3 headers, big-endian, Fortran order (files written by numpy 2.4.6)")
    func npyVariants() throws {
        // np.save(f, np.arange(6, dtype='>i4').reshape(2, 3)) -> 128 bytes; header copied from numpy 2.4.6.
        func npy(_ major: UInt8, _ header: String, _ data: [UInt8]) -> [UInt8] {
            var h = Array(header.utf8)
            let pre = major == 1 ? 10 : 12
            h += [UInt8](repeating: 0x20, count: (64 - (pre + h.count + 1) % 64) % 64) + [0x0A]
            var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0]
            out += major == 1 ? [UInt8(h.count & 0xFF), UInt8(h.count >> 8)] : [UInt8(h.count & 0xFF), UInt8(h.count >> 8), 0, 0]
            return out + h + data
        }
        let be: [UInt8] = (0..<6).flatMap { [0, 0, 0, UInt8($0)] }
        let a = try Checkpoint(decoding: npy(1, "{'descr': '>i4', 'fortran_order': False, 'shape': (2, 3), }", be), format: "npy")
        #expect(try a.tensor("array", as: Int32.self) == Tensor<Int32>(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))
        // Fortran order: memory holds columns [0,3],[1,4],[2,5] of [[0,1,2],[3,4,5]].
        let fo: [UInt8] = [0, 3, 1, 4, 2, 5].flatMap { withUnsafeBytes(of: Int16($0)) { Array($0) } }
        let b = try Checkpoint(decoding: npy(2, "{'descr': '<i2', 'fortran_order': True, 'shape': (2, 3), }", fo), format: "npy")
        #expect(try b.tensor("array", as: Int16.self) == Tensor<Int16>(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))
        let c = try Checkpoint(decoding: npy(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
                                             withUnsafeBytes(of: 3.5) { Array($0) }), format: "npy")
        #expect(try c.tensor("array", as: Double.self).scalar == 3.5)
        #expect(throws: SerializationError.unknownDType(format: "npy", name: "<U3")) {
            try Checkpoint(decoding: npy(1, "{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }", [0]), format: "npy")
        }
        #expect(throws: SerializationError.unsupportedDType(format: "npy", dtype: "structured dtype (descr is not a string)")) {
            try Checkpoint(decoding: npy(1, "{'descr': (1,), 'fortran_order': False, 'shape': (1,), }", [0]), format: "npy")
        }
    }

    @Test("native: header limits, truncation, trailing bytes")
    func native() throws {
        var c = Checkpoint()
        c.set("w", Tensor<Float>(shape: [4], scalars: [1, 2, 3, 4]))
        let bytes = try c.encoded(format: "nabla")
        #expect(throws: SerializationError.malformed(format: "nabla", reason: "file is 10 bytes, shorter than the 32-byte preamble")) {
            try NativeFormat().open(FileBytes(Array(bytes.prefix(10))), options: ReadOptions())
        }
        #expect(throws: SerializationError.self) {
            try NativeFormat().open(FileBytes(bytes + [0]), options: ReadOptions())
        }
        var small = ReadOptions()
        small.maxHeaderBytes = 16
        #expect(throws: SerializationError.self) { try NativeFormat().open(FileBytes(bytes), options: small) }
        #expect(throws: SerializationError.unknownTensor("nope")) {
            try NativeFormat().open(FileBytes(bytes), options: ReadOptions()).tensor(named: "nope")
        }
    }
}
