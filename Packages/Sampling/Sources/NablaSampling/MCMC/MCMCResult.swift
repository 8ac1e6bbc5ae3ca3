import Foundation

/// The draws of an MCMC run, `[chain, draw, dimension]`, with the sampler statistics of every
/// draw, the adapted step sizes and metrics, and the warnings the diagnostics raise.
public struct MCMCResult: Sendable {
    /// The dimension of a draw.
    public let dimension: Int
    /// The number of chains.
    public let chainCount: Int
    /// The kept draws per chain.
    public let drawCount: Int
    /// The kernel that produced the draws.
    public let kernel: MCMCKernel
    /// The configuration of the run.
    public let configuration: MCMCConfiguration
    /// All draws, row-major `[chain, draw, dimension]`.
    public let draws: [Double]
    /// The statistics of each kept draw, `statistics[chain][draw]`.
    public let statistics: [[MCMCDrawStatistics]]
    /// The adapted step size of each chain.
    public let stepSizes: [Double]
    /// The adapted inverse mass matrix of each chain (`d` variances or a row-major `d×d` matrix).
    public let inverseMetrics: [[Double]]
    /// The warnings: R̂ above 1.01, divergences, low bulk or tail ESS (below 100 per chain),
    /// maximum tree depth hit. Computed on access (the diagnostics of every component take
    /// longer than a fast run's sampling).
    public var warnings: [SamplingWarning] { computeWarnings() }

    init(dimension d: Int, kernel: MCMCKernel, configuration: MCMCConfiguration, chains: [ChainOutput]) {
        dimension = d; self.kernel = kernel; self.configuration = configuration
        chainCount = chains.count; drawCount = configuration.draws
        draws = chains.flatMap { $0.draws }
        statistics = chains.map { $0.stats }
        stepSizes = chains.map { $0.stepSize }
        inverseMetrics = chains.map { $0.inverseMetric }
    }

    /// The draw `draw` of chain `chain`.
    public func draw(chain: Int, draw: Int) -> [Double] {
        let o = (chain * drawCount + draw) * dimension
        return Array(draws[o..<(o + dimension)])
    }

    /// The draws of component `index` of every chain, `[chain][draw]`, the input of ``MCMCDiagnostics``.
    public func chains(of index: Int) -> [[Double]] {
        (0..<chainCount).map { c in (0..<drawCount).map { draws[(c * drawCount + $0) * dimension + index] } }
    }

    /// The draws of component `index` of every chain pooled.
    public func pooled(_ index: Int) -> [Double] { chains(of: index).flatMap { $0 } }

    /// The draws as a tensor of shape `[chains, draws, dimension]`.
    public var tensor: Tensor<Double> { Tensor(shape: [chainCount, drawCount, dimension], scalars: draws) }

    /// The posterior mean of each component over all chains.
    public var mean: [Double] {
        var m = [Double](repeating: 0, count: dimension)
        for (k, v) in draws.enumerated() { m[k % dimension] += v }
        return m.map { $0 / Double(chainCount * drawCount) }
    }

    /// The posterior covariance `d×d` (row-major) over all chains.
    public var covariance: [Double] {
        let mu = mean, n = chainCount * drawCount, d = dimension
        var c = [Double](repeating: 0, count: d * d)
        for s in 0..<n {
            for i in 0..<d {
                let a = draws[s * d + i] - mu[i]
                for j in 0..<d { c[i * d + j] += a * (draws[s * d + j] - mu[j]) }
            }
        }
        return c.map { $0 / Double(n - 1) }
    }

    /// The number of divergent transitions in each chain.
    public var divergences: [Int] { statistics.map { $0.filter(\.divergent).count } }

    /// The summary table of every component (mean, sd, quantiles, MCSE, ESS, R̂).
    /// - Parameter names: the row names (default `x[0]`, `x[1]`, …).
    public func summary(names: [String]? = nil) -> MCMCSummary {
        MCMCSummary(chains: (0..<dimension).map { chains(of: $0) },
                    names: names ?? (0..<dimension).map { "x[\($0)]" })
    }

    private func computeWarnings() -> [SamplingWarning] {
        var w: [SamplingWarning] = []
        let div = divergences.reduce(0, +)
        if div > 0 {
            w.append(SamplingWarning(kind: .divergences, value: Double(div), threshold: 0,
                                     message: "\(div) of \(chainCount * drawCount) transitions diverged after warm-up; increase targetAcceptance or reparameterize"))
        }
        if case let .nuts(depth) = kernel {
            let hit = statistics.joined().filter { $0.treeDepth >= depth }.count
            if hit > 0 {
                w.append(SamplingWarning(kind: .maxTreeDepth, value: Double(hit), threshold: 0,
                                         message: "\(hit) transitions reached the maximum tree depth \(depth)"))
            }
        }
        guard drawCount >= 4 else { return w }
        var worstR = 0.0, worstRi = 0, worstE = Double.infinity, worstEi = 0
        for i in 0..<dimension {
            let ch = chains(of: i)
            if chainCount >= 2 {
                let r = MCMCDiagnostics.rhat(ch)
                if !(r <= worstR) { worstR = r; worstRi = i }
            }
            let e = Swift.min(MCMCDiagnostics.essBulk(ch), MCMCDiagnostics.essTail(ch))
            if !(e >= worstE) { worstE = e; worstEi = i }
        }
        if chainCount >= 2 && !(worstR <= 1.01) {
            w.append(SamplingWarning(kind: .rHat, value: worstR, threshold: 1.01,
                                     message: String(format: "R̂ = %.3f > 1.01 for x[%d]: the chains have not mixed", worstR, worstRi)))
        }
        let minESS = 100.0 * Double(chainCount)
        if !(worstE >= minESS) {
            w.append(SamplingWarning(kind: .lowEffectiveSampleSize, value: worstE, threshold: minESS,
                                     message: String(format: "ESS = %.0f < %.0f (100 per chain) for x[%d]", worstE, minESS, worstEi)))
        }
        return w
    }
}
