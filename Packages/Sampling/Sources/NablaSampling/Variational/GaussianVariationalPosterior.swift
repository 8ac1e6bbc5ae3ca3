import Foundation

/// The family of a Gaussian variational posterior q(θ) = 𝒩(μ, LLᵀ).
public enum VariationalFamily: Sendable, Equatable {
    /// Diagonal covariance: L = diag(exp(ρ)), 2d parameters.
    case meanField
    /// Full covariance: L lower triangular with a positive (exponentiated) diagonal, d + d(d+1)/2 parameters.
    case fullRank
}

/// A Gaussian variational posterior q(θ) = 𝒩(μ, LLᵀ) over `dimension` parameters, whose
/// parameters are NablaAutograd `Parameter`s: it is a `ParameterContainer`, so any NablaOptimizers
/// optimizer trains it.
public final class GaussianVariationalPosterior: ParameterContainer {
    /// The scalar type of the parameters.
    public typealias Scalar = Double
    /// The family (mean-field or full-rank).
    public let family: VariationalFamily
    /// The dimension d.
    public let dimension: Int
    /// The mean μ, `[d]`.
    public let mean: Parameter<Double>
    /// log of the diagonal of L, `[d]`.
    public let logScale: Parameter<Double>
    /// The strictly lower triangle of L (full-rank only), `[d, d]`; the rest is masked out.
    public let lowerTriangle: Parameter<Double>?
    /// The mask of the strictly lower triangle.
    let mask: Tensor<Double>

    /// q = 𝒩(`mean`, diag(`scale`²)) at the start (scale 1 by default).
    public init(dimension: Int, family: VariationalFamily, mean: Tensor<Double>? = nil, scale: Double = 1) {
        self.dimension = dimension
        self.family = family
        self.mean = Parameter(mean ?? Tensor<Double>.zeros([dimension]))
        self.logScale = Parameter(Tensor<Double>(repeating: log(scale), shape: [dimension]))
        self.lowerTriangle = family == .fullRank ? Parameter(Tensor<Double>.zeros([dimension, dimension])) : nil
        var m = [Double](repeating: 0, count: dimension * dimension)
        for i in 0..<dimension { for j in 0..<i { m[i * dimension + j] = 1 } }
        mask = Tensor(shape: [dimension, dimension], scalars: m)
    }

    /// The parameters: `mean`, `logScale` and, for full rank, `lowerTriangle`.
    public var namedParameters: [(name: String, parameter: Parameter<Double>)] {
        [("mean", mean), ("logScale", logScale)] + (lowerTriangle.map { [("lowerTriangle", $0)] } ?? [])
    }

    /// L as a variable (on the tape), `[d, d]`.
    func scaleTril() -> Variable<Double> {
        let diag = logScale.variable.exp().reshaped([1, dimension]) * Tensor<Double>.eye(dimension)
        guard let lower = lowerTriangle else { return diag }
        return lower.variable * mask + diag
    }

    /// The Cholesky factor L of the covariance, `[d, d]`.
    public var scaleFactor: Tensor<Double> { scaleTril().value }

    /// The covariance LLᵀ, `[d, d]`.
    public var covariance: Tensor<Double> { let l = scaleFactor; return l.matmul(l.transposed()) }

    /// Reparameterized draws θ = μ + Lε, `[count, d]`, differentiable in the parameters.
    public func rsample<G: PhiloxProtocol>(_ count: Int, using generator: inout G) -> Variable<Double> {
        let eps = Tensor<Double>.randomNormal([count, dimension], using: &generator)
        return Variable(eps).matmul(scaleTril().transposed()) + mean.variable
    }

    /// The entropy H[q] = Σ log Lᵢᵢ + d/2 (1 + log 2π), on the tape.
    public func entropy() -> Variable<Double> {
        logScale.variable.sum() + Double(dimension) / 2 * (1 + log(2 * Double.pi))
    }

    /// A reparameterized estimate of the ELBO E_q[log p(θ, D)] + H[q] from `samples` draws;
    /// `logJoint` maps a batch `[S, d]` of parameters to their log joint densities `[S]`.
    public func elbo<G: PhiloxProtocol>(samples: Int, using generator: inout G,
                                        logJoint: (Variable<Double>) -> Variable<Double>) -> Variable<Double> {
        logJoint(rsample(samples, using: &generator)).mean() + entropy()
    }

    /// A Monte Carlo estimate of the ELBO as E_q[log p(θ, D) − log q(θ)] with its standard error
    /// (no gradient). Its variance vanishes as q approaches the exact posterior, so at the
    /// optimum of a conjugate model every draw gives the log evidence.
    public func elboEstimate<G: PhiloxProtocol>(samples: Int, using generator: inout G,
                                                logJoint: (Variable<Double>) -> Variable<Double>) -> MonteCarloEstimate {
        let eps = Tensor<Double>.randomNormal([samples, dimension], using: &generator)
        let l = scaleFactor
        let theta = eps.matmul(l.transposed()) + mean.value
        let lp = logJoint(Variable(theta)).value.scalars
        let logDet = logScale.value.scalars.reduce(0, +)
        let e = eps.scalars
        let values = (0..<samples).map { s -> Double in
            var q = 0.0
            for j in 0..<dimension { q += e[s * dimension + j] * e[s * dimension + j] }
            return lp[s] - (-0.5 * q - logDet - Double(dimension) / 2 * log(2 * Double.pi))
        }
        return MonteCarlo.estimate(values: values)
    }
}
