/// Monte Carlo prediction for a model with a posterior over its parameters (for example a
/// neural network fitted by ``VariationalInference``): predictions averaged over posterior
/// samples θₛ ~ q, p(y | x, D) ≈ (1/S) Σₛ p(y | x, θₛ).
public enum MonteCarloPrediction {
    /// The predictive mean (1/S) Σ f(x, θₛ) and variance (the spread of f over θ, plus
    /// `noiseVariance`) at the inputs `model` is evaluated on, from `samples` draws of `posterior`.
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
        var sum: [Double] = [], sq: [Double] = []
        for s in 0..<samples {
            let y = model(Tensor(Array(theta[(s * d)..<((s + 1) * d)]))).scalars
            if sum.isEmpty { sum = [Double](repeating: 0, count: y.count); sq = sum }
            for i in y.indices { sum[i] += y[i]; sq[i] += y[i] * y[i] }
        }
        let n = Double(samples)
        let mean = sum.map { $0 / n }
        let variance = zip(sq, mean).map { max($0 / n - $1 * $1, 0) * n / max(n - 1, 1) + noiseVariance }
        return (mean, variance)
    }
}
