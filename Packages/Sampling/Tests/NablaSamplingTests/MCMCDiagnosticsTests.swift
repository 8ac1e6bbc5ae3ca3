import Foundation
import Testing
@testable import NablaSampling

/// The same 64-bit LCG and AR(1) recursion as `scripts/mcmc_arviz_reference.py`, so Swift and
/// ArviZ diagnose bit-identical draws.
func fixedDraws(chains: Int, draws: Int, phi: Double, shift: Double, cube: Bool) -> [[Double]] {
    var state: UInt64 = 12345
    var out: [[Double]] = []
    for c in 0..<chains {
        var x = 0.0, row: [Double] = []
        for _ in 0..<draws {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(state >> 11) * 0x1p-53 - 0.5
            let e = cube ? u * u * u * 8 : u
            x = phi * x + e
            row.append(x + shift * Double(c))
        }
        out.append(row)
    }
    return out
}

@Suite("MCMC diagnostics against ArviZ")
struct MCMCDiagnosticsTests {
    /// Reference values: `python3 scripts/mcmc_arviz_reference.py` with ArviZ 0.23.4
    /// (`az.rhat(method="rank")`, `az.ess(method="bulk"|"tail"|"mean")`, `az.mcse(method="mean"|"sd")`,
    /// `az.autocorr`), pasted verbatim.
    static let reference: [(name: String, draws: [[Double]], rhat: Double, essBulk: Double, essTail: Double,
                            essMean: Double, mcseMean: Double, mcseSD: Double, acf1: Double)] = [
        ("ar07", fixedDraws(chains: 4, draws: 101, phi: 0.7, shift: 0, cube: false),
         1.0307481492757262, 101.8703802653106, 149.84348227982238, 99.25999340777916,
         0.03928981805024854, 0.020978983498031623, 0.690533518545259),
        ("shifted", fixedDraws(chains: 4, draws: 100, phi: 0.3, shift: 0.2, cube: false),
         1.2689475383481983, 12.600350022778633, 65.88406270157682, 12.54299251782515,
         0.10706717264820868, 0.015145413919109953, 0.28815434470366313),
        ("heavy", fixedDraws(chains: 3, draws: 250, phi: 0.9, shift: 0, cube: true),
         1.0841221709786422, 44.49416298698914, 139.41469534258502, 43.49174906264553,
         0.11054072005732037, 0.043823922041733424, 0.8521290911391128),
    ]

    @Test("R̂, bulk/tail/mean ESS, MCSE and autocorrelation match ArviZ to 1e-6")
    func matchesArviZ() {
        for r in Self.reference {
            let x = r.draws
            #expect(close(MCMCDiagnostics.rhat(x), r.rhat, rtol: 1e-6, atol: 0), "\(r.name) rhat")
            #expect(close(MCMCDiagnostics.essBulk(x), r.essBulk, rtol: 1e-6, atol: 0), "\(r.name) ess_bulk")
            #expect(close(MCMCDiagnostics.essTail(x), r.essTail, rtol: 1e-6, atol: 0), "\(r.name) ess_tail")
            #expect(close(MCMCDiagnostics.essMean(x), r.essMean, rtol: 1e-6, atol: 0), "\(r.name) ess_mean")
            #expect(close(MCMCDiagnostics.mcseMean(x), r.mcseMean, rtol: 1e-6, atol: 0), "\(r.name) mcse_mean")
            #expect(close(MCMCDiagnostics.mcseSD(x), r.mcseSD, rtol: 1e-6, atol: 0), "\(r.name) mcse_sd")
            #expect(close(MCMCDiagnostics.autocorrelation(x[0], maxLag: 2)[1], r.acf1, rtol: 1e-6, atol: 0), "\(r.name) acf")
        }
    }

    @Test("The summary table prints ArviZ's columns, one row per quantity")
    func summaryTable() {
        let s = MCMCSummary(chains: [Self.reference[0].draws, Self.reference[1].draws], names: ["a", "b"])
        let text = s.description
        #expect(text.contains("ess_bulk") && text.contains("r_hat") && text.contains("mcse_mean"))
        #expect(text.split(separator: "\n").count == 3)
        #expect(close(s.rows[1].rHat, 1.2689475383481983, rtol: 1e-6, atol: 0))
    }

    @Test("Identical chains give R̂ ≈ 1 and constant draws give ESS = the number of draws")
    func edgeCases() {
        let c = [[Double]](repeating: [Double](repeating: 3, count: 10), count: 2)
        #expect(MCMCDiagnostics.effectiveSampleSize(c) == 20)
        #expect(MCMCDiagnostics.rhat([[1, 2]]).isNaN)
    }
}
