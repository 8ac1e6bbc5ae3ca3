import Testing
import Foundation
@testable import NablaExamples

/// Expected numbers: the closed forms where there is one (Φ(1), 1/x̄, (1 − 2·lr)ᵏ, the p-norms of
/// (3, −4)), otherwise the seeded values printed by `nabla-examples` on Linux (pinned to catch changes).
@Suite struct LectureModelTests {
    @Test func linearRegressionNumbers() throws {
        let r = try linearRegression()
        #expect(abs(r.leastSquares[0] - 1.01624425372) < 1e-10)
        #expect(abs(r.leastSquares[1] - 0.458723278082) < 1e-10)
        #expect(r.maxDifference < 1e-8)
    }

    @Test func polynomialOverfittingAndRidge() throws {
        let r = try polynomialRegression()
        for i in 1..<r.degrees.count { #expect(r.trainingError[i] < r.trainingError[i - 1], "degree \(r.degrees[i])") }
        #expect(r.bestDegree == 6)
        #expect(r.validationError[15] > 1e5 * r.validationError[5])      // over-fitting: validation turns up
        #expect(abs(r.trainingError[0] - 0.350803) < 1e-6)
        #expect(abs(r.trainingError[4] - 0.0175185009) < 1e-10)
        #expect(abs(r.trainingError[15] - 0.00127371) < 1e-8)
        #expect(abs(r.validationError[5] - 0.0570328) < 1e-7)
        #expect(abs(r.bestLambda - pow(10, -1.5)) < 1e-15)
        let i = r.lambdas.firstIndex(of: r.bestLambda)!
        #expect(abs(r.ridgeValidationError[i] - 0.0865) < 1e-4)
    }

    @Test func biasVarianceAddsUp() throws {
        let r = try biasVariance()
        for row in r.rows {
            let sum = row.noise + row.biasSquared + row.variance
            #expect(abs(row.expectedError - sum) < 3 * row.standardError, "degree \(row.degree)")
        }
        #expect(abs(r.rows[2].biasSquared - 0.01457) < 1e-5)     // degree 5
        #expect(abs(r.rows[2].variance - 0.12921) < 1e-5)
        #expect(abs(r.rows[2].noise - 0.04) < 1e-15)
    }

    @Test func lassoIsSparseRidgeIsNot() throws {
        let r = try lasso()
        #expect(r.lassoZeros == 11)
        #expect(r.ridgeZeros == 0)
        #expect(r.lasso[0] != 0 && r.lasso[4] != 0)
    }

    @Test func maximumLikelihood() throws {
        let r = try NablaExamples.maximumLikelihood()
        for (a, b) in zip(r.squaredLossMinimizer, r.likelihoodMinimizer) { #expect(abs(a - b) < 1e-8) }
        #expect(r.gradientMismatch < 1e-12)
        #expect(abs(r.sigmaSquared.fitted - r.sigmaSquared.closedForm) < 1e-10)
        #expect(abs(r.exponentialClosedForm - 1.94712185212) < 1e-10)
        #expect(abs(r.exponentialNumerical - r.exponentialClosedForm) < 1e-12)
    }

    @Test func classifiers() throws {
        let r = try classification()
        let bayes = ClassificationResult.bayesAccuracy
        #expect(abs(bayes - 0.5 * (1 + erf(1 / 2.0.squareRoot()))) < 1e-15)
        #expect(abs(r.testAccuracy["lda"]! - bayes) < 0.01)
        #expect(abs(r.testAccuracy["logistic"]! - bayes) < 0.01)
        #expect(r.testAccuracy["lda"] == 0.84221)
        #expect(r.testAccuracy["logistic"] == 0.84201)
        #expect(r.testAccuracy["least squares"] == 0.84221)
        #expect(r.testAccuracy["cuts"] == 0.84203)
        #expect(r.testAccuracy["perceptron"] == 0.82585)
        #expect(r.testAccuracy["bayes"] == 0.84212)
        #expect(r.ldaPosteriorMismatch < 1e-12)
        #expect(abs(r.boundaryRotation.leastSquares - 25.6) < 0.05)
        #expect(r.boundaryRotation.logistic < 0.01)
        #expect(r.testAccuracyWithOutliers.leastSquares == 0.81906)
        #expect(r.testAccuracyWithOutliers.logistic == 0.84201)
    }

    @Test func softmaxAndCirclesNumbers() throws {
        let r = try softmaxAndCircles()
        #expect(r.softmaxAccuracy == 1)
        #expect(abs(r.softmaxLoss - 0.00807688) < 1e-7)
        #expect(r.circlesLinearAccuracy == 0.505)
        #expect(r.circlesQuadraticAccuracy == 1)
    }

    @Test func pNorms() {
        #expect(pNorm([3, -4], p: 1) == 7)
        #expect(pNorm([3, -4], p: 2) == 5)
        #expect(pNorm([3, -4], p: .infinity) == 4)
        for p in [0.5, 1, 1.5, 2, 3, 4, Double.infinity] {
            let c = pNormCircle(p: p, points: 37)
            for k in c.x.indices { #expect(abs(pNorm([c.x[k], c.y[k]], p: p) - 1) < 1e-12) }
        }
        #expect(pNormCircles().figures.count == 1)
    }
}

@Suite struct VanishingGradientTests {
    @Test func sigmoidGradientsVanishReLUOnesDoNot() {
        let r = vanishingGradients()
        #expect(abs(r.sigmoidDerivativeAt10 - 4.5396e-5) < 5e-10)                       // the seed's 4.5396e−5
        #expect(abs(r.sigmoidDerivativeAt10 - r.sigmoidDerivativeAt10ClosedForm) < 1e-12 * r.sigmoidDerivativeAt10ClosedForm)
        // Sigmoid: each layer nearer the input gets a smaller gradient, 10⁴ less over 5 layers.
        for k in 1..<r.sigmoidLayerNorms.count { #expect(r.sigmoidLayerNorms[k - 1] < r.sigmoidLayerNorms[k]) }
        #expect(r.sigmoidLayerNorms[0] / r.sigmoidLayerNorms[4] < 1e-3)
        #expect(r.reluLayerNorms[0] / r.reluLayerNorms[4] > 0.05)
        #expect(abs(r.sigmoidLayerNorms[0] - 8.999e-06) < 5e-10)
        #expect(abs(r.reluLayerNorms[4] - 0.01266) < 5e-6)
    }
}
