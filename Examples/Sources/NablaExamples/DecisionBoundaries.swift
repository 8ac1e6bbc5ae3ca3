import Foundation
import NablaTensor
import NablaAutograd
import NablaLayers
import NablaOptimizers
import NablaData
import NablaPlot

/// The two "Neural Network Decision Boundaries" demos of 001_95bae65057cf9e0b.txt: 4 classes with a
/// two-hidden-layer ReLU network and an L2 penalty, and 2 classes with a one-hidden-layer network
/// and an L2 penalty.
///
/// The slide shows only the pictures, so the data and sizes are ours:
/// - 4 classes: the 4-arm spiral `Generators.spiral(classes: 4, pointsPerClass: 100, noise: 0.2,
///   seed: 21)`; network `Linear(2, 32)`, `ReLU`, `Linear(32, 32)`, `ReLU`, `Linear(32, 4)`;
///   loss mean cross-entropy + λ·Σw² over the weight matrices (not the biases), λ = 1e-3.
/// - 2 classes: two moons `Generators.twoMoons(pointsPerClass: 100, noise: 0.2, seed: 24)`;
///   network `Linear(2, 16)`, `ReLU`, `Linear(16, 2)`; the same loss with λ = 1e-3.
///
/// Both in Double, weights from `PhiloxGenerator(seed: 23)` (PyTorch's `nn.Linear` init), full-batch
/// `Adam` (lr 1e-2) for `steps` steps. The test accuracy is on fresh data: the spiral with t drawn
/// uniformly (seed 22), the moons with seed 25.
public struct DecisionBoundariesResult: Sendable {
    /// One trained classifier.
    public struct Run: Sendable {
        /// The layer sizes, e.g. `[2, 32, 32, 4]`.
        public var sizes: [Int]
        /// The L2 strength λ.
        public var lambda: Double
        /// Mean cross-entropy (without the penalty) and the penalty λ·Σw² after training.
        public var loss: Double, penalty: Double
        /// Accuracy on the training points and on fresh points (see ``DecisionBoundariesResult``).
        public var trainingAccuracy: Double, testAccuracy: Double
    }
    /// The 4-class spiral and the 2-class moons.
    public var fourClass: Run, twoClass: Run
    /// The figures `decision-boundaries-4-class.svg` and `decision-boundaries-2-class.svg`.
    public var figures: [(name: String, svg: String)]
}

/// The two problems of ``decisionBoundaries(steps:)``: training and test points, layer sizes, title.
func decisionBoundaryProblems() -> [(data: LabeledPoints, test: LabeledPoints, sizes: [Int], title: String)] {
    [(Generators.spiral(classes: 4, pointsPerClass: 100, noise: 0.2, seed: 21),
      Generators.spiral(classes: 4, pointsPerClass: 100, noise: 0.2, randomT: true, seed: 22),
      [2, 32, 32, 4], "4 classes, 2-32-32-4 ReLU, L2"),
     (Generators.twoMoons(pointsPerClass: 100, noise: 0.2, seed: 24),
      Generators.twoMoons(pointsPerClass: 100, noise: 0.2, seed: 25),
      [2, 16, 2], "2 classes, 2-16-2 ReLU, L2")]
}

/// `Linear` layers of `sizes` with `ReLU` between them, weights from `PhiloxGenerator(seed: 23)`.
func decisionBoundaryModel(sizes: [Int]) -> Sequential<Double> {
    var g = PhiloxGenerator(seed: 23)
    var layers: [any Layer<Double>] = []
    for k in 1..<sizes.count {
        layers.append(Linear<Double>(sizes[k - 1], sizes[k], using: &g))
        if k < sizes.count - 1 { layers.append(ReLU<Double>()) }
    }
    return Sequential<Double>(layers)
}

/// The network ``decisionBoundaryModel(sizes:)``, cross-entropy plus `lambda`·Σw² over its weight
/// matrices, trained by full-batch Adam; returns its run and the figure.
func trainDecisionBoundary(data: LabeledPoints, test: LabeledPoints, sizes: [Int], lambda: Double, steps: Int,
                           title: String) throws -> (run: DecisionBoundariesResult.Run, figure: Figure) {
    let model = decisionBoundaryModel(sizes: sizes)
    let x = data.points, y = Tensor<Int>(data.labels.scalars.map(Int.init))

    // The training loop: cross-entropy + λ·Ω(w), one Adam step per pass.
    let adam = try Adam(model, learningRate: 1e-2)
    for _ in 0..<steps {
        adam.zeroGradients()
        let loss = crossEntropy(model(x), y) + lambda * l2Penalty(model) { $0.hasSuffix("weight") }
        loss.backward()
        adam.step()
    }

    let logits = model(x)
    let run = DecisionBoundariesResult.Run(
        sizes: sizes, lambda: lambda,
        loss: crossEntropy(logits, y).value.scalar,
        penalty: lambda * l2Penalty(model) { $0.hasSuffix("weight") }.value.scalar,
        trainingAccuracy: accuracy(logits: logits.value, labels: y),
        testAccuracy: accuracy(logits: model(test.points).value, labels: Tensor<Int>(test.labels.scalars.map(Int.init))))

    // The predicted class on a grid, then the data on top.
    let p = x.scalars
    let px = stride(from: 0, to: p.count, by: 2).map { p[$0] }, py = stride(from: 1, to: p.count, by: 2).map { p[$0] }
    let pad = 0.25
    let xs = linspace(px.min()! - pad, px.max()! + pad, 161), ys = linspace(py.min()! - pad, py.max()! + pad, 161)
    let grid = Tensor<Double>(shape: [ys.count * xs.count, 2], scalars: ys.flatMap { b in xs.flatMap { a in [a, b] } })
    let predicted = model(grid).value.argmax(axis: -1).scalars.map { Int($0) }
    var fig = Figure(width: 560, height: 520,
                     title: title + String(format: ": training accuracy %.1f%%", run.trainingAccuracy * 100),
                     xLabel: "x₁", yLabel: "x₂")
    fig.decisionRegions(xs: xs, ys: ys, classes: ys.indices.map { Array(predicted[($0 * xs.count)..<(($0 + 1) * xs.count)]) })
    fig.scatter(x: px, y: py, classes: data.labels.scalars.map(Int.init))
    return (run, fig)
}

/// Trains both networks; see ``DecisionBoundariesResult``.
public func decisionBoundaries(steps: Int = 2000) throws -> DecisionBoundariesResult {
    let runs = try decisionBoundaryProblems().map { p in
        try trainDecisionBoundary(data: p.data, test: p.test, sizes: p.sizes, lambda: 1e-3, steps: steps, title: p.title)
    }
    let (four, two) = (runs[0], runs[1])
    return DecisionBoundariesResult(fourClass: four.run, twoClass: two.run,
                                    figures: [("decision-boundaries-4-class.svg", four.figure.svg()),
                                              ("decision-boundaries-2-class.svg", two.figure.svg())])
}

extension DecisionBoundariesResult {
    /// The printed summary.
    public var output: ExampleOutput {
        func line(_ name: String, _ r: Run) -> String {
            "\(name) \(r.sizes.map(String.init).joined(separator: "-")), λ = \(fmt(r.lambda, 3)): training accuracy \(fmt(r.trainingAccuracy, 4)), "
                + "test accuracy \(fmt(r.testAccuracy, 4)), cross-entropy \(fmt(r.loss, 6)), penalty \(fmt(r.penalty, 6))"
        }
        return ExampleOutput(lines: [line("4-class spiral", fourClass), line("2-class moons ", twoClass)], figures: figures)
    }
}
