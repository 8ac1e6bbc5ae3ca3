import Foundation
import NablaTensor
import NablaAutograd
import NablaLayers
import NablaOptimizers
import NablaData
import NablaPlot

/// The spiral classifier of the course (003_d1365abd389278e8.txt): a 2-100-3 ReLU network,
/// `h = relu(W_h x + b_h)`, `ŷ = W_y h + b_y`, trained with cross-entropy and Adam (lr 1e-2) on the
/// full batch of the three-class spiral (`Generators.spiral`, 3 × 100 points, noise 0.2).
///
/// The demo (`swift run nabla-demo`), its test and the training benchmark all run this code, so the
/// accuracy the test asserts is the one the demo prints.
///
/// ```swift
/// let run = try SpiralExample.train(progress: ProgressDisplay(lineEvery: 500))
/// print(run.accuracy)                                   // ≥ 0.99
/// try run.lossFigure().write(to: "spiral-loss.svg")
/// try run.regionsFigure().write(to: "spiral-regions.svg")
/// ```
public enum SpiralExample {
    /// The result of a run.
    public struct Run {
        /// The spiral's points (`[300, 2]`) and labels.
        public var data: LabeledPoints
        /// The trained network: `Linear(2, 100)`, `ReLU`, `Linear(100, 3)`.
        public var model: Sequential<Float>
        /// Loss and accuracy per step (one epoch is one full-batch step).
        public var history: History
        /// The training accuracy after the last step.
        public var accuracy: Double

        /// The loss (and accuracy) against the step.
        public func lossFigure() -> Figure {
            var fig = Figure(title: "Spiral classifier: cross-entropy, full batch, Adam lr 1e-2", xLabel: "step", yLabel: "")
            fig.yRange = 0...1.35   // room for the legend above the accuracy curve
            fig.line(x: history.epochs.map(Double.init), y: history["loss"], label: "loss", color: Color.palette[0])
            fig.line(x: history.epochs.map(Double.init), y: history["accuracy"], label: "accuracy", color: Color.palette[1])
            return fig
        }

        /// The class the network predicts on a grid over the data, with the data on top.
        public func regionsFigure(resolution: Int = 150) -> Figure {
            let xs = (0...resolution).map { -1.3 + 2.6 * Double($0) / Double(resolution) }
            var grid: [Float] = []
            grid.reserveCapacity(xs.count * xs.count * 2)
            for y in xs { for x in xs { grid.append(Float(x)); grid.append(Float(y)) } }
            let logits = model(Tensor(shape: [xs.count * xs.count, 2], scalars: grid)).value
            let predicted = logits.argmax(axis: -1).scalars.map { Int($0) }
            let classes = xs.indices.map { row in Array(predicted[(row * xs.count)..<((row + 1) * xs.count)]) }
            let p = data.points.scalars
            var fig = Figure(width: 520, height: 520,
                             title: "2-100-3 ReLU: training accuracy \(String(format: "%.1f", accuracy * 100))%",
                             xLabel: "x₁", yLabel: "x₂")
            fig.decisionRegions(xs: xs, ys: xs, classes: classes)
            fig.scatter(x: stride(from: 0, to: p.count, by: 2).map { p[$0] }, y: stride(from: 1, to: p.count, by: 2).map { p[$0] },
                        classes: data.labels.scalars.map(Int.init))
            return fig
        }
    }

    /// The network, its weights drawn from `PhiloxGenerator(seed: seed)` (PyTorch's `nn.Linear` init).
    public static func model(seed: UInt64 = 0) -> Sequential<Float> {
        var g = PhiloxGenerator(seed: seed)
        return Sequential<Float>(Linear(2, 100, using: &g), ReLU(), Linear(100, 3, using: &g))
    }

    /// Trains the network for `steps` full-batch Adam steps and reports its training accuracy.
    ///
    /// - Parameters:
    ///   - steps: optimizer steps (the course uses up to 3000; 1000 is enough here).
    ///   - learningRate: Adam's learning rate.
    ///   - dataSeed: the spiral's seed.
    ///   - initSeed: the weights' seed.
    ///   - progress: the display (`ProgressDisplay(mode: .off)` for none).
    /// - Throws: only for invalid hyper-parameters.
    public static func train(steps: Int = 1000, learningRate: Double = 1e-2, dataSeed: UInt64 = 0, initSeed: UInt64 = 0,
                             progress: ProgressDisplay = ProgressDisplay(mode: .off)) throws -> Run {
        let data = Generators.spiral(classes: 3, pointsPerClass: 100, noise: 0.2, seed: dataSeed)
        let x = data.points.converted(to: Float.self)
        let y = Tensor<Int>(shape: data.labels.shape, scalars: data.labels.scalars.map(Int.init))
        let model = model(seed: initSeed)
        let adam = try Adam(model, learningRate: learningRate)
        let trainer = Trainer(model: model, optimizer: adam, progress: progress)
        let history = trainer.fit(fullBatch: (x, y), epochs: steps) { batch in
            let logits = model(batch.0)
            return StepResult(loss: crossEntropy(logits, batch.1), count: batch.1.count,
                              correct: correctCount(logits: logits.value, labels: batch.1))
        }
        let accuracy = Double(correctCount(logits: model(x).value, labels: y)) / Double(y.count)
        return Run(data: data, model: model, history: history, accuracy: accuracy)
    }
}
