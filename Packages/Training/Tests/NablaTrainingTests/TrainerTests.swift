import Foundation
import Testing
@testable import NablaTraining

/// A clock that advances 0.25 s at each reading.
final class FakeClock: @unchecked Sendable {
    var now = 0.0
    func read() -> Double { defer { now += 0.25 }; return now }
}

/// Collects what a display writes.
final class Captured: @unchecked Sendable {
    var text = ""
}

@Suite("Trainer, callbacks and progress display")
struct TrainerTests {
    /// A tiny regression problem: y = 2x + 1 with a Linear(1, 1).
    func problem() -> (Linear<Double>, Tensor<Double>, Tensor<Double>) {
        var g = PhiloxGenerator(seed: 0)
        let model = Linear<Double>(1, 1, using: &g)
        let x = Tensor<Double>(shape: [8, 1], scalars: (0..<8).map { Double($0) / 8 })
        return (model, x, x * 2 + 1)
    }

    @Test func plainLinesAreExact() throws {
        let (model, x, y) = problem()
        let out = Captured(), clock = FakeClock()
        let display = ProgressDisplay(mode: .lines, output: { out.text += $0 }, clock: clock.read)
        let trainer = Trainer(model: model, optimizer: try SGD(model, learningRate: 0.1), progress: display)
        let data = TensorDataset(inputs: x, targets: y)
        let loader = DataLoader(data, batchSize: 4)
        let losses = LambdaCallback<Double>(onEpoch: { _, logs in logs["val_loss"] = 0.5 })
        trainer.callbacks = [losses]
        trainer.fit(loader, epochs: 3) { batch in
            StepResult(loss: mseLoss(model(batch.inputs), batch.targets), count: batch.indices.count)
        }
        let h = trainer.history
        #expect(out.text == """
            epoch 1/3: loss 1.266, val_loss 0.5000 (8 samples, 250.0 ms, 32 samples/s)
            epoch 2/3: loss 0.5844, val_loss 0.5000 (8 samples, 250.0 ms, 32 samples/s)
            epoch 3/3: loss 0.3625, val_loss 0.5000 (8 samples, 250.0 ms, 32 samples/s)
            trained 3 epochs in 1.75 s

            """)
        #expect(h.count == 3 && h.names == ["loss", "val_loss"])
        #expect(h["loss"][2] < h["loss"][0])
    }

    @Test func lineEveryAndOff() throws {
        let (model, x, y) = problem()
        let out = Captured()
        let display = ProgressDisplay(mode: .lines, lineEvery: 4, output: { out.text += $0 }, clock: FakeClock().read)
        let trainer = Trainer(model: model, optimizer: try SGD(model, learningRate: 0.1), progress: display)
        trainer.fit(fullBatch: (x, y), epochs: 10) { b in StepResult(loss: mseLoss(model(b.0), b.1), count: 8) }
        let epochs = out.text.split(separator: "\n").compactMap { $0.split(separator: ":").first }.filter { $0.hasPrefix("epoch") }
        #expect(epochs == ["epoch 1/10", "epoch 4/10", "epoch 8/10", "epoch 10/10"])

        let silent = Captured()
        let off = Trainer(model: model, optimizer: try SGD(model, learningRate: 0.1),
                          progress: ProgressDisplay(mode: .off, output: { silent.text += $0 }))
        off.fit(fullBatch: (x, y), epochs: 3) { b in StepResult(loss: mseLoss(model(b.0), b.1), count: 8) }
        #expect(silent.text.isEmpty)
    }

    @Test func terminalUpdatesInPlace() throws {
        let (model, x, y) = problem()
        let out = Captured()
        let display = ProgressDisplay(mode: .terminal, barWidth: 4, refreshInterval: 0, output: { out.text += $0 }, clock: FakeClock().read)
        let trainer = Trainer(model: model, optimizer: try SGD(model, learningRate: 0.1), progress: display)
        let loader = DataLoader(TensorDataset(inputs: x, targets: y), batchSize: 4)
        trainer.fit(loader, epochs: 2) { b in StepResult(loss: mseLoss(model(b.inputs), b.targets), count: 4, correct: 2) }
        // In-place updates: carriage return, text, erase to end of line; a newline after each epoch.
        #expect(out.text.hasPrefix("\repoch 1/2 · |██··| 1/2 · loss "))
        #expect(out.text.contains("accuracy 0.5000"))
        #expect(out.text.contains("samples/s · ETA "))
        #expect(out.text.contains("\u{1B}[K"))
        #expect(out.text.components(separatedBy: "\n").count == 4)   // two epochs, the summary, trailing ""
        #expect(out.text.contains("\repoch 2/2: loss "))
    }

    @Test func earlyStoppingAndBestCheckpoint() throws {
        let (model, x, y) = problem()
        let path = temporaryPath("safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A validation metric that improves for 3 epochs, then gets worse.
        let scores: [Double] = [5, 4, 3, 3.5, 3.6, 3.7, 3.8, 1, 1]
        let validation = Validation<Double> { _ in ["loss": 0] }
        let fake = LambdaCallback<Double>(onEpoch: { t, logs in logs["val_loss"] = scores[t.epoch - 1] })
        let stopping = EarlyStopping<Double>(monitor: "val_loss", patience: 3, restoreBestWeights: true)
        let best = BestModelCheckpoint<Double>(path: path, monitor: "val_loss")
        var weightsAtBest: StateDict<Double>?
        let spy = LambdaCallback<Double>(onEpoch: { t, _ in if t.epoch == 3 { weightsAtBest = t.model.stateDict() } })
        let trainer = Trainer(model: model, optimizer: try SGD(model, learningRate: 0.1),
                              callbacks: [validation, fake, stopping, best, spy], progress: ProgressDisplay(mode: .off))
        let h = trainer.fit(fullBatch: (x, y), epochs: 9) { b in StepResult(loss: mseLoss(model(b.0), b.1), count: 8) }
        #expect(h.count == 6)
        #expect(stopping.stoppedEpoch == 6 && stopping.bestEpoch == 3 && stopping.best == 3)
        #expect(best.savedEpoch == 3 && best.lastError == nil)
        #expect(model.stateDict() == weightsAtBest)             // restored
        let saved = Linear<Double>(1, 1)
        try saved.load(contentsOf: path)
        #expect(saved.stateDict() == weightsAtBest)
        #expect(h["val_loss"] == [5, 4, 3, 3.5, 3.6, 3.7])
    }

    @Test func scheduleAndResumeWithFit() throws {
        // fit to 6 epochs straight equals fit to 3, whole-run checkpoint, restore, fit to 6.
        func make() throws -> (Linear<Double>, SGD<Double>, StepLR<Double>, Trainer<Double>) {
            let (model, _, _) = problem()
            let sgd = try SGD(model, learningRate: 0.1, momentum: 0.9)
            let schedule = try StepLR(sgd, stepSize: 2, gamma: 0.5)
            let trainer = Trainer(model: model, optimizer: sgd, callbacks: [LearningRateSchedule<Double>(schedule)],
                                  progress: ProgressDisplay(mode: .off))
            return (model, sgd, schedule, trainer)
        }
        let (_, x, y) = problem()
        let loader = DataLoader(TensorDataset(inputs: x, targets: y), batchSize: 3, shuffle: true, seed: 4)
        func body(_ model: Linear<Double>) -> (TensorBatch<Double, Double>) -> StepResult<Double> {
            { b in StepResult(loss: mseLoss(model(b.inputs), b.targets), count: b.indices.count) }
        }
        let (mA, _, _, tA) = try make()
        tA.fit(loader, epochs: 6, step: body(mA))
        #expect(tA.history["lr"] == [0.1, 0.05, 0.05, 0.025, 0.025, 0.0125])

        let (mB, oB, sB, tB) = try make()
        tB.fit(loader, epochs: 3, step: body(mB))
        let path = temporaryPath("nabla")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TrainingCheckpoint.save(model: mB, optimizer: oB, scheduler: sB, step: tB.step, epoch: tB.epoch, to: path)
        let (mC, oC, sC, tC) = try make()
        let run = try TrainingCheckpoint.restore(from: path, model: mC, optimizer: oC, scheduler: sC)
        tC.step = run.step
        tC.epoch = run.epoch
        tC.fit(loader, epochs: 6, step: body(mC))
        #expect(mC.stateDict() == mA.stateDict())
        #expect(tC.step == tA.step && tC.history["lr"] == [0.025, 0.025, 0.0125])
    }

    @Test func metricFormat() {
        #expect(formatMetric(0.41) == "0.4100")
        #expect(formatMetric(1234) == "1234")
        #expect(formatMetric(12.3456) == "12.35")
        #expect(formatMetric(1.5e-5) == "1.500e-05")
        #expect(formatMetric(0) == "0")
        #expect(formatSeconds(0.00018) == "180 µs" && formatSeconds(0.0125) == "12.5 ms" && formatSeconds(3.254) == "3.25 s")
        let logs: TrainingLogs = ["loss": 0.25, "accuracy": 1]
        #expect(logs.description == "loss 0.2500, accuracy 1.000")
    }
}
