#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An importance-sampling estimate with the diagnostics that say whether to believe it.
public struct ImportanceSamplingResult: Sendable {
    /// The estimate of `E_p[f(x)]`.
    public var estimate: Double
    /// Its standard error (the CLT error of `mean(w·f)` for plain IS, the delta-method error for
    /// self-normalized IS). Meaningless when ``paretoK`` > 0.7: the variance may be infinite.
    public var standardError: Double
    /// Whether the weights were normalized by their sum.
    public var selfNormalized: Bool
    /// The number of draws.
    public var sampleCount: Int
    /// Kish's effective sample size `(Σw)²/Σw²`.
    public var effectiveSampleSize: Double
    /// The Pareto-k̂ of the weights' right tail (Vehtari et al. 2024): below 0.5 reliable,
    /// above 0.7 the estimate is unreliable.
    public var paretoK: Double
    /// The log-weights `log p(x) − log q(x)` (for plain IS) or `log p̃(x) − log q(x)`.
    public var logWeights: [Double]
    /// Warnings (`k̂ > 0.7`, ESS below 1% of the draws).
    public var warnings: [SamplingWarning]

    /// The normal-approximation confidence interval `estimate ± z·standardError`.
    public func confidenceInterval(level: Double = 0.95) -> ClosedRange<Double> {
        let z = SpecialFunctions.normalQuantile(0.5 + level / 2)
        return (estimate - z * standardError)...(estimate + z * standardError)
    }
}

/// Importance sampling: `E_p[f(x)] = E_q[f(x) p(x)/q(x)]`, estimated with draws from a proposal
/// `q`, with every weight handled in log space so that tiny and huge densities neither underflow
/// nor overflow. Diagnostics: Kish's effective sample size and the Pareto-k̂ of PSIS.
public enum ImportanceSampling {
    /// The threshold of ``ImportanceSamplingResult/paretoK`` above which a warning is attached.
    public static let paretoKThreshold = 0.7

    /// The estimate from per-draw values `f(xᵢ)` and log-weights `log wᵢ`.
    ///
    /// - Parameters:
    ///   - values: `f(xᵢ)` for each draw.
    ///   - logWeights: `log p(xᵢ) − log q(xᵢ)` (or with `p̃`) for each draw.
    ///   - selfNormalized: `false`: `mean(w·f)` (needs a normalized target `p`); `true`:
    ///     `Σ w f / Σ w` (works with an unnormalized `p̃`, biased but consistent).
    ///   - printWarnings: also print each warning to standard output.
    /// - Throws: ``SamplingError/allWeightsZero`` if every log-weight is `−∞` or NaN.
    public static func estimate(values: [Double], logWeights: [Double], selfNormalized: Bool,
                                printWarnings: Bool = false) throws(SamplingError) -> ImportanceSamplingResult {
        guard values.count == logWeights.count, values.count > 1 else {
            throw .invalidArgument(function: "ImportanceSampling.estimate", argument: "values", reason: "must pair with logWeights (n > 1)")
        }
        let n = Double(values.count)
        let m = logWeights.filter { !$0.isNaN }.max() ?? -.infinity
        guard m > -.infinity else { throw .allWeightsZero }
        let w = logWeights.map { $0.isNaN ? 0 : exp($0 - m) }    // scaled weights, max 1
        let sw = w.reduce(0, +)
        let est: Double, se: Double
        if selfNormalized {
            let mu = zip(w, values).reduce(0) { $0 + $1.0 * $1.1 } / sw
            let v = zip(w, values).reduce(0) { $0 + $1.0 * $1.0 * ($1.1 - mu) * ($1.1 - mu) }
            est = mu; se = v.squareRoot() / sw
        } else {
            let wf = zip(w, values).map { $0 * $1 }
            let r = MonteCarlo.estimate(values: wf)
            est = r.estimate * exp(m); se = r.standardError * exp(m)
        }
        let ess = effectiveSampleSize(logWeights: logWeights)
        let k = paretoSmoothing(logWeights: logWeights).k
        var warnings: [SamplingWarning] = []
        if k > paretoKThreshold {
            warnings.append(SamplingWarning(kind: .paretoKHat, value: k, threshold: paretoKThreshold,
                message: "importance sampling: Pareto k̂ = \(k) > \(paretoKThreshold); the weights are heavy-tailed and the estimate (and its standard error) is unreliable"))
        }
        if ess < 0.01 * n {
            warnings.append(SamplingWarning(kind: .lowEffectiveSampleSize, value: ess, threshold: 0.01 * n,
                message: "importance sampling: effective sample size \(ess) is below 1% of \(Int(n)) draws"))
        }
        if printWarnings { for w in warnings { print("warning: \(w.message)") } }
        return ImportanceSamplingResult(estimate: est, standardError: se, selfNormalized: selfNormalized, sampleCount: values.count,
                                        effectiveSampleSize: ess, paretoK: k, logWeights: logWeights, warnings: warnings)
    }

    /// Importance sampling of `E_p[f(x)]` with `samples` draws from `proposal`.
    ///
    /// - Parameters:
    ///   - f: maps draws `[n] + eventShape` to `[n]` values.
    ///   - logTarget: `log p` (normalized, for plain IS) or `log p̃` (for self-normalized IS),
    ///     mapping draws to `[n]` values.
    ///   - proposal: the distribution `q` the draws come from.
    ///   - samples: the number of draws.
    ///   - selfNormalized: normalize the weights by their sum (for an unnormalized target).
    ///   - printWarnings: also print each warning to standard output.
    ///   - generator: the source of randomness.
    /// - Throws: ``SamplingError/allWeightsZero`` if the target is zero at every draw.
    public static func estimate<Q: Distribution, G: PhiloxProtocol>(
        of f: (Tensor<Q.Scalar>) -> Tensor<Q.Scalar>, logTarget: (Tensor<Q.Scalar>) -> Tensor<Q.Scalar>,
        proposal: Q, samples: Int, selfNormalized: Bool = false, printWarnings: Bool = false,
        using generator: inout G) throws(SamplingError) -> ImportanceSamplingResult {
        let x = proposal.sample([samples], using: &generator)
        let lw = zip(logTarget(x).scalars, proposal.logProb(x).scalars).map { Double($0) - Double($1) }
        return try estimate(values: f(x).scalars.map { Double($0) }, logWeights: lw, selfNormalized: selfNormalized,
                            printWarnings: printWarnings)
    }

    /// Kish's effective sample size `(Σw)²/Σw²` from log-weights: `N` for equal weights, 1 when
    /// one weight carries everything.
    public static func effectiveSampleSize(logWeights: [Double]) -> Double {
        let m = logWeights.filter { !$0.isNaN }.max() ?? -.infinity
        guard m > -.infinity else { return 0 }
        var s = 0.0, s2 = 0.0
        for lw in logWeights where !lw.isNaN { let w = exp(lw - m); s += w; s2 += w * w }
        return s * s / s2
    }

    /// Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao & Gabry 2024), as
    /// ArviZ's `psislw`: the largest `M = ⌈min(N/5, 3√(N/r_eff))⌉` weights are replaced by the
    /// expected order statistics of a generalized Pareto distribution fitted to them (Zhang &
    /// Stephens 2009 with a weak prior on `k`), truncated at the largest raw weight, and the
    /// log-weights normalized to sum to one.
    ///
    /// - Returns: the smoothed, normalized log-weights and the shape estimate `k̂` (`+∞` when the
    ///   tail has 4 or fewer points).
    public static func paretoSmoothing(logWeights: [Double], relativeEfficiency: Double = 1) -> (logWeights: [Double], k: Double) {
        let n = logWeights.count
        var x = logWeights
        let maxX = x.max() ?? 0
        for i in x.indices { x[i] -= maxX }
        let order = x.indices.sorted { x[$0] < x[$1] }
        let tailCount = Int((Swift.min(Double(n) / 5, 3 * (Double(n) / relativeEfficiency).squareRoot())).rounded(.up))
        let cutoffIndex = n - tailCount - 1
        let cutoffMin = log(Double.leastNormalMagnitude)
        let xCutoff = Swift.max(cutoffIndex >= 0 ? x[order[cutoffIndex]] : -.infinity, cutoffMin)
        let expCutoff = exp(xCutoff)
        let tail = x.indices.filter { x[$0] > xCutoff }.sorted { x[$0] < x[$1] }
        var k = Double.infinity
        if tail.count > 4 {
            let tailValues = tail.map { exp(x[$0]) - expCutoff }
            let fit = generalizedParetoFit(sorted: tailValues)
            k = fit.k
            if k.isFinite {
                let len = Double(tail.count)
                for (j, i) in tail.enumerated() {
                    let p = (Double(j) + 0.5) / len
                    let q = abs(k) < Double.ulpOfOne ? -log1p(-p) : expm1(-k * log1p(-p)) / k
                    x[i] = Swift.min(0, log(q * fit.sigma + expCutoff))
                }
            }
        }
        let lse = logSumExp(x)
        return (x.map { $0 - lse }, k)
    }

    /// Zhang & Stephens' empirical-Bayes fit of a generalized Pareto distribution to sorted
    /// positive exceedances, with ArviZ's weakly informative prior on `k` (10 pseudo-observations at 0.5).
    public static func generalizedParetoFit(sorted ary: [Double]) -> (k: Double, sigma: Double) {
        let n = ary.count
        let mEst = 30 + Int(Double(n).squareRoot())
        let quartile = ary[Int(Double(n) / 4 + 0.5) - 1]
        var b = (1...mEst).map { 1 - (Double(mEst) / (Double($0) - 0.5)).squareRoot() }
        b = b.map { $0 / (3 * quartile) + 1 / ary[n - 1] }
        let kAry = b.map { bi in ary.reduce(0) { $0 + log1p(-bi * $1) } / Double(n) }
        let lenScale = zip(b, kAry).map { Double(n) * (log(-($0 / $1)) - $1 - 1) }
        var weights = lenScale.indices.map { i in 1 / lenScale.reduce(0) { $0 + exp($1 - lenScale[i]) } }
        var bKept = b
        let keep = weights.indices.filter { weights[$0] >= 10 * Double.ulpOfOne }
        weights = keep.map { weights[$0] }; bKept = keep.map { b[$0] }
        let total = weights.reduce(0, +)
        let bPost = zip(bKept, weights).reduce(0) { $0 + $1.0 * $1.1 } / total
        var kPost = ary.reduce(0) { $0 + log1p(-bPost * $1) } / Double(n)
        let sigma = -kPost / bPost
        kPost = (Double(n) * kPost + 10 * 0.5) / (Double(n) + 10)
        return (kPost, sigma)
    }

    /// `log Σ exp(xᵢ)`, stable.
    public static func logSumExp(_ x: [Double]) -> Double {
        let m = x.max() ?? -.infinity
        guard m.isFinite else { return m }
        return m + log(x.reduce(0) { $0 + exp($1 - m) })
    }

    /// How ``resample(logWeights:count:scheme:using:)`` draws indices.
    public enum ResamplingScheme: Sendable {
        /// `count` independent categorical draws.
        case multinomial
        /// One uniform `u`, points `(i + u)/count`: lowest variance, deterministic spacing.
        case systematic
        /// One uniform per stratum `[i/count, (i+1)/count)`.
        case stratified
    }

    /// Indices `0..<N` drawn in proportion to the weights `exp(logWeights)` (normalized here),
    /// in increasing order.
    public static func resample<G: PhiloxProtocol>(logWeights: [Double], count: Int, scheme: ResamplingScheme = .systematic,
                                                   using generator: inout G) -> [Int] {
        let lse = logSumExp(logWeights)
        var c = 0.0
        var cum = logWeights.map { c += exp($0 - lse); return c }
        cum[cum.count - 1] = 1
        let u = Tensor<Double>.randomUniform([scheme == .systematic ? 1 : count], using: &generator).scalars
        let points: [Double]
        switch scheme {
        case .multinomial: points = u.sorted()
        case .systematic: points = (0..<count).map { (Double($0) + u[0]) / Double(count) }
        case .stratified: points = (0..<count).map { (Double($0) + u[$0]) / Double(count) }
        }
        var out = [Int](), j = 0
        out.reserveCapacity(count)
        for p in points {
            while j < cum.count - 1 && p >= cum[j] { j += 1 }
            out.append(j)
        }
        return out
    }
}
