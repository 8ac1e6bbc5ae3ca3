import NablaTensor

// Forward mode: each input carries a tangent on its node, and every op computes its output's
// tangent with its JVP rule as it runs (dual numbers). Tangents are computed on constants, so
// these tensor-level forms are the outermost transform: `jvp { gradient(...) }` (forward over
// reverse, Hessian-vector products). Forward mode inside other transforms (nested `jvp`s,
// `gradient` of a `jvp`) is the variable-level `jvp` in NestedForward.swift.

/// Evaluates `f` with `tangents` attached to `xs`; returns the output and its tangent.
@usableFromInline func forwardSweep<S: TensorFloatingPoint>(
    at xs: [Tensor<S>], tangents: [Tensor<S>], of f: ([Variable<S>]) throws -> Variable<S>) rethrows -> (Variable<S>, Tensor<S>) {
    let (y, t) = try forwardSweep(at: xs.map { Variable($0) }, tangents: tangents.map { Variable($0) }, of: f)
    return (y, t.value)
}

/// The same on constant variables, which may be batched (inside `vmap`), and with tangents that may
/// be batched on their own (a batch of basis vectors, for a Jacobian in one pass) or absent (`nil`).
@_specialize(where S == Double)
@_specialize(where S == Float)
@usableFromInline func forwardSweep<S: TensorFloatingPoint>(
    at xs: [Variable<S>], tangents: [Variable<S>?], of f: ([Variable<S>]) throws -> Variable<S>) rethrows -> (Variable<S>, Variable<S>) {
    precondition(xs.count == tangents.count, "jvp: \(xs.count) inputs but \(tangents.count) tangents")
    let inside = !Context.current.liveLevels.isEmpty
    let inputs = zip(xs, tangents).map { x0, t -> Variable<S> in
        precondition(t == nil || x0.shape == t!.shape, "jvp: tangent of shape \(t!.shape) for an input of shape \(x0.shape)")
        // Inside `vmap`, inputs are batched over every enclosing level so the pass never mixes elements.
        let x = inside ? x0.expandingToLiveLevels() : x0
        let n = InputNode(x.detached())
        n.tangent = t.map { x.nodeLevel(of: $0) }
        return Variable(x.value, node: n, batch: x.batch)
    }
    let y = try Context.with({ $0.depth += 1; $0.isRecording = true }) { try f(inputs) }
    return (y, y.node?.tangent.map { y.exampleLevel(of: $0) } ?? Variable(Tensor<S>.zeros(y.shape)))
}

/// `f(x)` and the Jacobian–vector product `∂f/∂x · tangent` (the directional derivative), from one
/// forward pass. Mirrors `torch.func.jvp(f, (x,), (tangent,))`.
///
/// ```swift
/// // z = sin(x₁) + x₁x₂ at (2, 3): ∂z/∂x₁ = cos 2 + 3
/// jvp(at: [2, 3], tangent: [1, 0]) { x in x[0].sin() + x[0] * x[1] }.tangent
/// ```
public func jvp<S: TensorFloatingPoint>(
    at x: Tensor<S>, tangent: Tensor<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> (value: Tensor<S>, tangent: Tensor<S>) {
    let (y, t) = try forwardSweep(at: [x], tangents: [tangent]) { try f($0[0]) }
    return (y.value, t)
}

/// `f(xs)` and `Σᵢ ∂f/∂xᵢ · tangents[i]` for several inputs.
public func jvp<S: TensorFloatingPoint>(
    at xs: [Tensor<S>], tangents: [Tensor<S>], of f: ([Variable<S>]) throws -> Variable<S>) rethrows -> (value: Tensor<S>, tangent: Tensor<S>) {
    let (y, t) = try forwardSweep(at: xs, tangents: tangents, of: f)
    return (y.value, t)
}

/// The differential of `f` at `x`: the linear map `ẋ ↦ ∂f/∂x · ẋ`. Each call runs `f` forward once
/// with that tangent (there is no stored linearization).
public func differential<S: TensorFloatingPoint>(
    at x: Tensor<S>, of f: @escaping (Variable<S>) -> Variable<S>) -> (Tensor<S>) -> Tensor<S> {
    { t in jvp(at: x, tangent: t, of: f).tangent }
}

/// `f(x)` and its differential. See ``differential(at:of:)``.
public func valueWithDifferential<S: TensorFloatingPoint>(
    at x: Tensor<S>, of f: @escaping (Variable<S>) -> Variable<S>) -> (value: Tensor<S>, differential: (Tensor<S>) -> Tensor<S>) {
    let y = withoutDerivative { f(Variable(x)) }
    return (y.value, differential(at: x, of: f))
}
