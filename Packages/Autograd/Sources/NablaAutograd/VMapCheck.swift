import NablaTensor

/// The outcome of checking one op's batching rule at one sample input set against a loop over the
/// batch (``batchingReport(of:at:tolerance:)``; `nabla vmapcheck` prints one row per report).
public struct BatchingCheckReport: Sendable {
    /// A description of each mismatch, naming the op and the `inAxes` pattern (empty when the rule is right).
    public var failures: [String]
    /// The largest `|a − b| / max(1, |b|)` seen over every pattern, value and gradient (infinity when
    /// shapes differ).
    public var worstError: Double
    /// The ops that had no batching rule and ran once per batch element during the check (the op
    /// itself, or a primitive its rule is built from). Empty when every step batched.
    public var fallbackOps: [String]
    /// How many ways of batching the inputs were checked.
    public var patternCount: Int
    /// Whether the rule matched the loop everywhere.
    public var passed: Bool { failures.isEmpty }
}

/// Checks an op's batching rule against a loop over the batch, as `nabla vmapcheck` does for every
/// registered op: for each way of batching its inputs (all on axis 0, all on their last axis, each
/// input alone on axis 0 with the others unbatched), `vmap` of the op must equal the op applied to
/// each element and stacked, in value and in the gradient of a random projection of the output
/// with respect to the batched inputs (so the rule's own derivatives are checked too).
///
/// Batch elements are the sample scaled by `1`, `0.8` and `1.25` (which keeps each sample's signs
/// and order, so the op stays in its domain). NaN matches NaN.
///
/// - Parameters:
///   - op: the op.
///   - inputs: one sample input set (one tensor per input).
///   - tolerance: the largest accepted `|a − b| / max(1, |b|)`.
/// - Returns: a description of each mismatch (empty when the rule is right).
public func checkBatching(of op: any RegisteredOperator, at inputs: [Tensor<Double>], tolerance: Double = 1e-10) -> [String] {
    batchingReport(of: op, at: inputs, tolerance: tolerance).failures
}

/// The full report of ``checkBatching(of:at:tolerance:)``: the mismatches, the worst relative error,
/// and which ops fell back to the loop over the batch while the check ran.
///
/// - Parameters:
///   - op: the op.
///   - inputs: one sample input set (one tensor per input).
///   - tolerance: the largest accepted `|a − b| / max(1, |b|)`.
/// - Returns: the report.
public func batchingReport(of op: any RegisteredOperator, at inputs: [Tensor<Double>],
                           tolerance: Double = 1e-10) -> BatchingCheckReport {
    let recorder = FallbackRecorder()
    var report = FallbackRecorder.$current.withValue(recorder) { runBatchingCheck(op, inputs, tolerance) }
    report.fallbackOps = recorder.names
    return report
}

/// The body of ``batchingReport(of:at:tolerance:)``.
func runBatchingCheck(_ op: any RegisteredOperator, _ inputs: [Tensor<Double>], _ tolerance: Double) -> BatchingCheckReport {
    let scales: [Double] = [1, 0.8, 1.25]
    let size = scales.count
    var patterns: [[Int?]] = [inputs.map { _ in 0 }, inputs.map { $0.rank == 0 ? 0 : -1 }]
    if inputs.count > 1 { for k in inputs.indices { patterns.append(inputs.indices.map { $0 == k ? 0 : nil }) } }
    var failures: [String] = []
    var worstError = 0.0
    func compare(_ a: Tensor<Double>, _ b: Tensor<Double>, _ what: String) {
        let e = relativeError(a, b)
        worstError = Swift.max(worstError, e)
        if e > tolerance { failures.append("\(what) differs by \(e) (relative)") }
    }
    for axes in patterns {
        // The batched inputs: the scaled copies stacked on each input's batch axis.
        let batched: [Tensor<Double>] = zip(inputs, axes).map { x, a in
            guard let a else { return x }
            let s = stack(scales.map { x * $0 })
            let axis = a < 0 ? a + x.rank + 1 : a
            var order = Array(1...Swift.max(x.rank, 1)).prefix(x.rank).map { $0 }
            order.insert(0, at: axis)
            return x.rank == 0 ? s : s.permuted(order).contiguous
        }
        func element(_ xs: [Variable<Double>], _ b: Int) -> [Variable<Double>] {
            zip(xs, axes).map { x, a in
                guard let a else { return x }
                let axis = a < 0 ? a + x.rank : a
                return movingAxis(x, axis, to: 0)[b]
            }
        }
        let label = "\(op.name) inAxes [" + axes.map { $0.map(String.init) ?? "nil" }.joined(separator: ", ") + "]"
        let mapped = vmap({ [op.apply($0)] }, inAxes: axes)(batched.map { Variable($0) })[0]
        let looped = stack((0..<size).map { op.apply(element(batched.map { Variable($0) }, $0)) })
        guard mapped.shape == looped.shape else {
            failures.append("\(label): vmap gives shape \(mapped.shape), the loop \(looped.shape)")
            worstError = .infinity
            continue
        }
        compare(mapped.value, looped.value, "\(label): value")
        // Gradients through the rule against gradients through the loop.
        let w = Variable(Tensor<Double>.randomNormal(looped.shape, seed: 99))
        let which = axes.indices.filter { axes[$0] != nil }
        let gm = gradient(at: which.map { Variable(batched[$0]) }) { v in
            var xs = batched.map { Variable($0) }
            for (i, k) in which.enumerated() { xs[k] = v[i] }
            return (vmap({ [op.apply($0)] }, inAxes: axes)(xs)[0] * w).sum()
        }
        let gl = gradient(at: which.map { Variable(batched[$0]) }) { v in
            var xs = batched.map { Variable($0) }
            for (i, k) in which.enumerated() { xs[k] = v[i] }
            return (stack((0..<size).map { op.apply(element(xs, $0)) }) * w).sum()
        }
        for (i, k) in which.enumerated() {
            compare(gm[i].value, gl[i].value, "\(label): gradient of input \(k)")
        }
    }
    return BatchingCheckReport(failures: failures, worstError: worstError, fallbackOps: [], patternCount: patterns.count)
}

/// The largest `|a − b| / max(1, |b|)` over the elements of `a` and `b` (NaN matches NaN; infinity
/// for a NaN against a number or for different shapes).
func relativeError(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
    guard a.shape == b.shape else { return .infinity }
    var worst = 0.0
    for (x, y) in zip(a.contiguous.scalars, b.contiguous.scalars) {
        if x.isNaN && y.isNaN { continue }
        if x == y { continue }
        let e = x.isNaN || y.isNaN ? Double.infinity : Swift.abs(x - y) / Swift.max(1, Swift.abs(y))
        worst = Swift.max(worst, e)
    }
    return worst
}
