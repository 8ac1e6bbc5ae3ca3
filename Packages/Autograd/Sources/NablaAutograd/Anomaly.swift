import NablaTensor

/// What ``withAnomalyDetection(_:)`` found.
public enum AutogradError: Error, Equatable, CustomStringConvertible {
    /// The first op whose result (or, in a backward pass, whose cotangent) contained NaN or ±∞.
    case nonFiniteValue(op: String)
    /// A registry lookup for an op name that is not registered.
    case unknownOp(String)

    /// A readable summary.
    public var description: String {
        switch self {
        case .nonFiniteValue(let op): return "anomaly: \(op) produced NaN or infinity"
        case .unknownOp(let name): return "OpRegistry: no op named \"\(name)\" is registered"
        }
    }
}

/// The first non-finite value seen inside an anomaly-detection scope.
@usableFromInline final class AnomalyLog: @unchecked Sendable {
    @exclusivity(unchecked) @usableFromInline var firstOp: String? = nil
    @usableFromInline init() {}
    /// Records `op` if `t` has a NaN or infinity and nothing was recorded before.
    @inlinable func check<S: TensorFloatingPoint>(_ t: Tensor<S>, op: @autoclosure () -> String) {
        guard firstOp == nil else { return }
        let bad = t.withUnsafeBufferPointer { b in b.contains { !$0.isFinite } }
        if bad { firstOp = op() }
    }
}

/// Runs `body` checking every recorded op's value, and every cotangent of a backward pass, for NaN
/// and infinity; throws ``AutogradError/nonFiniteValue(op:)`` naming the first op that produced one.
/// Mirrors `torch.autograd.set_detect_anomaly(True)` (which raises in the backward pass).
/// Slower: every op scans its result.
public func withAnomalyDetection<R>(_ body: () throws -> R) throws -> R {
    let log = AnomalyLog()
    let r = try Context.with({ $0.anomaly = log }, body)
    if let op = log.firstOp { throw AutogradError.nonFiniteValue(op: op) }
    return r
}
