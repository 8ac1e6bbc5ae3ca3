import Foundation

/// Anything that changes an optimizer's learning rates once per epoch or batch.
public protocol LearningRateScheduler: AnyObject {
    /// Advances the schedule by one step and writes the new learning rates into the optimizer's groups.
    func step()
    /// The learning rate of each group after the last ``step()`` (PyTorch's `get_last_lr()`).
    var lastLearningRates: [Double] { get }
}

/// A learning-rate schedule over an optimizer's groups: PyTorch's `LRScheduler`, with its
/// recursive (chainable) update rules, so results match `get_last_lr()` digit for digit and
/// schedules compose (``ChainedScheduler``, ``SequentialLR``).
///
/// Creating a schedule records each group's `initial_lr` (if not already set) and takes its first
/// step, as PyTorch does; call ``step()`` after each `optimizer.step()`. Subclasses override
/// ``learningRates()`` (PyTorch's `get_lr`) and optionally ``closedFormLearningRates()``.
open class LRScheduler<Scalar: TensorFloatingPoint>: LearningRateScheduler {
    /// The optimizer whose groups this schedule drives.
    public let optimizer: any Optimizer<Scalar>
    /// Each group's `initial_lr` (PyTorch's `base_lrs`).
    public internal(set) var baseLearningRates: [Double]
    /// The index of the last step (PyTorch's `last_epoch`): 0 after construction.
    public internal(set) var lastEpoch: Int = -1
    /// The learning rate of each group after the last step.
    public internal(set) var lastLearningRates: [Double] = []
    /// How many times ``step()`` ran, counting the initial step (PyTorch's `_step_count`).
    public internal(set) var stepCount = 0
    /// Whether the step running is the one taken on construction (PyTorch's `_is_initial`).
    public internal(set) var isInitial = false

    /// Attaches to `optimizer` and takes the initial step.
    public init(_ optimizer: any Optimizer<Scalar>) {
        self.optimizer = optimizer
        for i in optimizer.parameterGroups.indices where optimizer.parameterGroups[i].options["initial_lr"] == nil {
            optimizer.parameterGroups[i].options["initial_lr"] = optimizer.parameterGroups[i].learningRate
        }
        baseLearningRates = optimizer.parameterGroups.map { $0.options["initial_lr"]! }
        initialStep()
    }

    /// The groups' current learning rates.
    public var currentLearningRates: [Double] { optimizer.parameterGroups.map(\.learningRate) }

    /// The new learning rates for step ``lastEpoch`` from the current ones (PyTorch's `get_lr`).
    /// The base class keeps them.
    open func learningRates() -> [Double] { currentLearningRates }

    /// The learning rates at ``lastEpoch`` computed from ``baseLearningRates`` alone (PyTorch's
    /// `_get_closed_form_lr`), or `nil` when the schedule has no closed form.
    open func closedFormLearningRates() -> [Double]? { nil }

    /// Advances one step (PyTorch's `scheduler.step()`).
    open func step() {
        stepCount += 1
        update(epoch: nil)
    }

    /// Takes the step made on construction.
    func initialStep() {
        stepCount = 0
        isInitial = true
        step()
        isInitial = false
    }

    /// PyTorch's `_update_lr`: moves to `epoch` (closed form) or to the next step (recursive form).
    func update(epoch: Int?) {
        let values: [Double]
        if let epoch {
            lastEpoch = epoch
            values = closedFormLearningRates() ?? learningRates()
        } else {
            lastEpoch += 1
            values = learningRates()
        }
        apply(values)
    }

    /// The schedule's position under PyTorch's attribute names: `last_epoch`, `_step_count`,
    /// `base_lrs.<g>` and `_last_lr.<g>`. Subclasses with more state add theirs.
    open func stateDictionary() -> [String: Double] {
        var d: [String: Double] = ["last_epoch": Double(lastEpoch), "_step_count": Double(stepCount)]
        flattened("base_lrs", baseLearningRates, into: &d)
        flattened("_last_lr", lastLearningRates, into: &d)
        return d
    }

    /// Restores what ``stateDictionary()`` saved into a schedule built the same way. The
    /// optimizer's learning rates are not touched: restore the optimizer's own state for those.
    /// - Throws: ``OptimizerError/stateDictionaryMismatch(_:)`` for a missing key.
    open func load(stateDictionary d: [String: Double]) throws {
        let groups = optimizer.parameterGroups.count
        lastEpoch = Int(try required("last_epoch", from: d))
        stepCount = Int(try required("_step_count", from: d))
        baseLearningRates = try unflattened("base_lrs", count: groups, from: d)
        lastLearningRates = try unflattened("_last_lr", count: groups, from: d)
    }

    /// Writes `values` into the groups and records them.
    func apply(_ values: [Double]) {
        for (i, lr) in zip(optimizer.parameterGroups.indices, values) { optimizer.parameterGroups[i].learningRate = lr }
        lastLearningRates = currentLearningRates
    }
}

/// Multiplies the learning rate by `gamma` every `stepSize` steps: `torch.optim.lr_scheduler.StepLR`.
public final class StepLR<Scalar: TensorFloatingPoint>: LRScheduler<Scalar> {
    /// Steps between decays.
    public let stepSize: Int
    /// The decay factor.
    public let gamma: Double

    /// A step decay of `optimizer`'s groups.
    /// - Throws: ``OptimizerError`` when `stepSize` < 1.
    public init(_ optimizer: any Optimizer<Scalar>, stepSize: Int, gamma: Double = 0.1) throws {
        guard stepSize >= 1 else { throw OptimizerError.invalidHyperparameter(name: "step_size", value: Double(stepSize)) }
        self.stepSize = stepSize
        self.gamma = gamma
        super.init(optimizer)
    }

    /// `lr·γ` at multiples of the step size, else `lr`.
    public override func learningRates() -> [Double] {
        if lastEpoch == 0 || lastEpoch % stepSize != 0 { return currentLearningRates }
        return currentLearningRates.map { $0 * gamma }
    }

    /// `base·γ^⌊epoch / stepSize⌋`.
    public override func closedFormLearningRates() -> [Double]? {
        baseLearningRates.map { $0 * Foundation.pow(gamma, Double(lastEpoch / stepSize)) }
    }
}

/// Multiplies the learning rate by `gamma` at each milestone (a milestone listed twice multiplies
/// by γ²): `torch.optim.lr_scheduler.MultiStepLR`.
public final class MultiStepLR<Scalar: TensorFloatingPoint>: LRScheduler<Scalar> {
    /// How many times each milestone was listed.
    public let milestones: [Int: Int]
    /// The decay factor.
    public let gamma: Double

    /// A decay at each of `milestones`.
    public init(_ optimizer: any Optimizer<Scalar>, milestones: [Int], gamma: Double = 0.1) {
        self.milestones = milestones.reduce(into: [:]) { $0[$1, default: 0] += 1 }
        self.gamma = gamma
        super.init(optimizer)
    }

    /// `lr·γ^k` at a milestone listed k times, else `lr`.
    public override func learningRates() -> [Double] {
        guard let k = milestones[lastEpoch] else { return currentLearningRates }
        return currentLearningRates.map { $0 * Foundation.pow(gamma, Double(k)) }
    }

    /// `base·γ^(milestones passed)`.
    public override func closedFormLearningRates() -> [Double]? {
        let passed = milestones.filter { $0.key <= lastEpoch }.values.reduce(0, +)
        return baseLearningRates.map { $0 * Foundation.pow(gamma, Double(passed)) }
    }
}

/// Multiplies the learning rate by `gamma` every step: `torch.optim.lr_scheduler.ExponentialLR`.
public final class ExponentialLR<Scalar: TensorFloatingPoint>: LRScheduler<Scalar> {
    /// The decay factor.
    public let gamma: Double

    /// An exponential decay.
    public init(_ optimizer: any Optimizer<Scalar>, gamma: Double) {
        self.gamma = gamma
        super.init(optimizer)
    }

    /// `lr·γ` (unchanged on the initial step).
    public override func learningRates() -> [Double] {
        isInitial ? currentLearningRates : currentLearningRates.map { $0 * gamma }
    }

    /// `base·γ^epoch`.
    public override func closedFormLearningRates() -> [Double]? {
        baseLearningRates.map { $0 * Foundation.pow(gamma, Double(lastEpoch)) }
    }
}

/// Linear warm-up (or decay) of the learning rate by a factor going from `startFactor` to
/// `endFactor` over `totalIterations` steps: `torch.optim.lr_scheduler.LinearLR`.
public final class LinearLR<Scalar: TensorFloatingPoint>: LRScheduler<Scalar> {
    /// The factor at step 0.
    public let startFactor: Double
    /// The factor from `totalIterations` on.
    public let endFactor: Double
    /// The length of the ramp.
    public let totalIterations: Int

    /// A linear ramp; PyTorch's defaults.
    /// - Throws: ``OptimizerError`` when `startFactor` is not in (0, 1] or `endFactor` not in [0, 1].
    public init(_ optimizer: any Optimizer<Scalar>, startFactor: Double = 1.0 / 3, endFactor: Double = 1.0,
                totalIterations: Int = 5) throws {
        guard startFactor > 0 && startFactor <= 1 else {
            throw OptimizerError.invalidHyperparameter(name: "start_factor", value: startFactor)
        }
        guard endFactor >= 0 && endFactor <= 1 else {
            throw OptimizerError.invalidHyperparameter(name: "end_factor", value: endFactor)
        }
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIterations = totalIterations
        super.init(optimizer)
    }

    /// PyTorch's recursive ratio of consecutive factors.
    public override func learningRates() -> [Double] {
        if lastEpoch == 0 { return currentLearningRates.map { $0 * startFactor } }
        if isInitial || lastEpoch > totalIterations { return currentLearningRates }
        let ratio = 1.0 + (endFactor - startFactor)
            / (Double(totalIterations) * startFactor + Double(lastEpoch - 1) * (endFactor - startFactor))
        return currentLearningRates.map { $0 * ratio }
    }

    /// `base·(start + (end − start)·min(total, epoch)/total)`.
    public override func closedFormLearningRates() -> [Double]? {
        baseLearningRates.map {
            $0 * (startFactor + (endFactor - startFactor) * Double(min(totalIterations, lastEpoch)) / Double(totalIterations))
        }
    }
}

/// Cosine annealing from the base learning rate to `minimumLearningRate` over `period` steps
/// (and back up, periodically, if stepped further): `torch.optim.lr_scheduler.CosineAnnealingLR`.
public final class CosineAnnealingLR<Scalar: TensorFloatingPoint>: LRScheduler<Scalar> {
    /// Half the period of the cosine, in steps (`T_max`).
    public let period: Int
    /// The lowest learning rate (`eta_min`).
    public let minimumLearningRate: Double

    /// A cosine annealing over `period` steps.
    /// - Throws: ``OptimizerError`` when `period` < 1.
    public init(_ optimizer: any Optimizer<Scalar>, period: Int, minimumLearningRate: Double = 0) throws {
        guard period >= 1 else { throw OptimizerError.invalidHyperparameter(name: "T_max", value: Double(period)) }
        self.period = period
        self.minimumLearningRate = minimumLearningRate
        super.init(optimizer)
    }

    /// PyTorch's recursive form.
    public override func learningRates() -> [Double] {
        let eta = minimumLearningRate, t = Double(period), e = Double(lastEpoch)
        if isInitial { return currentLearningRates }
        if stepCount == 1 && lastEpoch > 0 {
            return baseLearningRates.map { eta + ($0 - eta) * (1 + Foundation.cos(e * Double.pi / t)) / 2 }
        }
        if (lastEpoch - 1 - period) % (2 * period) == 0 {
            return zip(baseLearningRates, currentLearningRates).map { base, lr in
                lr + (base - eta) * (1 - Foundation.cos(Double.pi / t)) / 2
            }
        }
        return currentLearningRates.map {
            (1 + Foundation.cos(Double.pi * e / t)) / (1 + Foundation.cos(Double.pi * (e - 1) / t)) * ($0 - eta) + eta
        }
    }

    /// `η_min + (base − η_min)(1 + cos(π·epoch/T))/2`.
    public override func closedFormLearningRates() -> [Double]? {
        let eta = minimumLearningRate
        return baseLearningRates.map {
            eta + ($0 - eta) * (1 + Foundation.cos(Double.pi * Double(lastEpoch) / Double(period))) / 2
        }
    }
}

/// Cosine annealing with warm restarts (SGDR): the cosine restarts after `firstPeriod` steps, each
/// period `periodMultiplier` times longer: `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`.
public final class CosineAnnealingWarmRestarts<Scalar: TensorFloatingPoint>: LRScheduler<Scalar> {
    /// The first period (`T_0`).
    public let firstPeriod: Int
    /// The growth of the period at each restart (`T_mult`).
    public let periodMultiplier: Int
    /// The lowest learning rate (`eta_min`).
    public let minimumLearningRate: Double
    /// Steps since the last restart (`T_cur`).
    public internal(set) var stepsSinceRestart: Int
    /// The current period (`T_i`).
    public internal(set) var currentPeriod: Int

    /// SGDR; PyTorch's defaults.
    /// - Throws: ``OptimizerError`` when `firstPeriod` < 1 or `periodMultiplier` < 1.
    public init(_ optimizer: any Optimizer<Scalar>, firstPeriod: Int, periodMultiplier: Int = 1,
                minimumLearningRate: Double = 0) throws {
        guard firstPeriod >= 1 else { throw OptimizerError.invalidHyperparameter(name: "T_0", value: Double(firstPeriod)) }
        guard periodMultiplier >= 1 else {
            throw OptimizerError.invalidHyperparameter(name: "T_mult", value: Double(periodMultiplier))
        }
        self.firstPeriod = firstPeriod
        self.periodMultiplier = periodMultiplier
        self.minimumLearningRate = minimumLearningRate
        self.stepsSinceRestart = -1
        self.currentPeriod = firstPeriod
        super.init(optimizer)
    }

    /// `η_min + (base − η_min)(1 + cos(π·T_cur/T_i))/2`.
    public override func learningRates() -> [Double] {
        let eta = minimumLearningRate
        return baseLearningRates.map {
            eta + ($0 - eta) * (1 + Foundation.cos(Double.pi * Double(stepsSinceRestart) / Double(currentPeriod))) / 2
        }
    }

    /// The base state plus `T_cur` and `T_i`.
    public override func stateDictionary() -> [String: Double] {
        var d = super.stateDictionary()
        d["T_cur"] = Double(stepsSinceRestart)
        d["T_i"] = Double(currentPeriod)
        return d
    }

    /// Restores the base state, `T_cur` and `T_i`.
    /// - Throws: ``OptimizerError/stateDictionaryMismatch(_:)`` for a missing key.
    public override func load(stateDictionary d: [String: Double]) throws {
        try super.load(stateDictionary: d)
        stepsSinceRestart = Int(try required("T_cur", from: d))
        currentPeriod = Int(try required("T_i", from: d))
    }

    /// Advances one step, restarting at the end of a period.
    public override func step() {
        stepCount += 1
        if lastEpoch < 0 {
            currentPeriod = firstPeriod
            stepsSinceRestart = 0
            lastEpoch = 0
        } else {
            lastEpoch += 1
            stepsSinceRestart += 1
            if stepsSinceRestart >= currentPeriod {
                stepsSinceRestart %= currentPeriod
                currentPeriod *= periodMultiplier
            }
        }
        apply(learningRates())
    }
}

/// The one-cycle policy (Smith & Topin): the learning rate rises from `maxLearningRate/divFactor`
/// to `maxLearningRate` and anneals to `initial/finalDivFactor`, while the momentum (or Adam's β₁)
/// cycles the other way: `torch.optim.lr_scheduler.OneCycleLR`.
///
/// Stepping more than `totalSteps` times stops the program, as PyTorch raises.
public final class OneCycleLR<Scalar: TensorFloatingPoint>: LRScheduler<Scalar> {
    /// How the learning rate moves between phase ends.
    public enum Annealing: Sendable {
        /// Half a cosine (`'cos'`, the default).
        case cosine
        /// A straight line (`'linear'`).
        case linear
    }

    /// The number of steps in the cycle.
    public let totalSteps: Int
    /// The annealing between phase ends.
    public let annealing: Annealing
    /// Whether the momentum (`momentum` or `betas.0`) cycles too.
    public let cycleMomentum: Bool
    /// Each phase's last step and the option keys it goes from and to (lr, momentum).
    let phases: [(end: Double, startLR: String, endLR: String, startMomentum: String, endMomentum: String)]
    /// The option key of the momentum that cycles: `momentum` or `betas.0`.
    let momentumKey: String

    /// A one-cycle schedule; PyTorch's defaults.
    /// - Throws: ``OptimizerError`` when `totalSteps` < 1, `percentStart` is outside [0, 1], or
    ///   momentum cycles on an optimizer without momentum or β₁.
    public init(_ optimizer: any Optimizer<Scalar>, maxLearningRate: Double, totalSteps: Int,
                percentStart: Double = 0.3, annealing: Annealing = .cosine, cycleMomentum: Bool = true,
                baseMomentum: Double = 0.85, maxMomentum: Double = 0.95, divFactor: Double = 25,
                finalDivFactor: Double = 1e4, threePhase: Bool = false) throws {
        guard totalSteps >= 1 else { throw OptimizerError.invalidHyperparameter(name: "total_steps", value: Double(totalSteps)) }
        guard percentStart >= 0 && percentStart <= 1 else {
            throw OptimizerError.invalidHyperparameter(name: "pct_start", value: percentStart)
        }
        self.totalSteps = totalSteps
        self.annealing = annealing
        self.cycleMomentum = cycleMomentum
        let total = Double(totalSteps)
        if threePhase {
            phases = [(percentStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                      (2 * percentStart * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                      (total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum")]
        } else {
            phases = [(percentStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                      (total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum")]
        }
        momentumKey = optimizer.defaults["betas.0"] != nil ? "betas.0" : "momentum"
        if cycleMomentum && optimizer.defaults["momentum"] == nil && optimizer.defaults["betas.0"] == nil {
            throw OptimizerError.invalidArgument("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
        }
        for i in optimizer.parameterGroups.indices {
            let initial = maxLearningRate / divFactor
            optimizer.parameterGroups[i].options["initial_lr"] = initial
            optimizer.parameterGroups[i].options["max_lr"] = maxLearningRate
            optimizer.parameterGroups[i].options["min_lr"] = initial / finalDivFactor
            if cycleMomentum {
                optimizer.parameterGroups[i].options[momentumKey] = maxMomentum
                optimizer.parameterGroups[i].options["max_momentum"] = maxMomentum
                optimizer.parameterGroups[i].options["base_momentum"] = baseMomentum
            }
        }
        super.init(optimizer)
    }

    /// Anneals between `start` and `end` by `fraction`.
    func anneal(_ start: Double, _ end: Double, _ fraction: Double) -> Double {
        switch annealing {
        case .cosine: return end + (start - end) / 2.0 * (Foundation.cos(Double.pi * fraction) + 1)
        case .linear: return (end - start) * fraction + start
        }
    }

    /// The learning rate of the current phase; also sets the cycled momentum.
    public override func learningRates() -> [Double] {
        let stepNumber = Double(lastEpoch)
        precondition(lastEpoch <= totalSteps,
                     "OneCycleLR: tried to step \(lastEpoch) times; the specified number of total steps is \(totalSteps)")
        var lrs: [Double] = []
        for g in optimizer.parameterGroups.indices {
            let options = optimizer.parameterGroups[g].options
            var start = 0.0
            for (i, phase) in phases.enumerated() {
                if stepNumber <= phase.end || i == phases.count - 1 {
                    let fraction = (stepNumber - start) / (phase.end - start)
                    lrs.append(anneal(options[phase.startLR]!, options[phase.endLR]!, fraction))
                    if cycleMomentum {
                        optimizer.parameterGroups[g].options[momentumKey] =
                            anneal(options[phase.startMomentum]!, options[phase.endMomentum]!, fraction)
                    }
                    break
                }
                start = phase.end
            }
        }
        return lrs
    }
}
