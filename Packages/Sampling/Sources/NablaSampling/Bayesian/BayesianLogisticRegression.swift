import Foundation

/// Bayesian logistic regression by the Laplace approximation (Bishop, PRML §4.4–4.5):
///
/// p(w) = 𝒩(w | 0, α⁻¹I),  p(tₙ = 1 | w) = σ(wᵀφ(xₙ)),
///
/// approximated by q(w) = 𝒩(w | w_MAP, A⁻¹), where w_MAP minimizes the negative log posterior
/// E(w) = Σₙ [log(1 + e^{aₙ}) − tₙaₙ] + α/2 ‖w‖² (aₙ = wᵀφₙ) and A = ∇²E(w_MAP) = αI + ΦᵀRΦ,
/// R = diag(σₙ(1 − σₙ)). E, its gradient and its Hessian come from NablaAutograd (`gradient` and
/// `hessian` of the same closure); w_MAP is found by Newton's method with a backtracking line
/// search (E is strictly convex, so Newton converges quadratically).
///
/// The predictive p(t = 1 | x) = ∫ σ(a) 𝒩(a | μₐ, σₐ²) da, with μₐ = w_MAPᵀφ(x) and
/// σₐ² = φ(x)ᵀA⁻¹φ(x), is approximated by the probit approximation (Bishop eq. 4.153)
/// σ(κ(σₐ²)·μₐ), κ(σ²) = (1 + πσ²/8)^(−1/2); ``predictMonteCarlo(design:samples:seed:)`` gives
/// the same integral by sampling q.
///
/// ```swift
/// let model = try BayesianLogisticRegression(design: phi, targets: labels, alpha: 1)   // labels 0/1
/// model.mapWeights; model.posteriorCovariance
/// let p = model.predict(design: phiTest)            // probit-approximated p(t = 1 | x), [n]
/// ```
public struct BayesianLogisticRegression: Sendable {
    /// The prior precision α of the weights.
    public let alpha: Double
    /// The number of basis functions M.
    public let featureCount: Int
    /// The number of observations N.
    public let observationCount: Int
    /// The posterior mode w_MAP, `[M]`.
    public let mapWeights: Tensor<Double>
    /// The Hessian A = ∇²E(w_MAP) of the negative log posterior (the Laplace precision), `[M, M]`,
    /// from NablaAutograd's `hessian`.
    public let hessian: Tensor<Double>
    /// The Laplace covariance A⁻¹, `[M, M]`.
    public let posteriorCovariance: Tensor<Double>
    /// The Laplace approximation of the log evidence (Bishop eq. 4.137):
    /// ln p(t | w_MAP) + ln p(w_MAP) + M/2 ln 2π − ½ ln|A|.
    public let logEvidence: Double
    /// The Newton steps taken.
    public let iterations: Int

    /// Fits the Laplace approximation to `design` Φ (`[N, M]`) and `targets` t (`[N]`, each 0 or 1)
    /// under the prior precision `alpha`.
    /// - Parameters:
    ///   - design: Φ, `[N, M]`.
    ///   - targets: t, `[N]`, each 0 or 1.
    ///   - alpha: the prior precision α (default 1).
    ///   - tolerance: Newton stops when the largest step component is below this.
    ///   - maxIterations: the most Newton steps.
    /// - Throws: ``BayesianError/invalidArgument(_:)`` for mismatched shapes, labels other than 0
    ///   and 1, or a non-positive `alpha`; ``BayesianError/didNotConverge(_:)`` when Newton does
    ///   not converge; the `LinearAlgebraError` of the Cholesky factorization of the Hessian.
    public init(design: Tensor<Double>, targets: Tensor<Double>, alpha: Double = 1,
                tolerance: Double = 1e-10, maxIterations: Int = 100) throws {
        guard design.rank == 2, targets.rank == 1, design.shape[0] == targets.shape[0] else {
            throw BayesianError.invalidArgument("BayesianLogisticRegression: design \(design.shape) and targets \(targets.shape) do not match")
        }
        guard alpha > 0, alpha.isFinite else {
            throw BayesianError.invalidArgument("BayesianLogisticRegression: the prior precision must be positive, got α = \(alpha)")
        }
        if let bad = targets.scalars.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw BayesianError.invalidArgument("BayesianLogisticRegression: targets[\(bad)] = \(targets.scalars[bad]); labels must be 0 or 1")
        }
        let n = design.shape[0], m = design.shape[1]
        let energy = Self.negativeLogPosterior(design: design, targets: targets, alpha: alpha)
        var w = Tensor<Double>.zeros([m])
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            iterations += 1
            let (e, g) = valueWithGradient(at: w, of: energy)
            let h = NablaAutograd.hessian(at: w, of: energy)
            let step = try h.cholesky().choleskySolve(g)
            // Backtracking: E is convex, so the full step is accepted near the optimum.
            var t = 1.0
            var next = w - step
            while energy(Variable(next)).scalar > e.scalar + 1e-12 * abs(e.scalar), t > 1e-10 {
                t /= 2
                next = w - step * t
            }
            w = next
            if step.scalars.map(abs).max()! * t <= tolerance { converged = true; break }
        }
        guard converged else {
            throw BayesianError.didNotConverge("BayesianLogisticRegression: Newton did not converge in \(maxIterations) steps")
        }
        let a = NablaAutograd.hessian(at: w, of: energy)
        let l = try a.cholesky()
        let logDetA = (0..<m).reduce(0.0) { $0 + 2 * log(l.scalars[$1 * m + $1]) }
        let eMAP = energy(Variable(w)).scalar
        self.alpha = alpha
        featureCount = m
        observationCount = n
        mapWeights = w
        hessian = a
        posteriorCovariance = try a.inverse()
        self.iterations = iterations
        // −E(w) = ln p(t|w) + ln p(w) − M/2 ln(α/2π); add the Gaussian integral's M/2 ln 2π − ½ ln|A|.
        logEvidence = -eMAP + Double(m) / 2 * log(alpha) - logDetA / 2
    }

    /// The negative log posterior E(w) = Σₙ [softplus(aₙ) − tₙaₙ] + α/2 ‖w‖² (up to a constant)
    /// as a differentiable closure of w (`[M]`), the function whose gradient and Hessian the fit uses.
    public static func negativeLogPosterior(design: Tensor<Double>, targets: Tensor<Double>,
                                            alpha: Double) -> @Sendable (Variable<Double>) -> Variable<Double> {
        let m = design.shape[1]
        return { w in
            let a = Variable(design).matmul(w.reshaped([m, 1])).reshaped([design.shape[0]])
            return (a.softplus() - a * targets).sum() + (w * w).sum() * (alpha / 2)
        }
    }

    /// The mean μₐ = w_MAPᵀφ(x) and variance σₐ² = φ(x)ᵀA⁻¹φ(x) of the activation at the rows of
    /// `design` (`[n, M]`), each `[n]`.
    public func activation(design: Tensor<Double>) -> (mean: Tensor<Double>, variance: Tensor<Double>) {
        precondition(design.rank == 2 && design.shape[1] == featureCount,
                     "BayesianLogisticRegression.activation: design \(design.shape) does not have \(featureCount) columns")
        let mean = design.matmul(mapWeights.reshaped([featureCount, 1])).reshaped([design.shape[0]])
        let variance = (design.matmul(posteriorCovariance) * design).sum(axis: 1)
        return (mean, variance)
    }

    /// The predictive p(t = 1 | x) by the probit approximation σ(κ(σₐ²)·μₐ),
    /// κ(σ²) = (1 + πσ²/8)^(−1/2) (Bishop eq. 4.153), at the rows of `design` (`[n, M]`); `[n]`.
    public func predict(design: Tensor<Double>) -> Tensor<Double> {
        let (mu, v) = activation(design: design)
        return Tensor(zip(mu.scalars, v.scalars).map { Self.probitApproximation(mean: $0, variance: $1) })
    }

    /// σ(μ) at the MAP weights (the plug-in prediction, over-confident away from the data), `[n]`.
    public func predictAtMAP(design: Tensor<Double>) -> Tensor<Double> {
        Tensor(activation(design: design).mean.scalars.map { 1 / (1 + exp(-$0)) })
    }

    /// ∫ σ(a) 𝒩(a | μₐ, σₐ²) da by Monte Carlo over the Laplace Gaussian: `samples` draws of the
    /// standard normal z, a = μₐ + σₐz (the same z for every row), each with its standard error.
    public func predictMonteCarlo(design: Tensor<Double>, samples: Int = 100_000, seed: UInt64 = 0) -> [MonteCarloEstimate] {
        let (mu, v) = activation(design: design)
        var g = PhiloxGenerator(seed: seed)
        let z = Tensor<Double>.randomNormal([samples], using: &g).scalars
        return zip(mu.scalars, v.scalars).map { m, s2 in
            let s = s2.squareRoot()
            return MonteCarlo.estimate(values: z.map { 1 / (1 + exp(-(m + s * $0))) })
        }
    }

    /// σ(κ(σ²)·μ) with κ(σ²) = (1 + πσ²/8)^(−1/2): the probit approximation to
    /// ∫ σ(a) 𝒩(a | μ, σ²) da (Bishop eq. 4.153; MacKay 1992).
    public static func probitApproximation(mean: Double, variance: Double) -> Double {
        let kappa = 1 / (1 + Double.pi * variance / 8).squareRoot()
        return 1 / (1 + exp(-kappa * mean))
    }
}
