import Foundation

/// Bayesian linear regression with a Gaussian prior (Bishop, PRML §3.3–3.5):
///
/// p(w) = 𝒩(w | 0, α⁻¹I),  p(t | x, w) = 𝒩(t | wᵀφ(x), β⁻¹),
///
/// whose posterior is 𝒩(w | m_N, S_N) with S_N⁻¹ = αI + βΦᵀΦ and m_N = β S_N Φᵀt, and whose
/// predictive at x is 𝒩(t | m_Nᵀφ(x), 1/β + φ(x)ᵀS_Nφ(x)).
///
/// Everything is computed in Double from the QR factorization of the stacked matrix
/// `[√β Φ; √α I] = QR`, never from ΦᵀΦ: `S_N⁻¹ = RᵀR`, `m_N = R⁻¹Qᵀ[√β t; 0]`, so a
/// degree-16 polynomial design (condition number ≈ 10¹¹, ≈ 10²² for ΦᵀΦ) loses no more than
/// the condition number of Φ itself. The log evidence uses `log|S_N⁻¹| = 2 Σ log|Rᵢᵢ|`.
///
/// ```swift
/// let data = Generators.sineRegression()
/// let phi = BasisFeatures.polynomial(degree: 16).design(data.x)
/// let model = try BayesianLinearRegression.maximizingEvidence(design: phi, targets: data.y)
/// let p = model.predict(design: BasisFeatures.polynomial(degree: 16).design(xTest))   // mean, variance
/// ```
public struct BayesianLinearRegression: Sendable {
    /// The prior precision α of the weights.
    public let alpha: Double
    /// The noise precision β (noise variance 1/β).
    public let beta: Double
    /// The number of basis functions M.
    public let featureCount: Int
    /// The number of observations N.
    public let observationCount: Int
    /// The posterior mean m_N, `[M]`.
    public let posteriorMean: Tensor<Double>
    /// The upper-triangular factor R with S_N⁻¹ = RᵀR, `[M, M]`.
    public let precisionFactor: Tensor<Double>
    /// The log marginal likelihood `ln p(t | α, β)` (Bishop eq. 3.86).
    public let logEvidence: Double
    /// The residual sum of squares ‖t − Φm_N‖².
    public let residualSumOfSquares: Double

    /// The posterior of `design` (`[N, M]`) and `targets` (`[N]`) under prior precision `alpha`
    /// and noise precision `beta`.
    /// - Throws: ``BayesianError/invalidArgument(_:)`` for mismatched shapes or non-positive precisions.
    public init(design: Tensor<Double>, targets: Tensor<Double>, alpha: Double, beta: Double) throws {
        guard design.rank == 2, targets.rank == 1, design.shape[0] == targets.shape[0] else {
            throw BayesianError.invalidArgument("BayesianLinearRegression: design \(design.shape) and targets \(targets.shape) do not match")
        }
        guard alpha > 0, beta > 0, alpha.isFinite, beta.isFinite else {
            throw BayesianError.invalidArgument("BayesianLinearRegression: precisions must be positive, got α = \(alpha), β = \(beta)")
        }
        let n = design.shape[0], m = design.shape[1]
        let phi = design.scalars, t = targets.scalars
        var stacked = [Double](repeating: 0, count: (n + m) * m)
        let sb = beta.squareRoot(), sa = alpha.squareRoot()
        for i in 0..<(n * m) { stacked[i] = sb * phi[i] }
        for j in 0..<m { stacked[(n + j) * m + j] = sa }
        let (q, r) = Tensor<Double>(shape: [n + m, m], scalars: stacked).qr()
        let qs = q.scalars, rs = r.scalars
        var rhs = [Double](repeating: 0, count: m)    // Qᵀ[√β t; 0]
        for i in 0..<n { let ti = sb * t[i]; for j in 0..<m { rhs[j] += qs[i * m + j] * ti } }
        let w = try r.solve(Tensor(rhs)).scalars         // back substitution: R is upper triangular
        let fitted = design.matmul(Tensor(shape: [m, 1], scalars: w)).scalars
        let rss = zip(t, fitted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let logDetA = (0..<m).reduce(0) { $0 + 2 * log(abs(rs[$1 * m + $1])) }
        let ew = beta / 2 * rss + alpha / 2 * w.reduce(0) { $0 + $1 * $1 }
        self.alpha = alpha
        self.beta = beta
        featureCount = m
        observationCount = n
        posteriorMean = Tensor(w)
        precisionFactor = r
        residualSumOfSquares = rss
        logEvidence = Double(m) / 2 * log(alpha) + Double(n) / 2 * log(beta) - ew - logDetA / 2
            - Double(n) / 2 * log(2 * Double.pi)
    }

    /// The posterior covariance S_N = R⁻¹R⁻ᵀ, `[M, M]`.
    public var posteriorCovariance: Tensor<Double> { Tensor(shape: [featureCount, featureCount], scalars: covarianceScalars) }

    /// S_N as row-major scalars.
    var covarianceScalars: [Double] {
        // R⁻¹ (upper triangular) by solving R·X = I; R is non-singular (its stacked rows hold √α I).
        guard let rinv = try? precisionFactor.solve(Tensor<Double>.eye(featureCount)) else {
            preconditionFailure("BayesianLinearRegression: the precision factor R is singular (NaN input?)")
        }
        return rinv.matmul(rinv.transposed()).scalars
    }

    /// The posterior predictive at the rows of `design` (`[n, M]`): the mean m_Nᵀφ(x) and the
    /// variance 1/β + φ(x)ᵀS_Nφ(x) (with the noise; without it when `includeNoise` is false),
    /// each `[n]`. Two matrix products: `mean = Φm_N`, `variance = rowsum((ΦS_N)∘Φ) + 1/β`.
    public func predict(design: Tensor<Double>, includeNoise: Bool = true) -> (mean: Tensor<Double>, variance: Tensor<Double>) {
        precondition(design.rank == 2 && design.shape[1] == featureCount,
                     "BayesianLinearRegression.predict: design \(design.shape) does not have \(featureCount) columns")
        let mean = design.matmul(posteriorMean.reshaped([featureCount, 1])).reshaped([design.shape[0]])
        var variance = (design.matmul(posteriorCovariance) * design).sum(axis: 1)
        if includeNoise { variance = variance + 1 / beta }
        return (mean, variance)
    }

    /// The central predictive interval of probability `level` (0.95: mean ± 1.96σ), with the noise.
    public func predictiveBand(design: Tensor<Double>, level: Double = 0.95) -> (mean: [Double], lower: [Double], upper: [Double]) {
        let p = predict(design: design)
        let z = SpecialFunctions.normalQuantile(0.5 + level / 2)
        let mean = p.mean.scalars, sd = p.variance.scalars.map { $0.squareRoot() }
        return (mean, zip(mean, sd).map { $0 - z * $1 }, zip(mean, sd).map { $0 + z * $1 })
    }
}

/// Errors of the Bayesian models, quadrature rules and approximate-inference algorithms.
public enum BayesianError: Error, Equatable, CustomStringConvertible {
    /// An argument outside its domain (shapes that do not match, a non-positive precision, …).
    case invalidArgument(String)
    /// An iteration did not reach its tolerance.
    case didNotConverge(String)

    /// A one-line description.
    public var description: String {
        switch self {
        case .invalidArgument(let s): return s
        case .didNotConverge(let s): return s
        }
    }
}

extension BayesianError: LocalizedError {
    /// The same text as ``description``.
    public var errorDescription: String? { description }
}
