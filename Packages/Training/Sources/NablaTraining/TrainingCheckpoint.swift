import NablaTensor
import NablaSerialization
import NablaLayers
import NablaOptimizers

/// Everything needed to resume a training run, in one checkpoint: the model's parameters and
/// buffers, the optimizer's state, the learning-rate schedule's position, the step and epoch
/// counters and the random generator.
///
/// ```swift
/// try TrainingCheckpoint.save(model: model, optimizer: adam, scheduler: schedule,
///                             step: step, epoch: epoch, generator: rng, to: "run.nabla")
/// // later, in a new process, after building the same model, optimizer and schedule:
/// let run = try TrainingCheckpoint.restore(from: "run.nabla", model: model, optimizer: adam, scheduler: schedule)
/// var rng = run.generator!                 // step, epoch too
/// ```
///
/// Training resumed this way continues bit for bit as if it had never stopped (tested: N + M steps
/// straight equal N steps, save, restore into fresh objects, M steps).
///
/// ## Layout
///
/// - The model's state dict under its PyTorch keys, unprefixed (`fc1.weight`, `bn.num_batches_tracked`
///   as `int64`), so `model.load(checkpoint:strict: false)` or `nabla inspect` read the weights directly.
/// - The optimizer's `stateDictionary()`: tensors under `optimizer.state.<i>.<key>` in the model's
///   precision, hyper-parameters under `optimizer.param_groups.<g>.<key>` as `float64` scalars.
/// - The schedule's `stateDictionary()` under `scheduler.<key>`, `float64` scalars.
/// - Metadata: `nabla.training` (the layout version, 1), `step`, `epoch`, and `generator` (the
///   Philox key and counter in decimal and whether half a block is used) when given.
///
/// A model must not have a top-level child named `optimizer` or `scheduler`.
public struct TrainingCheckpoint: Sendable, Equatable {
    /// The checkpoint as saved.
    public var checkpoint: Checkpoint

    /// Prefix of the optimizer's entries.
    public static let optimizerPrefix = "optimizer."
    /// Prefix of the schedule's entries.
    public static let schedulerPrefix = "scheduler."

    /// Captures a training run: `model`'s state dict, and when given the optimizer's and the
    /// schedule's state, the counters, the generator and extra `metadata`.
    public init<Scalar: TensorFloatingPoint>(model: any Module<Scalar>, optimizer: (any Optimizer<Scalar>)? = nil,
                                             scheduler: (any StatefulScheduler)? = nil, step: Int = 0, epoch: Int = 0,
                                             generator: PhiloxGenerator? = nil, metadata: [String: JSONValue] = [:]) {
        var c = Checkpoint(stateDict: model.stateDict())
        if let optimizer {
            let o = optimizer.stateDictionary()
            for k in o.tensors.keys.sorted() { c.set(Self.optimizerPrefix + k, o.tensors[k]!) }
            for k in o.hyperparameters.keys.sorted() { c.set(Self.optimizerPrefix + k, Tensor<Double>(o.hyperparameters[k]!)) }
        }
        if let scheduler {
            let s = scheduler.stateDictionary()
            for k in s.keys.sorted() { c.set(Self.schedulerPrefix + k, Tensor<Double>(s[k]!)) }
        }
        var meta = metadata
        meta["nabla.training"] = .int(1)
        meta["step"] = .int(step)
        meta["epoch"] = .int(epoch)
        if let generator { meta["generator"] = Self.encode(generator) }
        c.metadata = meta
        checkpoint = c
    }

    /// Wraps a loaded checkpoint.
    /// - Throws: ``TrainingCheckpointError/notATrainingCheckpoint`` when it holds weights alone.
    public init(_ checkpoint: Checkpoint) throws {
        guard checkpoint.metadata["nabla.training"] != nil else {
            throw TrainingCheckpointError.notATrainingCheckpoint
        }
        self.checkpoint = checkpoint
    }

    /// Reads a training checkpoint from `path` (any format NablaSerialization reads; `.nabla` keeps
    /// everything, safetensors keeps metadata as strings).
    /// - Throws: reading errors, or ``TrainingCheckpointError/notATrainingCheckpoint``.
    public init(contentsOf path: String) throws {
        try self.init(try Checkpoint(contentsOf: path))
    }

    /// Writes the checkpoint atomically to `path`, in the format of its extension.
    /// - Throws: writing errors.
    public func save(to path: String) throws { try checkpoint.save(to: path) }

    /// The optimizer steps taken when saved.
    public var step: Int { Self.int(checkpoint.metadata["step"]) ?? 0 }
    /// The epochs completed when saved.
    public var epoch: Int { Self.int(checkpoint.metadata["epoch"]) ?? 0 }
    /// The generator's state when saved, or `nil` when none was given.
    public var generator: PhiloxGenerator? { checkpoint.metadata["generator"].flatMap(Self.decode) }

    /// The model's entries alone (without the optimizer's and the schedule's), as a weights checkpoint.
    public var modelCheckpoint: Checkpoint {
        var c = Checkpoint()
        for (name, t) in checkpoint.tensors
        where !name.hasPrefix(Self.optimizerPrefix) && !name.hasPrefix(Self.schedulerPrefix) { c[name] = t }
        return c
    }

    /// Restores the model (strictly), the optimizer and the schedule. Everything is checked before
    /// the model is assigned; the optimizer and schedule are restored after it.
    /// - Throws: `StateDictError` when the model does not fit, `OptimizerError` when the optimizer or
    ///   schedule do not, ``TrainingCheckpointError`` when an optimizer or schedule is asked for and
    ///   the checkpoint has none.
    public func restore<Scalar: TensorFloatingPoint>(model: any Module<Scalar>, optimizer: (any Optimizer<Scalar>)? = nil,
                                                     scheduler: (any StatefulScheduler)? = nil) throws {
        let weights = try modelCheckpoint.stateDict(as: Scalar.self, casting: .lossless)
        var optimizerState: OptimizerStateDictionary<Scalar>?
        if optimizer != nil {
            var o = OptimizerStateDictionary<Scalar>()
            for (name, t) in checkpoint.tensors where name.hasPrefix(Self.optimizerPrefix) {
                let key = String(name.dropFirst(Self.optimizerPrefix.count))
                if key.hasPrefix("param_groups.") {
                    o.hyperparameters[key] = try t.tensor(as: Double.self).scalar
                } else {
                    o.tensors[key] = try t.tensor(as: Scalar.self)
                }
            }
            guard !o.hyperparameters.isEmpty else { throw TrainingCheckpointError.missing("optimizer") }
            optimizerState = o
        }
        var schedulerState: [String: Double]?
        if scheduler != nil {
            var s: [String: Double] = [:]
            for (name, t) in checkpoint.tensors where name.hasPrefix(Self.schedulerPrefix) {
                s[String(name.dropFirst(Self.schedulerPrefix.count))] = try t.tensor(as: Double.self).scalar
            }
            guard !s.isEmpty else { throw TrainingCheckpointError.missing("scheduler") }
            schedulerState = s
        }
        try model.load(stateDict: weights)
        if let optimizer, let optimizerState { try optimizer.load(stateDictionary: optimizerState) }
        if let scheduler, let schedulerState { try scheduler.load(stateDictionary: schedulerState) }
    }

    /// Captures a run and saves it to `path` in one call (see ``init(model:optimizer:scheduler:step:epoch:generator:metadata:)``).
    /// - Throws: writing errors.
    public static func save<Scalar: TensorFloatingPoint>(model: any Module<Scalar>, optimizer: (any Optimizer<Scalar>)? = nil,
                                                         scheduler: (any StatefulScheduler)? = nil, step: Int = 0, epoch: Int = 0,
                                                         generator: PhiloxGenerator? = nil, metadata: [String: JSONValue] = [:],
                                                         to path: String) throws {
        try TrainingCheckpoint(model: model, optimizer: optimizer, scheduler: scheduler, step: step, epoch: epoch,
                               generator: generator, metadata: metadata).save(to: path)
    }

    /// Reads `path` and restores the model, optimizer and schedule from it in one call; the returned
    /// value holds the ``step``, ``epoch`` and ``generator`` to continue with.
    /// - Throws: as ``init(contentsOf:)`` and ``restore(model:optimizer:scheduler:)``.
    @discardableResult
    public static func restore<Scalar: TensorFloatingPoint>(from path: String, model: any Module<Scalar>,
                                                            optimizer: (any Optimizer<Scalar>)? = nil,
                                                            scheduler: (any StatefulScheduler)? = nil) throws -> TrainingCheckpoint {
        let run = try TrainingCheckpoint(contentsOf: path)
        try run.restore(model: model, optimizer: optimizer, scheduler: scheduler)
        return run
    }

    // MARK: - Encoding

    static func int(_ v: JSONValue?) -> Int? {
        switch v {
        case .int(let i): return i
        case .double(let d): return Int(exactly: d)
        case .string(let s): return Int(s)
        default: return nil
        }
    }

    /// The generator as one string, `"<key> <counter low> <counter high> <half>"` in decimal (UInt64
    /// does not fit JSON's integers, and safetensors keeps strings only). `half` is 1 when the
    /// generator has used the first half of its current block (`next()` takes two of a block's four
    /// words); the buffered half is recomputed from the key and counter on restore.
    static func encode(_ g: PhiloxGenerator) -> JSONValue {
        let halfUsed = g == state(key: g.key, counter: g.counter, words: 1)
        return .string("\(g.key) \(g.counter.low) \(g.counter.high) \(halfUsed ? 1 : 0)")
    }

    static func decode(_ v: JSONValue) -> PhiloxGenerator? {
        guard case .string(let text) = v else { return nil }
        let parts = text.split(separator: " ").compactMap { UInt64($0) }
        guard parts.count == 4 else { return nil }
        return state(key: parts[0], counter: (parts[1], parts[2]), words: parts[3] == 1 ? 1 : 2)
    }

    /// The generator whose counter is `counter` after drawing `words` 64-bit words (1 or 2) from the
    /// previous block, so its buffered block is that block's, as in a generator that got there by
    /// drawing. At counter 0, a fresh generator.
    static func state(key: UInt64, counter: (low: UInt64, high: UInt64), words: Int) -> PhiloxGenerator {
        guard counter.low != 0 || counter.high != 0 else { return PhiloxGenerator(key: key, counter: counter) }
        let (low, borrow) = counter.low.subtractingReportingOverflow(1)
        var g = PhiloxGenerator(key: key, counter: (low, borrow ? counter.high &- 1 : counter.high))
        for _ in 0..<words { _ = g.next() }
        return g
    }
}

/// Why a ``TrainingCheckpoint`` could not be read or restored.
public enum TrainingCheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The checkpoint has no `nabla.training` metadata: it holds weights alone.
    case notATrainingCheckpoint
    /// An optimizer or schedule was to be restored, but the checkpoint has no state for it.
    case missing(String)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .notATrainingCheckpoint: return "not a training checkpoint (no nabla.training metadata): load it with model.load(checkpoint:)"
        case .missing(let what): return "the training checkpoint has no \(what) state"
        }
    }
}
