#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Monte Carlo estimate `Ê[f(x)]` with its standard error.
public struct MonteCarloEstimate: Sendable, Equatable, CustomStringConvertible {
    /// The estimate of the expectation.
    public var estimate: Double
    /// The estimated standard deviation of ``estimate`` (`s/√n` for plain Monte Carlo, the spread
    /// of randomized replicates for quasi-Monte Carlo).
    public var standardError: Double
    /// The number of function evaluations.
    public var evaluations: Int

    /// Creates an estimate.
    public init(estimate: Double, standardError: Double, evaluations: Int) {
        self.estimate = estimate; self.standardError = standardError; self.evaluations = evaluations
    }

    /// The normal-approximation confidence interval `estimate ± z·standardError` at `level`.
    public func confidenceInterval(level: Double = 0.95) -> ClosedRange<Double> {
        let z = SpecialFunctions.normalQuantile(0.5 + level / 2)
        return (estimate - z * standardError)...(estimate + z * standardError)
    }

    /// `standardError / |estimate|`.
    public var relativeStandardError: Double { standardError / abs(estimate) }

    /// `estimate ± standardError (n evaluations)`.
    public var description: String { "\(estimate) ± \(standardError) (\(evaluations) evaluations)" }
}

/// Monte Carlo estimation of expectations `E_p[f(x)] = ∫ f(x) p(x) dx ≈ (1/S) Σ f(x⁽ˢ⁾)`,
/// `x⁽ˢ⁾ ~ p`, with variance reduction: antithetic variates, control variates and randomized
/// quasi-Monte Carlo.
public enum MonteCarlo {
    /// The sample mean of `values` and its standard error `s/√n` (Welford's algorithm).
    public static func estimate(values: [Double]) -> MonteCarloEstimate {
        var mean = 0.0, m2 = 0.0
        for (i, v) in values.enumerated() {
            let d = v - mean
            mean += d / Double(i + 1)
            m2 += d * (v - mean)
        }
        let n = values.count
        let se = n > 1 ? (m2 / Double(n - 1) / Double(n)).squareRoot() : .nan
        return MonteCarloEstimate(estimate: mean, standardError: se, evaluations: n)
    }

    /// `E_p[f(x)]` from `samples` draws of `distribution`: `f` maps a batch of draws of shape
    /// `[samples] + batchShape + eventShape` to one value per draw (`[samples]`, or any shape
    /// with `samples` elements).
    public static func expectation<D: Distribution, G: PhiloxProtocol>(
        of f: (Tensor<D.Scalar>) -> Tensor<D.Scalar>, under distribution: D, samples: Int,
        using generator: inout G) -> MonteCarloEstimate {
        let x = distribution.sample([samples], using: &generator)
        return estimate(values: f(x).scalars.map { Double($0) })
    }

    /// The base distribution whose draws are paired with their mirror image by ``antithetic(of:dimension:pairs:base:using:)``.
    public enum AntitheticBase: Sendable {
        /// Uniform on `[0, 1)ᵈ`, paired as `u` and `1 − u`.
        case uniform
        /// Standard normal in `d` dimensions, paired as `z` and `−z`.
        case standardNormal
    }

    /// Antithetic variates: each draw `x` is paired with its reflection `x'` (`1 − u` or `−z`) and
    /// the pair average `(f(x) + f(x'))/2` is the sample; the standard error is computed over pairs,
    /// so it is honest when `f` is monotone (negative correlation, variance reduced) and when it is not.
    ///
    /// `f` maps a `[pairs, dimension]` tensor to `[pairs]` values.
    public static func antithetic<G: PhiloxProtocol>(
        of f: (Tensor<Double>) -> Tensor<Double>, dimension: Int, pairs: Int, base: AntitheticBase = .uniform,
        using generator: inout G) -> MonteCarloEstimate {
        let x: Tensor<Double>, mirror: Tensor<Double>
        switch base {
        case .uniform:
            x = Tensor.randomUniform([pairs, dimension], using: &generator); mirror = 1 - x
        case .standardNormal:
            x = Tensor.randomNormal([pairs, dimension], using: &generator); mirror = x * -1
        }
        let a = f(x).scalars, b = f(mirror).scalars
        var r = estimate(values: zip(a, b).map { ($0 + $1) / 2 })
        r.evaluations = 2 * pairs
        return r
    }

    /// Control variates: estimates `E[f]` from paired values `f(xᵢ)` and `h(xᵢ)` of a control `h`
    /// whose mean `controlMean` is known exactly, as `mean(f − β(h − E h))` with the
    /// variance-minimizing `β = Cov(f, h)/Var(h)` estimated from the same draws.
    public static func controlVariate(values: [Double], control: [Double], controlMean: Double) -> (estimate: MonteCarloEstimate, beta: Double) {
        precondition(values.count == control.count && values.count > 2, "controlVariate: need paired values")
        let n = Double(values.count)
        let mf = values.reduce(0, +) / n, mh = control.reduce(0, +) / n
        var cov = 0.0, varH = 0.0
        for (f, h) in zip(values, control) { cov += (f - mf) * (h - mh); varH += (h - mh) * (h - mh) }
        let beta = varH > 0 ? cov / varH : 0
        var r = estimate(values: zip(values, control).map { $0 - beta * ($1 - controlMean) })
        // One degree of freedom went into β.
        r.standardError *= ((n - 1) / (n - 2)).squareRoot()
        return (r, beta)
    }

    /// The low-discrepancy sequence used by ``quasiMonteCarlo(of:dimension:points:replicates:sequence:seed:)``.
    public enum QuasiRandomSequence: Sendable {
        /// Sobol' points (Joe–Kuo directions) with linear matrix scrambling and a digital shift.
        case sobol
        /// Halton points with random digit permutations.
        case halton
    }

    /// Randomized quasi-Monte Carlo estimate of `∫_{[0,1)ᵈ} f(u) du`: `replicates` independently
    /// scrambled point sets of `points` points each; the estimate is the mean of the replicate
    /// means and the standard error their spread over `√replicates`, an honest error estimate
    /// that plain QMC lacks.
    ///
    /// `f` maps a `[points, dimension]` tensor to `[points]` values. Use a power of two for
    /// `points` with Sobol'.
    public static func quasiMonteCarlo(
        of f: (Tensor<Double>) -> Tensor<Double>, dimension: Int, points: Int, replicates: Int = 16,
        sequence: QuasiRandomSequence = .sobol, seed: UInt64 = 0) -> MonteCarloEstimate {
        var g = PhiloxGenerator(seed: seed)
        var means: [Double] = []
        for _ in 0..<replicates {
            let u: Tensor<Double>
            switch sequence {
            case .sobol: u = SobolSequence(dimension: dimension, scrambled: true, using: &g).points(points)
            case .halton: u = HaltonSequence(dimension: dimension, scrambled: true, using: &g).points(points)
            }
            let v = f(u).scalars
            means.append(v.reduce(0, +) / Double(v.count))
        }
        var r = estimate(values: means)
        r.evaluations = points * replicates
        return r
    }
}
