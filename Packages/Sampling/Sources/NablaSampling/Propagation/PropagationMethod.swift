/// How ``UncertaintyPropagation`` computes the mean and covariance of f(x) for x ~ 𝒩(μ, Σ).
public enum PropagationMethod: Sendable, Equatable {
    /// Monte Carlo: `samples` draws x = μ + Lε, with standard errors.
    case monteCarlo(samples: Int, seed: UInt64 = 0)
    /// Linearization (first-order Taylor, the extended Kalman filter): E ≈ f(μ), Cov ≈ JΣJᵀ with
    /// the Jacobian J from Autograd. One forward and one Jacobian evaluation.
    case linearization
    /// The unscented transform (Julier & Uhlmann 1997): 2d + 1 sigma points μ ± √(d + λ)·Lᵢ,
    /// λ = α²(d + κ) − d. The defaults (α = 1, β = 0, κ = 0) give equal weights 1/(2d).
    case unscented(alpha: Double = 1, beta: Double = 0, kappa: Double = 0)
    /// A tensor-product Gauss–Hermite rule with `points` nodes per axis (pointsᵈ evaluations).
    case gaussHermite(points: Int)
    /// A Smolyak sparse grid of Gauss–Hermite rules of `level` (exact to total degree 2·level − 1).
    case sparseGrid(level: Int)
    /// Moment matching layer by layer, in closed form (linear exactly; ReLU, probit-approximated
    /// sigmoid and tanh with exact marginal moments and linearized cross-covariances). Needs a
    /// ``PropagationModel`` built from ``MomentLayer``s.
    case momentMatching
}
