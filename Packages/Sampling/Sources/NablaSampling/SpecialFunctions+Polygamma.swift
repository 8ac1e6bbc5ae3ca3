#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SpecialFunctions {
    /// The polygamma function `ψ⁽ⁿ⁾(x)`, the `n`-th derivative of the digamma function
    /// (`scipy.special.polygamma`, `torch.polygamma`), for `x > 0`.
    ///
    /// `n = 0` is ``digamma(_:)``. For `n ≥ 1`, the recurrence
    /// `ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁾(x + 1) − (−1)ⁿ n!/xⁿ⁺¹` moves `x` above 20, then the asymptotic series
    /// `(−1)ⁿ⁺¹[(n − 1)!/xⁿ + n!/(2xⁿ⁺¹) + Σₖ B₂ₖ (2k + n − 1)!/((2k)! x²ᵏ⁺ⁿ)]` with seven
    /// Bernoulli terms. NaN for `x ≤ 0` (when `n ≥ 1`) or a negative `n`.
    public static func polygamma(_ n: Int, _ x: Double) -> Double {
        if n == 0 { return digamma(x) }
        guard n > 0, x > 0 else { return x.isNaN ? x : .nan }
        if x.isInfinite { return 0 }
        let sign: Double = n % 2 == 0 ? -1 : 1          // (−1)ⁿ⁺¹
        var nFactorial = 1.0
        for k in 1...n { nFactorial *= Double(k) }
        var x = x, shift = 0.0
        while x < 20 {
            shift += nFactorial / pow(x, Double(n + 1))
            x += 1
        }
        // Σ_k B₂ₖ (2k + n − 1)!/((2k)!) x^(−2k−n), with the ratio of factorials built up term by term.
        let bernoulli = [1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6]
        var series = nFactorial / (Double(n) * pow(x, Double(n))) + nFactorial / (2 * pow(x, Double(n + 1)))
        var ratio = nFactorial / Double(n)             // (2k + n − 1)!/(2k)! at k = 0 is (n − 1)!
        let x2 = x * x
        var power = pow(x, Double(n))
        for (i, b) in bernoulli.enumerated() {
            let k = Double(i + 1)
            ratio *= (2 * k + Double(n) - 2) * (2 * k + Double(n) - 1) / ((2 * k - 1) * (2 * k))
            power *= x2
            series += b * ratio / power
        }
        return sign * (series + shift)
    }

    /// The trigamma function `ψ′(x) = ψ⁽¹⁾(x)`.
    @inlinable public static func trigamma(_ x: Double) -> Double { polygamma(1, x) }
}
