import NablaTensor

// Reverse-mode transforms. Each evaluates `f` on fresh inputs (``InputNode``s, connected to the
// caller's variables when those are differentiable), then sweeps backwards from the output.
// The sweep is itself recorded when another transform encloses this one, so that one can
// differentiate through it: that is what makes `gradient(at: x) { gradient(at: $0, of: f)… }` work.

/// Evaluates `f` on fresh differentiable inputs.
@usableFromInline func recordForReverse<S: TensorFloatingPoint, R>(
    _ inputs: [Variable<S>], _ f: ([Variable<S>]) throws -> R) rethrows -> (R, [Node<S>]) {
    let xs = inputs.map { $0.makeInput() }
    let r = try Context.with({ $0.depth += 1; $0.isRecording = true }) { try f(xs) }
    return (r, xs.map { $0.node! })
}

/// One reverse sweep from `output` (seeded with `seed`) to `targets`; zeros where nothing arrives.
@_specialize(where S == Double)
@_specialize(where S == Float)
@usableFromInline func sweep<S: TensorFloatingPoint>(from output: Variable<S>, seed: Variable<S>,
                                                     to targets: [Node<S>]) -> [Variable<S>] {
    precondition(seed.shape == output.shape,
                 "pullback: cotangent of shape \(seed.shape) for an output of shape \(output.shape)")
    // Nodes hold whole batches: a batched output's seed is copied over its batch (each element's
    // output gets the seed) and the results are seen per example again (see `Batching.swift`).
    let seed = output.nodeLevel(of: seed)
    func perExample(_ g: Variable<S>, _ t: Node<S>) -> Variable<S> {
        guard let input = t as? InputNode<S>, input.x.batch != nil else { return g }
        return input.x.exampleLevel(of: g)
    }
    guard let node = output.node else { return targets.map { perExample(Variable(Tensor<S>.zeros($0.shape)), $0) } }
    let outer = Context.current
    let record = outer.depth > 0 && outer.isRecording
    // A recorded sweep runs one transform deeper; an unrecorded one runs its rules on constants,
    // which never consult the context, so it needs no task-local scope.
    let results = record
        ? Context.with({ $0.isRecording = true; $0.depth += 1 }) {
            Backward.run(from: node, seed: seed, targets: targets, intoLeaves: false, recording: true)
        }
        : Backward.run(from: node, seed: seed, targets: targets, intoLeaves: false, recording: false)
    return zip(results, targets).map { r, t in perExample(r ?? Variable(Tensor<S>.zeros(t.shape)), t) }
}

@usableFromInline func checkScalarOutput<S>(_ y: Variable<S>, _ op: StaticString) {
    precondition(y.count == 1, "\(op): the function's output has shape \(y.shape); a gradient needs a one-element output (use jacobian or pullback)")
}

// MARK: Arrays of inputs (the general form)

/// The value of `f` and its gradient with respect to each input, as variables (differentiable
/// again when an enclosing transform records). The general form behind every `gradient` overload.
@_specialize(where S == Double)
@_specialize(where S == Float)
public func valueWithGradient<S: TensorFloatingPoint>(
    at xs: [Variable<S>], of f: ([Variable<S>]) throws -> Variable<S>) rethrows -> (value: Variable<S>, gradient: [Variable<S>]) {
    let (y, nodes) = try recordForReverse(xs, f)
    checkScalarOutput(y, "gradient")
    return (y, sweep(from: y, seed: Variable(Tensor<S>.ones(y.shape)), to: nodes))
}

/// The gradient of a scalar `f` with respect to each input, each of its input's shape.
/// Mirrors `torch.func.grad(f, argnums=(0, 1, …))`.
public func gradient<S: TensorFloatingPoint>(at xs: [Tensor<S>], of f: ([Variable<S>]) throws -> Variable<S>) rethrows -> [Tensor<S>] {
    try valueWithGradient(at: xs.map { Variable($0) }, of: f).gradient.map { $0.value }
}

/// The value of a scalar `f` and its gradient with respect to each input.
public func valueWithGradient<S: TensorFloatingPoint>(
    at xs: [Tensor<S>], of f: ([Variable<S>]) throws -> Variable<S>) rethrows -> (value: Tensor<S>, gradient: [Tensor<S>]) {
    let (y, g) = try valueWithGradient(at: xs.map { Variable($0) }, of: f)
    return (y.value, g.map { $0.value })
}

/// The gradient with respect to each input, as differentiable variables (for higher derivatives).
public func gradient<S: TensorFloatingPoint>(at xs: [Variable<S>], of f: ([Variable<S>]) throws -> Variable<S>) rethrows -> [Variable<S>] {
    try valueWithGradient(at: xs, of: f).gradient
}

// MARK: One input

/// The gradient `∇f(x)` of a function with a one-element output, with `x`'s shape.
/// Mirrors `torch.func.grad(f)(x)`; the seeds' row vector `df/dx ∈ R^{1×N}` is this, laid out as `x`.
///
/// ```swift
/// gradient(at: Tensor<Double>([2, 3])) { x in (x[0] * x[1]).log() }   // [0.5, 0.3333…]
/// ```
/// - Precondition: `f`'s output has one element.
public func gradient<S: TensorFloatingPoint>(at x: Tensor<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> Tensor<S> {
    try valueWithGradient(at: x, of: f).gradient
}

/// `f(x)` and `∇f(x)` from one forward and one backward pass.
public func valueWithGradient<S: TensorFloatingPoint>(
    at x: Tensor<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> (value: Tensor<S>, gradient: Tensor<S>) {
    let (y, g) = try valueWithGradient(at: [Variable(x)]) { try f($0[0]) }
    return (y.value, g[0].value)
}

/// `∇f(x)` as a variable: inside another transform it is differentiable again (grad of grad).
public func gradient<S: TensorFloatingPoint>(at x: Variable<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> Variable<S> {
    try valueWithGradient(at: [x]) { try f($0[0]) }.gradient[0]
}

/// `f(x)` and `∇f(x)` as variables.
public func valueWithGradient<S: TensorFloatingPoint>(
    at x: Variable<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> (value: Variable<S>, gradient: Variable<S>) {
    let (y, g) = try valueWithGradient(at: [x]) { try f($0[0]) }
    return (y, g[0])
}

// MARK: Two inputs

/// The gradients of a scalar `f(x, y)` with respect to both inputs.
public func gradient<S: TensorFloatingPoint>(
    at x: Tensor<S>, _ y: Tensor<S>, of f: (Variable<S>, Variable<S>) throws -> Variable<S>) rethrows -> (Tensor<S>, Tensor<S>) {
    let g = try gradient(at: [x, y]) { try f($0[0], $0[1]) }
    return (g[0], g[1])
}

/// `f(x, y)` and its gradients with respect to both inputs.
public func valueWithGradient<S: TensorFloatingPoint>(
    at x: Tensor<S>, _ y: Tensor<S>, of f: (Variable<S>, Variable<S>) throws -> Variable<S>
) rethrows -> (value: Tensor<S>, gradient: (Tensor<S>, Tensor<S>)) {
    let (v, g) = try valueWithGradient(at: [x, y]) { try f($0[0], $0[1]) }
    return (v, (g[0], g[1]))
}

/// The gradients of `f(x, y)` as variables (for higher derivatives).
public func gradient<S: TensorFloatingPoint>(
    at x: Variable<S>, _ y: Variable<S>, of f: (Variable<S>, Variable<S>) throws -> Variable<S>) rethrows -> (Variable<S>, Variable<S>) {
    let g = try gradient(at: [x, y]) { try f($0[0], $0[1]) }
    return (g[0], g[1])
}

// MARK: Auxiliary output

/// `f(x)`, its gradient, and an auxiliary result of `f` that is returned but not differentiated.
/// Mirrors `torch.func.grad_and_value(f, has_aux=True)`.
public func valueWithGradient<S: TensorFloatingPoint, Aux>(
    at x: Tensor<S>, auxiliaryOf f: (Variable<S>) throws -> (Variable<S>, Aux)
) rethrows -> (value: Tensor<S>, gradient: Tensor<S>, auxiliary: Aux) {
    let ((y, aux), nodes) = try recordForReverse([Variable(x)]) { try f($0[0]) }
    checkScalarOutput(y, "gradient")
    let g = sweep(from: y, seed: Variable(Tensor<S>.ones(y.shape)), to: nodes)
    return (y.value, g[0].value, aux)
}

// MARK: Pullbacks (VJPs)

/// `f(x)` and its pullback `ȳ ↦ ȳ·∂f/∂x` (a vector–Jacobian product, any output shape).
/// The recorded graph is kept by the closure; each call is one backward sweep.
/// Mirrors `torch.func.vjp(f, x)`.
public func valueWithPullback<S: TensorFloatingPoint>(
    at x: Tensor<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    let (y, nodes) = try recordForReverse([Variable(x)]) { try f($0[0]) }
    return (y.value, { ct in sweep(from: y, seed: Variable(ct), to: nodes)[0].value })
}

/// The pullback of `f` at `x`. See ``valueWithPullback(at:of:)``.
public func pullback<S: TensorFloatingPoint>(
    at x: Tensor<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> (Tensor<S>) -> Tensor<S> {
    try valueWithPullback(at: x, of: f).pullback
}

/// `f(x)` and the vector–Jacobian product `cotangent·∂f/∂x`, with `x`'s shape. Mirrors `torch.func.vjp`.
public func vjp<S: TensorFloatingPoint>(
    at x: Tensor<S>, cotangent: Tensor<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> (value: Tensor<S>, cotangent: Tensor<S>) {
    let (y, pb) = try valueWithPullback(at: x, of: f)
    return (y, pb(cotangent))
}

/// `f(x)` and the vector–Jacobian product, as variables (differentiable again inside another transform).
public func vjp<S: TensorFloatingPoint>(
    at x: Variable<S>, cotangent: Variable<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> (value: Variable<S>, cotangent: Variable<S>) {
    let (y, nodes) = try recordForReverse([x]) { try f($0[0]) }
    return (y, sweep(from: y, seed: cotangent, to: nodes)[0])
}
