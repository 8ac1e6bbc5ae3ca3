import Foundation
import Testing
import NablaData
@testable import NablaSampling

@Suite("Monte Carlo prediction")
struct MonteCarloPredictionTests {
    @Test func tanhNetworkMatchesJAX() throws {
        // python3 benchmarks/bayes_integration_reference.py bnn (JAX 0.10, float64): the 1-10-1 tanh
        // network at θₖ = 0.5 sin(k + 1), x = linspace(−5, 5, 7), y = cos x, σ = 0.2, prior sd 1.
        let net = TanhRegressionNetwork(hiddenUnits: 10)
        let theta = (0..<31).map { 0.5 * sin(Double($0) + 1) }
        let x = Tensor<Double>((0..<7).map { -5 + 10 * Double($0) / 6 }), y = Tensor<Double>(x.scalars.map(cos))
        let f = [-1.691642479625561, -1.780768791892356, -1.7246896684150748, -1.2627622435029902,
                 -0.3458254457335802, 0.431426495558207, 0.7791484104237965]
        let grad = [-37.26354449808272, -0.1457987336011775, 215.47043338302166, 50.694232344126036, 4.469330778878439,
                    -159.32666331739102, -69.08361697866472, -7.979638323838139, 100.45234814586163, 93.68406197999177,
                    20.023529279093736, -0.026490848997093863, -55.292699313790166, -21.049101781973928, -4.446839396183311,
                    47.70031925302206, 21.99717361179345, 8.315080178845884, -36.73763989416821, -23.466984978464318,
                    -164.00606508456207, -152.9732947991257, -10.718488456771757, 159.6234041118434, 158.3175101729232,
                    51.71779605542665, -152.6561269098149, -162.30834918916975, -83.8156720242665, 142.2115516406704,
                    125.39309353923902]
        for (u, v) in zip(net(Tensor(theta), x).scalars, f) { #expect(abs(u - v) <= 1e-13) }
        let target = net.logPosterior(inputs: x, targets: y, noiseStandardDeviation: 0.2)
        var g = [Double](repeating: 0, count: 31)
        let lp = target.logDensity(at: theta, gradient: &g)
        #expect(abs(lp - -208.35257339160916) <= 1e-11)
        for (u, v) in zip(g, grad) { #expect(abs(u - v) <= 1e-10 * max(1, abs(v))) }
        // The batched Autograd log joint (VI's) gives the same value and, through Autograd, the same gradient.
        let joint = net.logJoint(inputs: x, targets: y, noiseStandardDeviation: 0.2)
        let (value, autogradGrad) = valueWithGradient(at: Tensor(shape: [1, 31], scalars: theta)) { joint($0).sum() }
        #expect(abs(value.scalar - lp) <= 1e-11)
        for (u, v) in zip(autogradGrad.scalars, grad) { #expect(abs(u - v) <= 1e-10 * max(1, abs(v))) }
    }

    @Test func nutsDrawsReproduceTheConjugatePredictive() throws {
        // Bayesian linear regression (cubic in x/5, α = 1, β = 25): the predictive averaged over
        // NUTS draws of the weights must match the closed form m_Nᵀφ and 1/β + φᵀS_Nφ.
        let data = Generators.sineRegression()
        let features = BasisFeatures.polynomial(degree: 3, scale: 5)
        let phi = features.design(data.x), t = data.y.scalars
        let exact = try BayesianLinearRegression(design: phi, targets: data.y, alpha: 1, beta: 25)
        let p = phi.scalars
        let target = GradientLogDensityFunction(dimension: 4) { w, g in
            var lp = 0.0
            for k in 0..<4 { g[k] = -w[k]; lp -= 0.5 * w[k] * w[k] }
            for n in 0..<20 {
                var f = 0.0
                for k in 0..<4 { f += p[n * 4 + k] * w[k] }
                let r = 25 * (t[n] - f)
                lp -= 0.5 * (t[n] - f) * r
                for k in 0..<4 { g[k] += r * p[n * 4 + k] }
            }
            return lp
        }
        let run = try MCMC.sample(target, kernel: .nuts(), configuration: MCMCConfiguration(chains: 4, warmup: 300, draws: 500), seed: 11)
        let test = features.design(Tensor([-4.5, -1, 0, 2.5, 6]))
        let mc = MonteCarloPrediction.predict(draws: run, noiseVariance: 1.0 / 25) { w in test.matmul(w.reshaped([4, 1])).reshaped([5]) }
        let closed = exact.predict(design: test)
        for i in 0..<5 {
            let latent = closed.variance.scalars[i] - 1.0 / 25
            // 2000 draws (ESS ≳ 1000 on this Gaussian): mean within 5 Monte Carlo standard errors,
            // variance within 15% (the relative sd of a variance from ~1000 effective draws is ≈ 4.5%).
            #expect(abs(mc.mean[i] - closed.mean.scalars[i]) <= 5 * (latent / 1000).squareRoot(), "mean \(mc.mean[i]) vs \(closed.mean.scalars[i])")
            #expect(abs(mc.variance[i] - 1.0 / 25 - latent) <= 0.15 * latent, "variance \(mc.variance[i]) vs \(closed.variance.scalars[i])")
        }
    }

    @Test func bayesianNeuralNetworkFromNUTSAndVariationalPosterior() throws {
        // A 1-5-1 tanh network on the sine-regression data (N = 20, σ = 0.2), short runs.
        let data = Generators.sineRegression()
        let net = TanhRegressionNetwork(hiddenUnits: 5)
        let target = net.logPosterior(inputs: data.x, targets: data.y, noiseStandardDeviation: 0.2)
        let run = try MCMC.sample(target, kernel: .nuts(maxTreeDepth: 8),
                                  configuration: MCMCConfiguration(chains: 2, warmup: 300, draws: 200), seed: 3)
        let xs = Tensor<Double>([-4, -2, 0, 2, 4, 9])
        let nuts = MonteCarloPrediction.predict(draws: run, noiseVariance: 0.04) { net($0, xs) }
        var start = PhiloxGenerator(seed: 2)
        let fit = try VariationalInference.fit(dimension: net.parameterCount, family: .meanField,
                                               initialMean: Tensor<Double>.randomNormal([16], using: &start) * 0.5,
                                               steps: 1500, samples: 8, learningRate: 0.03, seed: 1,
                                               logJoint: net.logJoint(inputs: data.x, targets: data.y, noiseStandardDeviation: 0.2))
        let vi = MonteCarloPrediction.predict(posterior: fit.posterior, samples: 500, noiseVariance: 0.04) { net($0, xs) }
        // NUTS: inside the data the predictive mean follows f(x) = −sin(x/5) + cos(x) and at x = 9,
        // far outside, the predictive variance is larger than at x = 0 (1.8× in this short run).
        for i in 0..<5 { #expect(abs(nuts.mean[i] - Generators.sineTarget(xs.scalars[i])) < 0.4, "NUTS mean \(nuts.mean[i]) at \(xs.scalars[i])") }
        #expect(nuts.variance[5] > 1.3 * nuts.variance[2], "NUTS variance \(nuts.variance)")
        // Mean-field VI (from small random weights) follows the data about as well (largest error
        // 0.35 at x = −4 in this run), but its band does not open up outside the data: at x = 9 its
        // variance is below NUTS's (0.056 vs 0.13 here), docs/bayesian.md.
        for i in 0..<5 { #expect(abs(vi.mean[i] - Generators.sineTarget(xs.scalars[i])) < 0.45, "VI mean \(vi.mean[i]) at \(xs.scalars[i])") }
        #expect(vi.variance.allSatisfy { $0 > 0.04 })
        #expect(vi.variance[5] < nuts.variance[5])
        // The posterior path is the draws path on the same draws.
        var g = PhiloxGenerator(seed: 0)
        let theta = fit.posterior.rsample(500, using: &g).value.scalars
        let same = MonteCarloPrediction.predict(parameterDraws: (0..<500).map { Array(theta[($0 * 16)..<(($0 + 1) * 16)]) },
                                                noiseVariance: 0.04) { net($0, xs) }
        #expect(same.mean == vi.mean && same.variance == vi.variance)
    }
}
