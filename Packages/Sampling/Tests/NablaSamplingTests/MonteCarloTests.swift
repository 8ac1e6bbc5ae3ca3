import Foundation
import Testing
import NablaSampling

@Suite struct MonteCarloTests {
    @Test func knownIntegralsWithinThreeStandardErrors() throws {
        var g = PhiloxGenerator(seed: 1)
        let normal = try Normal<Double>(loc: 0, scale: 1)
        // E[X²] = 1, E[cos X] = e^{−1/2} under N(0, 1); E[e^U] = e − 1 under U[0, 1).
        let m2 = MonteCarlo.expectation(of: { $0.squared() }, under: normal, samples: 100_000, using: &g)
        #expect(abs(m2.estimate - 1) < 3 * m2.standardError)
        let c = MonteCarlo.expectation(of: { $0.cos() }, under: normal, samples: 100_000, using: &g)
        #expect(abs(c.estimate - exp(-0.5)) < 3 * c.standardError)
        let e = MonteCarlo.expectation(of: { $0.exp() }, under: try Uniform<Double>(low: 0, high: 1), samples: 100_000, using: &g)
        #expect(abs(e.estimate - (M_E - 1)) < 3 * e.standardError)
        let ci = e.confidenceInterval(level: 0.95)
        #expect(ci.contains(M_E - 1))
        #expect(close(ci.upperBound - e.estimate, 1.959963984540054 * e.standardError, rtol: 1e-9))
    }

    @Test func antitheticAndControlVariatesReduceTheError() throws {
        var g = PhiloxGenerator(seed: 2)
        let plain = MonteCarlo.expectation(of: { $0.exp() }, under: try Uniform<Double>(low: 0, high: 1), samples: 20_000, using: &g)
        let anti = MonteCarlo.antithetic(of: { $0.exp().sum(axis: 1) }, dimension: 1, pairs: 10_000, using: &g)
        #expect(abs(anti.estimate - (M_E - 1)) < 3 * anti.standardError)
        #expect(anti.standardError < plain.standardError / 5)
        // Control variate h(u) = u with E[h] = ½.
        let u = Tensor<Double>.randomUniform([20_000], using: &g).scalars
        let (cv, beta) = MonteCarlo.controlVariate(values: u.map { exp($0) }, control: u, controlMean: 0.5)
        #expect(abs(cv.estimate - (M_E - 1)) < 3 * cv.standardError)
        #expect(cv.standardError < plain.standardError / 5)
        #expect(abs(beta - 1.69) < 0.05)   // Cov(e^U, U)/Var(U) = 12(3 − e)/2 ≈ 1.690
    }

    /// f(u) = Π (π/2) sin(π uᵢ) on [0, 1)⁵ integrates to 1.
    static func smooth(_ u: Tensor<Double>) -> Tensor<Double> {
        (u * Double.pi).sin().map { $0 * Double.pi / 2 }.log().sum(axis: 1).exp()
    }

    @Test(arguments: [MonteCarlo.QuasiRandomSequence.sobol, .halton])
    func quasiMonteCarloConvergesFasterThanMonteCarlo(_ sequence: MonteCarlo.QuasiRandomSequence) {
        var g = PhiloxGenerator(seed: 3)
        var qmcErrors: [Double] = [], mcErrors: [Double] = []
        for n in [256, 4096] {
            let q = MonteCarlo.quasiMonteCarlo(of: Self.smooth, dimension: 5, points: n, replicates: 16, sequence: sequence, seed: 7)
            #expect(abs(q.estimate - 1) < 4 * q.standardError + 1e-12)
            qmcErrors.append(q.standardError)
            let u = Tensor<Double>.randomUniform([16 * n, 5], using: &g)
            let m = MonteCarlo.estimate(values: Self.smooth(u).scalars)
            mcErrors.append(m.standardError)
        }
        // 16× the points: MC's error falls by √16 = 4, (R)QMC's by far more.
        let qmcRate = qmcErrors[0] / qmcErrors[1], mcRate = mcErrors[0] / mcErrors[1]
        #expect(abs(mcRate - 4) < 0.6)
        #expect(qmcRate > 2 * mcRate, "QMC error ratio \(qmcRate), MC \(mcRate)")
        #expect(qmcErrors[1] < mcErrors[1] / (sequence == .sobol ? 10 : 5))
    }

    @Test func sobolMatchesScipyUnscrambled() {
        // scipy.stats.qmc.Sobol(d=3, scramble=False).random(8):
        // [[0,0,0],[.5,.5,.5],[.75,.25,.25],[.25,.75,.75],[.375,.375,.625],[.875,.875,.125],[.625,.125,.875],[.125,.625,.375]]
        let p = SobolSequence(dimension: 3).points(8).scalars.map { ($0 * 8).rounded(.down) / 8 }
        #expect(p == [0, 0, 0, 0.5, 0.5, 0.5, 0.75, 0.25, 0.25, 0.25, 0.75, 0.75,
                      0.375, 0.375, 0.625, 0.875, 0.875, 0.125, 0.625, 0.125, 0.875, 0.125, 0.625, 0.375])
    }
}

@Suite struct DiscreteSamplingTests {
    @Test func seedInverseCDFExample() throws {
        // Outcomes a, b, c with p = 0.3, 0.2, 0.5: u = 0.55 gives c.
        let table = try DiscreteInverseCDF(probabilities: [0.3, 0.2, 0.5])
        let names = ["a", "b", "c"]
        #expect(names[table.outcome(for: 0.55)] == "c")
        #expect(names[table.outcome(for: 0.0)] == "a")
        #expect(names[table.outcome(for: 0.2999)] == "a")
        #expect(names[table.outcome(for: 0.3)] == "b")
        #expect(names[table.outcome(for: 0.4999)] == "b")
        #expect(names[table.outcome(for: 0.5)] == "c")
        var g = PhiloxGenerator(seed: 4)
        let draws = table.sample(100_000, using: &g)
        let counts = (0..<3).map { k in draws.filter { $0 == k }.count }
        let chi = chiSquare(counts: counts, probabilities: [0.3, 0.2, 0.5])
        #expect(chi.statistic < chi.critical)
        #expect(throws: DistributionError.invalidParameter(distribution: "DiscreteInverseCDF", parameter: "probabilities",
                                                           reason: "must sum to one (sum is 0.9)")) {
            try DiscreteInverseCDF(probabilities: [0.3, 0.2, 0.4])
        }
    }

    @Test func aliasMethodMatchesTheProbabilities() throws {
        let p = [0.1, 0.0, 0.35, 0.05, 0.2, 0.3]
        let alias = try AliasTable(probabilities: p)
        var g = PhiloxGenerator(seed: 5)
        let draws = alias.sample(200_000, using: &g)
        let counts = (0..<p.count).map { k in draws.filter { $0 == k }.count }
        #expect(counts[1] == 0)
        let chi = chiSquare(counts: counts, probabilities: p)
        #expect(chi.statistic < chi.critical)
    }
}

@Suite struct RejectionSamplingTests {
    // p̃(z) = z e^{−z} (Gamma(2, 1), unnormalized... Z = 1), proposal Exponential(rate ½):
    // p̃/q = 2z e^{−z/2} ≤ 4/e ≈ 1.4715, so k = 1.5 is a valid bound.
    static func logTarget(_ z: Tensor<Double>) -> Tensor<Double> {
        z.map { $0 > 0 ? log($0) - $0 : -.infinity }
    }

    @Test func drawsPassKolmogorovSmirnov() throws {
        let q = try Exponential<Double>(rate: 0.5)
        let sampler = RejectionSampler(logTarget: Self.logTarget, proposal: q, logK: log(1.5))
        var g = PhiloxGenerator(seed: 6)
        let r = try sampler.sample(20_000, using: &g)
        #expect(r.accepted == 20_000)
        #expect(abs(r.acceptanceRate - 1 / 1.5) < 0.01)
        let d = ksStatistic(r.samples.scalars) { 1 - exp(-$0) * (1 + $0) }
        #expect(d < ksCritical(20_000))
    }

    @Test func refusesAViolatedBound() throws {
        let q = try Exponential<Double>(rate: 0.5)
        let sampler = RejectionSampler(logTarget: Self.logTarget, proposal: q, logK: log(1.2))
        var g = PhiloxGenerator(seed: 6)
        let error = #expect(throws: SamplingError.self) { _ = try sampler.sample(10_000, using: &g) }
        guard case let .boundViolated(point, lp, le)? = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(lp > le)
        #expect(point.count == 1 && point[0] > 0.5 && point[0] < 5)
        #expect(error?.errorDescription?.contains("increase k") == true)
    }

    @Test func acceptanceRateCollapsesWithDimension() throws {
        let rows = try RejectionSampler<MultivariateNormal<Double>>.acceptanceRateByDimension(
            [1, 5, 20, 50], proposalScale: 1.1, proposals: 50_000, seed: 8)
        for r in rows {
            let se = (r.expectedRate * (1 - r.expectedRate) / 50_000).squareRoot()
            #expect(abs(r.acceptanceRate - r.expectedRate) < 4 * se + 1e-6, "d = \(r.dimension)")
        }
        #expect(rows.last!.acceptanceRate < 0.01)   // 1.1^−50 ≈ 0.0085
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.acceptanceRate > $1.acceptanceRate })
    }
}

@Suite struct ImportanceSamplingTests {
    @Test func tailProbabilityUnderNormal() throws {
        // P(X > 3) = 1.3499e−3 under N(0, 1) (scipy.stats.norm.sf(3) = 0.0013498980316300933).
        let truth = 0.0013498980316300933
        let p = try Normal<Double>(loc: 0, scale: 1), q = try Normal<Double>(loc: 3, scale: 1)
        var g = PhiloxGenerator(seed: 9)
        let n = 10_000
        let indicator: (Tensor<Double>) -> Tensor<Double> = { $0.map { $0 > 3 ? 1 : 0 } }
        let r = try ImportanceSampling.estimate(of: indicator, logTarget: { p.logProb($0) }, proposal: q, samples: n, using: &g)
        #expect(abs(r.estimate - truth) < 3 * r.standardError)
        let relIS = abs(r.estimate - truth) / truth
        let mc = MonteCarlo.expectation(of: indicator, under: p, samples: n, using: &g)
        let relMC = abs(mc.estimate - truth) / truth
        // Standard errors relative to the truth: IS ≈ 0.02, plain MC ≈ √((1−p)/(np)) ≈ 0.27.
        #expect(r.standardError / truth < 0.03)
        #expect(mc.standardError / truth > 0.2)
        #expect(relIS < 0.06 && relMC > relIS)
        // The self-normalized estimator with an unnormalized target agrees.
        let sn = try ImportanceSampling.estimate(of: indicator, logTarget: { p.logProb($0) + 12.3 }, proposal: q, samples: n,
                                                 selfNormalized: true, using: &g)
        // Its normalizing sum Σw has log-normal weights with σ = 3 under this proposal: heavy-tailed,
        // and the sampler says so rather than trusting its delta-method error.
        #expect(sn.paretoK > 0.7, "k̂ = \(sn.paretoK), estimate \(sn.estimate) ± \(sn.standardError)")
        #expect(sn.warnings.contains { $0.kind == .paretoKHat })
    }

    @Test func kishEffectiveSampleSize() {
        #expect(close(ImportanceSampling.effectiveSampleSize(logWeights: [Double](repeating: -3.7, count: 500)), 500, rtol: 1e-12))
        var oneHot = [Double](repeating: -.infinity, count: 500); oneHot[17] = 0
        #expect(ImportanceSampling.effectiveSampleSize(logWeights: oneHot) == 1)
        #expect(close(ImportanceSampling.effectiveSampleSize(logWeights: [0, log(3)]), 16.0 / 10.0, rtol: 1e-12))
    }

    @Test func paretoKMatchesArviz() {
        // arviz 0.23.4, az.psislw(lw) on fixed log-weights (n = 200, i = 0..<200):
        //   lw1 = 1.5·norm.ppf((i + 0.5)/n)  → k = 0.5191803579732759, s[0] = -10.59102079576605, s.max() = -2.1699194907346264
        //   lw2 = −0.8·log((i + 0.5)/n)      → k = 0.7145657269524105, s[0] = -2.034644081724448, s[-1] = -6.5863302721657835
        //   lw3 = 0.3·sin(0.37 i)            → k = -1.5749392493029615, s[0] = -5.324996327628812, s.max() = -5.025033937528975
        let n = 200
        let lw1 = (0..<n).map { 1.5 * SpecialFunctions.normalQuantile((Double($0) + 0.5) / Double(n)) }
        let lw2 = (0..<n).map { -0.8 * log((Double($0) + 0.5) / Double(n)) }
        let lw3 = (0..<n).map { 0.3 * sin(0.37 * Double($0)) }
        let r1 = ImportanceSampling.paretoSmoothing(logWeights: lw1)
        #expect(close(r1.k, 0.5191803579732759, rtol: 1e-9))
        #expect(close(r1.logWeights[0], -10.59102079576605, rtol: 1e-9))
        #expect(close(r1.logWeights.max()!, -2.1699194907346264, rtol: 1e-9))
        let r2 = ImportanceSampling.paretoSmoothing(logWeights: lw2)
        #expect(close(r2.k, 0.7145657269524105, rtol: 1e-9))
        #expect(close(r2.logWeights[0], -2.034644081724448, rtol: 1e-9))
        #expect(close(r2.logWeights[n - 1], -6.5863302721657835, rtol: 1e-9))
        let r3 = ImportanceSampling.paretoSmoothing(logWeights: lw3)
        #expect(close(r3.k, -1.5749392493029615, rtol: 1e-9))
        #expect(close(r3.logWeights[0], -5.324996327628812, rtol: 1e-9))
        #expect(close(r3.logWeights.max()!, -5.025033937528975, rtol: 1e-9))
    }

    @Test func heavyTailedWeightsWarn() throws {
        // Target Exponential(1) through proposal Exponential(5): w ∝ e^{4x} with x ~ Exp(5) is
        // Pareto-tailed, P(w > t) ∝ t^{−5/4}, so the true k = 0.8 (infinite variance).
        let p = try Exponential<Double>(rate: 1), q = try Exponential<Double>(rate: 5)
        var g = PhiloxGenerator(seed: 10)
        let r = try ImportanceSampling.estimate(of: { $0 }, logTarget: { p.logProb($0) }, proposal: q, samples: 4000,
                                                selfNormalized: true, using: &g)
        #expect(r.paretoK > 0.7 && r.paretoK < 1.0, "k̂ = \(r.paretoK)")
        #expect(r.warnings.contains { $0.kind == .paretoKHat })
    }

    @Test(arguments: [ImportanceSampling.ResamplingScheme.multinomial, .systematic, .stratified])
    func resamplingFollowsTheWeights(_ scheme: ImportanceSampling.ResamplingScheme) {
        let w = [0.1, 0.4, 0.0, 0.5]
        var g = PhiloxGenerator(seed: 11)
        let idx = ImportanceSampling.resample(logWeights: w.map { log($0) }, count: 10_000, scheme: scheme, using: &g)
        let counts = (0..<4).map { k in idx.filter { $0 == k }.count }
        #expect(counts[2] == 0)
        if scheme == .systematic {
            for k in 0..<4 { #expect(abs(Double(counts[k]) - 10_000 * w[k]) <= 1) }
        }
        let chi = chiSquare(counts: counts, probabilities: w)
        #expect(chi.statistic < chi.critical)
    }
}

@Suite struct FigureTests {
    /// The seed's acceptance-area figure: p̃(z) = z e^{−z} (Gamma(2, 1)), proposal Exponential(½),
    /// k = 1.5. Set NABLA_WRITE_FIGURES=<dir> to write `rejection-sampling.svg` there.
    @Test func rejectionSamplingFigure() throws {
        let q = try Exponential<Double>(rate: 0.5)
        let sampler = RejectionSampler(logTarget: RejectionSamplingTests.logTarget, proposal: q, logK: log(1.5))
        var g = PhiloxGenerator(seed: 12)
        let r = try sampler.sample(300, record: true, using: &g)
        let svg = SamplingFigures.rejectionSampling(
            target: { $0 > 0 ? $0 * exp(-$0) : 0 }, envelope: { 1.5 * 0.5 * exp(-0.5 * $0) },
            points: r.record.map { ($0.z[0], $0.u, $0.accepted) }, range: 0...10)
        #expect(svg.hasPrefix("<svg") && svg.contains("circle"))
        if let dir = ProcessInfo.processInfo.environment["NABLA_WRITE_FIGURES"] {
            try svg.write(toFile: dir + "/rejection-sampling.svg", atomically: true, encoding: .utf8)
        }
    }
}
