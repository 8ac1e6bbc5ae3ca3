import Foundation

/// A learning-rate schedule whose position can be saved and restored: PyTorch's
/// `scheduler.state_dict()` / `load_state_dict()`, flattened to numbers under PyTorch's attribute
/// names (`last_epoch`, `_step_count`, `base_lrs.0`, `_last_lr.0`, `T_cur`, …).
///
/// The hyper-parameters a schedule is built with (`gamma`, `T_max`, milestones) are not saved:
/// restore into a schedule constructed the same way, as in PyTorch. A checkpoint of a training run
/// stores this dictionary next to the optimizer's.
///
/// ```swift
/// let saved = schedule.stateDictionary()          // ["last_epoch": 10, "_step_count": 11, …]
/// let fresh = try StepLR(optimizer, stepSize: 30)
/// try fresh.load(stateDictionary: saved)          // continues where `schedule` stopped
/// ```
public protocol StatefulScheduler: AnyObject {
    /// The schedule's position and recorded learning rates.
    func stateDictionary() -> [String: Double]
    /// Restores a position saved by ``stateDictionary()`` from a schedule built the same way.
    /// - Throws: ``OptimizerError/stateDictionaryMismatch(_:)`` when a key is missing or the number
    ///   of groups differs.
    func load(stateDictionary: [String: Double]) throws
}

/// The `i`-th entries `prefix.0`, `prefix.1`, … of a flattened list.
func flattened(_ prefix: String, _ values: [Double], into dict: inout [String: Double]) {
    for (i, v) in values.enumerated() { dict["\(prefix).\(i)"] = v }
}

/// Reads `prefix.0 ..< prefix.count` back.
func unflattened(_ prefix: String, count: Int, from dict: [String: Double]) throws -> [Double] {
    try (0..<count).map { i in
        guard let v = dict["\(prefix).\(i)"] else {
            throw OptimizerError.stateDictionaryMismatch("missing scheduler key \(prefix).\(i)")
        }
        return v
    }
}

/// Reads `key` back.
func required(_ key: String, from dict: [String: Double]) throws -> Double {
    guard let v = dict[key] else { throw OptimizerError.stateDictionaryMismatch("missing scheduler key \(key)") }
    return v
}

extension LRScheduler: StatefulScheduler {}

extension ChainedScheduler: StatefulScheduler {
    /// Each chained schedule's state under `_schedulers.<i>.`, and `_last_lr.<g>`.
    public func stateDictionary() -> [String: Double] {
        var d: [String: Double] = [:]
        for (i, s) in schedulers.enumerated() {
            for (k, v) in s.stateDictionary() { d["_schedulers.\(i).\(k)"] = v }
        }
        flattened("_last_lr", lastLearningRates, into: &d)
        return d
    }

    /// Restores what ``stateDictionary()`` saved.
    /// - Throws: ``OptimizerError/stateDictionaryMismatch(_:)`` for a missing key.
    public func load(stateDictionary d: [String: Double]) throws {
        for (i, s) in schedulers.enumerated() { try s.load(stateDictionary: subDictionary("_schedulers.\(i).", of: d)) }
        lastLearningRates = try unflattened("_last_lr", count: schedulers[0].optimizer.parameterGroups.count, from: d)
    }
}

extension SequentialLR: StatefulScheduler {
    /// `last_epoch`, each schedule's state under `_schedulers.<i>.`, and `_last_lr.<g>`.
    public func stateDictionary() -> [String: Double] {
        var d: [String: Double] = ["last_epoch": Double(lastEpoch)]
        for (i, s) in schedulers.enumerated() {
            for (k, v) in s.stateDictionary() { d["_schedulers.\(i).\(k)"] = v }
        }
        flattened("_last_lr", lastLearningRates, into: &d)
        return d
    }

    /// Restores what ``stateDictionary()`` saved.
    /// - Throws: ``OptimizerError/stateDictionaryMismatch(_:)`` for a missing key.
    public func load(stateDictionary d: [String: Double]) throws {
        lastEpoch = Int(try required("last_epoch", from: d))
        for (i, s) in schedulers.enumerated() { try s.load(stateDictionary: subDictionary("_schedulers.\(i).", of: d)) }
        lastLearningRates = try unflattened("_last_lr", count: optimizer.parameterGroups.count, from: d)
    }
}

extension ReduceLROnPlateau: StatefulScheduler {
    /// `best`, `num_bad_epochs`, `cooldown_counter`, `last_epoch` and `_last_lr.<g>`.
    public func stateDictionary() -> [String: Double] {
        var d: [String: Double] = ["best": best, "num_bad_epochs": Double(badSteps),
                                   "cooldown_counter": Double(cooldownCounter), "last_epoch": Double(lastEpoch)]
        flattened("_last_lr", lastLearningRates, into: &d)
        return d
    }

    /// Restores what ``stateDictionary()`` saved.
    /// - Throws: ``OptimizerError/stateDictionaryMismatch(_:)`` for a missing key.
    public func load(stateDictionary d: [String: Double]) throws {
        best = try required("best", from: d)
        badSteps = Int(try required("num_bad_epochs", from: d))
        cooldownCounter = Int(try required("cooldown_counter", from: d))
        lastEpoch = Int(try required("last_epoch", from: d))
        lastLearningRates = try unflattened("_last_lr", count: optimizer.parameterGroups.count, from: d)
    }
}

/// The entries of `d` under `prefix`, with the prefix removed.
func subDictionary(_ prefix: String, of d: [String: Double]) -> [String: Double] {
    var out: [String: Double] = [:]
    for (k, v) in d where k.hasPrefix(prefix) { out[String(k.dropFirst(prefix.count))] = v }
    return out
}
