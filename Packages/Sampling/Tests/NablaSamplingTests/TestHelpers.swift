import Foundation
import NablaSampling

/// The Kolmogorov–Smirnov statistic of `samples` against `cdf`.
func ksStatistic(_ samples: [Double], cdf: (Double) -> Double) -> Double {
    let x = samples.sorted(), n = Double(x.count)
    var d = 0.0
    for (i, v) in x.enumerated() {
        let f = cdf(v)
        d = max(d, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
    }
    return d
}

/// The asymptotic KS critical value at level 0.001 (`1.95/√n`).
func ksCritical(_ n: Int) -> Double { 1.95 / Double(n).squareRoot() }

/// Pearson's chi-square statistic of observed counts against expected probabilities, and the
/// 0.999 quantile of χ² with `k − 1` degrees of freedom (Wilson–Hilferty).
func chiSquare(counts: [Int], probabilities: [Double]) -> (statistic: Double, critical: Double) {
    let n = Double(counts.reduce(0, +))
    var s = 0.0, k = 0
    for (c, p) in zip(counts, probabilities) where p * n > 0 {
        s += (Double(c) - n * p) * (Double(c) - n * p) / (n * p); k += 1
    }
    let df = Double(k - 1), z = 3.09
    let crit = df * pow(1 - 2 / (9 * df) + z * (2 / (9 * df)).squareRoot(), 3)
    return (s, crit)
}

func close(_ a: Double, _ b: Double, rtol: Double = 1e-6, atol: Double = 1e-9) -> Bool {
    abs(a - b) <= atol + rtol * abs(b)
}
