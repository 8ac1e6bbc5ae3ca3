import Foundation
import Testing
import NablaSampling

/// Samples of every distribution pass a KS (continuous) or chi-square (discrete) test.
@Suite struct GoodnessOfFitTests {
    func ks<D: CumulativeDistribution>(_ d: D, _ name: String, n: Int = 20_000, seed: UInt64) where D.Scalar == Double {
        let x = d.sample([n], seed: seed).scalars
        let stat = ksStatistic(x) { d.cdf(Tensor($0)).scalar }
        #expect(stat < ksCritical(n), "\(name): KS \(stat)")
    }
    func chi<D: Distribution>(_ d: D, _ name: String, support: Int, n: Int = 50_000, seed: UInt64) where D.Scalar == Double {
        let x = d.sample([n], seed: seed).scalars
        var counts = [Int](repeating: 0, count: support + 1)
        for v in x { counts[min(Int(v), support)] += 1 }
        var p = (0..<support).map { exp(d.logProb(Tensor(Double($0))).scalar) }
        p.append(max(0, 1 - p.reduce(0, +)))
        let c = chiSquare(counts: counts, probabilities: p)
        #expect(c.statistic < c.critical, "\(name): χ² \(c.statistic) ≥ \(c.critical)")
    }

    @Test func continuousSamplesPassKS() throws {
        let t = { (x: Double) in Tensor<Double>(x) }
        ks(try Normal<Double>(loc: 1.5, scale: 2), "Normal", seed: 1)
        ks(try LogNormal<Double>(loc: t(0.3), scale: t(0.8)), "LogNormal", seed: 2)
        ks(try Uniform<Double>(low: -1, high: 3), "Uniform", seed: 3)
        ks(try Exponential<Double>(rate: 2.5), "Exponential", seed: 4)
        ks(try Laplace<Double>(loc: t(0.5), scale: t(1.5)), "Laplace", seed: 5)
        ks(try Cauchy<Double>(loc: t(0.5), scale: t(1.5)), "Cauchy", seed: 6)
        ks(try Gamma<Double>(concentration: t(2.5), rate: t(1.5)), "Gamma", seed: 7)
        ks(try Gamma<Double>(concentration: t(0.3), rate: t(1)), "Gamma(0.3)", seed: 8)
        ks(try Beta<Double>(concentration1: t(2), concentration0: t(3.5)), "Beta", seed: 9)
        ks(try StudentT<Double>(degreesOfFreedom: t(4.5), loc: t(0.5), scale: t(2)), "StudentT", seed: 10)
    }

    @Test func discreteSamplesPassChiSquare() throws {
        let t = { (x: Double) in Tensor<Double>(x) }
        chi(try Bernoulli<Double>(probs: t(0.3)), "Bernoulli", support: 2, seed: 11)
        chi(try Binomial<Double>(totalCount: t(12), probs: t(0.35)), "Binomial", support: 13, seed: 12)
        chi(try Binomial<Double>(totalCount: t(200), probs: t(0.4)), "Binomial BTRS", support: 120, seed: 13)
        chi(try Poisson<Double>(rate: t(3.5)), "Poisson", support: 15, seed: 14)
        chi(try Poisson<Double>(rate: t(40)), "Poisson PTRS", support: 80, seed: 15)
        chi(try Geometric<Double>(probs: t(0.3)), "Geometric", support: 25, seed: 16)
        chi(try Categorical<Double>(probs: Tensor([0.2, 0.5, 0.3])), "Categorical", support: 3, seed: 17)
    }

    @Test func multivariateMoments() throws {
        let cov = Tensor<Double>([[2.0, 0.6], [0.6, 1.0]])
        let mvn = try MultivariateNormal<Double>(loc: Tensor([1.0, -1.0]), covariance: cov)
        let x = mvn.sample([100_000], seed: 18)
        #expect(maxAbs(x.mean(axis: 0) - Tensor([1.0, -1.0])) < 0.02)
        let c = x - x.mean(axis: 0)
        #expect(maxAbs(c.transposed().matmul(c) / 100_000 - cov) < 0.03)
        let d = try Dirichlet<Double>(concentration: Tensor([1.5, 2.0, 3.0]))
        let s = d.sample([50_000], seed: 19)
        #expect(maxAbs(s.mean(axis: 0) - d.mean) < 0.005)
        #expect(maxAbs(s.variance(axis: 0) - d.variance) < 0.002)
        let m = try Multinomial<Double>(totalCount: 5, probs: Tensor([0.2, 0.5, 0.3]))
        let ms = m.sample([20_000], seed: 20)
        #expect(ms.sum(axis: 1).scalars.allSatisfy { $0 == 5 })
        #expect(maxAbs(ms.mean(axis: 0) - m.mean) < 0.05)
        let mix = try MixtureSameFamily(mixing: try Categorical<Double>(probs: Tensor([0.3, 0.7])),
                                        components: try Normal<Double>(loc: Tensor([-1.0, 2.0]), scale: Tensor([0.5, 1.0])))
        let xs = mix.sample([50_000], seed: 21).scalars
        #expect(ksStatistic(xs) { 0.3 * SpecialFunctions.normalCDF(($0 + 1) / 0.5) + 0.7 * SpecialFunctions.normalCDF($0 - 2) } < ksCritical(50_000))
    }

    @Test func generationIsReproducibleAndThreadIndependent() throws {
        var a = PhiloxGenerator(seed: 42), b = PhiloxGenerator(seed: 42)
        let ga = Tensor<Float>.randomGamma([100_000], alpha: Tensor(2.5), using: &a)
        let gb = Tensor<Float>.randomGamma([100_000], alpha: Tensor(2.5), using: &b)
        #expect(ga == gb)
        // Element i depends on its own counter only: a prefix of a longer draw is the shorter draw.
        var c = PhiloxGenerator(seed: 42)
        let short = Tensor<Float>.randomGamma([1000], alpha: Tensor(2.5), using: &c)
        #expect(Array(ga.scalars.prefix(1000)) == short.scalars)
        var p1 = PhiloxGenerator(seed: 7), p2 = PhiloxGenerator(seed: 7)
        #expect(Tensor<Double>.randomPoisson([50_000], rate: Tensor(12.0), using: &p1) == Tensor<Double>.randomPoisson([50_000], rate: Tensor(12.0), using: &p2))
    }
}

func maxAbs(_ t: Tensor<Double>) -> Double { t.abs().max().scalar }

/// `rsample` gradients against central finite differences of the same draw (same seed).
@Suite struct ReparameterizationTests {
    func check(_ name: String, at p: Tensor<Double>, _ f: (Variable<Double>) throws -> Variable<Double>) throws {
        let g = try gradient(at: p, of: f)
        let h = 1e-6
        for i in 0..<p.count {
            var plus = p.scalars, minus = p.scalars
            plus[i] += h; minus[i] -= h
            let fp = try f(Variable(Tensor(shape: p.shape, scalars: plus))).scalar
            let fm = try f(Variable(Tensor(shape: p.shape, scalars: minus))).scalar
            let fd = (fp - fm) / (2 * h)
            #expect(abs(g.scalars[i] - fd) < 1e-5 * max(1, abs(fd)), "\(name)[\(i)]: autograd \(g.scalars[i]), fd \(fd)")
        }
    }

    @Test func rsampleGradientsMatchFiniteDifferences() throws {
        try check("Normal", at: Tensor([0.3, 1.7])) { p in
            var g = PhiloxGenerator(seed: 1)
            let d = try Normal(loc: p[0].reshaped([]), scale: p[1].reshaped([]))
            return d.rsample([100], using: &g).squared().mean()
        }
        try check("LogNormal", at: Tensor([0.1, 0.5])) { p in
            var g = PhiloxGenerator(seed: 2)
            return try LogNormal(loc: p[0].reshaped([]), scale: p[1].reshaped([])).rsample([100], using: &g).mean()
        }
        try check("Exponential", at: Tensor([1.3])) { p in
            var g = PhiloxGenerator(seed: 3)
            return try Exponential(rate: p.reshaped([])).rsample([100], using: &g).sqrt().mean()
        }
        try check("Laplace", at: Tensor([0.2, 0.9])) { p in
            var g = PhiloxGenerator(seed: 4)
            return try Laplace(loc: p[0].reshaped([]), scale: p[1].reshaped([])).rsample([100], using: &g).squared().mean()
        }
        try check("Uniform", at: Tensor([-0.5, 2.0])) { p in
            var g = PhiloxGenerator(seed: 5)
            return try Uniform(low: p[0].reshaped([]), high: p[1].reshaped([])).rsample([100], using: &g).squared().mean()
        }
        try check("MultivariateNormal", at: Tensor([0.5, -0.2, 1.2, 0.3, 0.8])) { p in
            var g = PhiloxGenerator(seed: 6)
            let loc = p[0..<2]
            let l = Variable<Double>.diagonal(p[2..<4]) + Variable(Tensor([[0.0, 0], [1, 0]])) * p[4].reshaped([])
            return try MultivariateNormal(loc: loc, scaleTril: l).rsample([50], using: &g).squared().mean()
        }
        // logProb(Variable) gradient in the parameters: d/dμ log N(x; μ, σ) = (x − μ)/σ².
        let grad = try gradient(at: Tensor([0.4, 1.5])) { p in
            try Normal(loc: p[0].reshaped([]), scale: p[1].reshaped([])).logProb(Variable(Tensor(1.0)))
        }
        #expect(close(grad.scalars[0], 0.6 / 2.25, rtol: 1e-12))
        #expect(close(grad.scalars[1], -1 / 1.5 + 0.36 / (1.5 * 1.5 * 1.5), rtol: 1e-12))
    }
}
