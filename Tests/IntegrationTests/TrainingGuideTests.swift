import Foundation
import Testing
import Nabla

/// The training samples of README.md and the NablaTraining catalog overview, run through the
/// umbrella module.
@Suite("Training guide examples")
struct TrainingGuideTests {
    @Test func readmeTraining() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nabla-readme-\(UUID().uuidString).nabla").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let data = Generators.spiral(classes: 3, pointsPerClass: 100, noise: 0.2, seed: 0)
        let xs = data.points.converted(to: Float.self)
        let ys = Tensor<Int>(shape: [300], scalars: data.labels.scalars.map(Int.init))
        var g = PhiloxGenerator(seed: 0)
        let model = Sequential<Float>(Linear(2, 100, using: &g), ReLU(), Linear(100, 3, using: &g))
        let adam = try Adam(model, learningRate: 1e-2)
        let trainer = Trainer(model: model, optimizer: adam, progress: ProgressDisplay(mode: .off, lineEvery: 250))
        trainer.fit(fullBatch: (xs, ys), epochs: 1000) { batch in
            let logits = model(batch.0)
            return StepResult(loss: crossEntropy(logits, batch.1), count: 300,
                              correct: correctCount(logits: logits.value, labels: batch.1))
        }
        try TrainingCheckpoint.save(model: model, optimizer: adam, step: trainer.step, epoch: trainer.epoch, to: path)
        #expect(trainer.history.last!["accuracy"]! >= 0.99)
        let run = try TrainingCheckpoint(contentsOf: path)
        #expect(run.step == 1000 && run.epoch == 1000)
        // The same code as SpiralExample: the same weights.
        let example = try SpiralExample.train(steps: 1000)
        #expect(example.model.stateDict() == model.stateDict())
    }
}
