import Foundation
import Testing
@testable import NablaSampling

@Suite("Bootstrap particle filter against the Kalman filter")
struct ParticleFilterTests {
    /// A 2-D rotating, damped state observed through its first component plus the sum.
    static func model() throws -> LinearGaussianStateSpaceModel {
        let c = cos(0.3), s = sin(0.3)
        return try LinearGaussianStateSpaceModel(
            transition: [0.95 * c, -0.95 * s, 0.95 * s, 0.95 * c], observation: [1, 0, 1, 1],
            transitionCovariance: [0.3, 0.05, 0.05, 0.2], observationCovariance: [0.5, 0, 0, 0.8],
            initialMean: [0, 0], initialCovariance: [1, 0, 0, 1])
    }

    @Test("The log-likelihood estimate matches Kalman's exact one within Monte Carlo error; filtered means agree")
    func againstKalman() throws {
        let model = try Self.model()
        var g = PhiloxGenerator(seed: 11)
        let (_, ys) = model.simulate(steps: 40, using: &g)
        let kalman = KalmanFilter.filter(model, observations: ys)
        let replicates = 12, particles = 1000
        var estimates: [Double] = []
        var streams = g.split(into: replicates)
        for r in 0..<replicates {
            let pf = try ParticleFilter.bootstrap(model, observations: ys, particles: particles, using: &streams[r])
            estimates.append(pf.logLikelihood)
            if r == 0 {
                // Filtered means within 5 Monte Carlo standard errors √(Pₜ/ESSₜ) at every step.
                for t in 0..<ys.count {
                    for j in 0..<2 {
                        let se = (kalman.covariances[t][j * 2 + j] / pf.effectiveSampleSizes[t]).squareRoot()
                        #expect(abs(pf.means[t][j] - kalman.means[t][j]) < 5 * se, "t = \(t), x[\(j)]")
                        #expect(abs(pf.variances[t][j] / kalman.covariances[t][j * 2 + j] - 1) < 0.3)
                    }
                }
                #expect(pf.resamplings > 0)
            }
        }
        let mean = MCMCDiagnostics.mean(estimates)
        let sd = MCMCDiagnostics.variance(estimates, ddof: 1).squareRoot()
        // The estimator of the likelihood is unbiased, that of its log is biased by about −σ²/2.
        #expect(abs(mean - kalman.logLikelihood) < 4 * sd / Double(replicates).squareRoot() + sd * sd / 2,
                "PF \(mean) ± \(sd / Double(replicates).squareRoot()) vs Kalman \(kalman.logLikelihood)")
        #expect(sd < 1)
    }

    @Test("Kalman's log-likelihood equals the joint Gaussian density of the observations (1-D, T = 3)")
    func kalmanExact() throws {
        // x₀ ~ N(0, 1), xₜ = 0.5 xₜ₋₁ + N(0, 1), yₜ = xₜ + N(0, 1): y is jointly Gaussian.
        let model = try LinearGaussianStateSpaceModel(transition: [0.5], observation: [1], transitionCovariance: [1],
                                                      observationCovariance: [1], initialMean: [0], initialCovariance: [1])
        let ys: [[Double]] = [[0.3], [-1.2], [0.7]]
        // Cov(xₛ, xₜ) = 0.5^|t−s| Var(x_min); Var(x₁) = 1.25, Var(x₂) = 1.3125, Var(x₃) = 1.328125.
        let v = [1.25, 1.3125, 1.328125]
        var s = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for j in 0..<3 { s[i * 3 + j] = pow(0.5, Double(abs(i - j))) * v[min(i, j)] + (i == j ? 1 : 0) } }
        let exact = SmallMatrix.gaussianLogDensity(residual: ys.map { $0[0] }, cholesky: SmallMatrix.cholesky(s, 3)!, 3)
        #expect(close(KalmanFilter.filter(model, observations: ys).logLikelihood, exact, rtol: 1e-12))
    }

    @Test("Invalid models are typed errors")
    func invalid() {
        #expect(throws: SamplingError.self) {
            try LinearGaussianStateSpaceModel(transition: [1], observation: [1], transitionCovariance: [-1],
                                              observationCovariance: [1], initialMean: [0], initialCovariance: [1])
        }
    }
}
