import Foundation
import NablaOptimizers

/// Variational inference with a Gaussian family: maximizes the ELBO
/// E_q[log p(θ, D)] − E_q[log q(θ)] by stochastic gradient ascent with reparameterized gradients
/// from Autograd (θ = μ + Lε) and Adam from NablaOptimizers (which sees the posterior through
/// `ParameterContainer`). The learning rate decays linearly to 1% over the run, and the
/// returned parameters are the average of the iterates over the last half (Polyak–Ruppert
/// averaging), which removes most of the stochastic-gradient jitter.
///
/// ```swift
/// let fit = try VariationalInference.fit(dimension: 3, family: .fullRank, steps: 3000) { theta in
///     logLikelihood(theta) + logPrior(theta)        // [S, 3] → [S]
/// }
/// fit.posterior.mean.value; fit.posterior.covariance
/// ```
public enum VariationalInference {
    /// The fitted posterior and the ELBO estimate after every step.
    public struct Result {
        /// The fitted q.
        public let posterior: GaussianVariationalPosterior
        /// The ELBO estimate at each step.
        public let elboHistory: [Double]
    }

    /// Fits q by `steps` Adam steps of `samples` draws each.
    /// - Parameters:
    ///   - dimension: d.
    ///   - family: mean-field or full-rank.
    ///   - initialMean: μ at the start (zeros by default).
    ///   - steps: the number of optimizer steps.
    ///   - samples: draws per ELBO estimate.
    ///   - learningRate: Adam's initial learning rate.
    ///   - seed: the seed of the draws.
    ///   - logJoint: log p(θ, D) for a batch of parameters `[S, d]`, returning `[S]`.
    /// - Throws: `OptimizerError` for an invalid learning rate.
    public static func fit(dimension: Int, family: VariationalFamily, initialMean: Tensor<Double>? = nil,
                           steps: Int = 2000, samples: Int = 16, learningRate: Double = 0.05, seed: UInt64 = 0,
                           logJoint: (Variable<Double>) -> Variable<Double>) throws -> Result {
        let q = GaussianVariationalPosterior(dimension: dimension, family: family, mean: initialMean, scale: 0.1)
        let optimizer = try Adam(q, learningRate: learningRate)
        var g = PhiloxGenerator(seed: seed)
        var history: [Double] = []
        history.reserveCapacity(steps)
        let params = q.parameters
        var averages = params.map { Tensor<Double>.zeros($0.shape) }
        var averaged = 0
        for step in 0..<steps {
            optimizer.learningRate = learningRate * (1 - 0.99 * Double(step) / Double(max(steps - 1, 1)))
            optimizer.zeroGradients()
            let elbo = q.elbo(samples: samples, using: &g, logJoint: logJoint)
            history.append(elbo.value.scalars[0])
            (-elbo).backward()
            optimizer.step()
            if step >= steps / 2 {
                for (i, p) in params.enumerated() { averages[i] = averages[i] + p.value }
                averaged += 1
            }
        }
        if averaged > 0 { for (i, p) in params.enumerated() { p.value = averages[i] / Double(averaged) } }
        return Result(posterior: q, elboHistory: history)
    }
}
