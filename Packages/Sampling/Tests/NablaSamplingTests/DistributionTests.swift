import Foundation
import Testing
import NablaSampling

// Reference values: torch 2.15.0 `torch.distributions` in float64 (and SciPy 1.17.1 where torch has
// no method: the cdf of Gamma, Beta, StudentT, Binomial, Poisson and Geometric is `scipy.stats`'s;
// Poisson's entropy is `scipy.stats.poisson(3.5).entropy()`), printed by this script:
//   D = torch.distributions; d = D.Normal(t(1.5), t(2.0)); d.log_prob(t(0.7)), d.cdf(...), d.mean, d.variance, d.entropy()
// Each row: parameters, x, logProb, cdf, mean, variance, entropy.

func checkScalar<D: CumulativeDistribution>(_ d: D, x: Double, logProb: Double, cdf: Double, mean: Double, variance: Double,
                                            entropy: Double, _ name: String) where D.Scalar == Double {
    let t = Tensor<Double>(x)
    #expect(close(d.logProb(t).scalar, logProb, rtol: 1e-10), "\(name) logProb")
    #expect(close(d.cdf(t).scalar, cdf, rtol: 1e-9), "\(name) cdf")
    if mean.isNaN { #expect(d.mean.scalar.isNaN) } else { #expect(close(d.mean.scalar, mean, rtol: 1e-12), "\(name) mean") }
    if variance.isInfinite { #expect(d.variance.scalar == .infinity) } else { #expect(close(d.variance.scalar, variance, rtol: 1e-12), "\(name) variance") }
    #expect(close(d.entropy().scalar, entropy, rtol: 1e-10), "\(name) entropy")
}

@Suite struct DistributionReferenceTests {
    @Test func continuousAgainstTorch() throws {
        let t = { (x: Double) in Tensor<Double>(x) }
        checkScalar(try Normal<Double>(loc: 1.5, scale: 2.0), x: 0.7, logProb: -1.692085713764618, cdf: 0.3445782583896758,
                    mean: 1.5, variance: 4.0, entropy: 2.112085713764618, "Normal")
        checkScalar(try LogNormal<Double>(loc: t(0.3), scale: t(0.8)), x: 1.7, logProb: -1.2679774440370046, cdf: 0.6134358259741458,
                    mean: 1.8589280418463423, variance: 3.0978913974284743, entropy: 1.495794981890463, "LogNormal")
        checkScalar(try Uniform<Double>(low: -1, high: 3), x: 0.5, logProb: -1.3862943611198906, cdf: 0.375,
                    mean: 1.0, variance: 1.3333333333333333, entropy: 1.3862943611198906, "Uniform")
        checkScalar(try Exponential<Double>(rate: 2.5), x: 0.4, logProb: -0.0837092681258449, cdf: 0.6321205588285577,
                    mean: 0.4, variance: 0.16, entropy: 0.0837092681258449, "Exponential")
        checkScalar(try Laplace<Double>(loc: t(0.5), scale: t(1.5)), x: -0.3, logProb: -1.6319456220014432, cdf: 0.29332310975501585,
                    mean: 0.5, variance: 4.5, entropy: 2.09861228866811, "Laplace")
        checkScalar(try Cauchy<Double>(loc: t(0.5), scale: t(1.5)), x: 2.0, logProb: -2.24334217451751, cdf: 0.75,
                    mean: .nan, variance: .infinity, entropy: 2.9364893550774553, "Cauchy")
        checkScalar(try Gamma<Double>(concentration: t(2.5), rate: t(1.5)), x: 1.2, logProb: -0.797537765011576, cdf: 0.3916867079185311,
                    mean: 1.6666666666666667, variance: 1.1111111111111112, entropy: 1.32448280139689, "Gamma")
        checkScalar(try Beta<Double>(concentration1: t(2.0), concentration0: t(3.5)), x: 0.3, logProb: 0.6611802010988748, cdf: 0.4117025023425647,
                    mean: 0.36363636363636365, variance: 0.03560076287349015, entropy: -0.2986902819470889, "Beta")
        checkScalar(try StudentT<Double>(degreesOfFreedom: t(4.5), loc: t(0.5), scale: t(2.0)), x: 1.1, logProb: -1.7216650949147358,
                    cdf: 0.6112332264802843, mean: 0.5, variance: 7.2, entropy: 2.3446829053174105, "StudentT")
        // icdf: torch Normal(1.5, 2).icdf(0.975) = 5.419927969080108.
        #expect(close(try Normal<Double>(loc: 1.5, scale: 2).icdf(t(0.975)).scalar, 5.419927969080108, rtol: 1e-13))
    }

    @Test func discreteAgainstTorch() throws {
        let t = { (x: Double) in Tensor<Double>(x) }
        checkScalar(try Bernoulli<Double>(probs: t(0.3)), x: 1, logProb: -1.2039728043259361, cdf: 1.0,
                    mean: 0.3, variance: 0.21, entropy: 0.6108643020548935, "Bernoulli")
        checkScalar(try Binomial<Double>(totalCount: t(12), probs: t(0.35)), x: 5, logProb: -1.5900296433261438, cdf: 0.7872646172793403,
                    mean: 4.2, variance: 2.73, entropy: 1.916669637092639, "Binomial")
        checkScalar(try Poisson<Double>(rate: t(3.5)), x: 4, logProb: -1.6670019563664735, cdf: 0.7254449533096043,
                    mean: 3.5, variance: 3.5, entropy: 2.015172522512972, "Poisson")
        checkScalar(try Geometric<Double>(probs: t(0.3)), x: 2, logProb: -1.9173226922034008, cdf: 0.657,
                    mean: 2.3333333333333335, variance: 7.777777777777779, entropy: 2.0362143401829784, "Geometric")
        let c = try Categorical<Double>(probs: Tensor([0.2, 0.5, 0.3]))
        #expect(close(c.logProb(t(1)).scalar, -0.6931471805599453, rtol: 1e-12))
        #expect(close(c.entropy().scalar, 1.0296530140645737, rtol: 1e-12))
        let m = try Multinomial<Double>(totalCount: 5, probs: Tensor([0.2, 0.5, 0.3]))
        #expect(close(m.logProb(Tensor([1.0, 3, 1])).scalar, -1.8971199848858809, rtol: 1e-12))
        #expect(close(m.entropy().scalar, 2.591808596271499, rtol: 1e-10))
    }

    @Test func multivariateAndCompositesAgainstTorch() throws {
        let dd = try Dirichlet<Double>(concentration: Tensor([1.5, 2.0, 3.0]))
        #expect(close(dd.logProb(Tensor([0.2, 0.3, 0.5])).scalar, 1.6952109952695653, rtol: 1e-12))
        #expect(close(dd.entropy().scalar, -1.1016054528173655, rtol: 1e-12))
        let cov = Tensor<Double>([[2.0, 0.6], [0.6, 1.0]])
        let mvn = try MultivariateNormal<Double>(loc: Tensor([1.0, -1.0]), covariance: cov)
        #expect(close(mvn.logProb(Tensor([0.5, 0.2])).scalar, -3.2590056751322765, rtol: 1e-12))
        #expect(close(mvn.entropy().scalar, 3.085225187327399, rtol: 1e-12))
        let fromPrecision = try MultivariateNormal<Double>(loc: Tensor([1.0, -1.0]), precision: try cov.solve(Tensor.eye(2)))
        #expect(close(fromPrecision.logProb(Tensor([0.5, 0.2])).scalar, -3.2590056751322765, rtol: 1e-10))
        let mix = try MixtureSameFamily(mixing: try Categorical<Double>(probs: Tensor([0.3, 0.7])),
                                        components: try Normal<Double>(loc: Tensor([-1.0, 2.0]), scale: Tensor([0.5, 1.0])))
        #expect(close(mix.logProb(Tensor(0.4)).scalar, -2.496244417354577, rtol: 1e-12))
        #expect(close(mix.mean.scalar, 1.1, rtol: 1e-12) && close(mix.variance.scalar, 2.665, rtol: 1e-12))
        let std = try Normal<Double>(loc: 0, scale: 1)
        let sig = TransformedDistribution(base: std, bijectors: [SigmoidBijector<Double>()])
        #expect(close(sig.logProb(Tensor(0.3)).scalar, 0.28275238295162897, rtol: 1e-12))
        let soft = TransformedDistribution(base: std, bijectors: [SoftplusBijector<Double>()])
        #expect(close(soft.logProb(Tensor(0.8)).scalar, -0.3430030382249366, rtol: 1e-12))
        let stick = TransformedDistribution(base: try Independent(try Normal<Double>(loc: Tensor([0.0, 0]), scale: Tensor([1.0, 1])),
                                                                   reinterpretedBatchDimensions: 1),
                                            bijectors: [StickBreakingBijector<Double>()])
        #expect(close(stick.logProb(Tensor([0.2, 0.3, 0.5])).scalar, 1.2979829150035789, rtol: 1e-12))
        let y = stick.sample([5], seed: 3)
        #expect(y.shape == [5, 3] && y.sum(axis: 1).scalars.allSatisfy { abs($0 - 1) < 1e-12 })
        // Exp ∘ Normal is LogNormal; Affine shifts.
        let ln = TransformedDistribution(base: try Normal<Double>(loc: 0.3, scale: 0.8), bijectors: [ExpBijector<Double>()])
        #expect(close(ln.logProb(Tensor(1.7)).scalar, -1.2679774440370046, rtol: 1e-12))
        let aff = TransformedDistribution(base: std, bijectors: [try AffineBijector<Double>(loc: Tensor(1.5), scale: Tensor(2.0))])
        #expect(close(aff.logProb(Tensor(0.7)).scalar, -1.692085713764618, rtol: 1e-12))
    }

    @Test func klAgainstTorch() throws {
        let t = { (x: Double) in Tensor<Double>(x) }
        let mvn = try MultivariateNormal<Double>(loc: Tensor([1.0, -1.0]), covariance: Tensor([[2.0, 0.6], [0.6, 1.0]]))
        let mvn2 = try MultivariateNormal<Double>(loc: Tensor([0.0, 0.5]), covariance: Tensor([[1.0, -0.3], [-0.3, 1.5]]))
        #expect(close(try KL.divergence(mvn, mvn2).scalar, 1.4811843199294672, rtol: 1e-10))
        #expect(close(try KL.divergence(try Normal<Double>(loc: 1.5, scale: 2), try Normal<Double>(loc: 0, scale: 1)).scalar, 1.9318528194400546, rtol: 1e-12))
        #expect(close(try KL.divergence(try Gamma<Double>(concentration: t(2.5), rate: t(1.5)), try Gamma<Double>(concentration: t(1), rate: t(2))).scalar, 1.315703351376498, rtol: 1e-10))
        #expect(close(try KL.divergence(try Beta<Double>(concentration1: t(2), concentration0: t(3.5)), try Beta<Double>(concentration1: t(1), concentration0: t(1))).scalar, 0.29869028194708847, rtol: 1e-10))
        #expect(close(try KL.divergence(try Dirichlet<Double>(concentration: Tensor([1.5, 2, 3])), try Dirichlet<Double>(concentration: Tensor([1.0, 1, 1]))).scalar, 0.40845827225742015, rtol: 1e-10))
        #expect(close(try KL.divergence(try Poisson<Double>(rate: t(3.5)), try Poisson<Double>(rate: t(2))).scalar, 0.45865525777397975, rtol: 1e-12))
        #expect(close(try KL.divergence(try Geometric<Double>(probs: t(0.3)), try Geometric<Double>(probs: t(0.6))).scalar, 0.612622991289374, rtol: 1e-12))
        #expect(close(try KL.divergence(try Laplace<Double>(loc: t(0.5), scale: t(1.5)), try Laplace<Double>(loc: t(0), scale: t(1))).scalar, 0.16933185775251958, rtol: 1e-12))
        #expect(close(try KL.divergence(try Categorical<Double>(probs: Tensor([0.2, 0.5, 0.3])), try Categorical<Double>(probs: Tensor([1.0 / 3, 1.0 / 3, 1.0 / 3]))).scalar, 0.06895927460353624, rtol: 1e-10))
        #expect(throws: DistributionError.self) { try KL.divergence(try Normal<Double>(loc: 0, scale: 1), try Cauchy<Double>(loc: t(0), scale: t(1))) }
    }

    @Test func specialFunctionsAgainstScipy() {
        // scipy.special / torch: erfinv(0.3), digamma(0.7), gammainc(2.5, 1.8), betainc(2, 3.5, 0.3), ndtri(1e-10).
        #expect(close(SpecialFunctions.erfinv(0.3), 0.2724627147267543, rtol: 1e-14))
        #expect(close(SpecialFunctions.digamma(0.7), -1.2200235536979347, rtol: 1e-13))
        #expect(close(SpecialFunctions.regularizedGammaP(2.5, 1.8), 0.3916867079185313, rtol: 1e-13))
        #expect(close(SpecialFunctions.regularizedBeta(0.3, 2, 3.5), 0.4117025023425647, rtol: 1e-13))
        #expect(close(SpecialFunctions.normalQuantile(1e-10), -6.361340902404056, rtol: 1e-13))
    }

    @Test func validationAndSupport() throws {
        #expect(throws: DistributionError.invalidParameter(distribution: "Normal", parameter: "scale", reason: "must be positive")) {
            try Normal<Double>(loc: 0, scale: -1)
        }
        #expect(throws: DistributionError.notPositiveDefinite(distribution: "MultivariateNormal", parameter: "covariance")) {
            try MultivariateNormal<Double>(loc: Tensor([0.0, 0]), covariance: Tensor([[1.0, 2], [2, 1]]))
        }
        #expect(throws: DistributionError.self) { try Categorical<Double>(probs: Tensor([0.2, 0.2])) }
        #expect(throws: DistributionError.self) { try Gamma<Double>(concentration: Tensor(-1.0), rate: Tensor(1.0)) }
        let message = DistributionError.invalidParameter(distribution: "Normal", parameter: "scale", reason: "must be positive").errorDescription
        #expect(message == "Normal: parameter 'scale' must be positive")
        // Outside the support: −∞, never NaN.
        let t = { (x: Double) in Tensor<Double>(x) }
        #expect(try Exponential<Double>(rate: 1).logProb(t(-1)).scalar == -.infinity)
        #expect(try Gamma<Double>(concentration: t(2), rate: t(1)).logProb(t(-1)).scalar == -.infinity)
        #expect(try Beta<Double>(concentration1: t(2), concentration0: t(2)).logProb(t(1.5)).scalar == -.infinity)
        #expect(try Uniform<Double>(low: 0, high: 1).logProb(t(2)).scalar == -.infinity)
        #expect(try LogNormal<Double>(loc: t(0), scale: t(1)).logProb(t(-2)).scalar == -.infinity)
        #expect(try Poisson<Double>(rate: t(2)).logProb(t(1.5)).scalar == -.infinity)
        #expect(try Binomial<Double>(totalCount: t(3), probs: t(0.5)).logProb(t(4)).scalar == -.infinity)
        #expect(try Bernoulli<Double>(probs: t(0.5)).logProb(t(0.5)).scalar == -.infinity)
        #expect(try Categorical<Double>(probs: Tensor([0.5, 0.5])).logProb(t(2)).scalar == -.infinity)
        #expect(try Dirichlet<Double>(concentration: Tensor([1.0, 1])).logProb(Tensor([0.7, 0.7])).scalar == -.infinity)
    }

    @Test func batchShapesBroadcast() throws {
        let n = try Normal<Double>(loc: Tensor([0.0, 1, 2]), scale: Tensor(shape: [2, 1], scalars: [1.0, 2]))
        #expect(n.batchShape == [2, 3])
        #expect(n.sample([4], seed: 1).shape == [4, 2, 3])
        #expect(n.logProb(Tensor(0.5)).shape == [2, 3])
        let ind = try Independent(n, reinterpretedBatchDimensions: 1)
        #expect(ind.batchShape == [2] && ind.eventShape == [3] && ind.logProb(n.sample([5], seed: 2)).shape == [5, 2])
        #expect(throws: DistributionError.self) { try Normal<Double>(loc: Tensor([0.0, 1]), scale: Tensor([1.0, 2, 3])) }
        let mvn = try MultivariateNormal<Double>(loc: Tensor(shape: [4, 2], scalars: [Double](repeating: 0, count: 8)), scaleTril: Tensor.eye(2))
        #expect(mvn.sample([3], seed: 1).shape == [3, 4, 2] && mvn.logProb(mvn.sample([3], seed: 1)).shape == [3, 4])
    }
}
