import Foundation
import NablaPlot

/// Trace and rank plots of MCMC draws as `NablaPlot` figures (write them with `svg()` or
/// `write(to:)`).
public enum MCMCPlots {
    /// The trace plot of one scalar quantity: its draws against the iteration, one line per
    /// chain. Well-mixed chains look like overlapping stationary noise.
    /// - Parameters:
    ///   - chains: the draws `[chain][draw]` (for example ``MCMCResult/chains(of:)``).
    ///   - name: the quantity's name, for the title and axis label.
    public static func trace(_ chains: [[Double]], name: String = "x") -> Figure {
        var f = Figure(title: "Trace of \(name)", xLabel: "draw", yLabel: name)
        for (c, chain) in chains.enumerated() {
            f.line(x: chain.indices.map(Double.init), y: chain, label: "chain \(c)", width: 0.8)
        }
        return f
    }

    /// The rank plot of one scalar quantity (Vehtari et al. 2021, ArviZ's `plot_rank`): the draws
    /// of all chains are ranked together, and each chain's histogram of ranks is drawn as a step
    /// line, stacked one above the other, with its uniform expectation dashed. Chains that
    /// sample the same distribution give flat histograms; a chain stuck high or low slopes.
    /// - Parameters:
    ///   - chains: the draws `[chain][draw]`.
    ///   - name: the quantity's name, for the title.
    ///   - bins: the number of rank bins.
    public static func rank(_ chains: [[Double]], name: String = "x", bins: Int = 20) -> Figure {
        let flat = chains.flatMap { $0 }
        let order = flat.indices.sorted { flat[$0] < flat[$1] }
        var rank = [Int](repeating: 0, count: flat.count)
        for (r, i) in order.enumerated() { rank[i] = r }
        let total = Double(flat.count), width = total / Double(bins)
        var f = Figure(title: "Rank plot of \(name)", xLabel: "rank (all chains)", yLabel: "draws per bin (chains stacked)")
        var offset = 0
        let expected = Double(chains.first?.count ?? 0) / Double(bins)
        var histograms: [[Double]] = []
        for chain in chains {
            var counts = [Double](repeating: 0, count: bins)
            for k in 0..<chain.count { counts[Swift.min(bins - 1, Int(Double(rank[offset + k]) / width))] += 1 }
            offset += chain.count
            histograms.append(counts)
        }
        let spacing = Swift.max(expected * 1.5, (histograms.flatMap { $0 }.max() ?? 0) * 1.05)
        for (c, counts) in histograms.enumerated() {
            let base = Double(c) * spacing
            var xs: [Double] = [], ys: [Double] = []
            for b in 0..<bins {
                xs += [Double(b) * width, Double(b + 1) * width]
                ys += [base + counts[b], base + counts[b]]
            }
            f.line(x: xs, y: ys, label: "chain \(c)", color: Color.palette[c % Color.palette.count], width: 1.5)
            f.line(x: [0, total], y: [base + expected, base + expected], color: Color(hex: 0x555555), width: 1, dashed: true)
        }
        f.yRange = 0...(Double(chains.count) * spacing)
        f.xRange = 0...total
        return f
    }
}
