import Foundation

/// Sequential Monte Carlo: the bootstrap particle filter of Gordon, Salmond and Smith (1993).
///
/// Particles drawn from the initial distribution are propagated through the transition,
/// weighted by the observation density, and resampled (systematically) when the effective
/// sample size of the weights falls below a threshold. The product of the mean weights is an
/// unbiased estimate of the likelihood `p(y₁…y_T)`; its log is returned.
public enum ParticleFilter {
    /// The output of a particle filter.
    public struct Result: Sendable {
        /// The estimate of `log p(y₁…y_T)` (of an unbiased likelihood estimate).
        public var logLikelihood: Double
        /// The weighted particle means `E[xₜ | y₁…yₜ]`, one per observation.
        public var means: [[Double]]
        /// The weighted particle variances of each state component, one per observation.
        public var variances: [[Double]]
        /// Kish's effective sample size of the weights at each step, before resampling.
        public var effectiveSampleSizes: [Double]
        /// The number of resampling steps.
        public var resamplings: Int
    }

    /// The bootstrap filter for a general state-space model given by closures.
    ///
    /// - Parameters:
    ///   - observations: `y₁…y_T`.
    ///   - particles: the number of particles `N`.
    ///   - resampleThreshold: resample when the ESS drops below this fraction of `N` (1 resamples
    ///     every step).
    ///   - initial: draws `x₀` from the initial distribution.
    ///   - transition: draws `xₜ` given `xₜ₋₁`.
    ///   - logObservationDensity: `log p(yₜ | xₜ)`.
    ///   - generator: the random stream.
    /// - Throws: ``SamplingError/invalidArgument(function:argument:reason:)`` for fewer than one
    ///   particle, ``SamplingError/allWeightsZero`` when every particle has zero weight.
    public static func bootstrap(
        observations: [[Double]], particles: Int, resampleThreshold: Double = 0.5,
        initial: (inout PhiloxGenerator) -> [Double],
        transition: ([Double], inout PhiloxGenerator) -> [Double],
        logObservationDensity: ([Double], [Double]) -> Double,
        using generator: inout PhiloxGenerator
    ) throws(SamplingError) -> Result {
        guard particles >= 1 else { throw .invalidArgument(function: "ParticleFilter.bootstrap", argument: "particles", reason: "must be ≥ 1") }
        var xs = (0..<particles).map { _ in initial(&generator) }
        let n = xs.first?.count ?? 0
        var logW = [Double](repeating: -log(Double(particles)), count: particles)   // normalized log weights
        var result = Result(logLikelihood: 0, means: [], variances: [], effectiveSampleSizes: [], resamplings: 0)
        for y in observations {
            for i in 0..<particles { xs[i] = transition(xs[i], &generator) }
            // Incremental weights and the likelihood increment log Σ Wᵢ gᵢ.
            var lw = [Double](repeating: 0, count: particles)
            for i in 0..<particles {
                let g = logObservationDensity(y, xs[i])
                lw[i] = logW[i] + (g.isNaN ? -.infinity : g)
            }
            let mx = lw.max()!
            guard mx > -.infinity else { throw .allWeightsZero }
            var total = 0.0
            for v in lw { total += exp(v - mx) }
            let logTotal = mx + log(total)
            result.logLikelihood += logTotal
            for i in 0..<particles { logW[i] = lw[i] - logTotal }
            let w = logW.map { exp($0) }
            var mean = [Double](repeating: 0, count: n), sq = [Double](repeating: 0, count: n)
            for i in 0..<particles { for j in 0..<n { mean[j] += w[i] * xs[i][j]; sq[j] += w[i] * xs[i][j] * xs[i][j] } }
            result.means.append(mean)
            result.variances.append((0..<n).map { sq[$0] - mean[$0] * mean[$0] })
            let ess = 1 / w.reduce(0) { $0 + $1 * $1 }
            result.effectiveSampleSizes.append(ess)
            if ess < resampleThreshold * Double(particles) {
                // Systematic resampling: one uniform, N evenly spaced pointers into the CDF.
                let u0 = Double(generator.next() >> 11) * 0x1p-53
                var idx = [Int](), cum = 0.0, j = 0
                idx.reserveCapacity(particles)
                for k in 0..<particles {
                    let u = (u0 + Double(k)) / Double(particles)
                    while j < particles - 1 && cum + w[j] < u { cum += w[j]; j += 1 }
                    idx.append(j)
                }
                xs = idx.map { xs[$0] }
                logW = [Double](repeating: -log(Double(particles)), count: particles)
                result.resamplings += 1
            }
        }
        return result
    }

    /// The bootstrap filter for a ``LinearGaussianStateSpaceModel`` (whose exact answer
    /// ``KalmanFilter`` gives).
    /// - Throws: see ``bootstrap(observations:particles:resampleThreshold:initial:transition:logObservationDensity:using:)``.
    public static func bootstrap(
        _ model: LinearGaussianStateSpaceModel, observations: [[Double]], particles: Int,
        resampleThreshold: Double = 0.5, using generator: inout PhiloxGenerator
    ) throws(SamplingError) -> Result {
        let n = model.stateDimension, m = model.observationDimension
        let l0 = SmallMatrix.cholesky(model.initialCovariance, n)!, lq = SmallMatrix.cholesky(model.transitionCovariance, n)!
        let lr = SmallMatrix.cholesky(model.observationCovariance, m)!
        func normals(_ k: Int, _ g: inout PhiloxGenerator) -> [Double] {
            var r = ChainRandom(g)
            defer { g = r.generator }
            return (0..<k).map { _ in r.normal() }
        }
        return try bootstrap(
            observations: observations, particles: particles, resampleThreshold: resampleThreshold,
            initial: { g in SmallMatrix.add(model.initialMean, SmallMatrix.lowerTimes(l0, normals(n, &g), n)) },
            transition: { x, g in SmallMatrix.add(SmallMatrix.times(model.transition, x, n, n), SmallMatrix.lowerTimes(lq, normals(n, &g), n)) },
            logObservationDensity: { y, x in
                SmallMatrix.gaussianLogDensity(residual: SmallMatrix.sub(y, SmallMatrix.times(model.observation, x, m, n)), cholesky: lr, m)
            },
            using: &generator)
    }
}
