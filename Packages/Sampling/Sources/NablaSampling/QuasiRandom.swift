/// The Sobol' low-discrepancy sequence in up to 21 dimensions, with Joe & Kuo's direction numbers
/// (`new-joe-kuo-6.21201`, as `scipy.stats.qmc.Sobol`) and optional scrambling: a random lower
/// triangular binary matrix per dimension (linear matrix scrambling) and a random digital shift,
/// which keep the net property and make the points uniformly distributed.
public struct SobolSequence: Sendable {
    /// The number of dimensions.
    public let dimension: Int
    /// The 32 direction numbers of each dimension, bit 31 first.
    let directions: [[UInt32]]
    /// The digital shift of each dimension.
    let shift: [UInt32]

    /// The largest supported dimension.
    public static let maximumDimension = 21

    /// Primitive polynomials (with leading and trailing one) of dimensions 2…21.
    static let polynomials: [UInt32] = [3, 7, 11, 13, 19, 25, 37, 41, 47, 55, 59, 61, 67, 91, 97, 103, 109, 115, 131, 137]
    /// Initial direction numbers `m₁…m_s` of dimensions 2…21.
    static let initial: [[UInt32]] = [
        [1], [1, 3], [1, 3, 1], [1, 1, 1], [1, 1, 3, 3], [1, 3, 5, 13], [1, 1, 5, 5, 17], [1, 1, 5, 5, 5],
        [1, 1, 7, 11, 19], [1, 1, 5, 1, 1], [1, 1, 1, 3, 11], [1, 3, 5, 5, 31], [1, 3, 3, 9, 7, 49],
        [1, 1, 1, 15, 21, 21], [1, 3, 1, 13, 27, 49], [1, 1, 1, 15, 7, 5], [1, 3, 1, 15, 13, 25],
        [1, 1, 5, 5, 19, 61], [1, 3, 7, 11, 23, 15, 103], [1, 3, 7, 13, 13, 15, 69],
    ]

    /// An unscrambled Sobol' sequence (its first point is the origin).
    public init(dimension: Int) {
        var g = PhiloxGenerator(seed: 0)
        self.init(dimension: dimension, scrambled: false, using: &g)
    }

    /// A Sobol' sequence, scrambled with randomness from `generator` when `scrambled`.
    public init<G: RandomNumberGenerator>(dimension: Int, scrambled: Bool, using generator: inout G) {
        precondition(dimension >= 1 && dimension <= Self.maximumDimension,
                     "SobolSequence: dimension must be in 1...\(Self.maximumDimension)")
        self.dimension = dimension
        var dirs: [[UInt32]] = [(0..<32).map { UInt32(1) << (31 - $0) }]
        for d in 1..<dimension {
            let p = Self.polynomials[d - 1], m = Self.initial[d - 1]
            let s = m.count
            var v = [UInt32](repeating: 0, count: 32)
            for j in 0..<s { v[j] = m[j] << (31 - j) }
            for j in s..<32 {
                var nv = v[j - s] ^ (v[j - s] >> UInt32(s))
                for k in 1..<s where (p >> UInt32(s - k)) & 1 == 1 { nv ^= v[j - k] }
                v[j] = nv
            }
            dirs.append(v)
        }
        var shifts = [UInt32](repeating: 0, count: dimension)
        if scrambled {
            for d in 0..<dimension {
                // Row r of the lower-triangular matrix L acts on output digit r (bit 31 − r).
                var rows = [UInt32](repeating: 0, count: 32)
                for r in 0..<32 {
                    let below = r == 0 ? 0 : UInt32(truncatingIfNeeded: generator.next()) & ~(UInt32.max >> UInt32(r))
                    rows[r] = below | (UInt32(1) << UInt32(31 - r))
                }
                dirs[d] = dirs[d].map { v in
                    var out: UInt32 = 0
                    for r in 0..<32 where (rows[r] & v).nonzeroBitCount & 1 == 1 { out |= UInt32(1) << UInt32(31 - r) }
                    return out
                }
                shifts[d] = UInt32(truncatingIfNeeded: generator.next())
            }
        }
        directions = dirs
        shift = shifts
    }

    /// Point `index` (0-based) as `dimension` coordinates in `[0, 1)` (Gray-code order).
    public func point(_ index: Int) -> [Double] {
        let gray = UInt64(index) ^ (UInt64(index) >> 1)
        return (0..<dimension).map { d in
            var x = shift[d]
            var g = gray, j = 0
            while g != 0 { if g & 1 == 1 { x ^= directions[d][j] }; g >>= 1; j += 1 }
            return (Double(x) + 0.5) * 0x1p-32
        }
    }

    /// The first `count` points as a `[count, dimension]` tensor.
    public func points(_ count: Int) -> Tensor<Double> {
        var out = [Double](); out.reserveCapacity(count * dimension)
        var x = shift
        for i in 0..<count {
            if i > 0 {
                let c = i.trailingZeroBitCount
                for d in 0..<dimension { x[d] ^= directions[d][c] }
            }
            for d in 0..<dimension { out.append((Double(x[d]) + 0.5) * 0x1p-32) }
        }
        return Tensor(shape: [count, dimension], scalars: out)
    }
}

/// The Halton sequence (radical inverses in the first `dimension` primes), optionally scrambled
/// with an independent random permutation of the digits `0..<b` for each base and digit
/// position (permutations fix nothing in particular, so the origin is not special).
public struct HaltonSequence: Sendable {
    /// The number of dimensions.
    public let dimension: Int
    /// The primes used as bases.
    public let bases: [Int]
    /// `permutations[d][position]` permutes the digits of base `bases[d]` at that position.
    let permutations: [[[Int]]]
    /// Whether the digits are permuted.
    let scrambled: Bool

    static let primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]

    /// A Halton sequence in up to 25 dimensions, scrambled with `generator` when `scrambled`.
    public init<G: RandomNumberGenerator>(dimension: Int, scrambled: Bool, using generator: inout G) {
        precondition(dimension >= 1 && dimension <= Self.primes.count, "HaltonSequence: dimension must be in 1...25")
        self.dimension = dimension
        self.scrambled = scrambled
        bases = Array(Self.primes.prefix(dimension))
        permutations = bases.map { b in
            (0..<40).map { _ in scrambled ? Array(0..<b).shuffled(using: &generator) : Array(0..<b) }
        }
    }

    /// The first `count` points (starting at index 1 when unscrambled, to skip the origin).
    public func points(_ count: Int) -> Tensor<Double> {
        var out = [Double](); out.reserveCapacity(count * dimension)
        for i in 0..<count {
            for d in 0..<dimension {
                let b = bases[d], perm = permutations[d]
                var n = i + 1, f = 1.0 / Double(b), x = 0.0, pos = 0
                // Scrambled digits continue past the last nonzero digit (its zeros are permuted too).
                while (n > 0 || (scrambled && f > 1e-17)) && pos < 40 {
                    x += Double(perm[pos][n % b]) * f
                    n /= b; f /= Double(b); pos += 1
                }
                out.append(Swift.min(x, 1 - 0x1p-53))
            }
        }
        return Tensor(shape: [count, dimension], scalars: out)
    }
}
