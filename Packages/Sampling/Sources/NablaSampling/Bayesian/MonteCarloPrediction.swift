/// Monte Carlo prediction for a model with a posterior over its parameters (a neural network
/// sampled by ``MCMC`` or fitted by ``VariationalInference``): predictions averaged over
/// posterior draws θₛ, p(y | x, D) ≈ (1/S) Σₛ p(y | x, θₛ), summarized by the predictive mean
/// (1/S) Σₛ f(x, θₛ) and variance (the spread of f over θ, plus the observation noise).
///
/// ```swift
/// let run = try MCMC.sample(net.logPosterior(inputs: x, targets: y, noiseStandardDeviation: 0.2), kernel: .nuts())
/// let nuts = MonteCarloPrediction.predict(draws: run, noiseVariance: 0.04) { net($0, xTest) }
/// let vi = MonteCarloPrediction.predict(posterior: fit.posterior, samples: 1000, noiseVariance: 0.04) { net($0, xTest) }
/// ```
public enum MonteCarloPrediction {
    /// The predictive mean and variance at the inputs `model` is evaluated on, from `samples`
    /// draws of the variational posterior `posterior`.
    /// - Parameters:
    ///   - posterior: the distribution q(θ) the parameters are drawn from.
    ///   - samples: the number of draws S.
    ///   - seed: the seed of the draws.
    ///   - noiseVariance: added to every variance (the observation noise, 0 for the latent function).
    ///   - model: maps one parameter vector `[d]` to predictions `[n]`.
    public static func predict(posterior: GaussianVariationalPosterior, samples: Int = 200, seed: UInt64 = 0,
                               noiseVariance: Double = 0,
                               model: (Tensor<Double>) -> Tensor<Double>) -> (mean: [Double], variance: [Double]) {
        var g = PhiloxGenerator(seed: seed)
        let theta = posterior.rsample(samples, using: &g).value.scalars, d = posterior.dimension
        return predict(parameterDraws: (0..<samples).map { Array(theta[($0 * d)..<(($0 + 1) * d)]) },
                       noiseVariance: noiseVariance, model: model)
    }

    /// The predictive mean and variance from the draws of an MCMC run (every chain, every `thin`-th
    /// kept draw).
    /// - Parameters:
    ///   - draws: the run; its dimension is the model's parameter count.
    ///   - thin: use every `thin`-th draw of each chain (1: all).
    ///   - noiseVariance: added to every variance.
    ///   - model: maps one parameter vector `[d]` to predictions `[n]`.
    public static func predict(draws: MCMCResult, thin: Int = 1, noiseVariance: Double = 0,
                               model: (Tensor<Double>) -> Tensor<Double>) -> (mean: [Double], variance: [Double]) {
        precondition(thin >= 1, "MonteCarloPrediction.predict: thin must be ≥ 1, got \(thin)")
        var thetas: [[Double]] = []
        for c in 0..<draws.chainCount {
            for s in stride(from: 0, to: draws.drawCount, by: thin) { thetas.append(draws.draw(chain: c, draw: s)) }
        }
        return predict(parameterDraws: thetas, noiseVariance: noiseVariance, model: model)
    }

    /// The predictive mean (1/S) Σₛ f(θₛ) and the unbiased variance of f over the draws plus
    /// `noiseVariance`, for any parameter draws θₛ (each `[d]`).
    public static func predict(parameterDraws: [[Double]], noiseVariance: Double = 0,
                               model: (Tensor<Double>) -> Tensor<Double>) -> (mean: [Double], variance: [Double]) {
        precondition(!parameterDraws.isEmpty, "MonteCarloPrediction.predict: no parameter draws")
        var sum: [Double] = [], sq: [Double] = []
        // Welford-free two-pass would need every prediction; shift by the first draw's prediction
        // instead, so large means do not cancel the variance.
        var shift: [Double] = []
        for theta in parameterDraws {
            let y = model(Tensor(theta)).scalars
            if sum.isEmpty { shift = y; sum = [Double](repeating: 0, count: y.count); sq = sum }
            precondition(y.count == sum.count, "MonteCarloPrediction.predict: the model returned \(y.count) predictions, then \(sum.count)")
            for i in y.indices { let u = y[i] - shift[i]; sum[i] += u; sq[i] += u * u }
        }
        let n = Double(parameterDraws.count)
        let mean = zip(sum, shift).map { $0 / n + $1 }
        let variance = zip(sq, sum).map { sq, s in max(sq - s * s / n, 0) / max(n - 1, 1) + noiseVariance }
        return (mean, variance)
    }
}
