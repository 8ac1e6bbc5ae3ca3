import NablaTensor

// The vectorizing map: JAX's `vmap`, PyTorch's `torch.func.vmap`. Batched inputs become `Variable`s
// tagged with a fresh level (see Batching.swift); every primitive they meet runs its batching rule
// on the whole batch. Nothing here records or differentiates, so `vmap` composes with the
// differentiation transforms in both orders.

/// The axis `a` of `x` moved to position `to` (a recorded permutation; nothing when equal).
@usableFromInline func movingAxis<S>(_ x: Variable<S>, _ a: Int, to b: Int) -> Variable<S> {
    guard a != b else { return x }
    var order = Array(0..<x.rank)
    order.remove(at: a)
    order.insert(a, at: b)
    return x.permuted(order)
}

/// Calls `f` once on whole batches: the core of every `vmap` overload.
@_specialize(where S == Double)
@_specialize(where S == Float)
@usableFromInline func vmapCall<S: TensorFloatingPoint>(
    _ f: ([Variable<S>]) throws -> [Variable<S>], _ xs: [Variable<S>], inAxes: [Int?], outAxes: [Int]?) rethrows -> [Variable<S>] {
    precondition(inAxes.count == xs.count, "vmap: \(inAxes.count) inAxes for \(xs.count) inputs")
    var size: Int? = nil
    for (k, (x, a)) in zip(xs, inAxes).enumerated() {
        guard let a else { continue }
        let axis = Shape.normalizeAxis(a, rank: x.rank, op: "vmap")
        precondition(size == nil || size == x.shape[axis],
                     "vmap: input \(k) has \(x.shape[axis]) elements on its batch axis \(a), an earlier input \(size!)")
        size = x.shape[axis]
    }
    guard let size else { preconditionFailure("vmap: no input is batched (every entry of inAxes is nil)") }
    let level = Context.current.batchLevel + 1
    let inputs = zip(xs, inAxes).map { x, a -> Variable<S> in
        guard let a else { return x }
        return movingAxis(x, Shape.normalizeAxis(a, rank: x.rank, op: "vmap"), to: 0).addingLevel(level, size: size)
    }
    let ys = try Context.with({
        $0.batchLevel = level
        $0.liveLevels.append(level)
        $0.liveSizes.append(size)
    }) { try f(inputs) }
    let outs = outAxes ?? [Int](repeating: 0, count: ys.count)
    precondition(outs.count == ys.count, "vmap: \(outs.count) outAxes for \(ys.count) outputs")
    return zip(ys, outs).map { y, o in
        // An output that does not depend on a batched input is copied along the batch.
        let b = y.batchLevels.contains(where: { $0.level == level })
            ? y.removingLevels([level])
            : y.unsqueezed(axis: 0).expanded(to: [size] + y.shape)
        return movingAxis(b, 0, to: Shape.normalizeAxis(o, rank: b.rank, op: "vmap"))
    }
}

/// Vectorizes `f` over a batch axis of its inputs: `vmap(f, inAxes: [0, nil])([xs, w])` is
/// `stack([f([xs[0], w]), f([xs[1], w]), …])`, computed in one pass where each primitive runs its
/// batching rule on the whole batch (a matmul becomes one batched matmul, a reduction moves its axes).
/// Mirrors `jax.vmap(f, in_axes, out_axes)` and `torch.func.vmap`.
///
/// Inside `f`, a batched input is a `Variable` whose ``Variable/shape`` is one element's; `f` is
/// written for one element. `vmap` nests (each level batches its own axis) and composes with every
/// differentiation transform in both orders: `vmap { gradient(at: w) { loss($0, x) } }` gives
/// per-example gradients, and `gradient` of a function that calls `vmap` differentiates through it.
/// A primitive without a batching rule runs once per element, with a one-time warning naming it
/// (``vmapFallbackOps``). Random draws (``Variable/randomNormal(_:mean:standardDeviation:using:)``
/// and its siblings) give element `i` the numbers of `generator.stream(i)`, whatever the batch size.
///
/// ```swift
/// // Per-sample gradients of a linear model's squared error.
/// let perSample = vmap({ v in
///     [gradient(at: v[0]) { w in (w.matmul(v[1]) - v[2]).squared().sum() }]
/// }, inAxes: [nil, 0, 0])([w, xs, ys])[0]           // shape [batch] + w.shape
/// ```
///
/// - Parameters:
///   - f: the function of one element.
///   - inAxes: for each input, its batch axis (negative counts from the end), or `nil` for an
///     input shared by every element. All batch axes must have the same size.
///   - outAxes: for each output, where its batch axis goes (default: axis 0 of every output). An
///     output that does not depend on the batch is copied along it.
/// - Returns: the vectorized function.
public func vmap<S: TensorFloatingPoint>(
    _ f: @escaping ([Variable<S>]) -> [Variable<S>], inAxes: [Int?], outAxes: [Int]? = nil) -> ([Variable<S>]) -> [Variable<S>] {
    { xs in vmapCall(f, xs, inAxes: inAxes, outAxes: outAxes) }
}

/// Vectorizes a function of one input over its axis `inAxes` (default 0); the output's batch axis
/// goes to `outAxes`. See the array form of `vmap`.
///
/// ```swift
/// let rowNorms = vmap { (x: Variable<Double>) in x.squared().sum().sqrt() }(Variable(m))   // one per row
/// ```
public func vmap<S: TensorFloatingPoint>(
    _ f: @escaping (Variable<S>) -> Variable<S>, inAxes: Int = 0, outAxes: Int = 0) -> (Variable<S>) -> Variable<S> {
    { x in vmapCall({ [f($0[0])] }, [x], inAxes: [inAxes], outAxes: [outAxes])[0] }
}

/// Vectorizes a function of two inputs; `nil` in `inAxes` marks an input shared by every element.
public func vmap<S: TensorFloatingPoint>(
    _ f: @escaping (Variable<S>, Variable<S>) -> Variable<S>, inAxes: (Int?, Int?) = (0, 0), outAxes: Int = 0
) -> (Variable<S>, Variable<S>) -> Variable<S> {
    { a, b in vmapCall({ [f($0[0], $0[1])] }, [a, b], inAxes: [inAxes.0, inAxes.1], outAxes: [outAxes])[0] }
}

/// Vectorizes `f` over axis `inAxes` of a tensor: `vmap(at: xs) { x in … }` is
/// `stack(xs.unstacked().map(f))`, in one batched pass. The result is a constant tensor.
public func vmap<S: TensorFloatingPoint>(
    at x: Tensor<S>, inAxes: Int = 0, outAxes: Int = 0, _ f: (Variable<S>) throws -> Variable<S>) rethrows -> Tensor<S> {
    try vmapCall({ [try f($0[0])] }, [Variable(x)], inAxes: [inAxes], outAxes: [outAxes])[0].value
}
