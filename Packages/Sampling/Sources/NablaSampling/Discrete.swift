#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `true` when `x` is a non-negative integer (as a float).
@usableFromInline func isCount(_ x: Double) -> Bool { x >= 0 && x == x.rounded(.down) && x.isFinite }

/// `p log p` with `0 log 0 = 0`.
@usableFromInline func xlogx(_ p: Double) -> Double { p > 0 ? p * log(p) : 0 }

/// The Bernoulli distribution on `{0, 1}`. Mirrors `torch.distributions.Bernoulli` (values as floats).
public struct Bernoulli<Scalar: TensorFloatingPoint>: Distribution, CumulativeDistribution {
    /// `P(X = 1)`.
    public let probs: Tensor<Scalar>
    /// The shape of `probs`.
    public var batchShape: [Int] { probs.shape }
    /// `[]`.
    public var eventShape: [Int] { [] }

    /// Bernoulli(p).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` unless `0 ≤ p ≤ 1`.
    public init(probs: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate { try check(probs, "Bernoulli", "probs", "must lie in [0, 1]") { $0 >= 0 && $0 <= 1 } }
        self.probs = probs
    }
    /// Bernoulli with `p = sigmoid(logits)`.
    /// - Throws: never for finite logits; NaN logits are refused.
    public init(logits: Tensor<Scalar>) throws(DistributionError) {
        try check(logits, "Bernoulli", "logits", "must not be NaN") { _ in true }
        probs = logits.sigmoid()
    }
    /// `U < p`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor<Scalar>.randomUniform(drawShape(sampleShape, batchShape), using: &generator).zipWith(probs) { $0 < $1 ? 1 : 0 }
    }
    /// `x log p + (1 − x) log(1 − p)`, `−∞` off `{0, 1}`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, probs]) { a in a[0] == 1 ? log(a[1]) : (a[0] == 0 ? log1p(-a[1]) : -.infinity) }
    }
    /// `P(X ≤ x)`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([value, probs]) { $0[0] < 0 ? 0 : ($0[0] < 1 ? 1 - $0[1] : 1) } }
    /// `p`.
    public var mean: Tensor<Scalar> { probs }
    /// `p(1 − p)`.
    public var variance: Tensor<Scalar> { probs * (1 - probs) }
    /// `−p log p − (1 − p) log(1 − p)`.
    public func entropy() -> Tensor<Scalar> { elementwise([probs]) { -xlogx($0[0]) - xlogx(1 - $0[0]) } }
}

/// The binomial distribution: successes in `totalCount` trials. Mirrors `torch.distributions.Binomial`.
public struct Binomial<Scalar: TensorFloatingPoint>: CumulativeDistribution {
    /// The number of trials `n`.
    public let totalCount: Tensor<Scalar>
    /// The success probability `p`.
    public let probs: Tensor<Scalar>
    /// The broadcast shape of the parameters.
    public let batchShape: [Int]
    /// `[]`.
    public var eventShape: [Int] { [] }

    /// Binomial(n, p).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `n` is not a
    ///   non-negative integer or `p ∉ [0, 1]`.
    public init(totalCount: Tensor<Scalar>, probs: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate {
            try check(totalCount, "Binomial", "totalCount", "must be a non-negative integer") { isCount(Double($0)) }
            try check(probs, "Binomial", "probs", "must lie in [0, 1]") { $0 >= 0 && $0 <= 1 }
        }
        batchShape = try batchShapeOf("Binomial", [totalCount.shape, probs.shape])
        self.totalCount = totalCount; self.probs = probs
    }
    /// Inversion for small `n·p`, BTRS otherwise (`Tensor.randomBinomial`).
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor.randomBinomial(drawShape(sampleShape, batchShape), count: totalCount, probability: probs, using: &generator)
    }
    static func logPMF(_ k: Double, _ n: Double, _ p: Double) -> Double {
        if !isCount(k) || k > n { return -.infinity }
        let logp = p == 0 ? (k == 0 ? 0 : -.infinity) : k * log(p)
        let logq = p == 1 ? (k == n ? 0 : -.infinity) : (n - k) * log1p(-p)
        return SF.logGamma(n + 1) - SF.logGamma(k + 1) - SF.logGamma(n - k + 1) + logp + logq
    }
    /// `log C(n, k) + k log p + (n − k) log(1 − p)`, `−∞` off `{0, …, n}`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([value, totalCount, probs]) { Self.logPMF($0[0], $0[1], $0[2]) } }
    /// `P(X ≤ x) = I_{1−p}(n − k, k + 1)`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, totalCount, probs]) { a in
            let k = a[0].rounded(.down), n = a[1]
            if k < 0 { return 0 }
            if k >= n { return 1 }
            return SF.regularizedBeta(1 - a[2], n - k, k + 1)
        }
    }
    /// `np`.
    public var mean: Tensor<Scalar> { totalCount * probs }
    /// `np(1 − p)`.
    public var variance: Tensor<Scalar> { totalCount * probs * (1 - probs) }
    /// `−Σₖ P(k) log P(k)`, summed over the support.
    public func entropy() -> Tensor<Scalar> {
        elementwise([totalCount, probs]) { a in
            var h = 0.0
            for k in 0...Int(a[0]) { let l = Self.logPMF(Double(k), a[0], a[1]); if l > -.infinity { h -= exp(l) * l } }
            return h
        }
    }
}

/// The Poisson distribution with mean `rate`. Mirrors `torch.distributions.Poisson`.
public struct Poisson<Scalar: TensorFloatingPoint>: CumulativeDistribution {
    /// `λ`.
    public let rate: Tensor<Scalar>
    /// The shape of `rate`.
    public var batchShape: [Int] { rate.shape }
    /// `[]`.
    public var eventShape: [Int] { [] }

    /// Poisson(λ).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `λ < 0`.
    public init(rate: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate { try check(rate, "Poisson", "rate", "must be non-negative") { $0 >= 0 } }
        self.rate = rate
    }
    /// Inversion below 10, PTRS above (`Tensor.randomPoisson`).
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor.randomPoisson(drawShape(sampleShape, batchShape), rate: rate, using: &generator)
    }
    static func logPMF(_ k: Double, _ l: Double) -> Double {
        if !isCount(k) { return -.infinity }
        if l == 0 { return k == 0 ? 0 : -.infinity }
        return k * log(l) - l - SF.logGamma(k + 1)
    }
    /// `k log λ − λ − log k!`, `−∞` off the non-negative integers.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([value, rate]) { Self.logPMF($0[0], $0[1]) } }
    /// `Q(⌊x⌋ + 1, λ)`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, rate]) { a in a[0] < 0 ? 0 : 1 - SF.regularizedGammaP(a[0].rounded(.down) + 1, a[1]) }
    }
    /// `λ`.
    public var mean: Tensor<Scalar> { rate }
    /// `λ`.
    public var variance: Tensor<Scalar> { rate }
    /// `−Σₖ P(k) log P(k)` (summed until the tail is below 1e-17; as `scipy.stats.poisson.entropy`).
    public func entropy() -> Tensor<Scalar> {
        elementwise([rate]) { a in
            let l = a[0]
            if l == 0 { return 0 }
            var h = 0.0, k = 0.0
            let upper = l + 40 * l.squareRoot() + 40
            while k <= upper { let lp = Self.logPMF(k, l); h -= exp(lp) * lp; k += 1 }
            return h
        }
    }
}

/// The number of failures before the first success, on `{0, 1, 2, …}`. Mirrors `torch.distributions.Geometric`.
public struct Geometric<Scalar: TensorFloatingPoint>: CumulativeDistribution {
    /// The success probability `p`.
    public let probs: Tensor<Scalar>
    /// The shape of `probs`.
    public var batchShape: [Int] { probs.shape }
    /// `[]`.
    public var eventShape: [Int] { [] }

    /// Geometric(p).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` unless `0 < p ≤ 1`.
    public init(probs: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate { try check(probs, "Geometric", "probs", "must lie in (0, 1]") { $0 > 0 && $0 <= 1 } }
        self.probs = probs
    }
    /// `⌊log U / log(1 − p)⌋`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let u = Tensor<Scalar>.randomUniform(drawShape(sampleShape, batchShape), using: &generator)
        return elementwise([u, probs]) { a in a[1] == 1 ? 0 : (log1p(-a[0]) / log1p(-a[1])).rounded(.down) }
    }
    /// `k log(1 − p) + log p`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, probs]) { a in
            guard isCount(a[0]) else { return -.infinity }
            return (a[0] == 0 ? 0 : a[0] * log1p(-a[1])) + log(a[1])
        }
    }
    /// `1 − (1 − p)^{⌊x⌋ + 1}`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, probs]) { a in a[0] < 0 ? 0 : -expm1((a[0].rounded(.down) + 1) * log1p(-a[1])) }
    }
    /// `(1 − p)/p`.
    public var mean: Tensor<Scalar> { (1 - probs) / probs }
    /// `(1 − p)/p²`.
    public var variance: Tensor<Scalar> { (1 - probs) / probs.squared() }
    /// `(−(1 − p) log(1 − p) − p log p)/p`.
    public func entropy() -> Tensor<Scalar> { elementwise([probs]) { (-xlogx(1 - $0[0]) - xlogx($0[0])) / $0[0] } }
}

/// A categorical distribution over `0..<K` with probabilities `[..., K]`. Mirrors `torch.distributions.Categorical`.
public struct Categorical<Scalar: TensorFloatingPoint>: Distribution {
    /// The probabilities, normalized along the last axis.
    public let probs: Tensor<Scalar>
    /// `probs.shape` without the last dimension.
    public var batchShape: [Int] { Array(probs.shape.dropLast()) }
    /// `[]`: a draw is one index.
    public var eventShape: [Int] { [] }
    /// `K`.
    public var categoryCount: Int { probs.shape.last! }

    /// Categorical(p).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a
    ///   probability is negative or a row does not sum to one (within 1e-5 relative).
    public init(probs: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        guard probs.rank >= 1 else { throw .invalidParameter(distribution: "Categorical", parameter: "probs", reason: "must have at least one dimension") }
        if validate {
            try check(probs, "Categorical", "probs", "must be non-negative") { $0 >= 0 }
            let sums = probs.sum(axis: -1).scalars
            if !sums.allSatisfy({ abs(Double($0) - 1) < 1e-5 }) {
                throw .invalidParameter(distribution: "Categorical", parameter: "probs", reason: "must sum to one along the last axis")
            }
        }
        self.probs = probs / probs.sum(axis: -1, keepingDims: true)
    }
    /// Categorical with `p = softmax(logits)`.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a logit is NaN.
    public init(logits: Tensor<Scalar>) throws(DistributionError) {
        try check(logits, "Categorical", "logits", "must not be NaN") { _ in true }
        let l = logits - logits.logSumExp(axis: -1, keepingDims: true)
        try self.init(probs: l.exp(), validate: false)
    }
    /// Inverse-CDF draws, one uniform each.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let k = categoryCount, rows = batchShape.reduce(1, *)
        let p = probs.scalars.map { Double($0) }
        var cum = [Double](repeating: 0, count: p.count)
        for r in 0..<rows { var c = 0.0; for i in 0..<k { c += p[r * k + i]; cum[r * k + i] = c }; cum[r * k + k - 1] = 1 }
        let n = sampleShape.reduce(1, *) * rows
        let u = Tensor<Double>.randomUniform([n], using: &generator).scalars
        let out: [Scalar] = (0..<n).map { i in
            let r = i % Swift.max(rows, 1)
            var lo = 0, hi = k - 1
            while lo < hi { let mid = (lo + hi) / 2; if u[i] < cum[r * k + mid] { hi = mid } else { lo = mid + 1 } }
            while p[r * k + lo] == 0 && lo + 1 < k { lo += 1 }
            return Scalar(lo)
        }
        return Tensor(shape: sampleShape + batchShape, scalars: out)
    }
    /// `log p[value]`, `−∞` for a value that is not an index.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        let k = categoryCount
        let shape = broadcastShapes([value.shape, batchShape])!
        let v = value.doubles(broadcastTo: shape)
        let p = probs.expanded(to: shape + [k]).contiguous.scalars
        return Tensor(shape: shape, scalars: v.indices.map { i in
            let x = v[i]
            guard isCount(x) && Int(x) < k else { return -Scalar.infinity }
            return Scalar.log(p[i * k + Int(x)])
        })
    }
    /// NaN (as `torch.distributions.Categorical`: indices have no meaningful mean).
    public var mean: Tensor<Scalar> { Tensor(repeating: .nan, shape: batchShape) }
    /// NaN.
    public var variance: Tensor<Scalar> { Tensor(repeating: .nan, shape: batchShape) }
    /// `−Σ p log p`.
    public func entropy() -> Tensor<Scalar> { probs.map { $0 > 0 ? -$0 * Scalar.log($0) : 0 }.sum(axis: -1) }
}

/// Counts of `totalCount` categorical draws over `K` categories. Mirrors `torch.distributions.Multinomial`.
public struct Multinomial<Scalar: TensorFloatingPoint>: Distribution {
    /// The number of draws.
    public let totalCount: Int
    /// The category distribution.
    public let categorical: Categorical<Scalar>
    /// The categorical's batch shape.
    public var batchShape: [Int] { categorical.batchShape }
    /// `[K]`.
    public var eventShape: [Int] { [categorical.categoryCount] }
    /// The probabilities.
    public var probs: Tensor<Scalar> { categorical.probs }

    /// Multinomial(n, p).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `n < 0`
    ///   or `p` is not a probability vector.
    public init(totalCount: Int, probs: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        guard totalCount >= 0 else { throw .invalidParameter(distribution: "Multinomial", parameter: "totalCount", reason: "must be non-negative") }
        do { categorical = try Categorical(probs: probs, validate: validate) } catch {
            throw .invalidParameter(distribution: "Multinomial", parameter: "probs", reason: "must be non-negative and sum to one along the last axis")
        }
        self.totalCount = totalCount
    }
    /// Counts of `totalCount` categorical draws.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let k = categoryCountShape
        let draws = categorical.sample([totalCount] + sampleShape, using: &generator).scalars
        let m = draws.count / Swift.max(totalCount, 1)
        var out = [Scalar](repeating: 0, count: m * k)
        if totalCount > 0 { for (i, c) in draws.enumerated() { out[(i % m) * k + Int(c)] += 1 } }
        return Tensor(shape: sampleShape + batchShape + [k], scalars: out)
    }
    var categoryCountShape: Int { categorical.categoryCount }
    /// `log n! − Σ log xᵢ! + Σ xᵢ log pᵢ`; `−∞` unless the counts are integers summing to `n`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        let k = categoryCountShape
        let shape = broadcastShapes([value.shape, probs.shape])!
        let x = value.doubles(broadcastTo: shape), p = probs.doubles(broadcastTo: shape)
        let n = Double(totalCount)
        return Tensor(shape: Array(shape.dropLast()), scalars: (0..<(x.count / k)).map { r in
            var s = SF.logGamma(n + 1), total = 0.0
            for i in 0..<k {
                let xi = x[r * k + i], pi = p[r * k + i]
                guard isCount(xi) else { return -Scalar.infinity }
                total += xi
                s += -SF.logGamma(xi + 1) + (xi == 0 ? 0 : xi * log(pi))
            }
            return total == n ? Scalar(s) : -Scalar.infinity
        })
    }
    /// `n p`.
    public var mean: Tensor<Scalar> { probs * Scalar(totalCount) }
    /// `n p (1 − p)`.
    public var variance: Tensor<Scalar> { probs * (1 - probs) * Scalar(totalCount) }
    /// Exact: `n·H(p) − log n! + Σᵢ E[log Xᵢ!]` with `Xᵢ ~ Binomial(n, pᵢ)` (as torch).
    public func entropy() -> Tensor<Scalar> {
        let k = categoryCountShape, n = Double(totalCount)
        let p = probs.scalars.map { Double($0) }
        return Tensor(shape: batchShape, scalars: (0..<(p.count / k)).map { r in
            var h = -SF.logGamma(n + 1)
            for i in 0..<k {
                let pi = p[r * k + i]
                h -= n * xlogx(pi)
                for x in 0...totalCount { let lp = Binomial<Double>.logPMF(Double(x), n, pi); if lp > -.infinity { h += exp(lp) * SF.logGamma(Double(x) + 1) } }
            }
            return Scalar(h)
        })
    }
}
