import Foundation
import Testing
@testable import NablaSampling

/// The data set of `benchmarks/bayes_integration_reference.py` (`logistic_data`): N = 30,
/// φ = [1, x₁, x₂] with x₁ = −3 + 6i/29, x₂ = sin(1.7i), t = [x₁ + x₂/2 + 0.8 cos(3.1i) > 0.4].
func logisticData() -> (design: Tensor<Double>, targets: Tensor<Double>) {
    var phi: [Double] = [], t: [Double] = []
    for k in 0..<30 {
        let i = Double(k), x1 = -3 + 6 * i / 29, x2 = sin(1.7 * i)
        phi += [1, x1, x2]
        t.append(x1 + 0.5 * x2 + 0.8 * cos(3.1 * i) > 0.4 ? 1 : 0)
    }
    return (Tensor(shape: [30, 3], scalars: phi), Tensor(t))
}

@Suite("Bayesian logistic regression (Laplace)")
struct BayesianLogisticRegressionTests {
    @Test func mapAndHessianMatchSciPy() throws {
        let (phi, t) = logisticData()
        // The labels the Python script prints (13 ones).
        #expect(t.scalars.map(Int.init) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1])
        let model = try BayesianLogisticRegression(design: phi, targets: t, alpha: 1)
        // python3 benchmarks/bayes_integration_reference.py laplace (SciPy 1.17 BFGS, gtol 1e-13,
        // polished by Newton on the closed-form Hessian αI + ΦᵀRΦ).
        let wMAP = [-0.4848748549469175, 1.5228286432769953, 1.0605547097275352]
        let h = [4.104051758223299, 0.8988342067145483, -0.007834028114951715,
                 0.898834206714548, 5.542653854635806, -1.012794343266339,
                 -0.007834028114951715, -1.0127943432663393, 2.56085699525885]
        for (u, v) in zip(model.mapWeights.scalars, wMAP) { #expect(abs(u - v) <= 1e-12, "w_MAP \(u) vs \(v)") }
        for (u, v) in zip(model.hessian.scalars, h) { #expect(abs(u - v) <= 1e-12, "A \(u) vs \(v)") }
        #expect(abs(model.logEvidence - -10.142209695882958) <= 1e-11)
        #expect(model.iterations < 10)      // Newton: quadratic convergence from w = 0
        // The gradient at the MAP vanishes and the Autograd Hessian is the closed form αI + ΦᵀRΦ
        // (also against central differences of the Autograd gradient).
        let e = BayesianLogisticRegression.negativeLogPosterior(design: phi, targets: t, alpha: 1)
        #expect(gradient(at: model.mapWeights, of: e).scalars.map(abs).max()! < 1e-12)
        let eps = 1e-5
        for j in 0..<3 {
            var up = model.mapWeights.scalars, dn = up
            up[j] += eps; dn[j] -= eps
            let gu = gradient(at: Tensor(up), of: e).scalars, gd = gradient(at: Tensor(dn), of: e).scalars
            for i in 0..<3 { #expect(abs((gu[i] - gd[i]) / (2 * eps) - model.hessian.scalars[i * 3 + j]) < 1e-8) }
        }
    }

    @Test func probitPredictiveAgainstIntegralOverLaplaceGaussian() throws {
        let (phi, t) = logisticData()
        let model = try BayesianLogisticRegression(design: phi, targets: t, alpha: 1)
        let x = Tensor<Double>(shape: [5, 3], scalars: [1, -2, 0.3, 1, 0, 0, 1, 0.4, -1, 1, 2.5, 0.9, 1, 6, -2])
        // python3 benchmarks/bayes_integration_reference.py laplace: μₐ, σₐ², the probit
        // approximation, and ∫σ(a)𝒩(a|μₐ,σₐ²)da by scipy.integrate.quad (agreeing with 2·10⁶
        // NumPy draws of the Laplace Gaussian within 1.5 standard errors).
        let muA = [-3.2123657285826472, -0.4848748549469175, -0.9362981073636545, 4.276695992000352, 6.530987585259984]
        let varA = [1.1706155577464799, 0.25329320322622534, 0.6418475060439434, 1.9671619496814632, 6.840677638644825]
        let probit = [0.06544586201219335, 0.38641144683691847, 0.3022168358049127, 0.9612942113938052, 0.9677541689642164]
        let quad = [0.061011522530275794, 0.38749128199254756, 0.3048887035536231, 0.9684056753712048, 0.9794640690198602]
        let act = model.activation(design: x)
        let p = model.predict(design: x).scalars
        let mc = model.predictMonteCarlo(design: x, samples: 200_000, seed: 3)
        for i in 0..<5 {
            #expect(abs(act.mean.scalars[i] - muA[i]) <= 1e-12)
            #expect(abs(act.variance.scalars[i] - varA[i]) <= 1e-12)
            #expect(abs(p[i] - probit[i]) <= 1e-13)
            // Monte Carlo over the Laplace Gaussian agrees with the quadrature within 4 standard errors.
            #expect(abs(mc[i].estimate - quad[i]) <= 4 * mc[i].standardError, "MC \(mc[i]) vs quad \(quad[i])")
            // The probit approximation is within 0.012 of the exact integral (its largest error here,
            // at x = (6, −2) where σₐ² = 6.8), and pulls every MAP prediction toward ½.
            #expect(abs(p[i] - quad[i]) < 0.012)
            let map = model.predictAtMAP(design: x).scalars[i]
            #expect(abs(p[i] - 0.5) < abs(map - 0.5))
        }
    }

    @Test func badLabelsAndShapesThrow() {
        let (phi, _) = logisticData()
        #expect(throws: BayesianError.self) {
            try BayesianLogisticRegression(design: phi, targets: Tensor(Array(repeating: 2.0, count: 30)))
        }
        #expect(throws: BayesianError.self) { try BayesianLogisticRegression(design: phi, targets: Tensor([0, 1])) }
        #expect(throws: BayesianError.self) {
            try BayesianLogisticRegression(design: phi, targets: Tensor(Array(repeating: 0.0, count: 30)), alpha: 0)
        }
    }
}
