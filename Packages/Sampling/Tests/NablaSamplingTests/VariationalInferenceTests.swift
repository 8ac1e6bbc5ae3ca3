import Foundation
import Testing
import NablaData
@testable import NablaSampling

@Suite("Variational inference")
struct VariationalInferenceTests {
    @Test func fullRankELBOEqualsExactEvidenceOfConjugateModel() throws {
        // Bayesian linear regression (cubic in x/5): the posterior is Gaussian, so at the optimum
        // q = p(w | t) and the ELBO equals ln p(t) exactly.
        let data = Generators.sineRegression()
        let phi = BasisFeatures.polynomial(degree: 3, scale: 5).design(data.x)
        let (alpha, beta) = (1.0, 25.0)
        let exact = try BayesianLinearRegression(design: phi, targets: data.y, alpha: alpha, beta: beta)
        let t = data.y, n = 20.0
        let logJoint: (Variable<Double>) -> Variable<Double> = { w in     // [S, 4] → [S]
            let r = Variable(t.reshaped([1, 20])) - w.matmul(Variable(phi.transposed()))
            let ll = (r * r).sum(axis: 1) * (-beta / 2) + (n / 2 * log(beta / (2 * Double.pi)))
            let lp = (w * w).sum(axis: 1) * (-alpha / 2) + (2 * log(alpha / (2 * Double.pi)))
            return ll + lp
        }
        let fit = try VariationalInference.fit(dimension: 4, family: .fullRank, steps: 3000, samples: 16, learningRate: 0.05, logJoint: logJoint)
        var g = PhiloxGenerator(seed: 99)
        let elbo = fit.posterior.elboEstimate(samples: 4000, using: &g, logJoint: logJoint).estimate
        #expect(abs(elbo - exact.logEvidence) < 0.01, "ELBO \(elbo) vs ln p(t) \(exact.logEvidence)")
        for (u, v) in zip(fit.posterior.mean.value.scalars, exact.posteriorMean.scalars) { #expect(abs(u - v) < 0.02) }
        for (u, v) in zip(fit.posterior.covariance.scalars, exact.posteriorCovariance.scalars) { #expect(abs(u - v) < 0.01) }
    }

    @Test func meanFieldOnAOneDimensionalConjugateModel() throws {
        // y ~ 𝒩(θ, 1), θ ~ 𝒩(0, 2²), five observations: posterior 𝒩(Σy/(n + 1/4), 1/(n + 1/4)).
        let ys: [Double] = [1.2, 0.7, 1.9, 1.1, 0.4]
        let prec = 5 + 0.25, postMean = ys.reduce(0, +) / prec
        let logEvidence: Double = {
            // ln 𝒩(y | 0, I + 4·11ᵀ) = −½ yᵀC⁻¹y − ½ ln|C| − n/2 ln 2π, C⁻¹ = I − 4/(1 + 20)·11ᵀ.
            let s = ys.reduce(0, +), ss = ys.reduce(0) { $0 + $1 * $1 }
            return -0.5 * (ss - 4 / 21 * s * s) - 0.5 * log(21) - 2.5 * log(2 * Double.pi)
        }()
        let y = Tensor<Double>(shape: [1, 5], scalars: ys)
        let logJoint: (Variable<Double>) -> Variable<Double> = { th in    // [S, 1] → [S]
            let r = Variable(y) - th
            return ((r * r).sum(axis: 1) * -0.5 - 2.5 * log(2 * Double.pi))
                + ((th * th).sum(axis: 1) * (-1.0 / 8) - 0.5 * log(8 * Double.pi))
        }
        let fit = try VariationalInference.fit(dimension: 1, family: .meanField, steps: 2000, logJoint: logJoint)
        #expect(abs(fit.posterior.mean.value.scalars[0] - postMean) < 0.01)
        #expect(abs(fit.posterior.covariance.scalars[0] - 1 / prec) < 0.005)
        var g = PhiloxGenerator(seed: 5)
        let elbo = fit.posterior.elboEstimate(samples: 2000, using: &g, logJoint: logJoint).estimate
        #expect(abs(elbo - logEvidence) < 0.002)
        // Monte Carlo prediction of θ·x at x = 2: mean 2·E[θ], variance 4·Var[θ].
        let p = MonteCarloPrediction.predict(posterior: fit.posterior, samples: 20_000) { theta in theta * 2 }
        #expect(abs(p.mean[0] - 2 * postMean) < 0.02)
        #expect(abs(p.variance[0] - 4 / prec) < 0.05)
    }
}
