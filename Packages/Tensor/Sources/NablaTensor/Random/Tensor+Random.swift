import RealModule

/// Random tensors from a ``PhiloxGenerator``.
///
/// Element `i` is computed from counter block `start + i / 4` alone, so generation runs in
/// parallel and the result does not depend on the number of threads. The generator advances past
/// every block used: two calls give different numbers, and a generator restored from a saved
/// `(key, counter)` repeats them.
extension Tensor where Scalar: TensorFloatingPoint {
    /// Maps a 32-bit word to `[0, 1)` with 24 random bits (the float resolution).
    @inlinable @inline(__always) static func unit24(_ w: UInt32) -> Scalar {
        Scalar(w >> 8) * (1 / 16_777_216)
    }

    /// Uniform samples in `[range.lowerBound, range.upperBound)`. Mirrors `torch.rand` / `uniform_`.
    @inlinable public static func randomUniform<G>(
        _ shape: [Int], in range: Range<Scalar> = 0..<1, using generator: inout G) -> Tensor
    where G: PhiloxProtocol {
        let n = Shape.count(shape)
        let (key, start) = generator.reserve(blocks: UInt64((n + 3) / 4))
        let lo = range.lowerBound, width = range.upperBound - range.lowerBound
        let blocks = PhiloxBatch.blocks
        let batches = (n + 4 * blocks - 1) / (4 * blocks)
        return Tensor(shape: shape) { out in
            let o = out.baseAddress!
            Parallel.forRanges(batches, minimumChunk: 16, context: o) { range, o in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4 * blocks) { words in
                    let w = words.baseAddress!
                    for batch in range {
                        PhiloxBatch.words(key: key, base: add(start, UInt64(batch * blocks)), w)
                        let first = batch * 4 * blocks
                        let m = Swift.min(4 * blocks, n - first)
                        // Element 4b + j is word j of block b; `words` holds words 0, 2, 1, 3.
                        for i in 0..<m {
                            let j = i & 3
                            let word = w[((j & 1) << 1 | j >> 1) * blocks + i / 4]
                            (o + first + i).initialize(to: lo + width * unit24(word))
                        }
                    }
                }
            }
        }
    }

    /// Normal samples with the given mean and standard deviation (Box–Muller). Mirrors `torch.randn`
    /// / `normal_`.
    ///
    /// Counter block `start + b` gives four words `w₀…w₃` and elements `4b…4b+3`:
    /// `ρₐ cos θₐ, ρₐ sin θₐ, ρ_b cos θ_b, ρ_b sin θ_b` with `ρₐ = √(−2 log(1 − u(w₀)))`,
    /// `θₐ = 2π u(w₁)` (and `w₂, w₃` for the second pair), `u(w)` the top 24 bits of `w` over 2²⁴.
    /// Float and Double run vectorized in batches of 64 blocks (see `PhiloxBatch`), in parallel;
    /// the values do not depend on the thread count.
    @inlinable public static func randomNormal<G>(
        _ shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1, using generator: inout G) -> Tensor
    where G: PhiloxProtocol {
        let n = Shape.count(shape)
        let (key, start) = generator.reserve(blocks: UInt64((n + 3) / 4))
        let blocks = PhiloxBatch.blocks
        let batches = (n + 4 * blocks - 1) / (4 * blocks)
        return Tensor(shape: shape) { out in
            let o = out.baseAddress!
            Parallel.forRanges(batches, minimumChunk: 16, context: o) { range, o in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4 * blocks) { words in
                    withUnsafeTemporaryAllocation(of: Scalar.self, capacity: 4 * blocks) { z in
                        let w = words.baseAddress!, zc = z.baseAddress!, zs = zc + 2 * blocks
                        for batch in range {
                            PhiloxBatch.words(key: key, base: add(start, UInt64(batch * blocks)), w)
                            normalPairs(w, w + 2 * blocks, pairs: 2 * blocks, mean: mean,
                                        standardDeviation: standardDeviation, cosine: zc, sine: zs)
                            // Element 4b + j: pair (w₀, w₁) of block b gives j = 0, 1; pair (w₂, w₃) j = 2, 3.
                            let first = batch * 4 * blocks
                            let m = Swift.min(4 * blocks, n - first)
                            let dst = o + first
                            if m == 4 * blocks {
                                for b in 0..<blocks {
                                    (dst + 4 * b).initialize(to: zc[b])
                                    (dst + 4 * b + 1).initialize(to: zs[b])
                                    (dst + 4 * b + 2).initialize(to: zc[blocks + b])
                                    (dst + 4 * b + 3).initialize(to: zs[blocks + b])
                                }
                            } else {
                                for i in 0..<m {
                                    let pair = (i & 2 == 0 ? 0 : blocks) + i / 4
                                    (dst + i).initialize(to: i & 1 == 0 ? zc[pair] : zs[pair])
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Box–Muller on `pairs` pairs of words: the vectorized kernel for Float and Double, libm otherwise.
    @inlinable @inline(__always)
    static func normalPairs(_ a: UnsafePointer<UInt32>, _ b: UnsafePointer<UInt32>, pairs: Int,
                            mean: Scalar, standardDeviation sd: Scalar,
                            cosine: UnsafeMutablePointer<Scalar>, sine: UnsafeMutablePointer<Scalar>) {
        if Scalar.self == Float.self {
            Float._boxMuller(a, b, pairs: pairs, mean: unsafeBitCast(mean, to: Float.self), standardDeviation: unsafeBitCast(sd, to: Float.self),
                             cosine: UnsafeMutableRawPointer(cosine).assumingMemoryBound(to: Float.self),
                             sine: UnsafeMutableRawPointer(sine).assumingMemoryBound(to: Float.self))
        } else if Scalar.self == Double.self {
            Double._boxMuller(a, b, pairs: pairs, mean: unsafeBitCast(mean, to: Double.self), standardDeviation: unsafeBitCast(sd, to: Double.self),
                              cosine: UnsafeMutableRawPointer(cosine).assumingMemoryBound(to: Double.self),
                              sine: UnsafeMutableRawPointer(sine).assumingMemoryBound(to: Double.self))
        } else {
            for p in 0..<pairs {
                let radius = (-2 * Scalar.log(1 - unit24(a[p]))).squareRoot()
                let theta = 2 * Scalar.pi * unit24(b[p])
                cosine[p] = mean + sd * radius * Scalar.cos(theta)
                sine[p] = mean + sd * radius * Scalar.sin(theta)
            }
        }
    }

    /// Uniform samples from a fresh generator seeded with `seed`.
    @inlinable public static func randomUniform(_ shape: [Int], in range: Range<Scalar> = 0..<1, seed: UInt64) -> Tensor {
        var g = PhiloxGenerator(seed: seed)
        return randomUniform(shape, in: range, using: &g)
    }

    /// Normal samples from a fresh generator seeded with `seed`.
    @inlinable public static func randomNormal(_ shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1,
                                               seed: UInt64) -> Tensor {
        var g = PhiloxGenerator(seed: seed)
        return randomNormal(shape, mean: mean, standardDeviation: standardDeviation, using: &g)
    }
}

/// 128-bit counter addition.
@inlinable @inline(__always) func add(_ c: (UInt64, UInt64), _ k: UInt64) -> (UInt64, UInt64) {
    let (lo, o) = c.0.addingReportingOverflow(k)
    return (lo, o ? c.1 &+ 1 : c.1)
}

/// A generator that hands out whole counter blocks, so tensors can be filled in parallel.
public protocol PhiloxProtocol {
    /// Returns the key and the first of `blocks` consecutive counter blocks, and advances past them.
    mutating func reserve(blocks: UInt64) -> (key: UInt64, start: (UInt64, UInt64))
}

extension PhiloxGenerator: PhiloxProtocol {
    /// Reserves `blocks` counter blocks for the caller.
    @inlinable public mutating func reserve(blocks: UInt64) -> (key: UInt64, start: (UInt64, UInt64)) {
        let start = (counter.low, counter.high)
        advance(blocks: blocks)
        return (key, start)
    }
}
