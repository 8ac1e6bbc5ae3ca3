import NablaTensor

// Forward mode that composes with every transform, to any depth.
//
// The tensor-level `jvp(at:tangent:of:)` carries tangents on constants, so it must be the
// outermost transform. The variable-level forms below take and return `Variable`s, so they can sit
// inside `gradient`, `jacobian`, `hessian` or another `jvp` (JAX's `jacfwd(jacfwd(f))`,
// `grad(lambda x: jvp(f, (x,), (v,))[1] @ w)`). Where nothing encloses them and their arguments
// are constants, they run the dual-number forward pass. Otherwise they compute `J·ṫ` by reverse
// mode twice (the "double-VJP" construction): `u ↦ Jᵀu` is linear in `u`, so the gradient of
// `⟨Jᵀu, ṫ⟩` with respect to `u` is `J·ṫ`. Both sweeps are recorded, so the result is
// differentiable again with respect to `x`, to `ṫ`, and to anything `f` closes over.

/// `f(x)` and the Jacobian–vector product `∂f/∂x · tangent`, as variables that another transform
/// can differentiate again. Mirrors `torch.func.jvp` / `jax.jvp` under any other transform.
///
/// ```swift
/// // d²/dx² x³ at 2, forward over forward: 6x = 12
/// jvp(at: Tensor<Double>(2), tangent: Tensor(1)) { x in
///     jvp(at: x, tangent: Variable(1)) { x in x * x * x }.tangent
/// }.tangent
/// ```
/// - Precondition: `tangent` has `x`'s shape.
public func jvp<S: TensorFloatingPoint>(
    at x: Variable<S>, tangent: Variable<S>, of f: (Variable<S>) throws -> Variable<S>
) rethrows -> (value: Variable<S>, tangent: Variable<S>) {
    precondition(x.shape == tangent.shape, "jvp: tangent of shape \(tangent.shape) for an input of shape \(x.shape)")
    let context = Context.current
    if !x.isDifferentiable && !tangent.isDifferentiable && context.depth == 0 {
        // Nothing encloses this call: the dual-number pass, whose results are constants.
        let (y, t) = try forwardSweep(at: [x], tangents: [tangent]) { try f($0[0]) }
        return (y.detached(), t.detached())
    }
    // Under another transform: J·ṫ = ∇ᵤ⟨Jᵀu, ṫ⟩, both sweeps recorded.
    let (y, nodes) = try recordForReverse([x]) { try f($0[0]) }
    let (inner, uNodes) = recordForReverse([Variable(Tensor<S>.zeros(y.shape))]) { u in
        (sweep(from: y, seed: u[0], to: nodes)[0] * tangent).sum()
    }
    // Recorded even when no transform encloses this call, so that a differentiable `x` or
    // `tangent` (a leaf with `requiresGradient`) gets a differentiable result.
    let seed = Variable(Tensor<S>.ones(inner.shape))
    let product = context.isRecording
        ? Context.with({ $0.depth += 1 }) { sweep(from: inner, seed: seed, to: uNodes)[0] }
        : sweep(from: inner, seed: seed, to: uNodes)[0]
    return (y, product)
}

/// The Jacobian `∂f/∂x` (shape `f(x).shape + x.shape`) as a variable that another transform can
/// differentiate again, by forward mode (the `jvp(at:tangent:of:)`s of every basis vector, under
/// `vmap`) or reverse mode (one batched sweep). `jacobian(at: x, mode: .forward) { jacobian(at: $0, mode:
/// .forward, of: f) }` is JAX's `jacfwd(jacfwd(f))`.
public func jacobian<S: TensorFloatingPoint>(
    at x: Variable<S>, mode: JacobianMode, of f: (Variable<S>) throws -> Variable<S>) rethrows -> Variable<S> {
    let useForward: Bool
    switch mode {
    case .forward: useForward = true
    case .reverse: useForward = false
    case .automatic: useForward = x.count < (try withoutDerivative { try f(x.detached()) }.count)
    }
    guard useForward else { return try jacobian(at: x, of: f) }
    // The JVPs of all basis vectors in one pass: `vmap` over the tangents.
    let xShape = x.shape
    let columns = try vmapCall({ t in [try jvp(at: x, tangent: t[0], of: f).tangent] },
                               [Variable(basisBatch(xShape, 0..<x.count))], inAxes: [0], outAxes: [0])[0]
    // Row j is ∂f/∂x_j, of f's shape: move that axis last, then split it to x's shape.
    let yShape = Array(columns.shape.dropFirst())
    return movingAxis(columns, 0, to: yShape.count).reshaped(yShape + xShape)
}
