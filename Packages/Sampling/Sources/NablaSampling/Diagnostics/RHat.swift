import Foundation

/// Convergence diagnostics of Markov chains, as in Vehtari, Gelman, Simpson, Carpenter and
/// Bürkner (2021), *Rank-normalization, folding, and localization: an improved R̂ for assessing
/// convergence of MCMC*, and computed exactly as ArviZ computes them (`arviz.rhat`, `arviz.ess`,
/// `arviz.mcse`), so the numbers agree with ArviZ's on the same draws.
///
/// Every function takes the draws of one scalar quantity as `chains[c][i]` (chain `c`, draw `i`),
/// all chains of equal length.
public enum MCMCDiagnostics {
    /// Splits each chain into its first and last `⌊n/2⌋` draws (the middle draw of an odd-length
    /// chain is dropped, as ArviZ does), doubling the number of chains.
    public static func splitChains(_ chains: [[Double]]) -> [[Double]] {
        var out: [[Double]] = []
        out.reserveCapacity(chains.count * 2)
        for c in chains { let h = c.count / 2; out.append(Array(c[..<h])) }
        for c in chains { let h = c.count / 2; out.append(Array(c[(c.count - h)...])) }
        return out
    }

    /// Rank-normalizes the pooled draws: average ranks `r` (ties share their mean rank), then
    /// `Φ⁻¹((r − 3/8)/(S + 1/4))` with `S` the total number of draws (Blom's offset).
    public static func zScale(_ chains: [[Double]]) -> [[Double]] {
        let flat = chains.flatMap { $0 }
        let s = flat.count
        let order = flat.indices.sorted { flat[$0] < flat[$1] }
        var rank = [Double](repeating: 0, count: s)
        var i = 0
        while i < s {
            var j = i
            while j + 1 < s && flat[order[j + 1]] == flat[order[i]] { j += 1 }
            let r = Double(i + j + 2) / 2   // mean of the 1-based ranks i+1 … j+1
            for k in i...j { rank[order[k]] = r }
            i = j + 1
        }
        let c = 3.0 / 8.0
        var out: [[Double]] = []
        var k = 0
        for chain in chains {
            out.append(chain.indices.map { _ in
                defer { k += 1 }
                return SpecialFunctions.normalQuantile((rank[k] - c) / (Double(s) - 2 * c + 1))
            })
        }
        return out
    }

    /// The classic potential scale reduction factor of Gelman and Rubin on the chains as given
    /// (no splitting, no ranking): `√((B/W + n − 1)/n)`.
    public static func basicRHat(_ chains: [[Double]]) -> Double {
        let m = chains.count, n = chains.first?.count ?? 0
        guard m >= 2, n >= 2 else { return .nan }
        let means = chains.map { mean($0) }
        let vars = chains.map { variance($0, ddof: 1) }
        let between = Double(n) * variance(means, ddof: 1)
        let within = mean(vars)
        return ((between / within + Double(n) - 1) / Double(n)).squareRoot()
    }

    /// The rank-normalized split R̂: the larger of the bulk R̂ (of the rank-normalized split
    /// chains) and the tail R̂ (of the rank-normalized absolute deviations from the median).
    /// Values above 1.01 say the chains have not mixed. `arviz.rhat(method="rank")`; like ArviZ,
    /// NaN for fewer than 2 chains or 4 draws.
    public static func rhat(_ chains: [[Double]]) -> Double {
        guard chains.count >= 2, let n = chains.first?.count, n >= 4, chains.allSatisfy({ $0.count == n }) else { return .nan }
        let split = splitChains(chains)
        let bulk = basicRHat(zScale(split))
        let med = median(split.flatMap { $0 })
        let folded = split.map { $0.map { abs($0 - med) } }
        let tail = basicRHat(zScale(folded))
        return Swift.max(bulk, tail)
    }

    // MARK: - Small statistics helpers

    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }

    static func variance(_ x: [Double], ddof: Int) -> Double {
        let m = mean(x)
        var s = 0.0
        for v in x { s += (v - m) * (v - m) }
        return s / Double(x.count - ddof)
    }

    static func median(_ x: [Double]) -> Double { quantile(x.sorted(), 0.5) }

    /// The type-7 (linear interpolation) quantile of sorted values, as `numpy.quantile`.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let n = sorted.count
        guard n > 0 else { return .nan }
        let h = Double(n - 1) * p
        let lo = Int(h.rounded(.down)), hi = Swift.min(lo + 1, n - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
