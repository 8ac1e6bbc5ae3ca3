// Writes the figures of docs/bayesian.md.
//
//     swift run --package-path Packages/Sampling bayes-examples degree16 docs/figures
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
case "all":
    try write(BayesianFigures.polynomialDegree(16), "bayes-degree16.svg")
default:
    print("usage: bayes-examples [degree16|data|all] [directory]")
    exit(2)
}
