import NablaTensor
import NablaAutograd
import NablaLayers
import NablaOptimizers
import NablaData

/// What one training step reports: the loss to differentiate, and what the epoch's metrics are
/// averaged from.
public struct StepResult<Scalar: TensorFloatingPoint> {
    /// The mean loss of the batch; the trainer calls `backward()` on it.
    public var loss: Variable<Scalar>
    /// The batch's sample count (weights the epoch's mean loss and the samples/s).
    public var count: Int
    /// How many samples were classified correctly, when the model is a classifier: the epoch then
    /// reports `accuracy`.
    public var correct: Int?

    /// A step's result.
    public init(loss: Variable<Scalar>, count: Int, correct: Int? = nil) {
        self.loss = loss
        self.count = count
        self.correct = correct
    }
}

/// A small training loop: for each epoch, for each batch, zero the gradients, compute the loss,
/// `backward()`, `optimizer.step()`; then the callbacks (validation, schedules, early stopping,
/// checkpoints), the ``history`` and the ``progress`` display.
///
/// It is a helper, not a framework: the plain loop stays a few lines and nothing here is needed to
/// write it.
///
/// ```swift
/// let trainer = Trainer(model: model, optimizer: try Adam(model, learningRate: 1e-2),
///                       callbacks: [EarlyStopping(monitor: "val_loss", patience: 5)])
/// trainer.callbacks.insert(Validation { m in ["loss": …, "accuracy": …] }, at: 0)
/// let history = trainer.fit(loader, epochs: 20) { batch in
///     let logits = model(batch.inputs)
///     return StepResult(loss: crossEntropy(logits, labels), count: batch.indices.count,
///                       correct: correctCount(logits.value, labels))
/// }
/// ```
///
/// `fit` continues from ``epoch``: after restoring a ``TrainingCheckpoint`` set ``epoch`` and
/// ``step`` from it and call `fit` with the same total `epochs`.
public final class Trainer<Scalar: TensorFloatingPoint> {
    /// The model being trained (put in training mode by `fit`).
    public let model: any Module<Scalar>
    /// The optimizer.
    public let optimizer: any Optimizer<Scalar>
    /// Run in order after every batch and epoch.
    public var callbacks: [any TrainingCallback<Scalar>]
    /// The progress display.
    public var progress: ProgressDisplay
    /// Every epoch's metrics so far.
    public internal(set) var history = History()
    /// Optimizer steps taken.
    public var step = 0
    /// Epochs completed.
    public var epoch = 0
    /// The `epochs` of the running (or last) `fit`.
    public internal(set) var totalEpochs = 0
    /// Set by a callback (``EarlyStopping``) to end training after the current epoch.
    public var stopTraining = false

    /// A trainer of `model` with `optimizer`.
    ///
    /// - Parameters:
    ///   - model: the model; its parameters should be the optimizer's.
    ///   - optimizer: any NablaOptimizers optimizer.
    ///   - callbacks: run in order after each epoch (``Validation`` first, so the others see `val_` metrics).
    ///   - progress: the display; `ProgressDisplay(mode: .off)` for none.
    public init(model: any Module<Scalar>, optimizer: any Optimizer<Scalar>,
                callbacks: [any TrainingCallback<Scalar>] = [], progress: ProgressDisplay = ProgressDisplay()) {
        self.model = model
        self.optimizer = optimizer
        self.callbacks = callbacks
        self.progress = progress
    }

    /// Trains until `epochs` epochs are complete (from ``epoch``), or a callback stops it.
    ///
    /// - Parameters:
    ///   - epochs: the total number of epochs (not the number still to run).
    ///   - batchesPerEpoch: the number of batches, for the bar and the ETA (nil when unknown).
    ///   - batches: the batches of epoch `e` (from 0), e.g. `{ loader.epoch($0) }`.
    ///   - body: computes the loss of one batch; the trainer differentiates it and steps.
    /// - Returns: ``history``.
    @discardableResult
    public func fit<Batches: Sequence>(epochs: Int, batchesPerEpoch: Int? = nil,
                                       batches: (Int) -> Batches,
                                       step body: (Batches.Element) -> StepResult<Scalar>) -> History {
        stopTraining = false
        totalEpochs = epochs
        model.train()
        progress.trainingWillBegin(startEpoch: epoch, totalEpochs: epochs)
        for c in callbacks { c.trainingWillBegin(self) }
        var ran = 0
        while epoch < epochs && !stopTraining {
            let e = epoch + 1
            progress.epochWillBegin(e)
            var lossSum = 0.0, samples = 0, correct = 0, hasAccuracy = false, batch = 0
            for b in batches(epoch) {
                optimizer.zeroGradients()
                let result = body(b)
                result.loss.backward()
                optimizer.step()
                step += 1
                batch += 1
                let loss = Double(result.loss.value.scalar)
                lossSum += loss * Double(result.count)
                samples += result.count
                if let c = result.correct { correct += c; hasAccuracy = true }
                for c in callbacks { c.batchDidEnd(self, loss: loss) }
                var running: TrainingLogs = ["loss": lossSum / Double(max(samples, 1))]
                if hasAccuracy { running["accuracy"] = Double(correct) / Double(max(samples, 1)) }
                progress.batchDidEnd(epoch: e, batch: batch, batches: batchesPerEpoch, samples: samples, logs: running)
            }
            epoch = e
            ran += 1
            var logs: TrainingLogs = ["loss": lossSum / Double(max(samples, 1))]
            if hasAccuracy { logs["accuracy"] = Double(correct) / Double(max(samples, 1)) }
            for c in callbacks { c.epochDidEnd(self, logs: &logs) }
            history.append(epoch: e, logs)
            progress.epochDidEnd(e, samples: samples, logs: logs)
        }
        for c in callbacks { c.trainingDidEnd(self) }
        progress.trainingDidEnd(epochs: ran)
        return history
    }

    /// Trains on a `DataLoader`: epoch `e` is `loader.epoch(e)`, so a resumed run sees the same
    /// shuffles as an uninterrupted one.
    /// - Returns: ``history``.
    @discardableResult
    public func fit<D: Dataset, Batch: Sendable>(_ loader: DataLoader<D, Batch>, epochs: Int,
                                                 step body: (Batch) -> StepResult<Scalar>) -> History {
        fit(epochs: epochs, batchesPerEpoch: loader.batchesPerEpoch, batches: { loader.epoch($0) }, step: body)
    }

    /// Trains on one fixed batch (full-batch gradient descent): each epoch is one step on `batch`.
    /// - Returns: ``history``.
    @discardableResult
    public func fit<Batch>(fullBatch batch: Batch, epochs: Int, step body: (Batch) -> StepResult<Scalar>) -> History {
        fit(epochs: epochs, batchesPerEpoch: 1, batches: { _ in CollectionOfOne(batch) }, step: body)
    }
}

/// The number of rows of `logits` (`[N, C]`) whose largest entry is at the label's index: the
/// `correct` of a ``StepResult``.
public func correctCount<S: TensorFloatingPoint>(logits: Tensor<S>, labels: Tensor<Int>) -> Int {
    precondition(logits.rank == 2 && labels.shape == [logits.shape[0]],
                 "correctCount: expected logits [N, C] and labels [N], got \(logits.shape) and \(labels.shape)")
    let c = logits.shape[1]
    let v = logits.scalars, y = labels.scalars
    var right = 0
    for i in 0..<logits.shape[0] {
        var best = 0
        for j in 1..<c where v[i * c + j] > v[i * c + best] { best = j }
        if best == y[i] { right += 1 }
    }
    return right
}
