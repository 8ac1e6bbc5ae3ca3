import NablaTensor

/// How `jacobian(at:mode:chunkSize:of:)` computes: one forward pass per input element, or one
/// backward sweep per output element.
public enum JacobianMode: Sendable {
    /// Forward when the input has fewer elements than the output, else reverse (as `jacfwd` vs `jacrev`).
    case automatic
    /// One JVP per input element (`torch.func.jacfwd`).
    case forward
    /// One VJP per output element (`torch.func.jacrev`).
    case reverse
}

/// The unit tensor of `shape` with a 1 at flat position `i`.
@usableFromInline func basis<S: TensorFloatingPoint>(_ shape: [Int], _ i: Int) -> Tensor<S> {
    var t = Tensor<S>.zeros(shape)
    t.withUnsafeMutableBufferPointer { $0[i] = 1 }
    return t
}

/// The basis vectors `e_i` for `i` in `range`, stacked: shape `[range.count] + shape`.
@_specialize(where S == Double)
@_specialize(where S == Float)
@usableFromInline func basisBatch<S: TensorFloatingPoint>(_ shape: [Int], _ range: Range<Int>) -> Tensor<S> {
    let n = shape.reduce(1, *)
    var t = Tensor<S>.zeros([range.count] + shape)
    t.withUnsafeMutableBufferPointer { for (c, i) in range.enumerated() { $0[c * n + i] = 1 } }
    return t
}

/// The batch of `level` in `v` (size `size`) as a plain leading axis, contiguous; a value that is
/// not batched over `level` is the same for every element, so it is copied.
@_specialize(where S == Double)
@_specialize(where S == Float)
@usableFromInline func unbatched<S: TensorFloatingPoint>(_ v: Variable<S>, _ level: Int, _ size: Int) -> Tensor<S> {
    if v.batchLevels.contains(where: { $0.level == level }) { return v.removingLevels([level]).value.contiguous }
    return v.value.unsqueezed(axis: 0).expanded(to: [size] + v.value.shape).contiguous
}

/// `f(x)` and the full Jacobian `∂f/∂x`, of shape `f(x).shape + x.shape`:
/// `J[i…, j…] = ∂f(x)[i…] / ∂x[j…]`. For `f: R^{M×N} → R^{P×Q}` that is the seeds' `P×Q×M×N`
/// tensor; for a scalar `f` it is the gradient (shape of `x`); for `R^N → R^M` the `M×N` matrix.
/// Mirrors `torch.func.jacrev` / `jacfwd`.
///
/// - Parameters:
///   - x: the point at which to differentiate.
///   - mode: forward, reverse, or chosen by the sizes (default).
///   - chunkSize: how many directions (rows in reverse mode, columns in forward mode) go through
///     one batched pass (the basis vectors are a batch, as under `vmap`); `nil` means all, unless
///     the batch of tangents would exceed 2²⁴ elements. Smaller chunks bound memory.
///   - f: the function to differentiate.
@_specialize(where S == Double)
@_specialize(where S == Float)
public func valueWithJacobian<S: TensorFloatingPoint>(
    at x: Tensor<S>, mode: JacobianMode = .automatic, chunkSize: Int? = nil,
    of f: (Variable<S>) throws -> Variable<S>) rethrows -> (value: Tensor<S>, jacobian: Tensor<S>) {
    let (y, j) = try valueWithJacobian(at: [x], mode: mode, chunkSize: chunkSize) { try f($0[0]) }
    return (y, j[0])
}

/// `f(xs)` and its Jacobian with respect to each input: `jacobian[k]` has shape
/// `f(xs).shape + xs[k].shape`. Mirrors `torch.func.jacrev(f, argnums=(0, 1, …))`.
/// Automatic mode compares the total input size with the output size.
@_specialize(where S == Double)
@_specialize(where S == Float)
public func valueWithJacobian<S: TensorFloatingPoint>(
    at xs: [Tensor<S>], mode: JacobianMode = .automatic, chunkSize: Int? = nil,
    of f: ([Variable<S>]) throws -> Variable<S>) rethrows -> (value: Tensor<S>, jacobian: [Tensor<S>]) {
    precondition(chunkSize.map { $0 > 0 } ?? true, "jacobian: chunkSize must be positive")
    // One batched pass per chunk of basis vectors: the tangents (or cotangents) carry a batch level
    // of their own while the primal values stay unbatched (see Batching.swift).
    let level = Context.current.batchLevel + 1
    func chunks(_ n: Int, _ perDirection: Int) -> [Range<Int>] {
        // Default: all at once, unless the batched tangents would exceed 2²⁴ elements.
        let c = chunkSize ?? Swift.max(1, Swift.min(n, (1 << 24) / Swift.max(perDirection, 1)))
        return stride(from: 0, to: n, by: Swift.max(c, 1)).map { $0..<Swift.min(n, $0 + c) }
    }
    let totalIn = xs.reduce(0) { $0 + $1.count }
    var forward = mode == .forward
    var recorded: (Variable<S>, [Node<S>])? = nil
    if mode != .forward {
        let r = try recordForReverse(xs.map { Variable($0) }, f)
        recorded = r
        forward = mode == .automatic && totalIn < r.0.count
    }
    if forward {
        var value: Tensor<S>? = recorded?.0.value
        var results: [Tensor<S>] = []
        for k in xs.indices {
            let n = xs[k].count
            var result: Tensor<S>? = nil
            for r in chunks(n, n) {
                let seeds = Variable<S>(basisBatch(xs[k].shape, r) as Tensor<S>, node: nil, batch: BatchTag(levels: [level], sizes: [r.count]))
                let (y, t) = try Context.with({ $0.batchLevel = level }) {
                    try forwardSweep(at: xs.map { Variable($0) }, tangents: xs.indices.map { $0 == k ? seeds : nil }, of: f)
                }
                if value == nil { value = y.value }
                let m = y.count
                if result == nil { result = Tensor<S>.zeros(y.shape + xs[k].shape) }
                let columns = unbatched(t, level, r.count)   // [chunk] + y.shape
                result!.withUnsafeMutableBufferPointer { out in
                    columns.withUnsafeBufferPointer { col in
                        for c in 0..<r.count { for i in 0..<m { out[i * n + r.lowerBound + c] = col[c * m + i] } }
                    }
                }
            }
            if let result { results.append(result) } else {
                // An empty input: no directions, so no pass ran.
                let v = try withoutDerivative { try f(xs.map { Variable($0) }) }.value
                results.append(Tensor<S>.zeros(v.shape + xs[k].shape))
                if value == nil { value = v }
            }
        }
        if value == nil { value = try withoutDerivative { try f(xs.map { Variable($0) }) }.value }
        return (value!, results)
    }
    let (y, nodes) = recorded!
    let m = y.count
    var results = xs.map { Tensor<S>.zeros(y.shape + $0.shape) }
    for r in chunks(m, totalIn) {
        let seed = Variable<S>(basisBatch(y.shape, r) as Tensor<S>, node: nil, batch: BatchTag(levels: [level], sizes: [r.count]))
        let rows = Context.with({ $0.batchLevel = level }) { sweep(from: y, seed: seed, to: nodes) }
        for k in xs.indices {
            let n = xs[k].count
            let g = unbatched(rows[k], level, r.count)   // [chunk] + x.shape
            results[k].withUnsafeMutableBufferPointer { out in
                g.withUnsafeBufferPointer { g in
                    for i in 0..<(r.count * n) { out[r.lowerBound * n + i] = g[i] }
                }
            }
        }
    }
    return (y.value, results)
}

/// The Jacobian with respect to each input. See the array form of `valueWithJacobian`.
public func jacobian<S: TensorFloatingPoint>(
    at xs: [Tensor<S>], mode: JacobianMode = .automatic, chunkSize: Int? = nil,
    of f: ([Variable<S>]) throws -> Variable<S>) rethrows -> [Tensor<S>] {
    try valueWithJacobian(at: xs, mode: mode, chunkSize: chunkSize, of: f).jacobian
}

/// The Jacobian `∂f/∂x` of shape `f(x).shape + x.shape`. See `valueWithJacobian(at:mode:chunkSize:of:)`.
@_specialize(where S == Double)
@_specialize(where S == Float)
public func jacobian<S: TensorFloatingPoint>(
    at x: Tensor<S>, mode: JacobianMode = .automatic, chunkSize: Int? = nil,
    of f: (Variable<S>) throws -> Variable<S>) rethrows -> Tensor<S> {
    try valueWithJacobian(at: x, mode: mode, chunkSize: chunkSize, of: f).jacobian
}

/// The Jacobian as a variable, by reverse mode (one batched sweep over the output's basis), differentiable
/// again inside another transform: `jacobian(at: x) { gradient(at: $0, of: f) }` is a
/// reverse-over-reverse Hessian.
@_specialize(where S == Double)
@_specialize(where S == Float)
public func jacobian<S: TensorFloatingPoint>(
    at x: Variable<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> Variable<S> {
    let (y, nodes) = try recordForReverse([x]) { try f($0[0]) }
    if y.count == 0 { return Variable(Tensor<S>.zeros(y.shape + x.shape)) }
    // One sweep with the basis cotangents as a batch (a level of their own).
    let level = Context.current.batchLevel + 1
    let seed = Variable<S>(basisBatch(y.shape, 0..<y.count) as Tensor<S>, node: nil, batch: BatchTag(levels: [level], sizes: [y.count]))
    let g = Context.with({ $0.batchLevel = level }) { sweep(from: y, seed: seed, to: nodes)[0] }
    let rows = g.batchLevels.contains(where: { $0.level == level })
        ? g.removingLevels([level])
        : g.unsqueezed(axis: 0).expanded(to: [y.count] + g.shape)
    return rows.reshaped(y.shape + x.shape)
}
