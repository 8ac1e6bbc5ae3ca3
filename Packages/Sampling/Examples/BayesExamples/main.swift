// Writes the figures of docs/bayesian.md.
//
//     swift run --package-path Packages/Sampling bayes-examples degree16 docs/figures
//     swift run --package-path Packages/Sampling bayes-examples bnn docs/figures
//     swift run --package-path Packages/Sampling bayes-examples all docs/figures
import Foundation
import NablaSampling
import NablaPlot
import NablaData

let args = CommandLine.arguments.dropFirst()
let command = args.first ?? "all"
let directory = args.dropFirst().first ?? "."
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

func write(_ figure: Figure, _ name: String) throws {
    let path = (directory as NSString).appendingPathComponent(name)
    try figure.write(to: path)
    print("wrote \(path)")
}

/// The probit data of BayesianProbitRegressionTests (benchmarks/bayes_integration_reference.py,
/// `probit_data`): x = −2 + 4i/39, t = [1.3x − 0.3 + 0.9 sin(2.3i) > 0], design columns of [1, x].
func probitData(columns: [Int]) -> (Tensor<Double>, Tensor<Double>) {
    var phi: [Double] = [], t: [Double] = []
    for k in 0..<40 {
        let i = Double(k), x = -2 + 4 * i / 39
        phi += columns.map { [1, x][$0] }
        t.append(1.3 * x - 0.3 + 0.9 * sin(2.3 * i) > 0 ? 1 : 0)
    }
    return (Tensor(shape: [40, columns.count], scalars: phi), Tensor(t))
}

switch command {
case "degree16":
    try write(BayesianFigures.polynomialDegree(16), "bayes-degree16.svg")
case "data":
    // The sine-regression data, for benchmarks/bayes_sklearn_reference.py.
    let data = Generators.sineRegression()
    let csv = "x,y\n" + zip(data.x.scalars, data.y.scalars).map { "\($0),\($1)" }.joined(separator: "\n") + "\n"
    let path = (directory as NSString).appendingPathComponent("sine-regression.csv")
    try csv.write(toFile: path, atomically: true, encoding: .utf8)
    print("wrote \(path)")
case "probit-nuts":
    // The long NUTS reference of BayesianProbitRegressionTests: 4 chains × 50 000 draws of the
    // exact probit posterior (Σ₀ = I) on the tests' data, [1, x] and [x].
    for columns in [[0, 1], [1]] {
        let (phi, t) = probitData(columns: columns)
        let target = try BayesianProbitRegression.logPosterior(design: phi, targets: t)
        let config = MCMCConfiguration(chains: 4, warmup: 2000, draws: 50_000)
        let run = try MCMC.sample(target, kernel: .nuts(), configuration: config, seed: 2026)
        let s = run.summary()
        print("design columns \(columns): mean \(run.mean.map { "\($0)" }.joined(separator: ", "))")
        print(s)
    }
case "bnn":
    try write(BayesianFigures.bayesianNeuralNetwork(), "bayes-bnn.svg")
case "all":
    try write(BayesianFigures.polynomialDegree(16), "bayes-degree16.svg")
    try write(BayesianFigures.bayesianNeuralNetwork(), "bayes-bnn.svg")
default:
    print("usage: bayes-examples [degree16|bnn|data|probit-nuts|all] [directory]")
    exit(2)
}
