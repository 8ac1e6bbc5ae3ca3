/// Steps several schedules of one optimizer together, each applying its recursive rule to the
/// learning rate the previous one left: `torch.optim.lr_scheduler.ChainedScheduler`.
public final class ChainedScheduler<Scalar: TensorFloatingPoint>: LearningRateScheduler {
    /// The schedules, stepped in order.
    public let schedulers: [LRScheduler<Scalar>]
    /// The learning rate of each group after the last step.
    public internal(set) var lastLearningRates: [Double]

    /// Chains `schedulers`, which must drive the same optimizer.
    /// - Throws: ``OptimizerError`` for an empty list or schedules of different optimizers.
    public init(_ schedulers: [LRScheduler<Scalar>]) throws {
        guard let first = schedulers.first else {
            throw OptimizerError.invalidArgument("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.")
        }
        for s in schedulers where s.optimizer !== first.optimizer {
            throw OptimizerError.invalidArgument("ChainedScheduler expects all schedulers to belong to the same optimizer")
        }
        self.schedulers = schedulers
        lastLearningRates = first.currentLearningRates
    }

    /// Steps every schedule in order.
    public func step() {
        for s in schedulers { s.step() }
        lastLearningRates = schedulers.last!.currentLearningRates
    }
}

/// Runs schedules one after another, switching at milestones (warm-up then decay):
/// `torch.optim.lr_scheduler.SequentialLR`.
///
/// ```swift
/// let warmup = try LinearLR(optimizer, startFactor: 0.1, totalIterations: 5)
/// let decay = try CosineAnnealingLR(optimizer, period: 95)
/// let schedule = try SequentialLR(optimizer, schedulers: [warmup, decay], milestones: [5])
/// ```
public final class SequentialLR<Scalar: TensorFloatingPoint>: LearningRateScheduler {
    /// The schedules, in order.
    public let schedulers: [LRScheduler<Scalar>]
    /// The steps at which the next schedule takes over.
    public let milestones: [Int]
    /// The optimizer.
    public let optimizer: any Optimizer<Scalar>
    /// The index of the last step.
    public internal(set) var lastEpoch: Int
    /// The learning rate of each group after the last step.
    public internal(set) var lastLearningRates: [Double]

    /// Sequences `schedulers` (all of `optimizer`), switching at `milestones` (one fewer).
    /// - Throws: ``OptimizerError`` for no schedules, a milestone count that does not fit, or a
    ///   schedule of another optimizer.
    public init(_ optimizer: any Optimizer<Scalar>, schedulers: [LRScheduler<Scalar>], milestones: [Int]) throws {
        guard !schedulers.isEmpty else {
            throw OptimizerError.invalidArgument("SequentialLR expects at least one scheduler, but got no scheduler.")
        }
        for s in schedulers where s.optimizer !== optimizer {
            throw OptimizerError.invalidArgument("SequentialLR expects all schedulers to belong to the same optimizer")
        }
        guard milestones.count == schedulers.count - 1 else {
            throw OptimizerError.invalidArgument(
                "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers \(schedulers.count) and the number of milestones to be equal to \(milestones.count)")
        }
        self.schedulers = schedulers
        self.milestones = milestones
        self.optimizer = optimizer
        self.lastEpoch = 0
        // Undo what constructing the schedules did, then start the first one afresh.
        for i in optimizer.parameterGroups.indices {
            optimizer.parameterGroups[i].learningRate = optimizer.parameterGroups[i].options["initial_lr"]!
        }
        for s in schedulers { s.lastEpoch -= 1 }
        let first = schedulers[Self.index(milestones, 0)]
        first.initialStep()
        lastLearningRates = first.lastLearningRates
    }

    /// Python's `bisect_right`.
    static func index(_ milestones: [Int], _ epoch: Int) -> Int { milestones.filter { $0 <= epoch }.count }

    /// Steps the schedule in charge; a schedule taking over starts from its closed form at 0.
    public func step() {
        lastEpoch += 1
        let i = Self.index(milestones, lastEpoch)
        let s = schedulers[i]
        if i > 0 && milestones[i - 1] == lastEpoch {
            s.update(epoch: 0)
        } else {
            s.step()
        }
        lastLearningRates = s.lastLearningRates
    }
}

/// Lowers the learning rate by `factor` when a metric stops improving for `patience` steps:
/// `torch.optim.lr_scheduler.ReduceLROnPlateau`. Step it with the metric: `step(metric: loss)`.
public final class ReduceLROnPlateau<Scalar: TensorFloatingPoint> {
    /// Whether lower or higher metrics are better.
    public enum Mode: Sendable {
        /// Lower is better (a loss).
        case min
        /// Higher is better (an accuracy).
        case max
    }

    /// How an improvement is measured against the best metric.
    public enum ThresholdMode: Sendable {
        /// Better than `best·(1 ∓ threshold)`.
        case relative
        /// Better than `best ∓ threshold`.
        case absolute
    }

    /// The optimizer.
    public let optimizer: any Optimizer<Scalar>
    /// Lower or higher is better.
    public let mode: Mode
    /// The factor the learning rate is multiplied by.
    public let factor: Double
    /// Steps without improvement tolerated.
    public let patience: Int
    /// The smallest improvement that counts.
    public let threshold: Double
    /// Relative or absolute threshold.
    public let thresholdMode: ThresholdMode
    /// Steps to wait after a reduction before counting again.
    public let cooldown: Int
    /// Each group's lowest learning rate.
    public let minimumLearningRates: [Double]
    /// Reductions smaller than this are skipped.
    public let epsilon: Double
    /// The best metric seen.
    public internal(set) var best: Double
    /// Steps since the last improvement.
    public internal(set) var badSteps = 0
    /// Cooldown steps left.
    public internal(set) var cooldownCounter = 0
    /// The index of the last step.
    public internal(set) var lastEpoch = 0
    /// The learning rate of each group after the last step.
    public internal(set) var lastLearningRates: [Double]

    /// A plateau schedule; PyTorch's defaults.
    /// - Throws: ``OptimizerError`` when `factor` ≥ 1.
    public init(_ optimizer: any Optimizer<Scalar>, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
                threshold: Double = 1e-4, thresholdMode: ThresholdMode = .relative, cooldown: Int = 0,
                minimumLearningRate: Double = 0, epsilon: Double = 1e-8) throws {
        guard factor < 1 else { throw OptimizerError.invalidHyperparameter(name: "factor", value: factor) }
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minimumLearningRates = Array(repeating: minimumLearningRate, count: optimizer.parameterGroups.count)
        self.epsilon = epsilon
        self.best = mode == .min ? .infinity : -.infinity
        self.lastLearningRates = optimizer.parameterGroups.map(\.learningRate)
    }

    /// Whether `metric` improves on ``best``.
    func isBetter(_ metric: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .relative): return metric < best * (1.0 - threshold)
        case (.min, .absolute): return metric < best - threshold
        case (.max, .relative): return metric > best * (threshold + 1.0)
        case (.max, .absolute): return metric > best + threshold
        }
    }

    /// Records `metric` and reduces the learning rates after `patience` steps without improvement.
    public func step(metric: Double) {
        lastEpoch += 1
        if isBetter(metric) {
            best = metric
            badSteps = 0
        } else {
            badSteps += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            badSteps = 0
        }
        if badSteps > patience {
            for i in optimizer.parameterGroups.indices {
                let old = optimizer.parameterGroups[i].learningRate
                let new = Swift.max(old * factor, minimumLearningRates[min(i, minimumLearningRates.count - 1)])
                if old - new > epsilon { optimizer.parameterGroups[i].learningRate = new }
            }
            cooldownCounter = cooldown
            badSteps = 0
        }
        lastLearningRates = optimizer.parameterGroups.map(\.learningRate)
    }
}
