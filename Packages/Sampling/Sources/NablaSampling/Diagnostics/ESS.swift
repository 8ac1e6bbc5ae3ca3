import Foundation

extension MCMCDiagnostics {
    /// The autocovariance `γ(k) = (1/n) Σₜ (xₜ − x̄)(xₜ₊ₖ − x̄)` of one chain at lags `0..<maxLag`
    /// (all lags by default), the biased estimator ArviZ and Stan use.
    public static func autocovariance(_ x: [Double], maxLag: Int? = nil) -> [Double] {
        let n = x.count
        let m = mean(x)
        let c = x.map { $0 - m }
        let lags = Swift.min(maxLag ?? n, n)
        return (0..<lags).map { k in
            var s = 0.0
            for t in 0..<(n - k) { s += c[t] * c[t + k] }
            return s / Double(n)
        }
    }

    /// The autocorrelation `ρ(k) = γ(k)/γ(0)` of one chain at lags `0..<maxLag` (`arviz.autocorr`).
    public static func autocorrelation(_ x: [Double], maxLag: Int? = nil) -> [Double] {
        let g = autocovariance(x, maxLag: maxLag)
        guard let g0 = g.first, g0 > 0 else { return g.map { _ in .nan } }
        return g.map { $0 / g0 }
    }

    /// The effective sample size of the chains as given (no splitting or ranking), by Geyer's
    /// initial monotone sequence over the multi-chain autocorrelation estimate (Stan's and
    /// ArviZ's `_ess`).
    public static func effectiveSampleSize(_ chains: [[Double]]) -> Double {
        let m = chains.count, n = chains.first?.count ?? 0
        guard m >= 1, n >= 4 else { return .nan }
        let flat = chains.flatMap { $0 }
        if flat.contains(where: { !$0.isFinite }) { return .nan }
        if (flat.max()! - flat.min()!) < 1e-15 { return Double(flat.count) }
        let centered = chains.map { c -> [Double] in let mu = mean(c); return c.map { $0 - mu } }
        // Mean over chains of the autocovariance at one lag, computed on demand: Geyer's
        // sequence usually stops after a few lags.
        func acov(_ k: Int) -> Double {
            var total = 0.0
            for c in centered {
                var s = 0.0
                for t in 0..<(n - k) { s += c[t] * c[t + k] }
                total += s / Double(n)
            }
            return total / Double(m)
        }
        let nd = Double(n)
        let meanVar = acov(0) * nd / (nd - 1)
        var varPlus = meanVar * (nd - 1) / nd
        if m > 1 { varPlus += variance(chains.map { mean($0) }, ddof: 1) }
        var rho = [Double](repeating: 0, count: n)
        var rhoEven = 1.0
        rho[0] = rhoEven
        var rhoOdd = 1 - (meanVar - acov(1)) / varPlus
        rho[1] = rhoOdd
        var t = 1
        while t < n - 3 && rhoEven + rhoOdd > 0 {
            rhoEven = 1 - (meanVar - acov(t + 1)) / varPlus
            rhoOdd = 1 - (meanVar - acov(t + 2)) / varPlus
            if rhoEven + rhoOdd >= 0 { rho[t + 1] = rhoEven; rho[t + 2] = rhoOdd }
            t += 2
        }
        let maxT = t - 2
        if rhoEven > 0 { rho[maxT + 1] = rhoEven }
        t = 1
        while t <= maxT - 2 {
            if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t] {
                rho[t + 1] = (rho[t - 1] + rho[t]) / 2
                rho[t + 2] = rho[t + 1]
            }
            t += 2
        }
        let total = Double(m * n)
        var tau = -1.0
        for k in 0...Swift.max(maxT, 0) where maxT >= 0 { tau += 2 * rho[k] }
        if maxT + 1 < n { tau += rho[maxT + 1] }
        tau = Swift.max(tau, 1 / log10(total))
        if rho.contains(where: { $0.isNaN }) { return .nan }
        return total / tau
    }

    /// The bulk effective sample size: the ESS of the rank-normalized split chains
    /// (`arviz.ess(method="bulk")`). Vehtari et al. recommend at least 100 per chain.
    public static func essBulk(_ chains: [[Double]]) -> Double {
        guard let n = chains.first?.count, n >= 4 else { return .nan }
        return effectiveSampleSize(zScale(splitChains(chains)))
    }

    /// The tail effective sample size: the smaller ESS of the indicators `x ≤ q₀.₀₅` and
    /// `x ≤ q₀.₉₅` over the split chains (`arviz.ess(method="tail")`).
    public static func essTail(_ chains: [[Double]]) -> Double {
        Swift.min(essQuantile(chains, 0.05), essQuantile(chains, 0.95))
    }

    /// The effective sample size for the `p`-quantile: the ESS of the indicator `x ≤ q_p` over
    /// the split chains (`arviz.ess(method="quantile", prob=p)`).
    public static func essQuantile(_ chains: [[Double]], _ p: Double) -> Double {
        guard let n = chains.first?.count, n >= 4 else { return .nan }
        let q = quantile(chains.flatMap { $0 }.sorted(), p)
        return effectiveSampleSize(splitChains(chains.map { $0.map { $0 <= q ? 1 : 0 } }))
    }

    /// The effective sample size for the mean: the ESS of the split chains, without ranking
    /// (`arviz.ess(method="mean")`).
    public static func essMean(_ chains: [[Double]]) -> Double {
        guard let n = chains.first?.count, n >= 4 else { return .nan }
        return effectiveSampleSize(splitChains(chains))
    }

    /// The Monte Carlo standard error of the posterior mean, `sd/√ESS_mean`
    /// (`arviz.mcse(method="mean")`).
    public static func mcseMean(_ chains: [[Double]]) -> Double {
        let flat = chains.flatMap { $0 }
        return variance(flat, ddof: 1).squareRoot() / essMean(chains).squareRoot()
    }

    /// The Monte Carlo standard error of the posterior standard deviation, by the delta method
    /// on the squared deviations (`arviz.mcse(method="sd")`, ArviZ ≥ 0.18).
    public static func mcseSD(_ chains: [[Double]]) -> Double {
        let flat = chains.flatMap { $0 }
        let mu = mean(flat)
        let sq = chains.map { $0.map { ($0 - mu) * ($0 - mu) } }
        let ess = essMean(sq)
        let sqFlat = sq.flatMap { $0 }
        let evar = mean(sqFlat)
        let varvar = (mean(sqFlat.map { $0 * $0 }) - evar * evar) / ess
        return (varvar / evar / 4).squareRoot()
    }
}
