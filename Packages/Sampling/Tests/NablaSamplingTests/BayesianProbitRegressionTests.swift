import Foundation
import Testing
@testable import NablaSampling

/// The data of `benchmarks/bayes_integration_reference.py` (`probit_data`): N = 40,
/// x = −2 + 4i/39, t = [1.3x − 0.3 + 0.9 sin(2.3i) > 0]; the design keeps `columns` of [1, x].
func probitData(columns: [Int] = [0, 1]) -> (design: Tensor<Double>, targets: Tensor<Double>) {
    var phi: [Double] = [], t: [Double] = []
    for k in 0..<40 {
        let i = Double(k), x = -2 + 4 * i / 39
        phi += columns.map { [1, x][$0] }
        t.append(1.3 * x - 0.3 + 0.9 * sin(2.3 * i) > 0 ? 1 : 0)
    }
    return (Tensor(shape: [40, columns.count], scalars: phi), Tensor(t))
}

@Suite("Expectation propagation (probit)")
struct BayesianProbitRegressionTests {
    @Test func matchesFunctionSpaceEPOfGPML() throws {
        // python3 benchmarks/bayes_integration_reference.py ep: Rasmussen & Williams' Algorithm 3.5
        // with K = ΦΣ₀Φᵀ (function space, sequential) and GPML infEP's evidence formula: a different
        // parameterization and a different derivation of ln Z_EP than this weight-space code.
        let (phi, t) = probitData()
        #expect(t.scalars.map(Int.init) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
                                            1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
        let ep = try BayesianProbitRegression(design: phi, targets: t)
        let mean = [-0.1756346478603651, 1.9016957723446897]
        let cov = [0.09779265422492925, -0.01660244288729813, -0.016602442887298126, 0.20432697037018285]
        for (u, v) in zip(ep.posteriorMean.scalars, mean) { #expect(abs(u - v) <= 1e-9, "m \(u) vs \(v)") }
        for (u, v) in zip(ep.posteriorCovariance.scalars, cov) { #expect(abs(u - v) <= 1e-9, "Σ \(u) vs \(v)") }
        #expect(abs(ep.logEvidence - -11.13978592225087) <= 1e-9, "ln Z_EP \(ep.logEvidence)")
        #expect(ep.sitePrecisions.allSatisfy { $0 > 0 })   // probit factors are log-concave
        // A correlated prior Σ₀ = [[2, 0.5], [0.5, 1]] (same script), and damped updates (δ = 0.5)
        // reach the same fixed point.
        let s0 = Tensor<Double>(shape: [2, 2], scalars: [2, 0.5, 0.5, 1])
        for damping in [1.0, 0.5] {
            let corr = try BayesianProbitRegression(design: phi, targets: t, priorCovariance: s0, damping: damping)
            for (u, v) in zip(corr.posteriorMean.scalars, [-0.12209136188865286, 1.8254160011854443]) { #expect(abs(u - v) <= 1e-9) }
            for (u, v) in zip(corr.posteriorCovariance.scalars, [0.0978142992453162, -0.006996554829491745, -0.00699655482949175, 0.18369228080067784]) {
                #expect(abs(u - v) <= 1e-9)
            }
            #expect(abs(corr.logEvidence - -11.73777852399089) <= 1e-9)
        }
        let one = try BayesianProbitRegression(design: probitData(columns: [1]).design, targets: t)
        #expect(abs(one.posteriorMean.scalars[0] - 1.837156482957725) <= 1e-9)
        #expect(abs(one.posteriorCovariance.scalars[0] - 0.19698883648119705) <= 1e-9)
        #expect(abs(one.logEvidence - -10.116021716044031) <= 1e-9)
    }

    @Test func evidenceAndMeanAgainstNumericalIntegration() throws {
        // The exact ln p(t) and E[w | t] by the trapezoidal rule on a 1201ᵈ grid over ±8 EP
        // standard deviations (benchmarks/bayes_integration_reference.py ep; in 1-D also
        // scipy.integrate.quad: −10.0933356623109, agreeing to 2·10⁻⁸).
        let (phi, t) = probitData()
        let ep2 = try BayesianProbitRegression(design: phi, targets: t)
        let ep1 = try BayesianProbitRegression(design: probitData(columns: [1]).design, targets: t)
        // EP's evidence is 0.029 nats (2-D) and 0.023 nats (1-D) below the exact one here.
        #expect(abs(ep2.logEvidence - -11.110518590303707) < 0.035)
        #expect(abs(ep1.logEvidence - -10.09333568054742) < 0.03)
        for (u, v) in zip(ep2.posteriorMean.scalars, [-0.175474616471318, 1.9013306672531163]) {
            #expect(abs(u - v) <= 0.002 * abs(v), "EP mean \(u) vs exact \(v)")
        }
        #expect(abs(ep1.posteriorMean.scalars[0] - 1.8373274522407046) <= 0.002 * 1.8373274522407046)
    }

    @Test func meanWithinTwoPercentOfLongNUTSRun() throws {
        let (phi, t) = probitData()
        let ep = try BayesianProbitRegression(design: phi, targets: t)
        // Long NUTS reference: `swift run --package-path Packages/Sampling bayes-examples
        // probit-nuts` (this module's NUTS, 4 chains × 50 000 draws after 2000 warm-up, seed 2026;
        // debug build, 23 s). The exact means (grid, see above) are −0.175475, 1.901331.
        let nutsLong = [-0.1757451635290639, 1.9024510870613354]   // MCSE 0.001 each, ESS 1.4·10⁵
        for (u, v) in zip(ep.posteriorMean.scalars, nutsLong) { #expect(abs(u - v) <= 0.02 * abs(v), "EP \(u) vs NUTS \(v)") }
        // A short run of the same sampler in the test agrees with the long one within 4 MCSE.
        let target = try BayesianProbitRegression.logPosterior(design: phi, targets: t)
        let run = try MCMC.sample(target, kernel: .nuts(), configuration: MCMCConfiguration(chains: 4, warmup: 300, draws: 500), seed: 7)
        let summary = run.summary()
        for k in 0..<2 {
            #expect(abs(run.mean[k] - nutsLong[k]) <= 4 * summary.rows[k].mcseMean, "short NUTS \(run.mean[k]) vs \(nutsLong[k])")
        }
        // The predictive Φ(mᵀφ/√(1 + φᵀΣφ)) against the average of Φ(wᵀφ) over the NUTS draws.
        let x = Tensor<Double>(shape: [3, 2], scalars: [1, -1, 1, 0.1, 1, 1.5])
        let p = ep.predict(design: x).scalars
        for (i, row) in [[1.0, -1], [1, 0.1], [1, 1.5]].enumerated() {
            let draws = (0..<(run.chainCount * run.drawCount)).map { s in
                SpecialFunctions.normalCDF(run.draws[2 * s] * row[0] + run.draws[2 * s + 1] * row[1])
            }
            let mc = draws.reduce(0, +) / Double(draws.count)
            #expect(abs(p[i] - mc) < 0.01, "EP predictive \(p[i]) vs NUTS \(mc)")
        }
    }

    @Test func logPosteriorGradientMatchesFiniteDifferences() throws {
        let (phi, t) = probitData()
        let target = try BayesianProbitRegression.logPosterior(design: phi, targets: t)
        let w = [0.3, -0.7]
        var g = [0.0, 0.0]
        _ = target.logDensity(at: w, gradient: &g)
        for k in 0..<2 {
            var up = w, dn = w
            up[k] += 1e-6; dn[k] -= 1e-6
            #expect(abs((target.logDensity(at: up) - target.logDensity(at: dn)) / 2e-6 - g[k]) < 1e-6)
        }
        // Far in the tail (z ≈ −40) the value and the gradient stay finite.
        var gt = [0.0, 0.0]
        #expect(target.logDensity(at: [0, -40], gradient: &gt).isFinite && gt.allSatisfy(\.isFinite))
    }

    @Test func badInputThrows() {
        let (phi, t) = probitData()
        #expect(throws: BayesianError.self) { try BayesianProbitRegression(design: phi, targets: t, damping: 0) }
        #expect(throws: BayesianError.self) {
            try BayesianProbitRegression(design: phi, targets: t, priorCovariance: Tensor(shape: [2, 2], scalars: [1, 2, 2, 1]))
        }
        #expect(throws: BayesianError.self) { try BayesianProbitRegression(design: phi, targets: Tensor([0.5])) }
    }
}
