import NablaTensor

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
    let scales: [Double] = [1, 0.8, 1.25]
    let size = scales.count
    var patterns: [[Int?]] = [inputs.map { _ in 0 }, inputs.map { $0.rank == 0 ? 0 : -1 }]
    if inputs.count > 1 { for k in inputs.indices { patterns.append(inputs.indices.map { $0 == k ? 0 : nil }) } }
    var failures: [String] = []
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
        let label = "\(op.name) inAxes \(axes.map { $0.map(String.init) ?? "nil" })"
        let mapped = vmap({ [op.apply($0)] }, inAxes: axes)(batched.map { Variable($0) })[0]
        let looped = stack((0..<size).map { op.apply(element(batched.map { Variable($0) }, $0)) })
        guard mapped.shape == looped.shape else {
            failures.append("\(label): vmap gives shape \(mapped.shape), the loop \(looped.shape)")
            continue
        }
        if let e = mismatch(mapped.value, looped.value, tolerance) { failures.append("\(label): value \(e)") }
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
            if let e = mismatch(gm[i].value, gl[i].value, tolerance) { failures.append("\(label): gradient of input \(k) \(e)") }
        }
    }
    return failures
}

/// A description of the largest difference between `a` and `b` beyond `tolerance`, or `nil`.
func mismatch(_ a: Tensor<Double>, _ b: Tensor<Double>, _ tolerance: Double) -> String? {
    guard a.shape == b.shape else { return "shape \(a.shape) vs \(b.shape)" }
    var worst = 0.0
    for (x, y) in zip(a.contiguous.scalars, b.contiguous.scalars) {
        if x.isNaN && y.isNaN { continue }
        if x == y { continue }
        let e = x.isNaN || y.isNaN ? Double.infinity : Swift.abs(x - y) / Swift.max(1, Swift.abs(y))
        worst = Swift.max(worst, e)
    }
    return worst > tolerance ? "differs by \(worst) (relative)" : nil
}
