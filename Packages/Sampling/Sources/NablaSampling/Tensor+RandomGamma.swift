#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Elements per block of the batched gamma sampler: its normals, uniforms and output stay in the
/// L2 cache, and blocks are what the cores share.
@usableFromInline let gammaBlock = 4096

/// `counter + k` on Philox's 128-bit block counter.
@inlinable func counterAdding(_ c: (UInt64, UInt64), _ k: Int) -> (low: UInt64, high: UInt64) {
    let (low, overflow) = c.0.addingReportingOverflow(UInt64(k))
    return (low, overflow ? c.1 &+ 1 : c.1)
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// Gamma samples with shape `alpha` (broadcast to `shape`) and rate 1, by Marsaglia–Tsang;
    /// identical across runs and thread counts. Mirrors `torch._standard_gamma` /
    /// `numpy.random.Generator.standard_gamma`.
    ///
    /// Batched: each block of 4096 elements draws its first-try normals and uniforms with the
    /// vectorized `Tensor.randomNormal` / `Tensor.randomUniform` (from counter blocks reserved for
    /// it), accepts or rejects them in one pass (the squeeze `u < 1 − 0.0331z⁴` spares the logarithm
    /// almost always), and only the rare rejected element (under 5% for `α ≥ 1`, about 1.5% at
    /// `α = 2.5`) continues from its own per-element stream. `α < 1` uses `Gamma(α + 1)·U^{1/α}`
    /// with a third vectorized uniform. Blocks run on every core. Element `i` depends only on the
    /// counter blocks of its position, so the result does not depend on the thread count.
    public static func randomGamma<G: PhiloxProtocol>(_ shape: [Int], alpha: Tensor, using generator: inout G) -> Tensor {
        let n = shape.reduce(1, *)
        let blocks = (n + gammaBlock - 1) / gammaBlock
        let wordsPerBlock = gammaBlock / 4
        // Block b owns counter blocks [3·1024·b, 3·1024·(b + 1)) from the reserved start: its
        // first-try normals, first-try uniforms and boost uniforms (α < 1), 1024 blocks each, so the
        // layout does not depend on `n` (a prefix of a longer draw is the shorter draw). A rejected
        // element i continues on counters (start + i, start.high + 2³¹ + k·2³²), k = 0, 1, …, which no
        // reservation reaches.
        let (key, start) = generator.reserve(blocks: UInt64(Swift.max(blocks * 3 * wordsPerBlock, 1)))
        let retries = (start.0, start.1 &+ (1 << 31))
        return gammaKernel(shape, alpha: alpha, key: key, start: start, retries: retries)
    }
}

/// The batched Marsaglia–Tsang kernel of `Tensor.randomGamma(_:alpha:using:)` on reserved counters,
/// specialized for Float and Double (called from generic code, it would otherwise run unspecialized).
@_specialize(where S == Float)
@_specialize(where S == Double)
@usableFromInline func gammaKernel<S: TensorFloatingPoint>(_ shape: [Int], alpha: Tensor<S>, key: UInt64, start: (UInt64, UInt64),
                                                           retries: (UInt64, UInt64)) -> Tensor<S> {
    let n = shape.reduce(1, *)
    let blocks = (n + gammaBlock - 1) / gammaBlock
    let wordsPerBlock = gammaBlock / 4
    let scalarAlpha: Double? = alpha.count == 1 ? Double(alpha.scalars[0]) : nil
    let alphas: [Double] = scalarAlpha == nil ? alpha.doubles(broadcastTo: shape) : []
    let anyBoost = scalarAlpha.map { $0 < 1 } ?? alphas.contains { $0 < 1 }
    return Tensor<S>(shape: shape) { (out: inout UnsafeMutableBufferPointer<S>) in
        let o = out.baseAddress!
        Parallel.forRanges(blocks, minimumChunk: 2, context: o) { range, o in
            for block in range {
                let first = block * gammaBlock, m = Swift.min(gammaBlock, n - first)
                let base = block * 3 * wordsPerBlock
                var gz = PhiloxGenerator(key: key, counter: counterAdding(start, base))
                var gu = PhiloxGenerator(key: key, counter: counterAdding(start, base + wordsPerBlock))
                let z = Tensor<S>.randomNormal([m], using: &gz), u = Tensor<S>.randomUniform([m], using: &gu)
                var boost: Tensor<S>? = nil
                if anyBoost {
                    var gb = PhiloxGenerator(key: key, counter: counterAdding(start, base + 2 * wordsPerBlock))
                    boost = Tensor<S>.randomUniform([m], using: &gb)
                }
                z.withUnsafeBufferPointer { z in
                    u.withUnsafeBufferPointer { u in
                        if let a = scalarAlpha {
                            let shifted = a < 1 ? a + 1 : a
                            let d = shifted - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
                            for j in 0..<m {
                                let g = marsagliaTsangFirstTry(Double(z[j]), Double(u[j]), d, c)
                                    ?? retry(key, retries, first + j, shifted)
                                (o + first + j).initialize(to: S(g))
                            }
                        } else {
                            for j in 0..<m {
                                let a = alphas[first + j]
                                guard a > 0 else { (o + first + j).initialize(to: .nan); continue }
                                let shifted = a < 1 ? a + 1 : a
                                let d = shifted - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
                                let g = marsagliaTsangFirstTry(Double(z[j]), Double(u[j]), d, c)
                                    ?? retry(key, retries, first + j, shifted)
                                (o + first + j).initialize(to: S(g))
                            }
                        }
                    }
                }
                if let boost, let a = scalarAlpha {
                    // x·U^{1/α} = x·exp(log(1 − b)/α) (1 − b is in (0, 1]), with the vectorized log1p and exp.
                    let factor = ((boost * S(-1)).log1p() * S(1 / a)).exp()
                    factor.withUnsafeBufferPointer { f in
                        for j in 0..<m { o[first + j] = o[first + j] * f[j] }
                    }
                } else if let boost {
                    boost.withUnsafeBufferPointer { b in
                        for j in 0..<m {
                            let a = scalarAlpha ?? alphas[first + j]
                            if a < 1 && a > 0 {
                                o[first + j] = o[first + j] * S(uniformPower(Double(b[j]), a))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `(1 − b)^{1/α}` for a uniform `b` in `[0, 1)`: the boost of a `Gamma(α + 1)` draw to `Gamma(α)`.
@inlinable @inline(__always) func uniformPower(_ b: Double, _ alpha: Double) -> Double { exp(log1p(-b) / alpha) }

/// One Marsaglia–Tsang trial from the normal `x` and uniform `u`: `d·v` with `v = (1 + cx)³` when
/// accepted, `nil` when rejected.
@inlinable @inline(__always)
func marsagliaTsangFirstTry(_ x: Double, _ u: Double, _ d: Double, _ c: Double) -> Double? {
    var v = 1 + c * x
    guard v > 0 else { return nil }
    v = v * v * v
    let x2 = x * x
    if u < 1 - 0.0331 * x2 * x2 { return d * v }
    if log(u) < 0.5 * x2 + d * (1 - v + log(v)) { return d * v }
    return nil
}

/// The rejected element `i`: Marsaglia–Tsang with shape `alpha ≥ 1` from its own stream.
@usableFromInline @inline(never)
func retry(_ key: UInt64, _ start: (UInt64, UInt64), _ i: Int, _ alpha: Double) -> Double {
    var s = ElementStream(key: key, start: start, element: i)
    return s.gamma(alpha)
}
