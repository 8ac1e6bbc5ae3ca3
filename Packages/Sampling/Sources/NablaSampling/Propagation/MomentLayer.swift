import Foundation

/// A layer whose output moments under a Gaussian input have closed forms (or close
/// approximations), for ``PropagationMethod/momentMatching``.
public enum MomentLayer: Sendable {
    /// y = Wx + b with `weight` `[out, in]` and `bias` `[out]`: m' = Wm + b, S' = WSWᵀ (exact).
    case linear(weight: Tensor<Double>, bias: Tensor<Double>)
    /// max(x, 0): the rectified-Gaussian mean and variance (exact marginals).
    case relu
    /// The logistic sigmoid, approximated by the probit Φ(λx), λ² = π/8 (MacKay 1992): mean
    /// Φ(λμ/√(1 + λ²s²)) and E[Φ(λx)²] from the bivariate normal CDF.
    case sigmoid
    /// tanh, which has no closed-form Gaussian moments: its marginal mean, variance and mean
    /// slope by a 32-point Gauss–Hermite rule per unit (the probit form 2Φ(2λx) − 1 would leave a
    /// bias of a few per cent that does not shrink with Σ).
    case tanh

    /// The layer as an Autograd function on `[n, in]` rows (the exact nonlinearity, not its
    /// probit approximation).
    public func callAsFunction(_ x: Variable<Double>) -> Variable<Double> {
        switch self {
        case let .linear(weight, bias): return x.matmul(Variable(weight.transposed())) + bias
        case .relu: return x.relu()
        case .sigmoid: return x.sigmoid()
        case .tanh: return x.tanh()
        }
    }

    /// Propagates (m, S) (`[d]`, row-major `[d·d]`) through the layer.
    func propagate(_ m: [Double], _ s: [Double]) -> ([Double], [Double]) {
        let d = m.count
        switch self {
        case let .linear(weight, bias):
            let out = weight.shape[0], w = weight.scalars, b = bias.scalars
            precondition(weight.shape[1] == d, "MomentLayer.linear: weight \(weight.shape) for input dimension \(d)")
            let wt = Tensor<Double>(shape: [out, d], scalars: w)
            var mean = wt.matmul(Tensor(shape: [d, 1], scalars: m)).scalars
            for i in 0..<out { mean[i] += b[i] }
            return (mean, wt.matmul(Tensor(shape: [d, d], scalars: s)).matmul(wt.transposed()).scalars)
        case .relu, .sigmoid, .tanh:
            var mean = [Double](repeating: 0, count: d), variance = mean, slope = mean
            for i in 0..<d {
                (mean[i], variance[i], slope[i]) = elementwise(m[i], max(s[i * d + i], 0))
            }
            var cov = [Double](repeating: 0, count: d * d)
            for i in 0..<d {
                for j in 0..<d { cov[i * d + j] = i == j ? variance[i] : slope[i] * slope[j] * s[i * d + j] }
            }
            return (mean, cov)
        }
    }

    /// (E[g(x)], Var[g(x)], E[g'(x)]) for x ~ 𝒩(μ, s²).
    func elementwise(_ mu: Double, _ variance: Double) -> (Double, Double, Double) {
        let sd = variance.squareRoot()
        switch self {
        case .relu:
            if sd == 0 { return (max(mu, 0), 0, mu > 0 ? 1 : 0) }
            let a = mu / sd, cdf = SpecialFunctions.normalCDF(a), pdf = exp(-a * a / 2) / (2 * Double.pi).squareRoot()
            let e = mu * cdf + sd * pdf
            let e2 = (mu * mu + variance) * cdf + mu * sd * pdf
            return (e, max(e2 - e * e, 0), cdf)
        case .sigmoid:
            return MomentLayer.probit(mu, variance, lambda: (Double.pi / 8).squareRoot())
        case .tanh:
            let r = MomentLayer.tanhRule
            var e = 0.0, e2 = 0.0, g = 0.0
            for (z, w) in zip(r.nodes, r.weights) {
                let t = Foundation.tanh(mu + sd * z)
                e += w * t; e2 += w * t * t; g += w * (1 - t * t)
            }
            return (e, max(e2 - e * e, 0), g)
        case .linear:
            fatalError("unreachable")
        }
    }

    /// The 32-point Gauss–Hermite rule of the tanh layer.
    static let tanhRule = GaussHermite.rule(points: 32)

    /// Moments of Φ(λx) for x ~ 𝒩(μ, s²): mean Φ(h), h = λμ/√(1 + λ²s²); E[Φ(λx)²] = Φ₂(h, h; ρ)
    /// with ρ = λ²s²/(1 + λ²s²); slope E[λφ(λx)] = λφ(h)/√(1 + λ²s²).
    static func probit(_ mu: Double, _ variance: Double, lambda: Double) -> (Double, Double, Double) {
        let t = 1 + lambda * lambda * variance
        let h = lambda * mu / t.squareRoot(), rho = lambda * lambda * variance / t
        let mean = SpecialFunctions.normalCDF(h)
        let second = bivariateNormalCDFEqual(h, rho)
        let slope = lambda * exp(-h * h / 2) / (2 * Double.pi).squareRoot() / t.squareRoot()
        return (mean, max(second - mean * mean, 0), slope)
    }

    /// Φ₂(h, h; ρ) for 0 ≤ ρ < 1: Φ(h)² + (1/2π)∫₀^{asin ρ} exp(−h²/(1 + sin θ)) dθ (Simpson, 64 panels).
    static func bivariateNormalCDFEqual(_ h: Double, _ rho: Double) -> Double {
        let p = SpecialFunctions.normalCDF(h)
        guard rho > 0 else { return p * p }
        let upper = asin(min(rho, 1)), n = 64, step = upper / Double(n)
        var s = 0.0
        for i in 0...n {
            let w: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
            s += w * exp(-h * h / (1 + sin(Double(i) * step)))
        }
        return p * p + s * step / 3 / (2 * Double.pi)
    }
}
