#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SpecialFunctions {
    /// The regularized upper incomplete gamma function `Q(a, x) = 1 − P(a, x)`
    /// (`scipy.special.gammaincc`), computed on the side that keeps its relative precision.
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x.isInfinite { return 0 }
        return x < a + 1 ? 1 - regularizedGammaP(a, x) : regularizedGammaQContinuedFraction(a, x)
    }

    /// The density of the standard gamma distribution, `x^(a−1) e^(−x)/Γ(a)`.
    @inlinable public static func standardGammaDensity(_ a: Double, _ x: Double) -> Double {
        x > 0 ? exp(-x + (a - 1) * log(x) - logGamma(a)) : (x == 0 && a == 1 ? 1 : (x == 0 && a < 1 ? .infinity : 0))
    }

    /// The inverse of `P(a, ·)`: the `x ≥ 0` with `P(a, x) = p` (`scipy.special.gammaincinv`), the
    /// quantile function of the standard gamma distribution.
    ///
    /// Starts from Wilson–Hilferty (`a > 1`) or the small-`x` expansion (`a ≤ 1`), as in Numerical
    /// Recipes' `invgammp`, then takes Halley steps on `P − p` (on `(1 − p) − Q` above the median,
    /// so upper-tail quantiles keep their precision) until the step is below 1e-15 relative.
    /// `0` for `p ≤ 0`, `+∞` for `p ≥ 1`, NaN for `a ≤ 0` or a NaN input.
    public static func regularizedGammaPInverse(_ a: Double, _ p: Double) -> Double {
        guard a > 0, !p.isNaN else { return .nan }
        if p <= 0 { return 0 }
        if p >= 1 { return .infinity }
        var x: Double
        if a > 1 {
            let z = normalQuantile(p)
            x = a * pow(Swift.max(1e-3, 1 - 1 / (9 * a) + z / (3 * a.squareRoot())), 3)
        } else {
            let t = 1 - a * (0.253 + a * 0.12)
            x = p < t ? pow(p / t, 1 / a) : 1 - log1p(-(p - t) / (1 - t))
        }
        let upper = p > 0.5
        for _ in 0..<60 {
            if x <= 0 { return 0 }
            let err = upper ? (1 - p) - regularizedGammaQ(a, x) : regularizedGammaP(a, x) - p
            let density = standardGammaDensity(a, x)
            if density == 0 || !density.isFinite { break }
            let u = err / density
            // Halley: f''/f' = (a − 1)/x − 1 for the gamma density.
            let step = u / (1 - 0.5 * Swift.min(1, u * ((a - 1) / x - 1)))
            let previous = x
            x -= step
            if x <= 0 { x = 0.5 * previous }
            if abs(step) <= 1e-15 * x { break }
        }
        return x
    }

    /// `(∂P/∂a)/f` and `(∂²P/∂a²)/f` at `(a, x)`, with `f` the standard gamma density at `x`, from
    /// the series `P(a, x) = Σₙ tₙ`, `tₙ = e^(−x) x^(a+n)/Γ(a + n + 1)`:
    /// `∂tₙ/∂a = tₙ(log x − ψ(a + n + 1))`, `∂²tₙ/∂a² = tₙ[(log x − ψ(a + n + 1))² − ψ′(a + n + 1)]`,
    /// with `tₙ/f = x^(n+1) Γ(a)/Γ(a + n + 1)` so that `e^(−x)` never underflows.
    ///
    /// The sum starts 15 standard deviations below the peak of the terms (at `n ≈ x − a`) and stops
    /// when the terms fall below 1e-17 of the sum. Its absolute error is about 1e-16 of `P`, so the
    /// derivative has a relative error near `1e-16/|∂Q/∂a|`: below 1e-9 unless `Q(a, x) < 1e-7`.
    static func gammaAlphaSeries(_ a: Double, _ x: Double, second: Bool) -> (first: Double, second: Double) {
        let lx = log(x)
        let spread = 15 * (x + 1).squareRoot()
        let start = Swift.max(0, (x - a - spread).rounded(.down))
        let a1 = a + start + 1
        let logScale = (start + 1) * lx + logGamma(a) - logGamma(a1)
        var v = 1.0, psi = digamma(a1), tri = second ? trigamma(a1) : 0
        var sumA = 0.0, sumB = 0.0, magnitude = 0.0
        var n = start
        let limit = start + 2 * spread + 1000
        while n < limit {
            let d = lx - psi
            sumA += v * d
            if second { sumB += v * (d * d - tri) }
            magnitude += v * (abs(d) + 1)
            if n > x - a && v * (abs(d) + 1) < 1e-17 * magnitude { break }
            let an = a + n + 1
            v *= x / an
            psi += 1 / an
            if second { tri -= 1 / (an * an) }
            n += 1
        }
        let scale = exp(logScale)
        return (scale * sumA, scale * sumB)
    }

    /// `dx/da` along `P(a, x) = u` with `u` fixed: `−(∂P/∂a)/(∂P/∂x)`, the implicit
    /// reparameterization gradient of a standard gamma draw `x` with respect to its shape `a`
    /// (Figurnov, Mohamed & Mnih 2018; `torch._standard_gamma_grad`, which approximates the same
    /// quantity in single precision). `0` at `x = 0`.
    public static func standardGammaQuantileDerivative(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return x == 0 ? 0 : .nan }
        guard x.isFinite else { return .nan }
        return -gammaAlphaSeries(a, x, second: false).first
    }

    /// The partial derivatives of `g(a, x) = dx/da` (``standardGammaQuantileDerivative(_:_:)``) at
    /// `(a, x)`: `∂g/∂a = −(∂²P/∂a²)/f + (∂P/∂a)/f·(log x − ψ(a))` and
    /// `∂g/∂x = −(log x − ψ(a)) − g·((a − 1)/x − 1)`, from differentiating `g = −(∂P/∂a)/f`.
    public static func standardGammaQuantileDerivativePartials(_ a: Double, _ x: Double) -> (a: Double, x: Double) {
        guard x > 0, x.isFinite else { return (0, 0) }
        let (first, second) = gammaAlphaSeries(a, x, second: true)
        let d = log(x) - digamma(a), g = -first
        return (-second + first * d, -d - g * ((a - 1) / x - 1))
    }
}
