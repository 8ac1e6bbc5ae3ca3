import Foundation
import Testing
@testable import NablaSampling

@Suite("Uncertainty propagation")
struct PropagationTests {
    let mean = [0.5, -1.0, 2.0]
    let cov = [1.0, 0.3, -0.2, 0.3, 0.5, 0.1, -0.2, 0.1, 0.8]

    @Test func linearMapIsExact() throws {
        let a = Tensor<Double>(shape: [2, 3], scalars: [1, -2, 0.5, 0.3, 0.7, -1.1]), b = Tensor<Double>([0.2, -0.4])
        let model = PropagationModel(layers: [.linear(weight: a, bias: b)])
        // Aμ + b and AΣAᵀ by explicit sums (an oracle independent of the BLAS products under test).
        let aa = a.scalars
        let exactMean = (0..<2).map { i in (0..<3).reduce(b.scalars[i]) { $0 + aa[i * 3 + $1] * mean[$1] } }
        let exactCov = (0..<4).map { ij -> Double in
            let (i, j) = (ij / 2, ij % 2)
            var s = 0.0
            for k in 0..<3 { for l in 0..<3 { s += aa[i * 3 + k] * cov[k * 3 + l] * aa[j * 3 + l] } }
            return s
        }
        for method: PropagationMethod in [.linearization, .unscented(), .unscented(alpha: 0.5, beta: 2, kappa: 1),
                                          .gaussHermite(points: 2), .sparseGrid(level: 2), .momentMatching] {
            let r = try UncertaintyPropagation.propagate(mean: mean, covariance: cov, through: model, method: method)
            for (u, v) in zip(r.mean, exactMean) { #expect(abs(u - v) < 1e-12, "\(method) mean") }
            for (u, v) in zip(r.covariance, exactCov) { #expect(abs(u - v) < 1e-12, "\(method) covariance") }
        }
        let mc = try UncertaintyPropagation.propagate(mean: mean, covariance: cov, through: model, method: .monteCarlo(samples: 20_000, seed: 3))
        for i in 0..<2 { #expect(abs(mc.mean[i] - exactMean[i]) < 4 * mc.meanStandardError![i]) }
        for i in 0..<4 { #expect(abs(mc.covariance[i] - exactCov[i]) < 4 * mc.covarianceStandardError![i]) }
    }

    @Test func tanhNetworkConvergesAsCovarianceShrinks() throws {
        let net = PropagationModel.tanhNetwork(widths: [2, 20, 20, 1], seed: 1)
        let mu = [0.3, -0.2]
        var previous: [String: Double] = [:]
        for s in [0.5, 0.1, 0.02] {
            let c = [s * s, 0, 0, s * s]
            // Reference: a 30×30 Gauss–Hermite product rule, checked against Monte Carlo.
            let ref = try UncertaintyPropagation.propagate(mean: mu, covariance: c, through: net, method: .gaussHermite(points: 30))
            let mc = try UncertaintyPropagation.propagate(mean: mu, covariance: c, through: net, method: .monteCarlo(samples: 20_000, seed: 7))
            #expect(abs(mc.mean[0] - ref.mean[0]) < 4 * mc.meanStandardError![0])
            #expect(abs(mc.covariance[0] - ref.covariance[0]) < 4 * mc.covarianceStandardError![0])
            for (name, method) in [("lin", PropagationMethod.linearization), ("ut", .unscented()), ("gh3", .gaussHermite(points: 3)),
                                   ("sg3", .sparseGrid(level: 3)), ("mm", .momentMatching)] {
                let r = try UncertaintyPropagation.propagate(mean: mu, covariance: c, through: net, method: method)
                // Relative error of the standard deviation.
                let err = abs(r.covariance[0].squareRoot() - ref.covariance[0].squareRoot()) / ref.covariance[0].squareRoot()
                if let p = previous[name] { #expect(err < p || err < 1e-6, "\(name): \(err) after \(p)") }
                previous[name] = err
                if s == 0.02 { #expect(err < 0.05, "\(name) at s = 0.02: \(err)") }
            }
        }
    }

    @Test func momentMatchingReLUAndSigmoidMarginals() {
        // Rectified Gaussian: x ~ 𝒩(0.3, 0.8²), against 200-point Gauss–Hermite.
        for layer in [MomentLayer.relu, .sigmoid, .tanh] {
            let (e, v, _) = layer.elementwise(0.3, 0.64)
            let f: (Double) -> Double
            switch layer {
            case .relu: f = { max($0, 0) }
            case .sigmoid: f = { Foundation.erfc(-(Double.pi / 8).squareRoot() * $0 / 2.0.squareRoot()) / 2 }
            default: f = { Foundation.tanh($0) }
            }
            let m1 = GaussHermite.expectation(points: 200, mean: 0.3, standardDeviation: 0.8, of: f)
            let m2 = GaussHermite.expectation(points: 200, mean: 0.3, standardDeviation: 0.8) { f($0) * f($0) }
            let tol = layer.isReLU ? 1e-3 : 1e-6   // the ReLU kink (and tanh's complex poles) slow Gauss–Hermite
            #expect(abs(e - m1) < tol)
            #expect(abs(v - (m2 - m1 * m1)) < tol)
        }
    }
}

extension MomentLayer {
    var isReLU: Bool { if case .relu = self { return true } else { return false } }
}
