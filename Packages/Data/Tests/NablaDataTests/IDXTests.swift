import Foundation
import Testing
@testable import NablaData

/// An IDX file (the MNIST layout): magic 00 00 type rank, big-endian UInt32 dimensions, big-endian data.
func idx(type: UInt8, shape: [Int], payload: [UInt8]) -> [UInt8] {
    var b: [UInt8] = [0, 0, type, UInt8(shape.count)]
    for d in shape { b += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
    return b + payload
}

/// `bytes` gzip-compressed by the system's `gzip` (nothing can be downloaded: the tests make their own fixtures).
func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let d = tempDir(), p = d + "/f"
    write(bytes, p)
    let proc = Process()
    proc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    proc.arguments = ["gzip", "-9", "-n", p]
    try proc.run()
    proc.waitUntilExit()
    return Array(try Data(contentsOf: URL(fileURLWithPath: p + ".gz")))
}

@Suite struct IDXTests {
    /// A 2×2×3 uint8 "images" file and its labels, as the MNIST files are laid out.
    let images = idx(type: 0x08, shape: [2, 2, 3], payload: [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255])
    let labels = idx(type: 0x08, shape: [2], payload: [7, 3])

    @Test func rawAndGzipReadTheSame() throws {
        let d = tempDir()
        write(images, d + "/img-idx3-ubyte")
        write(try gzipped(images), d + "/img-idx3-ubyte.gz")
        write(try gzipped(labels), d + "/lbl-idx1-ubyte.gz")
        let raw = try IDXFile.read(d + "/img-idx3-ubyte", as: UInt8.self)
        #expect(raw.shape == [2, 2, 3])
        #expect(raw.scalars == [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255])
        #expect(try IDXFile.read(d + "/img-idx3-ubyte.gz", as: UInt8.self) == raw)
        #expect(try IDXFile.read(d + "/img-idx3-ubyte.gz", as: Float.self).scalars.last == 255)
        #expect(try IDXFile.read(d + "/lbl-idx1-ubyte.gz", as: Int32.self).scalars == [7, 3])
    }

    @Test func bigEndianTypes() throws {
        let d = tempDir()
        write(idx(type: 0x0B, shape: [2], payload: [0xFF, 0xFE, 0x01, 0x00]), d + "/s")
        #expect(try IDXFile.read(d + "/s", as: Int16.self).scalars == [-2, 256])
        write(idx(type: 0x0D, shape: [1], payload: [0x3F, 0xC0, 0, 0]), d + "/f")
        #expect(try IDXFile.read(d + "/f", as: Float.self).scalars == [1.5])
        write(idx(type: 0x0E, shape: [1], payload: [0xC0, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18]), d + "/d")
        #expect(try IDXFile.read(d + "/d", as: Double.self).scalars == [-Double.pi])
        write(idx(type: 0x0C, shape: [1], payload: [0x80, 0, 0, 0]), d + "/i")
        #expect(try IDXFile.read(d + "/i", as: Int32.self).scalars == [Int32.min])
        // Narrowing is refused: float64 elements read as Float.
        #expect(message { let _: Tensor<Float> = try IDXFile.read(d + "/d") }.contains("/d"))
    }

    /// Truncated, malformed and hostile files: a typed error naming file and offset, no crash, and
    /// no allocation beyond the bytes present.
    @Test func hostileFiles() throws {
        let d = tempDir()
        let gz = try gzipped(images)
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "byte offset 0: truncated: the file ends 4 bytes short of the magic number"),
            ("magic", [1, 2, 8, 1, 0, 0, 0, 1, 0], "byte offset 0: bad magic 01 02 08 01"),
            ("type", [0, 0, 0x42, 1, 0, 0, 0, 1, 0], "byte offset 2: unknown element type 0x42"),
            ("dims", [0, 0, 8, 3, 0, 0, 0, 2], "byte offset 8: truncated: the file ends 8 bytes short of 3 dimensions"),
            ("short", Array(images.dropLast(2)), "byte offset 26: truncated: the file ends 2 bytes short of 12 elements of shape [2, 2, 3]"),
            ("long", images + [9], "byte offset 28: trailing bytes after the 12 elements"),
            // 4 × 2³²−1 × 2³²−1 … overflows Int: refused before any allocation.
            ("overflow", idx(type: 0x0E, shape: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: []), "the element count is"),
            // 60 000 × 1 000 000 float64 = 480 GB claimed by a 20-byte file: above the limit.
            ("huge", idx(type: 0x0E, shape: [60_000, 1_000_000], payload: [1, 2, 3]), "above the limit of 4294967296"),
            ("gz-truncated", Array(gz.prefix(gz.count / 2)), "malformed gzip file at byte offset"),
            // A wrong CRC-32 in the gzip trailer.
            ("gz-corrupt", Array(gz.dropLast(8)) + [0xDE, 0xAD, 0xBE, 0xEF, 12, 0, 0, 0], "corrupt compressed data: incorrect data check"),
            ("gz-trailing", gz + [1, 2, 3], "trailing bytes after the compressed stream"),
        ]
        for (name, bytes, expected) in cases {
            let p = d + "/\(name)"
            write(bytes, p)
            let m = message { let _: Tensor<UInt8> = try IDXFile.read(p) }
            #expect(m.hasPrefix(p) && m.contains(expected), "\(name): \(m)")
        }
        // Within the default limit but far beyond the file: memory grows only with the bytes read.
        let p = d + "/claims-1GB"
        write(idx(type: 0x08, shape: [1 << 30], payload: [1, 2, 3]), p)
        #expect(message { let _: Tensor<UInt8> = try IDXFile.read(p) }.contains("truncated: the file ends 1073741821 bytes short"))
        #expect(message { let _: Tensor<UInt8> = try IDXFile.read(d) } == "\(d): not a regular file")
    }
}
