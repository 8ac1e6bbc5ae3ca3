import Foundation
import NablaData
import NablaPlot

/// The figures of docs/bayesian.md, as NablaPlot figures.
public enum BayesianFigures {
    /// The seed's over-fitting figure (Deisenroth, "Mathematics for Machine Learning", Deep
    /// Learning Indaba 2017, "Bayesian integration to avoid overfitting"): a polynomial of
    /// `degree` (16) on the sine-regression data (N = 20, x ~ U[−5, 5],
    /// f(x) = −sin(x/5) + cos(x), σ = 0.2), with the data, the maximum-likelihood fit (wild),
    /// the MAP fit and the Bayesian predictive mean with its 95% band (noise included), at the
    /// evidence-maximizing α and β. Axes −5…5 × −3…3 as in the seed.
    ///
    /// The features are the monomials of x/5 (the same degree-16 polynomials as of x, but with
    /// columns of comparable size, so the isotropic prior is meaningful); the maximum-likelihood
    /// fit is solved on the raw monomials of x (condition number ≈ 2·10¹²) by SVD least squares.
    /// - Throws: ``BayesianError`` when evidence maximization fails.
    public static func polynomialDegree(_ degree: Int = 16, seed: UInt64 = 0) throws -> Figure {
        let data = Generators.sineRegression(seed: seed)
        let features = BasisFeatures.polynomial(degree: degree, scale: 5)
        let phi = features.design(data.x)
        let raw = BasisFeatures.polynomial(degree: degree)
        let fit = try BayesianLinearRegression.maximizingEvidence(design: phi, targets: data.y)
        let model = fit.model
        let xs = (0...400).map { -5 + 10 * Double($0) / 400 }
        let grid = features.design(Tensor(xs))
        let wML = try LinearRegressionFit.maximumLikelihood(design: raw.design(data.x), targets: data.y)
        let wMAP = try LinearRegressionFit.maximumAPosteriori(design: phi, targets: data.y, alpha: model.alpha, beta: model.beta)
        let ml = raw.design(Tensor(xs)).matmul(wML.reshaped([degree + 1, 1])).scalars
        let map = grid.matmul(wMAP.reshaped([degree + 1, 1])).scalars
        let band = model.predictiveBand(design: grid)
        var fig = Figure(width: 720, height: 460, title: "Polynomial of degree \(degree)", xLabel: "x", yLabel: "f(x)")
        fig.xRange = -5...5
        fig.yRange = -3...3
        fig.band(x: xs, lower: band.lower, upper: band.upper, label: "95% predictive confidence bound", color: Color(hex: 0x9ecae1), opacity: 0.5)
        fig.line(x: xs, y: xs.map(Generators.sineTarget), label: "true function", color: Color(hex: 0x999999), width: 1, dashed: true)
        // The ML fit leaves the axes; clip it so the SVG stays readable.
        fig.line(x: xs, y: ml.map { min(max($0, -3.5), 3.5) }, label: "maximum likelihood estimate", color: Color(hex: 0xd62728))
        fig.line(x: xs, y: band.mean, label: "Bayesian predictive mean", color: Color(hex: 0x1f77b4))
        fig.line(x: xs, y: map, label: "MAP estimate", color: Color(hex: 0x2ca02c), dashed: true)
        fig.scatter(x: data.x.scalars, y: data.y.scalars, label: "data", color: Color(hex: 0x000000), radius: 3.5)
        return fig
    }

    /// Monte Carlo prediction for a Bayesian neural network: a 1-`hiddenUnits`-1 tanh network
    /// (``TanhRegressionNetwork``, prior 𝒩(0, I) on the weights, noise σ = 0.2) on the
    /// sine-regression data, with the predictive mean and 95% band (noise included) from NUTS
    /// draws (4 chains × `draws`) and from a mean-field variational posterior (1000 draws), on
    /// x ∈ [−8, 8] so that the bands can be seen to open up outside the data.
    /// - Throws: ``MCMCError`` from the sampler, or the optimizer's error from the VI fit.
    public static func bayesianNeuralNetwork(hiddenUnits: Int = 10, draws: Int = 1000, seed: UInt64 = 0) throws -> Figure {
        let data = Generators.sineRegression(seed: seed)
        let net = TanhRegressionNetwork(hiddenUnits: hiddenUnits)
        let target = net.logPosterior(inputs: data.x, targets: data.y, noiseStandardDeviation: 0.2)
        let run = try MCMC.sample(target, kernel: .nuts(), configuration: MCMCConfiguration(chains: 4, warmup: 1000, draws: draws), seed: seed)
        // A zero mean would start every hidden unit identical (and keep them so in expectation):
        // start from small random weights, as any network initialization does.
        var g = PhiloxGenerator(seed: seed &+ 1)
        let start = Tensor<Double>.randomNormal([net.parameterCount], using: &g) * 0.5
        let fit = try VariationalInference.fit(dimension: net.parameterCount, family: .meanField, initialMean: start,
                                               steps: 4000, samples: 16, learningRate: 0.03, seed: seed,
                                               logJoint: net.logJoint(inputs: data.x, targets: data.y, noiseStandardDeviation: 0.2))
        let xs = (0...320).map { -8 + 16 * Double($0) / 320 }
        let grid = Tensor(xs)
        let nuts = MonteCarloPrediction.predict(draws: run, noiseVariance: 0.04) { net($0, grid) }
        let vi = MonteCarloPrediction.predict(posterior: fit.posterior, samples: 1000, seed: seed, noiseVariance: 0.04) { net($0, grid) }
        func band(_ p: (mean: [Double], variance: [Double])) -> ([Double], [Double]) {
            (zip(p.mean, p.variance).map { $0 - 1.96 * $1.squareRoot() }, zip(p.mean, p.variance).map { $0 + 1.96 * $1.squareRoot() })
        }
        let (nl, nu) = band(nuts), (vl, vu) = band(vi)
        var fig = Figure(width: 720, height: 460, title: "Bayesian 1-\(hiddenUnits)-1 tanh network: NUTS and mean-field VI",
                         xLabel: "x", yLabel: "f(x)")
        fig.xRange = -8...8
        fig.yRange = -4...4
        fig.band(x: xs, lower: nl, upper: nu, label: "NUTS 95% predictive band", color: Color(hex: 0x9ecae1), opacity: 0.5)
        fig.band(x: xs, lower: vl, upper: vu, label: "mean-field VI 95% predictive band", color: Color(hex: 0xfdae6b), opacity: 0.35)
        fig.line(x: xs, y: xs.map(Generators.sineTarget), label: "true function", color: Color(hex: 0x999999), width: 1, dashed: true)
        fig.line(x: xs, y: nuts.mean, label: "NUTS predictive mean", color: Color(hex: 0x1f77b4))
        fig.line(x: xs, y: vi.mean, label: "VI predictive mean", color: Color(hex: 0xe6550d), dashed: true)
        fig.scatter(x: data.x.scalars, y: data.y.scalars, label: "data", color: Color(hex: 0x000000), radius: 3.5)
        return fig
    }
}
