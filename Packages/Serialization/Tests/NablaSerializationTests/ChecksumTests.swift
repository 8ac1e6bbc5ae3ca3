import CZstd
import Testing
@testable import NablaSerialization

@Suite("XXH64")
struct ChecksumTests {
    @Test("reference vectors")
    func vectors() {
        // From the xxHash repository's sanity checks (XXH64 of the empty input, seed 0 and seed 1... ).
        #expect(XXHash64.hash([]) == 0xEF46_DB37_51D8_E999)
        // XXH64("abc") as listed by the xxHash test suite and python-xxhash's README-style examples.
        #expect(XXHash64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
    }

    @Test("agrees with zstd's frame checksum (the low 32 bits of XXH64) at every length 0…300")
    func againstZstd() throws {
        var rng = SplitMix64(seed: 3)
        for n in 0...300 {
            let data = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let frame = try data.withUnsafeBytes { try Zstd.compressToArray($0, level: 1) }
            let stored = frame.suffix(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            #expect(UInt32(truncatingIfNeeded: XXHash64.hash(data)) == UInt32(littleEndian: stored), "length \(n)")
        }
    }
}

@Suite("Byte shuffle")
struct ShuffleTests {
    @Test("streamed shuffle equals the spec: per block of 262144 elements, out[b·m + i] = in[(i₀ + i)·w + b]")
    func streamedShuffle() throws {
        for (n, w) in [(600_000, 2), (262_144, 4), (270_001, 4), (5, 8), (262_145, 8)] {
            let raw = (0..<(n * w)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
            let frame = try raw.withUnsafeBytes { try Zstd.compressToArray($0, level: 1, shuffleWidth: w) }
            // Decompressing without the filter gives the shuffled stream.
            var plain = [UInt8](repeating: 0, count: raw.count)
            try frame.withUnsafeBytes { f in
                try plain.withUnsafeMutableBytes { try Zstd.decompress(f, into: $0.baseAddress!, expected: raw.count, format: "t", entry: "x") }
            }
            // Written out from the spec (docs/checkpoint-format.md), not with ByteShuffle.
            var expected = [UInt8](repeating: 0, count: raw.count)
            var i0 = 0
            while i0 < n {
                let m = min(262_144, n - i0)
                for b in 0..<w { for i in 0..<m { expected[i0 * w + b * m + i] = raw[(i0 + i) * w + b] } }
                i0 += m
            }
            #expect(plain == expected)
            // And the filtered decoder restores the original.
            var back = [UInt8](repeating: 0, count: raw.count)
            try frame.withUnsafeBytes { f in
                try back.withUnsafeMutableBytes {
                    try Zstd.decompress(f, into: $0.baseAddress!, expected: raw.count, shuffleWidth: w, format: "t", entry: "x")
                }
            }
            #expect(back == raw)
        }
    }
}
