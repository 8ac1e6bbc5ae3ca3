#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The random words of one tensor element: element `i` of a tensor whose generator reserved
/// counter blocks from `start` reads block `(start + i, start.high + k·2³²)` for its `k`-th
/// block, so every element has its own stream, rejection loops of any length never touch another
/// element's numbers, and the result is the same whatever the thread count.
@usableFromInline struct ElementStream {
    @usableFromInline let key: UInt64
    @usableFromInline let low: UInt64
    @usableFromInline let high: UInt64
    @usableFromInline var k: UInt64 = 0
    @usableFromInline var words: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    @usableFromInline var used = 4
    @usableFromInline var spareNormal: Double? = nil

    @inlinable init(key: UInt64, start: (UInt64, UInt64), element: Int) {
        self.key = key
        low = start.0 &+ UInt64(element)
        high = start.1
    }

    @inlinable mutating func word() -> UInt32 {
        if used == 4 {
            words = PhiloxGenerator.block(key: key, counter: (low, high &+ (k << 32)))
            k += 1; used = 0
        }
        defer { used += 1 }
        switch used {
        case 0: return words.0
        case 1: return words.1
        case 2: return words.2
        default: return words.3
        }
    }

    /// A uniform in the open interval `(0, 1)` with 32 random bits.
    @inlinable mutating func uniform() -> Double { (Double(word()) + 0.5) * 0x1p-32 }

    /// A standard normal (Box–Muller, both values used).
    @inlinable mutating func normal() -> Double {
        if let s = spareNormal { spareNormal = nil; return s }
        let r = (-2 * log(uniform())).squareRoot(), t = 2 * Double.pi * uniform()
        spareNormal = r * sin(t)
        return r * cos(t)
    }

    /// A standard gamma variate with shape `alpha > 0` (Marsaglia & Tsang 2000; `α < 1` by
    /// `Gamma(α + 1)·U^{1/α}`).
    @inlinable mutating func gamma(_ alpha: Double) -> Double {
        if alpha < 1 {
            if alpha <= 0 { return .nan }
            let g = gamma(alpha + 1)
            return g * exp(log(uniform()) / alpha)
        }
        let d = alpha - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            let x = normal()
            var v = 1 + c * x
            if v <= 0 { continue }
            v = v * v * v
            let u = uniform(), x2 = x * x
            if u < 1 - 0.0331 * x2 * x2 { return d * v }
            if log(u) < 0.5 * x2 + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Poisson variate with mean `lambda`: sequential inversion below 10, Hörmann's PTRS
    /// transformed rejection (as NumPy) above.
    @inlinable mutating func poisson(_ lambda: Double) -> Double {
        if !(lambda >= 0) { return .nan }
        if lambda == 0 { return 0 }
        if lambda < 10 {
            var x = 0.0, p = exp(-lambda), s = p
            let u = uniform()
            while u > s && x < 1000 { x += 1; p *= lambda / x; s += p }
            return x
        }
        let slam = lambda.squareRoot(), loglam = log(lambda)
        let b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b
        let invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = uniform() - 0.5, v = uniform(), us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + lambda + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return k }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invalpha) - log(a / (us * us) + b) <= -lambda + k * loglam - SpecialFunctions.logGamma(k + 1) {
                return k
            }
        }
    }

    /// A binomial variate: inversion when `n·min(p, 1−p) < 30`, else BTRS (Hörmann 1993).
    @inlinable mutating func binomial(_ n: Double, _ p: Double) -> Double {
        if !(p >= 0 && p <= 1) || !(n >= 0) { return .nan }
        if p == 0 || n == 0 { return 0 }
        if p == 1 { return n }
        let flip = p > 0.5, q0 = flip ? 1 - p : p
        var k: Double
        if n * q0 < 30 {
            // Inversion from 0 with the pmf recursion.
            let q = 1 - q0, r = q0 / q
            var pmf = exp(n * log1p(-q0)), cdf = pmf
            let u = uniform()
            k = 0
            while u > cdf && k < n { k += 1; pmf *= r * (n - k + 1) / k; cdf += pmf }
        } else {
            let q = 1 - q0, spq = (n * q0 * q).squareRoot()
            let b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * q0, c = n * q0 + 0.5
            let vr = 0.92 - 4.2 / b, alpha = (2.83 + 5.1 / b) * spq, lpq = log(q0 / q)
            let m = ((n + 1) * q0).rounded(.down)
            let h = SpecialFunctions.logGamma(m + 1) + SpecialFunctions.logGamma(n - m + 1)
            while true {
                let u = uniform() - 0.5, v = uniform(), us = 0.5 - abs(u)
                let kk = ((2 * a / us + b) * u + c).rounded(.down)
                if kk < 0 || kk > n { continue }
                if us >= 0.07 && v <= vr { k = kk; break }
                let lv = log(v * alpha / (a / (us * us) + b))
                if lv <= h - SpecialFunctions.logGamma(kk + 1) - SpecialFunctions.logGamma(n - kk + 1) + (kk - m) * lpq {
                    k = kk; break
                }
            }
        }
        return flip ? n - k : k
    }
}

/// Fills a tensor of `shape` by calling `draw(stream, i)` for each element in parallel.
@usableFromInline func perElement<S: TensorFloatingPoint, G: PhiloxProtocol>(
    _ shape: [Int], using generator: inout G, _ draw: @escaping @Sendable (inout ElementStream, Int) -> Double) -> Tensor<S> {
    let n = shape.reduce(1, *)
    let (key, start) = generator.reserve(blocks: UInt64(Swift.max(n, 1)))
    return Tensor<S>(shape: shape) { out in
        let o = out.baseAddress!
        Parallel.forRanges(n, minimumChunk: 2048, context: o) { range, o in
            for i in range {
                var s = ElementStream(key: key, start: start, element: i)
                (o + i).initialize(to: S(draw(&s, i)))
            }
        }
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// Exponential samples with rate `rate` (`−log(1 − U)/rate`, from the uniforms of
    /// `randomUniform`). Mirrors `Tensor.exponential_`.
    public static func randomExponential<G: PhiloxProtocol>(_ shape: [Int], rate: Scalar = 1, using generator: inout G) -> Tensor {
        let u = Tensor.randomUniform(shape, using: &generator)
        return (1 - u).log() * (-1 / rate)
    }

    /// Poisson samples with mean `rate` (broadcast to `shape`), in parallel; identical across runs
    /// and thread counts. Mirrors `torch.poisson`.
    public static func randomPoisson<G: PhiloxProtocol>(_ shape: [Int], rate: Tensor, using generator: inout G) -> Tensor {
        let r = rate.doubles(broadcastTo: shape)
        return perElement(shape, using: &generator) { s, i in s.poisson(r[i]) }
    }

    /// Binomial samples with `count` trials and success probability `probability` (both broadcast
    /// to `shape`).
    public static func randomBinomial<G: PhiloxProtocol>(_ shape: [Int], count: Tensor, probability: Tensor,
                                                         using generator: inout G) -> Tensor {
        let n = count.doubles(broadcastTo: shape), p = probability.doubles(broadcastTo: shape)
        return perElement(shape, using: &generator) { s, i in s.binomial(n[i], p[i]) }
    }
}

/// The shape `sampleShape + batchShape + eventShape`.
@inlinable func drawShape(_ sampleShape: [Int], _ batchShape: [Int], _ eventShape: [Int] = []) -> [Int] {
    sampleShape + batchShape + eventShape
}
