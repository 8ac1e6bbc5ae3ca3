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
            let frame = try data.withUnsafeBytes { try Zstd.compress($0, level: 1) }
            let stored = frame.suffix(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            #expect(UInt32(truncatingIfNeeded: XXHash64.hash(data)) == UInt32(littleEndian: stored), "length \(n)")
        }
    }
}
