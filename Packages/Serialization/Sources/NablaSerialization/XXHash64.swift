/// XXH64 (Yann Collet's xxHash, 64-bit variant), the checksum of the native checkpoint format.
///
/// It is the hash zstd uses for frame checksums (zstd stores its low 32 bits), fast enough to verify
/// a checkpoint at several GB/s. Test vectors: `XXH64("", seed 0) = 0xEF46DB3751D8E999`.
public enum XXHash64 {
    @usableFromInline static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    @usableFromInline static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    @usableFromInline static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always) @usableFromInline
    static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always) @usableFromInline
    static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always) @usableFromInline
    static func merge(_ acc: UInt64, _ val: UInt64) -> UInt64 {
        (acc ^ round(0, val)) &* p1 &+ p4
    }

    /// The XXH64 hash of `bytes` with `seed`.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let n = bytes.count
        guard let p = bytes.baseAddress else { return finalize(seed &+ p5, p: nil, remaining: 0, total: 0) }
        var i = 0
        var h: UInt64
        if n >= 32 {
            var v1 = seed &+ p1 &+ p2, v2 = seed &+ p2, v3 = seed, v4 = seed &- p1
            while i + 32 <= n {
                v1 = round(v1, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                v2 = round(v2, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)))
                v3 = round(v3, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)))
                v4 = round(v4, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)))
                i += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(h, v1); h = merge(h, v2); h = merge(h, v3); h = merge(h, v4)
        } else {
            h = seed &+ p5
        }
        return finalize(h, p: p + i, remaining: n - i, total: n)
    }

    @usableFromInline
    static func finalize(_ acc: UInt64, p: UnsafeRawPointer?, remaining: Int, total: Int) -> UInt64 {
        var h = acc &+ UInt64(total)
        var i = 0
        if let p {
            while i + 8 <= remaining {
                let k = round(0, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                h = rotl(h ^ k, 27) &* p1 &+ p4
                i += 8
            }
            if i + 4 <= remaining {
                h ^= UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self))) &* p1
                h = rotl(h, 23) &* p2 &+ p3
                i += 4
            }
            while i < remaining {
                h ^= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) &* p5
                h = rotl(h, 11) &* p1
                i += 1
            }
        }
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        h = h &* p3
        h ^= h >> 32
        return h
    }

    /// Incremental XXH64: feed the bytes in pieces of any size with ``update(_:)``; ``finalize()``
    /// gives the same value as ``hash(_:seed:)`` of their concatenation.
    struct Stream {
        private var v1: UInt64, v2: UInt64, v3: UInt64, v4: UInt64
        private let seed: UInt64
        private var total = 0
        /// Bytes not yet consumed (fewer than one 32-byte stripe).
        private var pending = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        private var pendingCount = 0

        init(seed: UInt64 = 0) {
            self.seed = seed
            v1 = seed &+ p1 &+ p2; v2 = seed &+ p2; v3 = seed; v4 = seed &- p1
        }

        @inline(__always)
        private mutating func stripes(_ p: UnsafeRawPointer, _ n: Int) {
            var i = 0
            var a = v1, b = v2, c = v3, d = v4
            while i &+ 32 <= n {
                a = round(a, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                b = round(b, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)))
                c = round(c, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i &+ 16, as: UInt64.self)))
                d = round(d, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i &+ 24, as: UInt64.self)))
                i &+= 32
            }
            v1 = a; v2 = b; v3 = c; v4 = d
        }

        /// Appends `bytes` to the hashed input.
        mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard var p = bytes.baseAddress, bytes.count > 0 else { return }
            var n = bytes.count
            total += n
            if pendingCount > 0 {
                let take = min(32 - pendingCount, n)
                let filled = pendingCount
                withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.advanced(by: filled).copyMemory(from: p, byteCount: take) }
                pendingCount += take
                p += take
                n -= take
                guard pendingCount == 32 else { return }
                var stripe = pending
                withUnsafeBytes(of: &stripe) { stripes($0.baseAddress!, 32) }
                pendingCount = 0
            }
            let whole = n & ~31
            stripes(p, whole)
            if n > whole {
                withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.copyMemory(from: p + whole, byteCount: n - whole) }
                pendingCount = n - whole
            }
        }

        /// The hash of everything passed to ``update(_:)``.
        func finalize() -> UInt64 {
            var h: UInt64
            if total >= 32 {
                h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
                h = merge(h, v1); h = merge(h, v2); h = merge(h, v3); h = merge(h, v4)
            } else {
                h = seed &+ p5
            }
            var tail = pending
            let count = pendingCount, n = total
            return withUnsafeBytes(of: &tail) { XXHash64.finalize(h, p: $0.baseAddress!, remaining: count, total: n) }
        }
    }

    /// The hash of a byte array.
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    /// The 16-digit lowercase hex form written in headers.
    static func hex(_ h: UInt64) -> String {
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
