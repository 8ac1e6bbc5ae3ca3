import Foundation
import Testing
@testable import NablaSampling

/// A zero-mean Gaussian `N(0, Σ)` given by its precision `P = Σ⁻¹` (row-major), with the
/// analytic gradient `−P x`.
struct GaussianTarget: DifferentiableLogDensity {
    let dimension: Int
    let precision: [Double]
    func logDensity(at x: [Double], gradient: inout [Double]) -> Double {
        let d = dimension
        var s = 0.0
        precision.withUnsafeBufferPointer { p in
            for i in 0..<d {
                var g = 0.0
                for j in 0..<d { g += p[i * d + j] * x[j] }
                gradient[i] = -g
                s += x[i] * g
            }
        }
        return -0.5 * s
    }
}

/// A diagonal Gaussian `N(0, diag(σ²))`.
struct DiagonalGaussianTarget: DifferentiableLogDensity {
    let scales: [Double]
    var dimension: Int { scales.count }
    func logDensity(at x: [Double], gradient: inout [Double]) -> Double {
        var s = 0.0
        for i in 0..<scales.count {
            let z = x[i] / (scales[i] * scales[i])
            gradient[i] = -z
            s += x[i] * z
        }
        return -0.5 * s
    }
}

/// Neal's funnel: `y ~ N(0, 3²)`, `xᵢ ~ N(0, e^y)`, `i = 1…d−1`.
struct FunnelTarget: DifferentiableLogDensity {
    let dimension: Int
    func logDensity(at x: [Double], gradient: inout [Double]) -> Double {
        let y = x[0], n = Double(dimension - 1)
        var s = 0.0
        for i in 1..<dimension { s += x[i] * x[i] }
        let e = exp(-y)
        gradient[0] = -y / 9 - n / 2 + 0.5 * s * e
        for i in 1..<dimension { gradient[i] = -x[i] * e }
        return -y * y / 18 - n * y / 2 - 0.5 * s * e
    }
}

let rho = 0.9
/// `Σ = [[1, ρ], [ρ, 1]]`, `P = Σ⁻¹`.
let correlated2D = GaussianTarget(dimension: 2, precision: [1, -rho, -rho, 1].map { $0 / (1 - rho * rho) })
let correlatedCovariance = [1, rho, rho, 1]

/// Checks means and covariances against the truth within `z` Monte Carlo standard errors
/// (each estimated from the draws, with ESS by ArviZ's method), R̂ < 1.01, and a KS test of
/// each thinned marginal.
func checkGaussian(_ r: MCMCResult, covariance: (Int, Int) -> Double, components: [Int], z: Double = 4,
                   crossCovariances: Bool = true, ksCoefficient: Double = 1.95) {
    let mu = r.mean
    for i in components {
        let ch = r.chains(of: i)
        let mcse = MCMCDiagnostics.mcseMean(ch)
        #expect(abs(mu[i]) < z * mcse, "mean x[\(i)] = \(mu[i]) ± \(mcse)")
        #expect(MCMCDiagnostics.rhat(ch) < 1.01, "R̂ x[\(i)]")
        for j in components where j == i || (crossCovariances && j > i) {
            let cj = r.chains(of: j)
            let prod = zip(ch, cj).map { a, b in zip(a, b).map { ($0 - mu[i]) * ($1 - mu[j]) } }
            let est = MCMCDiagnostics.mean(prod.flatMap { $0 })
            let se = MCMCDiagnostics.mcseMean(prod)
            #expect(abs(est - covariance(i, j)) < z * se + 1e-3 * abs(covariance(i, j)),
                    "cov[\(i),\(j)] = \(est) vs \(covariance(i, j)) ± \(se)")
        }
        // Thin each chain to about one draw per effective sample, then a KS test at level 0.001.
        let ess = MCMCDiagnostics.essBulk(ch)
        let stride = Swift.max(1, Int((Double(r.chainCount * r.drawCount) / ess).rounded(.up)))
        let thinned = ch.flatMap { c in Swift.stride(from: 0, to: c.count, by: stride).map { c[$0] } }
        let sd = covariance(i, i).squareRoot()
        let ks = ksStatistic(thinned) { SpecialFunctions.normalCDF($0 / sd) }
        #expect(ks < ksCoefficient / Double(thinned.count).squareRoot(), "KS x[\(i)] = \(ks) over \(thinned.count) thinned draws")
    }
}

@Suite("MCMC samplers")
struct MCMCTests {
    @Test("NUTS on a correlated 2-D Gaussian (ρ = 0.9): mean, covariance, R̂, KS", arguments: [MetricKind.diagonal, .dense])
    func nuts2D(metric: MetricKind) throws {
        var cfg = MCMCConfiguration(chains: 4, warmup: 500, draws: 1000)
        cfg.metric = metric
        let r = try MCMC.sample(correlated2D, kernel: .nuts(), configuration: cfg, seed: 1)
        checkGaussian(r, covariance: { correlatedCovariance[$0 * 2 + $1] }, components: [0, 1])
        #expect(r.divergences.reduce(0, +) == 0)
        #expect(r.warnings.isEmpty, "\(r.warnings)")
        let accept = r.statistics.joined().map(\.acceptance).reduce(0, +) / Double(4 * 1000)
        // Stan's and NumPyro's NUTS land above the target on Gaussians (the averaged step is smaller).
        #expect(accept > 0.75 && accept < 0.97, "mean acceptance \(accept)")
    }

    @Test("HMC on a correlated 2-D Gaussian (ρ = 0.9)")
    func hmc2D() throws {
        let r = try MCMC.sample(correlated2D, kernel: .hmc(leapfrogSteps: 8),
                                configuration: MCMCConfiguration(chains: 4, warmup: 500, draws: 1000, metric: .dense), seed: 2)
        checkGaussian(r, covariance: { correlatedCovariance[$0 * 2 + $1] }, components: [0, 1])
    }

    @Test("Random-walk Metropolis–Hastings on the correlated 2-D Gaussian")
    func metropolis2D() throws {
        let r = try MCMC.sample(correlated2D, kernel: .metropolisHastings,
                                configuration: MCMCConfiguration(chains: 4, warmup: 1000, draws: 4000, targetAcceptance: 0.35, metric: .dense), seed: 3)
        checkGaussian(r, covariance: { correlatedCovariance[$0 * 2 + $1] }, components: [0, 1])
    }

    @Test("NUTS and HMC on an ill-conditioned 100-D Gaussian (scales 0.1 … 10)", arguments: [MCMCKernel.nuts(), .hmc(leapfrogSteps: 12)])
    func gaussian100D(kernel: MCMCKernel) throws {
        let scales = (0..<100).map { pow(10, -1 + 2 * Double($0) / 99) }
        let r = try MCMC.sample(DiagonalGaussianTarget(scales: scales), kernel: kernel,
                                configuration: MCMCConfiguration(chains: 4, warmup: 500, draws: 1000), seed: 4)
        let variance: (Int, Int) -> Double = { $0 == $1 ? scales[$0] * scales[$0] : 0 }
        // Every mean and variance within 4.5 Monte Carlo standard errors, R̂ < 1.01, and a KS test
        // of every thinned marginal at the Bonferroni level 0.001/100 (coefficient 2.47).
        checkGaussian(r, covariance: variance, components: Array(0..<100), z: 4.5, crossCovariances: false, ksCoefficient: 2.47)
        // The cross-covariances (zero) among a few components from both ends of the spectrum.
        checkGaussian(r, covariance: variance, components: [0, 1, 50, 98, 99])
    }

    @Test("Neal's funnel produces divergences, reported per draw and as a warning")
    func funnelDivergences() throws {
        // At the default target acceptance 0.8, seeds 5…8 gave 1, 25, 11 and 29 divergences of 4000.
        let r = try MCMC.sample(FunnelTarget(dimension: 10), kernel: .nuts(),
                                configuration: MCMCConfiguration(chains: 4, warmup: 500, draws: 1000), seed: 6)
        let n = r.divergences.reduce(0, +)
        #expect(n > 0)
        #expect(r.statistics.joined().filter(\.divergent).count == n)
        #expect(r.warnings.contains { $0.kind == .divergences && $0.value == Double(n) })
    }

    @Test("A non-finite log density or gradient at the start is a typed error, not a hang")
    func nonFiniteStart() {
        let bad = GradientLogDensityFunction(dimension: 2) { x, g in
            g[0] = 0; g[1] = 0
            return x[0] < 0 ? -.infinity : -x[0]
        }
        let cfg = MCMCConfiguration(chains: 2, warmup: 10, draws: 10)
        #expect(throws: MCMCError.nonFiniteInitialLogDensity(chain: 1, value: -.infinity, position: [-1, 0])) {
            try MCMC.sample(bad, configuration: cfg, initialPositions: [[1, 0], [-1, 0]])
        }
        let nanGradient = GradientLogDensityFunction(dimension: 1) { _, g in g[0] = .nan; return 0 }
        #expect(throws: MCMCError.nonFiniteInitialGradient(chain: 0, position: [0.5])) {
            try MCMC.sample(nanGradient, configuration: cfg, initialPositions: [[0.5], [0.5]])
        }
        let nowhere = GradientLogDensityFunction(dimension: 1) { _, g in g[0] = 0; return .nan }
        #expect(throws: MCMCError.noValidInitialPoint(chain: 0, attempts: 100)) {
            try MCMC.sample(nowhere, configuration: cfg)
        }
        let message = MCMCError.nonFiniteInitialLogDensity(chain: 1, value: -.infinity, position: [-1, 0]).errorDescription ?? ""
        #expect(message.contains("chain 1") && message.contains("-inf"))
    }

    @Test("Results do not depend on the number of threads")
    func threadIndependence() throws {
        var cfg = MCMCConfiguration(chains: 3, warmup: 50, draws: 50)
        cfg.threads = 1
        let a = try MCMC.sample(correlated2D, configuration: cfg, seed: 9)
        cfg.threads = 2
        let b = try MCMC.sample(correlated2D, configuration: cfg, seed: 9)
        #expect(a.draws == b.draws)
        #expect(a.statistics == b.statistics)
        let c = try MCMC.sample(correlated2D, configuration: cfg, seed: 10)
        #expect(a.draws != c.draws)
    }

    @Test("The Autograd path: NUTS on a MultivariateNormal log density")
    func autogradPath() throws {
        let mvn = try MultivariateNormal<Double>(loc: Tensor([1, -1]), covariance: Tensor([[1, rho], [rho, 1]]))
        let r = try MCMC.sample(logDensity: DistributionLogDensity(mvn), dimension: 2, kernel: .nuts(),
                                configuration: MCMCConfiguration(chains: 2, warmup: 200, draws: 300), seed: 6)
        for (i, m) in [1.0, -1.0].enumerated() {
            let ch = r.chains(of: i)
            #expect(abs(r.mean[i] - m) < 4 * MCMCDiagnostics.mcseMean(ch))
        }
        // The Autograd gradient equals the analytic one.
        var g = [0.0, 0.0], h = [0.0, 0.0]
        let auto = AutogradLogDensity(DistributionLogDensity(mvn), dimension: 2)
        _ = auto.logDensity(at: [0.3, 0.2], gradient: &g)
        _ = correlated2D.logDensity(at: [0.3 - 1, 0.2 + 1], gradient: &h)
        #expect(close(g[0], h[0], rtol: 1e-9) && close(g[1], h[1], rtol: 1e-9))
    }

    @Test("Stan's windowed warm-up schedule: 75 + 25, 50, 100, 200, 500 + 50")
    func schedule() {
        let s = WarmupSchedule(warmup: 1000)
        #expect(s.initialBuffer == 75 && s.terminalBuffer == 50)
        #expect(s.windowEnds == [100, 150, 250, 450, 950])
        let short = WarmupSchedule(warmup: 100)
        #expect(short.initialBuffer == 15 && short.terminalBuffer == 10 && short.windowEnds == [90])
    }

    @Test("Dual averaging drives the step size to the target acceptance")
    func dualAveraging() {
        // A toy model of acceptance falling with step size: a(ε) = exp(−ε²).
        var da = DualAveraging(stepSize: 1, target: 0.8)
        for _ in 0..<2000 { da.update(acceptance: exp(-da.stepSize * da.stepSize)) }
        #expect(abs(exp(-da.finalStepSize * da.finalStepSize) - 0.8) < 0.01)
    }
}

@Suite("MCMC figures")
struct MCMCFigureTests {
    /// The trace plot of NUTS on the correlated 2-D Gaussian (4 chains, first 300 draws) and the
    /// rank plot of the funnel's log-scale `y` (4 chains × 1000 draws). Set
    /// NABLA_WRITE_FIGURES=<dir> to write `mcmc-trace.svg` and `mcmc-rank.svg` there.
    @Test func traceAndRankFigures() throws {
        let r = try MCMC.sample(correlated2D, kernel: .nuts(),
                                configuration: MCMCConfiguration(chains: 4, warmup: 300, draws: 300), seed: 1)
        let trace = MCMCPlots.trace(r.chains(of: 0), name: "x[0]").svg()
        let funnel = try MCMC.sample(FunnelTarget(dimension: 10), kernel: .nuts(),
                                     configuration: MCMCConfiguration(chains: 4, warmup: 500, draws: 1000), seed: 5)
        let rank = MCMCPlots.rank(funnel.chains(of: 0), name: "y (Neal's funnel, NUTS)").svg()
        #expect(trace.hasPrefix("<svg") && trace.contains("chain 3"))
        #expect(rank.hasPrefix("<svg") && rank.contains("chain 0"))
        if let dir = ProcessInfo.processInfo.environment["NABLA_WRITE_FIGURES"] {
            try trace.write(toFile: dir + "/mcmc-trace.svg", atomically: true, encoding: .utf8)
            try rank.write(toFile: dir + "/mcmc-rank.svg", atomically: true, encoding: .utf8)
        }
    }
}
