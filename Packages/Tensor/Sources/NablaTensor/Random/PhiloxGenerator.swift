/// Philox-4×32-10, the counter-based generator of Salmon et al. (SC'11), also used by JAX,
/// cuRAND and PyTorch's CUDA backend.
///
/// The output is a pure function of `(key, counter)`, so any block of random numbers can be
/// produced independently: results are identical whatever the thread count, and ``split(into:)``
/// derives independent streams without shared state. Conforms to `RandomNumberGenerator`, so it
/// also drives Swift's own `Double.random(in:using:)` and `shuffled(using:)`.
public struct PhiloxGenerator: RandomNumberGenerator, Sendable, Hashable {
    /// The 64-bit key (the seed).
    public var key: UInt64
    /// The 128-bit block counter; each block yields four 32-bit words.
    public var counter: (low: UInt64, high: UInt64)
    /// Words left over from the current block (`next()` consumes 64 bits = two words).
    @usableFromInline var buffer: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    @usableFromInline var bufferUsed = 4

    /// A generator seeded with `seed`, counter at 0.
    public init(seed: UInt64) {
        key = seed
        counter = (0, 0)
    }

    /// Creates a generator from an explicit key and counter (to resume a saved state).
    public init(key: UInt64, counter: (low: UInt64, high: UInt64)) {
        self.key = key
        self.counter = counter
    }

    /// Two generators are equal when they will produce the same stream.
    public static func == (a: PhiloxGenerator, b: PhiloxGenerator) -> Bool {
        a.key == b.key && a.counter == b.counter && a.bufferUsed == b.bufferUsed
            && a.buffer == b.buffer
    }

    /// Hashes the key, counter and position within the current block.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(key); hasher.combine(counter.low); hasher.combine(counter.high); hasher.combine(bufferUsed)
    }

    /// The Philox-4×32 bijection with 10 rounds: maps a counter block to four random words.
    @inlinable @inline(__always)
    public static func block(key: UInt64, counter c: (UInt64, UInt64)) -> (UInt32, UInt32, UInt32, UInt32) {
        var x0 = UInt32(truncatingIfNeeded: c.0), x1 = UInt32(truncatingIfNeeded: c.0 >> 32)
        var x2 = UInt32(truncatingIfNeeded: c.1), x3 = UInt32(truncatingIfNeeded: c.1 >> 32)
        var k0 = UInt32(truncatingIfNeeded: key), k1 = UInt32(truncatingIfNeeded: key >> 32)
        for _ in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(x0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(x2)
            let y0 = UInt32(truncatingIfNeeded: p1 >> 32) ^ x1 ^ k0
            let y1 = UInt32(truncatingIfNeeded: p1)
            let y2 = UInt32(truncatingIfNeeded: p0 >> 32) ^ x3 ^ k1
            let y3 = UInt32(truncatingIfNeeded: p0)
            x0 = y0; x1 = y1; x2 = y2; x3 = y3
            k0 = k0 &+ 0x9E37_79B9
            k1 = k1 &+ 0xBB67_AE85
        }
        return (x0, x1, x2, x3)
    }

    /// Advances the counter by `blocks` blocks (each block is four 32-bit words).
    @inlinable public mutating func advance(blocks: UInt64) {
        let (lo, overflow) = counter.low.addingReportingOverflow(blocks)
        counter = (lo, overflow ? counter.high &+ 1 : counter.high)
        bufferUsed = 4
    }

    /// The next 64 random bits.
    @inlinable public mutating func next() -> UInt64 {
        if bufferUsed >= 4 {
            buffer = PhiloxGenerator.block(key: key, counter: counter)
            let (lo, overflow) = counter.low.addingReportingOverflow(1)
            counter = (lo, overflow ? counter.high &+ 1 : counter.high)
            bufferUsed = 0
        }
        let w0: UInt32, w1: UInt32
        if bufferUsed == 0 { (w0, w1) = (buffer.0, buffer.1) } else { (w0, w1) = (buffer.2, buffer.3) }
        bufferUsed += 2
        return UInt64(w0) | UInt64(w1) << 32
    }

    /// `count` independent generators derived from this one's key (and this one advanced past
    /// the derivation), like `jax.random.split`.
    public mutating func split(into count: Int) -> [PhiloxGenerator] {
        (0..<count).map { _ in PhiloxGenerator(seed: next()) }
    }
}
