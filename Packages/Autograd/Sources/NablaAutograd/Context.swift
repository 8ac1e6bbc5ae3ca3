import NablaTensor

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
    @inlinable init() {}
}

@usableFromInline enum Context {
    @TaskLocal @usableFromInline static var current = AutogradContext()

    /// Runs `body` with `change` applied to the context.
    @usableFromInline static func with<R>(_ change: (inout AutogradContext) -> Void, _ body: () throws -> R) rethrows -> R {
        var c = current
        change(&c)
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
