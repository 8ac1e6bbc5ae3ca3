// Release benchmark: uncertainty propagation on tanh networks and the Bayesian linear regression
// predictive on 10⁶ points. Run beside benchmarks/bayes_numpy_bench.py:
//
//     swift run -c release --package-path Packages/Sampling BayesBench
import Foundation
import NablaSampling
import NablaData

// The machine, as every benchmark prints it (docs/performance.md records it beside each table).
print("# \(VectorLevel.summary)")

func time(_ repeats: Int = 3, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let t = Date()
        try body()
        best = min(best, Date().timeIntervalSince(t))
    }
    return best * 1000
}

// 1. Cost of each propagation method on d-100-100-1 tanh networks.
let methods: [(String, PropagationMethod)] = [
    ("monte carlo 10^4", .monteCarlo(samples: 10_000)), ("linearization", .linearization), ("unscented", .unscented()),
    ("sparse grid level 2", .sparseGrid(level: 2)), ("sparse grid level 3", .sparseGrid(level: 3)),
    ("moment matching", .momentMatching),
]
for d in [2, 10] {
    let net = PropagationModel.tanhNetwork(widths: [d, 100, 100, 1], seed: 1)
    let mu = (0..<d).map { 0.1 * Double($0 % 5) - 0.2 }
    print("\n## \(d)-100-100-1 tanh network, Σ = s²I: ms (best of 3) and relative error of the std vs Monte Carlo 10^6")
    var all = methods
    if d == 2 { all.append(("gauss-hermite 10^2", .gaussHermite(points: 10))) } else { all.append(("gauss-hermite 3^10", .gaussHermite(points: 3))) }
    for s in [1.0, 0.3, 0.1, 0.03] {
        var cov = [Double](repeating: 0, count: d * d)
        for i in 0..<d { cov[i * d + i] = s * s }
        let ref = try UncertaintyPropagation.propagate(mean: mu, covariance: cov, through: net, method: .monteCarlo(samples: 1_000_000, seed: 42))
        let refSD = ref.covariance[0].squareRoot()
        print(String(format: "s = %.2f: reference mean %.5f ± %.1e, std %.5f", s, ref.mean[0], ref.meanStandardError![0], refSD))
        for (name, method) in all {
            var r: PropagatedMoments!
            let ms = try time { r = try UncertaintyPropagation.propagate(mean: mu, covariance: cov, through: net, method: method) }
            let errMean = abs(r.mean[0] - ref.mean[0]) / refSD
            let errSD = abs(r.covariance[0].squareRoot() - refSD) / refSD
            print(String(format: "  %-22@ %9.3f ms  %7d evals  mean err/std %.2e  std rel err %.2e", name as NSString, ms, r.evaluations, errMean, errSD))
        }
    }
}

// 2. Bayesian linear regression predictive on 10⁶ test points (degree-16 features of x/5).
let data = Generators.sineRegression()
let features = BasisFeatures.polynomial(degree: 16, scale: 5)
let model = try BayesianLinearRegression.maximizingEvidence(design: features.design(data.x), targets: data.y).model
let xs = Tensor<Double>((0..<1_000_000).map { -5 + 10 * Double($0) / 999_999 })
var phi = features.design(xs)
let featureMs = time { phi = features.design(xs) }
var checksum = 0.0
let predictMs = time { let p = model.predict(design: phi); checksum = p.mean.scalars[500_000] + p.variance.scalars[500_000] }
print(String(format: "\n## BLR predictive, 10^6 points, 17 features: features %.1f ms, predict (mean + variance) %.1f ms (checksum %.6f)",
             featureMs, predictMs, checksum))
print(String(format: "alpha %.6g beta %.6g", model.alpha, model.beta))
