import Foundation
import NablaTensor
import NablaSerialization
import NablaLayers
import NablaOptimizers

/// Code the ``Trainer`` runs at the start, after each batch, after each epoch and at the end.
/// Every method has an empty default; implement the ones you need.
public protocol TrainingCallback<Scalar>: AnyObject {
    /// The trainer's scalar type.
    associatedtype Scalar: TensorFloatingPoint
    /// Before the first epoch of `fit`.
    func trainingWillBegin(_ trainer: Trainer<Scalar>)
    /// After each optimizer step, with the batch's loss.
    func batchDidEnd(_ trainer: Trainer<Scalar>, loss: Double)
    /// After each epoch (``Trainer/epoch`` already counts it). Add metrics to `logs`; they reach the
    /// history and the display.
    func epochDidEnd(_ trainer: Trainer<Scalar>, logs: inout TrainingLogs)
    /// After the last epoch or an early stop.
    func trainingDidEnd(_ trainer: Trainer<Scalar>)
}

extension TrainingCallback {
    /// Does nothing.
    public func trainingWillBegin(_ trainer: Trainer<Scalar>) {}
    /// Does nothing.
    public func batchDidEnd(_ trainer: Trainer<Scalar>, loss: Double) {}
    /// Does nothing.
    public func epochDidEnd(_ trainer: Trainer<Scalar>, logs: inout TrainingLogs) {}
    /// Does nothing.
    public func trainingDidEnd(_ trainer: Trainer<Scalar>) {}
}

/// Evaluates the model on held-out data every `every` epochs (and the last), in evaluation mode:
/// `evaluate` returns metrics, added to the epoch's logs with the `val_` prefix.
///
/// ```swift
/// Validation<Float> { model in
///     let logits = (model as! Sequential<Float>)(validX).value
///     return ["loss": Double(crossEntropy(Variable(logits), validY).value.scalar),
///             "accuracy": accuracy(logits: logits, labels: validY)]
/// }
/// ```
public final class Validation<Scalar: TensorFloatingPoint>: TrainingCallback {
    /// Epochs between two evaluations (the last epoch is always evaluated).
    public let every: Int
    /// Put in front of each metric's name.
    public let prefix: String
    private let evaluate: (any Module<Scalar>) -> TrainingLogs

    /// Validation every `every` epochs; `evaluate` computes the metrics (`loss`, `accuracy`, …).
    public init(every: Int = 1, prefix: String = "val_", evaluate: @escaping (any Module<Scalar>) -> TrainingLogs) {
        self.every = every
        self.prefix = prefix
        self.evaluate = evaluate
    }

    /// The total epochs of the run, to always evaluate the last.
    private var totalEpochs = Int.max

    /// Records the run's length.
    public func trainingWillBegin(_ trainer: Trainer<Scalar>) { totalEpochs = trainer.totalEpochs }

    /// Evaluates in evaluation mode, then restores training mode, and adds the metrics.
    public func epochDidEnd(_ trainer: Trainer<Scalar>, logs: inout TrainingLogs) {
        guard trainer.epoch % every == 0 || trainer.epoch == totalEpochs else { return }
        trainer.model.eval()
        logs.merge(evaluate(trainer.model), prefix: prefix)
        trainer.model.train()
    }
}

/// Whether a lower or a higher value of a monitored metric is better.
public enum MetricMode: Sendable, Equatable {
    /// Lower is better (a loss).
    case min
    /// Higher is better (an accuracy).
    case max

    /// Whether `value` improves on `best` by more than `minDelta`.
    public func improves(_ value: Double, on best: Double?, minDelta: Double = 0) -> Bool {
        guard let best else { return !value.isNaN }
        switch self {
        case .min: return value < best - minDelta
        case .max: return value > best + minDelta
        }
    }
}

/// Stops training when a metric has not improved for `patience` epochs (Keras's `EarlyStopping`),
/// optionally putting back the best epoch's weights.
public final class EarlyStopping<Scalar: TensorFloatingPoint>: TrainingCallback {
    /// The metric watched (`val_loss` by default).
    public let monitor: String
    /// Lower or higher is better.
    public let mode: MetricMode
    /// Epochs without improvement tolerated.
    public let patience: Int
    /// The smallest change that counts as an improvement.
    public let minDelta: Double
    /// Whether to load the best epoch's weights when training stops.
    public let restoreBestWeights: Bool
    /// The best value so far.
    public private(set) var best: Double?
    /// The epoch of ``best``.
    public private(set) var bestEpoch = 0
    /// The epoch at which training was stopped, or nil.
    public private(set) var stoppedEpoch: Int?
    private var wait = 0
    private var bestWeights: StateDict<Scalar>?

    /// Early stopping on `monitor`.
    public init(monitor: String = "val_loss", mode: MetricMode = .min, patience: Int = 10, minDelta: Double = 0,
                restoreBestWeights: Bool = false) {
        self.monitor = monitor
        self.mode = mode
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBestWeights = restoreBestWeights
    }

    /// Resets the count.
    public func trainingWillBegin(_ trainer: Trainer<Scalar>) {
        wait = 0
        stoppedEpoch = nil
    }

    /// Records an improvement or counts an epoch without one; stops after `patience` such epochs.
    public func epochDidEnd(_ trainer: Trainer<Scalar>, logs: inout TrainingLogs) {
        guard let value = logs[monitor] else { return }
        if mode.improves(value, on: best, minDelta: minDelta) {
            best = value
            bestEpoch = trainer.epoch
            wait = 0
            if restoreBestWeights { bestWeights = trainer.model.stateDict() }
        } else {
            wait += 1
            if wait >= patience {
                trainer.stopTraining = true
                stoppedEpoch = trainer.epoch
            }
        }
    }

    /// Loads the best weights back when asked to and training stopped early.
    public func trainingDidEnd(_ trainer: Trainer<Scalar>) {
        if restoreBestWeights, stoppedEpoch != nil, let bestWeights { _ = try? trainer.model.load(stateDict: bestWeights) }
    }
}

/// Saves the model whenever a metric reaches a new best (Keras's `ModelCheckpoint(save_best_only=True)`).
/// The format follows the extension: `.safetensors` (weights, PyTorch-loadable) or `.nabla`
/// (weights, or the whole run with `wholeRun`).
public final class BestModelCheckpoint<Scalar: TensorFloatingPoint>: TrainingCallback {
    /// The file written.
    public let path: String
    /// The metric watched.
    public let monitor: String
    /// Lower or higher is better.
    public let mode: MetricMode
    /// Whether to save a whole-run ``TrainingCheckpoint`` (optimizer, step, epoch) instead of the weights.
    public let wholeRun: Bool
    /// The best value so far.
    public private(set) var best: Double?
    /// The epoch last saved.
    public private(set) var savedEpoch: Int?
    /// The last error writing the file, if any (training goes on).
    public private(set) var lastError: (any Error)?

    /// Best-model checkpointing to `path`.
    public init(path: String, monitor: String = "val_loss", mode: MetricMode = .min, wholeRun: Bool = false) {
        self.path = path
        self.monitor = monitor
        self.mode = mode
        self.wholeRun = wholeRun
    }

    /// Saves when `monitor` improves.
    public func epochDidEnd(_ trainer: Trainer<Scalar>, logs: inout TrainingLogs) {
        guard let value = logs[monitor], mode.improves(value, on: best) else { return }
        best = value
        do {
            if wholeRun {
                try TrainingCheckpoint.save(model: trainer.model, optimizer: trainer.optimizer, step: trainer.step,
                                            epoch: trainer.epoch, metadata: [monitor: .double(value)], to: path)
            } else {
                try trainer.model.saveWeights(to: path)
            }
            savedEpoch = trainer.epoch
        } catch {
            lastError = error
        }
    }
}

/// Steps a learning-rate schedule after every batch or every epoch, and logs the learning rate as `lr`.
public final class LearningRateSchedule<Scalar: TensorFloatingPoint>: TrainingCallback {
    /// When the schedule steps.
    public enum Frequency: Sendable {
        /// After every optimizer step (warm-up, one-cycle).
        case batch
        /// After every epoch (PyTorch's usual `scheduler.step()` per epoch).
        case epoch
    }

    /// The schedule.
    public let scheduler: any LearningRateScheduler
    /// When it steps.
    public let frequency: Frequency

    /// Steps `scheduler` at `frequency`.
    public init(_ scheduler: any LearningRateScheduler, every frequency: Frequency = .epoch) {
        self.scheduler = scheduler
        self.frequency = frequency
    }

    /// Steps when per batch.
    public func batchDidEnd(_ trainer: Trainer<Scalar>, loss: Double) {
        if frequency == .batch { scheduler.step() }
    }

    /// Steps when per epoch; logs `lr` (the rate the next epoch uses).
    public func epochDidEnd(_ trainer: Trainer<Scalar>, logs: inout TrainingLogs) {
        if frequency == .epoch { scheduler.step() }
        logs["lr"] = trainer.optimizer.learningRate
    }
}

/// Steps a `ReduceLROnPlateau` with a metric after every epoch, and logs `lr`.
public final class PlateauSchedule<Scalar: TensorFloatingPoint>: TrainingCallback {
    /// The schedule.
    public let scheduler: ReduceLROnPlateau<Scalar>
    /// The metric it is stepped with.
    public let monitor: String

    /// Steps `scheduler` with `monitor` (`val_loss` by default).
    public init(_ scheduler: ReduceLROnPlateau<Scalar>, monitor: String = "val_loss") {
        self.scheduler = scheduler
        self.monitor = monitor
    }

    /// Steps with the metric when the epoch has it.
    public func epochDidEnd(_ trainer: Trainer<Scalar>, logs: inout TrainingLogs) {
        if let value = logs[monitor] { scheduler.step(metric: value) }
        logs["lr"] = trainer.optimizer.learningRate
    }
}

/// A callback made of closures, for one-off needs (logging, custom stopping rules).
public final class LambdaCallback<Scalar: TensorFloatingPoint>: TrainingCallback {
    private let onEpoch: (Trainer<Scalar>, inout TrainingLogs) -> Void
    private let onBatch: (Trainer<Scalar>, Double) -> Void

    /// Runs `onBatch` after each step and `onEpoch` after each epoch.
    public init(onBatch: @escaping (Trainer<Scalar>, Double) -> Void = { _, _ in },
                onEpoch: @escaping (Trainer<Scalar>, inout TrainingLogs) -> Void = { _, _ in }) {
        self.onBatch = onBatch
        self.onEpoch = onEpoch
    }

    /// Runs `onBatch`.
    public func batchDidEnd(_ trainer: Trainer<Scalar>, loss: Double) { onBatch(trainer, loss) }
    /// Runs `onEpoch`.
    public func epochDidEnd(_ trainer: Trainer<Scalar>, logs: inout TrainingLogs) { onEpoch(trainer, &logs) }
}
