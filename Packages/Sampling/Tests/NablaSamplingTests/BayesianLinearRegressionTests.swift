import Foundation
import Testing
import NablaData
@testable import NablaSampling

@Suite("Bayesian linear regression")
struct BayesianLinearRegressionTests {
    /// log 𝒩(t | 0, β⁻¹I + α⁻¹ΦΦᵀ), the evidence computed directly (Bishop eq. 3.85 without the weights).
    /// Through NablaTensor's LAPACK Cholesky (`potrf`) and LU solve (`gesv`).
    func directLogEvidence(_ phi: [Double], _ n: Int, _ m: Int, _ t: [Double], _ alpha: Double, _ beta: Double) throws -> Double {
        let design = Tensor<Double>(shape: [n, m], scalars: phi)
        let c = design.matmul(design.transposed()) / alpha + Tensor<Double>.eye(n) / beta
        let l = try c.cholesky()
        let z = try l.solve(Tensor(t)).scalars
        let logDet = 2 * l.diagonalPart().scalars.reduce(0) { $0 + log($1) }
        return -0.5 * z.reduce(0) { $0 + $1 * $1 } - 0.5 * logDet - Double(n) / 2 * log(2 * Double.pi)
    }

    @Test func posteriorAndPredictiveMatchDirectComputation() throws {
        let data = Generators.sineRegression()
        let phi = BasisFeatures.polynomial(degree: 3).design(data.x)
        let (alpha, beta) = (0.5, 25.0)
        let model = try BayesianLinearRegression(design: phi, targets: data.y, alpha: alpha, beta: beta)
        let n = 20, m = 4, p = phi.scalars, t = data.y.scalars
        // Direct, by the normal equations (NablaTensor's LAPACK): S_N⁻¹ = αI + βΦᵀΦ, m_N = β S_N Φᵀt.
        let a = phi.transposed().matmul(phi) * beta + Tensor<Double>.eye(m) * alpha
        let mn = try a.solve(phi.transposed().matmul(data.y.reshaped([n, 1])).reshaped([m]) * beta).scalars
        for (u, v) in zip(model.posteriorMean.scalars, mn) { #expect(abs(u - v) <= 1e-10 * max(1, abs(v))) }
        let sTensor = try a.inverse(), s = sTensor.scalars
        for (u, v) in zip(model.posteriorCovariance.scalars, s) { #expect(abs(u - v) <= 1e-12) }
        // Predictive at a few points.
        let xs: [Double] = [-4.5, -1, 0, 2.5, 4.9]
        let test = BasisFeatures.polynomial(degree: 3).design(Tensor(xs))
        let pred = model.predict(design: test)
        for (i, x) in xs.enumerated() {
            let f = [1, x, x * x, x * x * x]
            let sf = sTensor.matmul(Tensor(shape: [m, 1], scalars: f)).scalars
            let mean = zip(f, mn).reduce(0) { $0 + $1.0 * $1.1 }, v = 1 / beta + zip(f, sf).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(pred.mean.scalars[i] - mean) <= 1e-10)
            #expect(abs(pred.variance.scalars[i] - v) <= 1e-10)
        }
        let direct = try directLogEvidence(p, n, m, t, alpha, beta)
        #expect(abs(model.logEvidence - direct) <= 1e-9)
    }

    @Test func degree16IsStableInDouble() throws {
        let data = Generators.sineRegression()
        let rawPhi = BasisFeatures.polynomial(degree: 16).design(data.x)
        let sv = try rawPhi.singularValues().scalars
        #expect(sv.max()! / sv.min()! > 1e11)   // the conditioning the issue warns about
        // The ML fit on the raw monomials (cond ≈ 2e12) and on those of x/5 (cond ≈ 2e7) is the same curve.
        let phi = BasisFeatures.polynomial(degree: 16, scale: 5).design(data.x)
        let grid = (0...100).map { -5 + Double($0) / 10 }
        let g = BasisFeatures.polynomial(degree: 16, scale: 5).design(Tensor(grid))
        let mlRaw = BasisFeatures.polynomial(degree: 16).design(Tensor(grid))
            .matmul(try LinearRegressionFit.maximumLikelihood(design: rawPhi, targets: data.y).reshaped([17, 1])).scalars
        let wML = try LinearRegressionFit.maximumLikelihood(design: phi, targets: data.y)
        let ml = g.matmul(wML.reshaped([17, 1])).scalars
        for (a, b) in zip(mlRaw, ml) { #expect(abs(a - b) <= 1e-3 * max(1, abs(b))) }
        // Evidence maximization on the raw monomials degenerates (α → ∞); on x/5 it is well posed.
        let fit = try BayesianLinearRegression.maximizingEvidence(design: phi, targets: data.y)
        let model = fit.model
        // The evidence is a maximum: perturbing either precision lowers it.
        for (da, db) in [(1.1, 1.0), (0.9, 1.0), (1.0, 1.1), (1.0, 0.9)] {
            let other = try BayesianLinearRegression(design: phi, targets: data.y, alpha: model.alpha * da, beta: model.beta * db)
            #expect(other.logEvidence < model.logEvidence)
        }
        // The QR evidence agrees with the direct Gaussian computation (an n×n Cholesky of a well-conditioned matrix).
        let direct = try directLogEvidence(phi.scalars, 20, 17, data.y.scalars, model.alpha, model.beta)
        #expect(abs(model.logEvidence - direct) <= 1e-6 * abs(direct))
        // The ML fit interpolates wildly; the Bayesian mean stays near the truth.
        let mean = model.predict(design: g).mean.scalars
        #expect(ml.map(abs).max()! > 3)
        // Inside the data's range (−4.7 … 4.2) the mean is within 0.3 of the truth.
        let inside = grid.indices.filter { grid[$0] >= -4.5 && grid[$0] <= 4 }
        let err = inside.map { abs(mean[$0] - Generators.sineTarget(grid[$0])) }.max()!
        #expect(err < 0.3)
    }

    /// scikit-learn 1.x `BayesianRidge(fit_intercept=False, tol=1e-12, max_iter=100000)` on the
    /// same data (values pasted from benchmarks/bayes_sklearn_reference.py; `lambda_` is α,
    /// `alpha_` is β). See docs/bayesian.md.
    @Test func evidenceMaximizationMatchesScikitLearn() throws {
        let data = Generators.sineRegression()
        for (degree, scale, alpha, beta) in SklearnReference.values {
            let phi = BasisFeatures.polynomial(degree: degree, scale: scale).design(data.x)
            let fit = try BayesianLinearRegression.maximizingEvidence(design: phi, targets: data.y)
            #expect(abs(fit.model.alpha - alpha) <= 1e-4 * alpha, "degree \(degree): α \(fit.model.alpha) vs \(alpha)")
            #expect(abs(fit.model.beta - beta) <= 1e-4 * beta, "degree \(degree): β \(fit.model.beta) vs \(beta)")
        }
    }

    @Test func gaussianRBFFeatures() throws {
        let data = Generators.sineRegression()
        let centers = Tensor<Double>((0..<9).map { -5 + 1.25 * Double($0) })
        let features = BasisFeatures.gaussianRBF(centers: centers, width: 1.0)
        let fit = try BayesianLinearRegression.maximizingEvidence(design: features.design(data.x), targets: data.y)
        #expect(fit.model.featureCount == 10)
        #expect(fit.effectiveParameters > 1 && fit.effectiveParameters < 10)
        #expect((1 / fit.model.beta).squareRoot() < 0.5)
    }

    @Test func evidenceChoosesAModerateDegree() throws {
        let data = Generators.sineRegression()
        let ev = try (1...16).map { d -> Double in
            try BayesianLinearRegression.maximizingEvidence(design: BasisFeatures.polynomial(degree: d, scale: 5).design(data.x), targets: data.y).model.logEvidence
        }
        let best = ev.indices.max { ev[$0] < ev[$1] }!
        #expect(best + 1 >= 3 && best + 1 <= 14)   // ev[k] is degree k + 1
        #expect(ev[best] > ev[0] + 5)
    }
}
