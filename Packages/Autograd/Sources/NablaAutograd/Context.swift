import NablaTensor
#if os(Linux)
import Synchronization
#endif

/// Per-task autograd settings: whether ops record, how many transforms enclose the current code,
/// and the anomaly log. Kept in one task-local so an op reads it once.
@usableFromInline struct AutogradContext: Sendable {
    /// Whether ops on differentiable inputs record nodes (false inside ``withoutDerivative(_:)``).
    @usableFromInline var isRecording: Bool = true
    /// How many differentiation transforms enclose the current code. A backward pass run at depth
    /// > 1 is itself recorded, so an outer transform can differentiate through it.
    @usableFromInline var depth: Int = 0
    /// Set inside ``withAnomalyDetection(_:)``.
    @usableFromInline var anomaly: AnomalyLog? = nil
    /// The highest batching level in use (each `vmap`, and each batched
    /// Jacobian pass, takes the next one, so an inner level is always higher than an outer one).
    @usableFromInline var batchLevel: Int = 0
    /// The levels of the `vmap`s enclosing the current code, outermost first, and their batch sizes.
    @usableFromInline var liveLevels: [Int] = []
    /// The batch size of each of ``liveLevels``.
    @usableFromInline var liveSizes: [Int] = []
    /// Held by every copy of a context that does not record or that logs anomalies (see
    /// ``Context/opsRecordPlainly``); `nil` in a context that records plainly, the common case.
    @usableFromInline var unusualScope: UnusualScope? = nil
    @inlinable init() {}

    /// Whether an op reading this context behaves as in the default one: it records, and checks nothing.
    @inlinable var recordsPlainly: Bool { isRecording && anomaly == nil }
}

/// A token that counts itself in ``Context/unusualScopes`` while it exists. A context that stops
/// recording or turns on anomaly detection holds one; so do the copies of that context that a
/// task-local hands to child tasks (and to unstructured tasks, which may outlive the scope), so
/// the count stays above zero as long as any task can still see such a context.
@usableFromInline final class UnusualScope: Sendable {
    init() { Context.enterUnusualScope() }
    deinit { Context.leaveUnusualScope() }
}

@usableFromInline enum Context {
    @TaskLocal @usableFromInline static var current = AutogradContext()

    #if os(Linux)
    /// How many ``UnusualScope`` tokens exist, in every task and thread of the process.
    @usableFromInline static let unusualScopes = Atomic<Int>(0)
    #endif

    static func enterUnusualScope() {
        #if os(Linux)
        unusualScopes.add(1, ordering: .sequentiallyConsistent)
        #endif
    }

    static func leaveUnusualScope() {
        #if os(Linux)
        unusualScopes.subtract(1, ordering: .sequentiallyConsistent)
        #endif
    }

    /// True when no task anywhere runs inside ``withoutDerivative(_:)`` or
    /// ``withAnomalyDetection(_:)``: then every op records and checks nothing, whatever the task,
    /// and the op need not read the task-local context (a lookup and a copy of the context, a few
    /// hundred instructions, against the few dozen of a 4×4 op's arithmetic). When false, the op
    /// reads ``current``. Reading the count is one load; an op that sees a stale zero is one that
    /// started before the scope did, which is ordered before the scope's body by the same task.
    @inlinable static var opsRecordPlainly: Bool {
        #if os(Linux)
        return unusualScopes.load(ordering: .relaxed) == 0
        #else
        return false
        #endif
    }

    /// What an op needs of the current context, read from the task-local (the path when
    /// ``opsRecordPlainly`` is false; out of line, so the common path stays short).
    @usableFromInline @inline(never) static func recordingState() -> (isRecording: Bool, anomaly: AnomalyLog?) {
        let c = current
        return (c.isRecording, c.anomaly)
    }

    /// Runs `body` with `change` applied to the context.
    @usableFromInline static func with<R>(_ change: (inout AutogradContext) -> Void, _ body: () throws -> R) rethrows -> R {
        var c = current
        change(&c)
        if c.recordsPlainly {
            c.unusualScope = nil
        } else if c.unusualScope == nil {
            c.unusualScope = UnusualScope()
        }
        return try $current.withValue(c) { try body() }
    }
}

/// Runs `body` without recording: ops inside return constants, so no derivative (reverse or
/// forward) flows through them. Mirrors `with torch.no_grad():` / JAX's `stop_gradient` on a block.
public func withoutDerivative<R>(_ body: () throws -> R) rethrows -> R {
    try Context.with({ $0.isRecording = false }, body)
}

/// Whether ops currently record (false inside ``withoutDerivative(_:)``). Mirrors `torch.is_grad_enabled()`.
public var isRecordingDerivatives: Bool { Context.current.isRecording }
