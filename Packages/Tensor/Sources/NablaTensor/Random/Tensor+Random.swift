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
        return Tensor(shape: shape) { out in
            let o = out.baseAddress!
            Parallel.forRanges((n + 3) / 4, minimumChunk: 4096) { blocks in
                for b in blocks {
                    let w = PhiloxGenerator.block(key: key, counter: add(start, UInt64(b)))
                    let words = [w.0, w.1, w.2, w.3]
                    for j in 0..<4 where b * 4 + j < n {
                        (o + b * 4 + j).initialize(to: lo + width * unit24(words[j]))
                    }
                }
            }
        }
    }

    /// Normal samples with the given mean and standard deviation (Box–Muller). Mirrors `torch.randn`
    /// / `normal_`.
    @inlinable public static func randomNormal<G>(
        _ shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1, using generator: inout G) -> Tensor
    where G: PhiloxProtocol {
        let n = Shape.count(shape)
        let (key, start) = generator.reserve(blocks: UInt64((n + 3) / 4))
        return Tensor(shape: shape) { out in
            let o = out.baseAddress!
            Parallel.forRanges((n + 3) / 4, minimumChunk: 4096) { blocks in
                for b in blocks {
                    let w = PhiloxGenerator.block(key: key, counter: add(start, UInt64(b)))
                    // u1 in (0, 1] so the logarithm is finite; u2 in [0, 1).
                    let u1a = 1 - unit24(w.0), u2a = unit24(w.1)
                    let u1b = 1 - unit24(w.2), u2b = unit24(w.3)
                    let ra = (-2 * Scalar.log(u1a)).squareRoot(), rb = (-2 * Scalar.log(u1b)).squareRoot()
                    let ta = 2 * Scalar.pi * u2a, tb = 2 * Scalar.pi * u2b
                    let z = [ra * Scalar.cos(ta), ra * Scalar.sin(ta), rb * Scalar.cos(tb), rb * Scalar.sin(tb)]
                    for j in 0..<4 where b * 4 + j < n {
                        (o + b * 4 + j).initialize(to: mean + standardDeviation * z[j])
                    }
                }
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
