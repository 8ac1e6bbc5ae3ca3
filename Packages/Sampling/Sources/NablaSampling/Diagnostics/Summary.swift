import Foundation

/// The posterior summary of MCMC draws, one row per scalar quantity, with the columns of
/// `arviz.summary`: mean, sd, quantiles, the Monte Carlo standard errors of the mean and sd,
/// bulk and tail ESS and R̂. `description` prints it as ArviZ does.
public struct MCMCSummary: Sendable, CustomStringConvertible {
    /// One row of the table.
    public struct Row: Sendable, Equatable {
        /// The quantity's name.
        public var name: String
        /// The posterior mean.
        public var mean: Double
        /// The posterior standard deviation (`ddof = 1`).
        public var sd: Double
        /// The 5 %, 50 % and 95 % quantiles (type 7).
        public var q5: Double, q50: Double, q95: Double
        /// The Monte Carlo standard error of the mean.
        public var mcseMean: Double
        /// The Monte Carlo standard error of the sd.
        public var mcseSD: Double
        /// The bulk effective sample size.
        public var essBulk: Double
        /// The tail effective sample size.
        public var essTail: Double
        /// The rank-normalized split R̂.
        public var rHat: Double
    }

    /// The rows, in order.
    public let rows: [Row]

    /// Summarizes the draws `chains[i][c][t]` of quantity `i`, named `names[i]`.
    public init(chains: [[[Double]]], names: [String]) {
        rows = zip(chains, names).map { ch, name in
            let flat = ch.flatMap { $0 }
            let sorted = flat.sorted()
            return Row(name: name, mean: MCMCDiagnostics.mean(flat),
                       sd: MCMCDiagnostics.variance(flat, ddof: 1).squareRoot(),
                       q5: MCMCDiagnostics.quantile(sorted, 0.05), q50: MCMCDiagnostics.quantile(sorted, 0.5),
                       q95: MCMCDiagnostics.quantile(sorted, 0.95),
                       mcseMean: MCMCDiagnostics.mcseMean(ch), mcseSD: MCMCDiagnostics.mcseSD(ch),
                       essBulk: MCMCDiagnostics.essBulk(ch), essTail: MCMCDiagnostics.essTail(ch),
                       rHat: ch.count >= 2 ? MCMCDiagnostics.rhat(ch) : .nan)
        }
    }

    /// The table, right-aligned like ArviZ's: statistics to 3 decimals, ESS as integers, R̂ to 2.
    public var description: String {
        let header = ["mean", "sd", "5%", "50%", "95%", "mcse_mean", "mcse_sd", "ess_bulk", "ess_tail", "r_hat"]
        let nameWidth = Swift.max(4, rows.map { $0.name.count }.max() ?? 0)
        let cells: [[String]] = rows.map { r in
            [r.mean, r.sd, r.q5, r.q50, r.q95, r.mcseMean, r.mcseSD].map { String(format: "%.3f", $0) }
                + [String(format: "%.0f", r.essBulk), String(format: "%.0f", r.essTail), String(format: "%.2f", r.rHat)]
        }
        let widths = header.indices.map { j in Swift.max(header[j].count, cells.map { $0[j].count }.max() ?? 0) }
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: Swift.max(0, w - s.count)) + s }
        var out = String(repeating: " ", count: nameWidth) + "  " + header.indices.map { pad(header[$0], widths[$0]) }.joined(separator: "  ")
        for (r, c) in zip(rows, cells) {
            out += "\n" + r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + c.indices.map { pad(c[$0], widths[$0]) }.joined(separator: "  ")
        }
        return out
    }
}
