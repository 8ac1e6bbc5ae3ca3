import Foundation

/// The point estimates beside the Bayesian posterior: maximum likelihood and maximum a posteriori.
public enum LinearRegressionFit {
    /// The maximum-likelihood weights argmin ‖t − Φw‖² by an SVD least-squares solve (LAPACK
    /// `gelsd` through `Tensor.leastSquares`), never through the normal equations.
    /// - Throws: the solver's `LinearAlgebraError` when the SVD fails (NaN input).
    public static func maximumLikelihood(design: Tensor<Double>, targets: Tensor<Double>) throws -> Tensor<Double> {
        try design.leastSquares(targets)
    }

    /// The maximum-likelihood noise precision β_ML = N / ‖t − Φw_ML‖² (Bishop eq. 3.21).
    public static func maximumLikelihoodPrecision(design: Tensor<Double>, targets: Tensor<Double>, weights: Tensor<Double>) -> Double {
        let r = targets.scalars, f = design.matmul(weights.reshaped([weights.count, 1])).scalars
        return Double(r.count) / zip(r, f).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    /// The MAP weights under the prior 𝒩(0, α⁻¹I) and noise precision β: the ridge solution
    /// argmin β‖t − Φw‖² + α‖w‖² (regularizer λ = α/β), equal to the posterior mean m_N.
    /// Solved by QR of `[Φ; √λ I]`.
    /// - Throws: ``BayesianError/invalidArgument(_:)`` as ``BayesianLinearRegression/init(design:targets:alpha:beta:)``.
    public static func maximumAPosteriori(design: Tensor<Double>, targets: Tensor<Double>, alpha: Double, beta: Double) throws -> Tensor<Double> {
        try BayesianLinearRegression(design: design, targets: targets, alpha: alpha, beta: beta).posteriorMean
    }
}
