import Foundation

/// Bayesian probit classification by expectation propagation (Minka 2001; Rasmussen & Williams,
/// GPML §3.6, here for a linear model):
///
/// p(w) = 𝒩(w | 0, Σ₀),  p(tₙ | w) = Φ(yₙ wᵀφₙ),  yₙ = 2tₙ − 1 ∈ {−1, +1}.
///
/// Each likelihood factor depends on w only through fₙ = wᵀφₙ, so EP replaces it by a Gaussian
/// site t̃ₙ(fₙ) = s̃ₙ exp(−½τ̃ₙfₙ² + ν̃ₙfₙ), giving the approximate posterior
/// q(w) = 𝒩(m, Σ) with Σ⁻¹ = Σ₀⁻¹ + ΦᵀT̃Φ and m = ΣΦᵀν̃. Sites are refined one at a time: the
/// cavity 𝒩(f | μ₋ₙ, v₋ₙ) (q without site n, projected on φₙ) times the exact factor Φ(yf) has
/// moments in closed form (GPML eq. 3.58, z = yμ₋/√(1 + v₋)):
///
/// Ẑ = Φ(z),  μ̂ = μ₋ + y v₋ 𝒩(z)/(Φ(z)√(1 + v₋)),
/// σ̂² = v₋ − v₋² 𝒩(z)/((1 + v₋)Φ(z)) · (z + 𝒩(z)/Φ(z)),
///
/// and the site is set so that cavity × site has them: τ̃ = 1/σ̂² − 1/v₋, ν̃ = μ̂/σ̂² − μ₋/v₋.
/// Σ follows each site by a rank-one (Sherman–Morrison) update and is recomputed from its
/// Cholesky factorization after every sweep. The sweeps stop when no site parameter moves by
/// more than the tolerance.
///
/// The EP approximation of the evidence is the normalizer of p(w)Πₙt̃ₙ, with each s̃ₙ chosen so
/// that ∫ cavity × site = Ẑₙ:
///
/// ln Z_EP = Σₙ ln s̃ₙ − ½ ln|Σ₀| + ½ ln|Σ| + ½ mᵀΣ⁻¹m,
/// ln s̃ₙ = ln Φ(zₙ) + ½ ln(v₋ₙ(τ₋ₙ + τ̃ₙ)) − ½ (ν₋ₙ + ν̃ₙ)²/(τ₋ₙ + τ̃ₙ) + ½ μ₋ₙ²/v₋ₙ.
///
/// ```swift
/// let ep = try BayesianProbitRegression(design: phi, targets: labels)     // labels 0/1, Σ₀ = I
/// ep.posteriorMean; ep.posteriorCovariance; ep.logEvidence
/// let p = ep.predict(design: phiTest)        // Φ(mᵀφ / √(1 + φᵀΣφ))
/// ```
public struct BayesianProbitRegression: Sendable {
    /// The prior covariance Σ₀, `[M, M]`.
    public let priorCovariance: Tensor<Double>
    /// The mean m of the EP posterior, `[M]`.
    public let posteriorMean: Tensor<Double>
    /// The covariance Σ of the EP posterior, `[M, M]`.
    public let posteriorCovariance: Tensor<Double>
    /// The site precisions τ̃ₙ, `[N]`.
    public let sitePrecisions: [Double]
    /// The site shifts ν̃ₙ (precision × mean), `[N]`.
    public let siteShifts: [Double]
    /// The EP approximation ln Z_EP of the log evidence ln p(t).
    public let logEvidence: Double
    /// The number of sweeps over the sites.
    public let sweeps: Int

    /// Runs EP on `design` Φ (`[N, M]`) and `targets` t (`[N]`, each 0 or 1).
    /// - Parameters:
    ///   - design: Φ, `[N, M]`.
    ///   - targets: t, `[N]`, each 0 or 1.
    ///   - priorCovariance: Σ₀ (`[M, M]`, symmetric positive definite); the identity by default.
    ///   - damping: the fraction δ ∈ (0, 1] of each site update applied (1: undamped).
    ///   - tolerance: stop when no τ̃ₙ or ν̃ₙ changes by more than this in a sweep.
    ///   - maxSweeps: the most sweeps.
    /// - Throws: ``BayesianError/invalidArgument(_:)`` for mismatched shapes, labels other than 0
    ///   and 1, a damping outside (0, 1] or a prior covariance that is not positive definite;
    ///   ``BayesianError/didNotConverge(_:)`` after `maxSweeps` sweeps.
    public init(design: Tensor<Double>, targets: Tensor<Double>, priorCovariance: Tensor<Double>? = nil,
                damping: Double = 1, tolerance: Double = 1e-10, maxSweeps: Int = 200) throws {
        guard design.rank == 2, targets.rank == 1, design.shape[0] == targets.shape[0] else {
            throw BayesianError.invalidArgument("BayesianProbitRegression: design \(design.shape) and targets \(targets.shape) do not match")
        }
        if let bad = targets.scalars.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw BayesianError.invalidArgument("BayesianProbitRegression: targets[\(bad)] = \(targets.scalars[bad]); labels must be 0 or 1")
        }
        guard damping > 0, damping <= 1 else {
            throw BayesianError.invalidArgument("BayesianProbitRegression: damping must be in (0, 1], got \(damping)")
        }
        let n = design.shape[0], d = design.shape[1]
        let s0 = priorCovariance ?? Tensor<Double>.eye(d)
        guard s0.shape == [d, d] else {
            throw BayesianError.invalidArgument("BayesianProbitRegression: prior covariance \(s0.shape) for \(d) features")
        }
        guard let l0 = try? s0.cholesky() else {
            throw BayesianError.invalidArgument("BayesianProbitRegression: the prior covariance is not positive definite")
        }
        let prec0 = try l0.choleskySolve(Tensor<Double>.eye(d)).scalars
        let phi = design.scalars, y = targets.scalars.map { 2 * $0 - 1 }
        var tau = [Double](repeating: 0, count: n), nu = tau
        var sigma = s0.scalars, mean = [Double](repeating: 0, count: d)
        var sweeps = 0, converged = false
        func row(_ i: Int) -> ArraySlice<Double> { phi[(i * d)..<((i + 1) * d)] }
        while sweeps < maxSweeps {
            sweeps += 1
            var change = 0.0
            for i in 0..<n {
                let x = Array(row(i))
                let s = Self.product(sigma, x)
                let v = Self.dot(x, s), m = Self.dot(x, mean)
                let cavity = Self.cavity(variance: v, mean: m, tau: tau[i], nu: nu[i])
                let moments = Self.tiltedMoments(y: y[i], cavityMean: cavity.mean, cavityVariance: cavity.variance)
                let newTau = damping * (1 / moments.variance - cavity.tau) + (1 - damping) * tau[i]
                let newNu = damping * (moments.mean / moments.variance - cavity.nu) + (1 - damping) * nu[i]
                let dTau = newTau - tau[i], dNu = newNu - nu[i]
                change = max(change, abs(dTau), abs(dNu))
                tau[i] = newTau; nu[i] = newNu
                // Σ ← (Σ⁻¹ + Δτ xxᵀ)⁻¹ = Σ − Δτ/(1 + Δτ v) ssᵀ;  m ← Σ(Σ_old⁻¹ m + Δν x).
                let c = dTau / (1 + dTau * v)
                for a in 0..<d { for b in 0..<d { sigma[a * d + b] -= c * s[a] * s[b] } }
                // Σ_new(b_old + Δν x) with Σ_new b_old = m − c s (xᵀm).
                let sNew = Self.product(sigma, x)
                for a in 0..<d { mean[a] = mean[a] - c * s[a] * m + dNu * sNew[a] }
            }
            // Recompute Σ and m from the sites, removing the rank-one updates' rounding.
            (sigma, mean) = try Self.posterior(prec0, phi, n, d, tau, nu)
            if change <= tolerance { converged = true; break }
        }
        guard converged else {
            throw BayesianError.didNotConverge("BayesianProbitRegression: EP did not converge in \(maxSweeps) sweeps")
        }
        // ln Z_EP from the final cavities.
        var logZ = 0.0
        for i in 0..<n {
            let x = Array(row(i))
            let v = Self.dot(x, Self.product(sigma, x)), m = Self.dot(x, mean)
            let cav = Self.cavity(variance: v, mean: m, tau: tau[i], nu: nu[i])
            let z = y[i] * cav.mean / (1 + cav.variance).squareRoot()
            let p = cav.tau + tau[i], b = cav.nu + nu[i]
            logZ += Self.logNormalCDF(z) + 0.5 * log(cav.variance * p) - 0.5 * b * b / p
                + 0.5 * cav.mean * cav.mean / cav.variance
        }
        let lSigma = Tensor<Double>(shape: [d, d], scalars: sigma).jitteredCholesky()
        logZ += -0.5 * l0.choleskyLogDeterminant + 0.5 * lSigma.choleskyLogDeterminant
            + 0.5 * Self.dot(mean, try lSigma.choleskySolve(Tensor(mean)).scalars)
        self.priorCovariance = s0
        posteriorMean = Tensor(mean)
        posteriorCovariance = Tensor(shape: [d, d], scalars: sigma)
        sitePrecisions = tau
        siteShifts = nu
        logEvidence = logZ
        self.sweeps = sweeps
    }

    /// The predictive p(t = 1 | x) = Φ(mᵀφ / √(1 + φᵀΣφ)) under the EP posterior (exact for a
    /// Gaussian q, GPML eq. 3.80), at the rows of `design` (`[n, M]`); `[n]`.
    public func predict(design: Tensor<Double>) -> Tensor<Double> {
        let d = posteriorMean.count
        precondition(design.rank == 2 && design.shape[1] == d,
                     "BayesianProbitRegression.predict: design \(design.shape) does not have \(d) columns")
        let mu = design.matmul(posteriorMean.reshaped([d, 1])).scalars
        let v = (design.matmul(posteriorCovariance) * design).sum(axis: 1).scalars
        return Tensor(zip(mu, v).map { SpecialFunctions.normalCDF($0 / (1 + $1).squareRoot()) })
    }

    /// The exact unnormalized log posterior ln 𝒩(w | 0, Σ₀) + Σₙ ln Φ(yₙwᵀφₙ) with its gradient,
    /// for the MCMC samplers (the reference EP is checked against).
    /// - Throws: ``BayesianError/invalidArgument(_:)`` as ``init(design:targets:priorCovariance:damping:tolerance:maxSweeps:)``.
    public static func logPosterior(design: Tensor<Double>, targets: Tensor<Double>,
                                    priorCovariance: Tensor<Double>? = nil) throws -> GradientLogDensityFunction {
        guard design.rank == 2, targets.rank == 1, design.shape[0] == targets.shape[0] else {
            throw BayesianError.invalidArgument("BayesianProbitRegression.logPosterior: design \(design.shape) and targets \(targets.shape) do not match")
        }
        let n = design.shape[0], d = design.shape[1]
        guard let l0 = try? (priorCovariance ?? Tensor<Double>.eye(d)).cholesky() else {
            throw BayesianError.invalidArgument("BayesianProbitRegression.logPosterior: the prior covariance is not positive definite")
        }
        let prec0 = try l0.choleskySolve(Tensor<Double>.eye(d)).scalars
        let phi = design.scalars, y = targets.scalars.map { 2 * $0 - 1 }
        return GradientLogDensityFunction(dimension: d) { w, g in
            let pw = product(prec0, w)
            var lp = -0.5 * dot(w, pw)
            for a in 0..<d { g[a] = -pw[a] }
            for i in 0..<n {
                var f = 0.0
                for a in 0..<d { f += phi[i * d + a] * w[a] }
                let z = y[i] * f
                lp += logNormalCDF(z)
                let r = y[i] * inverseMillsRatio(z)
                for a in 0..<d { g[a] += r * phi[i * d + a] }
            }
            return lp
        }
    }

    // MARK: - Pieces

    /// The cavity of a site: q's marginal 𝒩(m, v) on f with the site (τ̃, ν̃) divided out.
    static func cavity(variance v: Double, mean m: Double, tau: Double, nu: Double)
        -> (tau: Double, nu: Double, mean: Double, variance: Double) {
        let tc = 1 / v - tau, nc = m / v - nu
        return (tc, nc, nc / tc, 1 / tc)
    }

    /// The mean and variance of Φ(yf)𝒩(f | μ, v) normalized (GPML eq. 3.58).
    static func tiltedMoments(y: Double, cavityMean mu: Double, cavityVariance v: Double) -> (mean: Double, variance: Double) {
        let s = (1 + v).squareRoot()
        let z = y * mu / s
        let r = inverseMillsRatio(z)
        return (mu + y * v * r / s, v - v * v * r * (z + r) / (1 + v))
    }

    /// 𝒩(z)/Φ(z), stable for very negative z (the asymptotic series below −30).
    static func inverseMillsRatio(_ z: Double) -> Double {
        if z > -30 {
            return exp(-0.5 * z * z - logNormalCDF(z)) / (2 * Double.pi).squareRoot()
        }
        let z2 = z * z
        return -z / (1 - 1 / z2 + 3 / (z2 * z2))
    }

    /// ln Φ(z), stable for very negative z.
    static func logNormalCDF(_ z: Double) -> Double {
        if z > -30 { return log(0.5 * erfc(-z / 2.0.squareRoot())) }
        let z2 = z * z
        return -0.5 * z2 - log(-z) - 0.5 * log(2 * Double.pi) + log(1 - 1 / z2 + 3 / (z2 * z2))
    }

    /// `xᵀy`.
    static func dot(_ x: [Double], _ y: [Double]) -> Double { zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } }

    /// `A·x` for the row-major d×d matrix `a` (d = x.count, a handful of weights: plain loops).
    static func product(_ a: [Double], _ x: [Double]) -> [Double] {
        let d = x.count
        return (0..<d).map { i in (0..<d).reduce(0) { $0 + a[i * d + $1] * x[$1] } }
    }

    /// Σ = (Σ₀⁻¹ + ΦᵀT̃Φ)⁻¹ and m = ΣΦᵀν̃ from the sites.
    static func posterior(_ prec0: [Double], _ phi: [Double], _ n: Int, _ d: Int, _ tau: [Double], _ nu: [Double]) throws
        -> ([Double], [Double]) {
        var lam = prec0, b = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for a in 0..<d {
                b[a] += nu[i] * phi[i * d + a]
                for c in 0..<d { lam[a * d + c] += tau[i] * phi[i * d + a] * phi[i * d + c] }
            }
        }
        let l = Tensor<Double>(shape: [d, d], scalars: lam).jitteredCholesky()
        return (try l.choleskySolve(Tensor<Double>.eye(d)).scalars, try l.choleskySolve(Tensor(b)).scalars)
    }
}
