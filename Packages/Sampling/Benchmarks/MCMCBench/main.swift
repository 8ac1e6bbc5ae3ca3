// Release-mode MCMC benchmark: NUTS effective samples per second on an ill-conditioned 100-D
// Gaussian N(0, diag(σ²)), σᵢ log-spaced from 0.1 to 10 (the model of benchmarks/numpyro_mcmc_bench.py).
//   swift run -c release --package-path Packages/Sampling MCMCBench [repeats]
// 4 chains × (1000 warm-up + 1000 draws), diagonal metric, target acceptance 0.8, max tree depth 10.
// Two gradients: hand-written (analytic) and Autograd (a closure over a Variable). Prints, per run,
// the wall time (warm-up included), the bulk ESS (min and mean over the 100 components, ArviZ's
// method) and ESS per second, gradient evaluations and the step size.
import Foundation
import NablaSampling

// The machine, as every benchmark prints it (docs/performance.md records it beside each table).
print("# \(VectorLevel.summary)")

let repeats = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1])! : 3
let d = 100
let scales = (0..<d).map { pow(10, -1 + 2 * Double($0) / Double(d - 1)) }
let precision = scales.map { 1 / ($0 * $0) }

struct AnalyticGaussian: DifferentiableLogDensity {
    let precision: [Double]
    var dimension: Int { precision.count }
    func logDensity(at x: [Double], gradient: inout [Double]) -> Double {
        var s = 0.0
        for i in 0..<precision.count {
            let z = x[i] * precision[i]
            gradient[i] = -z
            s += x[i] * z
        }
        return -0.5 * s
    }
}

let precisionTensor = Tensor<Double>(precision)
let autograd = LogDensityFunction<Double> { x in (x * x * precisionTensor).sum() * -0.5 }

func run(_ name: String, _ body: (UInt64) throws -> MCMCResult) rethrows {
    for rep in 0..<repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let r = try body(UInt64(rep))
        let secs = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let ess = (0..<d).map { MCMCDiagnostics.essBulk(r.chains(of: $0)) }
        let minESS = ess.min()!, meanESS = ess.reduce(0, +) / Double(d)
        let grads = r.statistics.joined().map(\.leapfrogSteps).reduce(0, +)
        let rhat = (0..<d).map { MCMCDiagnostics.rhat(r.chains(of: $0)) }.max()!
        print(String(format: "nabla %-9@ run %d: %.3f s (warm-up incl.), ESS bulk min %.0f mean %.0f, min ESS/s %.0f, mean ESS/s %.0f, "
                     + "grads/draw %.1f, step %.3f, max R̂ %.4f, divergences %d, threads %d",
                     name as NSString, rep, secs, minESS, meanESS, minESS / secs, meanESS / secs,
                     Double(grads) / Double(r.chainCount * r.drawCount), r.stepSizes.reduce(0, +) / 4, rhat,
                     r.divergences.reduce(0, +), Parallel.threadCount))
    }
}

let config = MCMCConfiguration(chains: 4, warmup: 1000, draws: 1000)
try run("analytic") { try MCMC.sample(AnalyticGaussian(precision: precision), kernel: .nuts(), configuration: config, seed: $0) }
try run("autograd") { try MCMC.sample(logDensity: autograd, dimension: d, kernel: .nuts(), configuration: config, seed: $0) }
