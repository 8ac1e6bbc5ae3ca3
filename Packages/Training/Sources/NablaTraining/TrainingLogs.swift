import Foundation

/// Named metrics in the order they were added: one epoch's `loss`, `accuracy`, `val_loss`, `lr`, …
///
/// ```swift
/// var logs: TrainingLogs = ["loss": 0.41, "accuracy": 0.87]
/// logs["val_loss"] = 0.45
/// ```
public struct TrainingLogs: Equatable, Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// The names in order.
    public private(set) var names: [String] = []
    private var values: [String: Double] = [:]

    /// No metrics.
    public init() {}

    /// The metrics of a literal, in its order.
    public init(dictionaryLiteral elements: (String, Double)...) {
        for (k, v) in elements { self[k] = v }
    }

    /// The value of `name`; assigning a new name appends it, assigning `nil` removes it.
    public subscript(name: String) -> Double? {
        get { values[name] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if values.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// Adds every metric of `other` (replacing equal names), keeping its order for new names.
    public mutating func merge(_ other: TrainingLogs, prefix: String = "") {
        for (k, v) in other { self[prefix + k] = v }
    }

    /// Iterates `(name, value)` in order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: Double)]> {
        names.map { ($0, values[$0]!) }.makeIterator()
    }

    /// `loss 0.4100, accuracy 0.8700`: each value with four significant digits.
    public var description: String {
        map { "\($0.name) \(formatMetric($0.value))" }.joined(separator: ", ")
    }
}

/// A metric with four significant digits, as the progress display prints it (`0.4123`, `1.235e-05`,
/// `1234`).
public func formatMetric(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    let a = x.magnitude
    if a == 0 { return "0" }
    if a >= 1e-4 && a < 1e6 {
        // %.4g, trailing zeros kept to four significant digits.
        let digits = max(0, 3 - Int(Foundation.log10(a).rounded(.down)))
        return String(format: "%.\(digits)f", x)
    }
    return String(format: "%.3e", x)
}

/// The metrics of every epoch: what `model.fit` returns in Keras (`history.history`).
///
/// ```swift
/// let history = trainer.fit(epochs: 100, …)
/// history["loss"]          // [Double], one per epoch
/// history.last?["val_accuracy"]
/// ```
public struct History: Equatable, Sendable {
    /// The epoch number (from 1) of each record.
    public private(set) var epochs: [Int] = []
    /// Each epoch's metrics, in order.
    public private(set) var records: [TrainingLogs] = []

    /// An empty history.
    public init() {}

    /// Appends the metrics of `epoch`.
    public mutating func append(epoch: Int, _ logs: TrainingLogs) {
        epochs.append(epoch)
        records.append(logs)
    }

    /// One value per epoch of metric `name`, NaN where an epoch lacks it (validation every k epochs).
    public subscript(name: String) -> [Double] { records.map { $0[name] ?? .nan } }

    /// Every metric name seen, in first-seen order.
    public var names: [String] {
        var seen = Set<String>(), out: [String] = []
        for r in records { for n in r.names where seen.insert(n).inserted { out.append(n) } }
        return out
    }

    /// The last epoch's metrics.
    public var last: TrainingLogs? { records.last }

    /// The number of epochs recorded.
    public var count: Int { records.count }
}
