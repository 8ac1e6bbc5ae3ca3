import NablaTensor

/// How ``hessian(at:mode:of:)`` nests the two derivatives.
public enum HessianMode: Sendable {
    /// A JVP of the gradient (JAX's `hessian` = `jacfwd(jacrev(f))`): `f` and its backward pass run
    /// once, carrying the whole batch of basis tangents.
    case forwardOverReverse
    /// The gradient is recorded once, then swept in reverse once with the whole batch of basis
    /// cotangents (`jacrev(jacrev(f))`). The default.
    case reverseOverReverse
}

/// The Hessian `∂²f/∂x∂x` of a scalar `f`, of shape `x.shape + x.shape`. Mirrors `torch.func.hessian`.
///
/// ```swift
/// // f = x₀³ − 2x₀x₁ − x₁⁶ at (1, 2): [[6, −2], [−2, −480]]
/// hessian(at: [1, 2]) { x in x[0].pow(3) - 2 * x[0] * x[1] - x[1].pow(6) }
/// ```
@_specialize(where S == Double)
@_specialize(where S == Float)
public func hessian<S: TensorFloatingPoint>(
    at x: Tensor<S>, mode: HessianMode = .reverseOverReverse, of f: (Variable<S>) throws -> Variable<S>) rethrows -> Tensor<S> {
    switch mode {
    case .forwardOverReverse:
        return try withoutActuallyEscaping(f) { f in
            try jacobian(at: x, mode: .forward) { x in try gradient(at: x, of: f) }
        }
    case .reverseOverReverse:
        return try jacobian(at: Variable(x)) { x in try gradient(at: x, of: f) }.value
    }
}

/// The Hessian–vector product `∇²f(x)·v` (forward over reverse: one pass, no Hessian built).
/// Mirrors `torch.autograd.functional.hvp`.
public func hessianVectorProduct<S: TensorFloatingPoint>(
    at x: Tensor<S>, vector v: Tensor<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> Tensor<S> {
    try jvp(at: x, tangent: v) { x in try gradient(at: x, of: f) }.tangent
}

/// The Hessian–vector products `∇²f(x)·vᵢ` for a batch of vectors `vectors` (shape `[k] + x.shape`),
/// in one forward-over-reverse pass whose tangents are the batch. Returns shape `[k] + x.shape`.
/// Mirrors `torch.func.vmap` of `hvp`.
@_specialize(where S == Double)
@_specialize(where S == Float)
public func hessianVectorProducts<S: TensorFloatingPoint>(
    at x: Tensor<S>, vectors: Tensor<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> Tensor<S> {
    precondition(vectors.rank == x.rank + 1 && Array(vectors.shape.dropFirst()) == x.shape,
                 "hessianVectorProducts: vectors of shape \(vectors.shape) for an input of shape \(x.shape); expected [k] + \(x.shape)")
    let k = vectors.shape[0]
    let level = Context.current.batchLevel + 1
    let t = Variable(vectors, node: nil, batch: BatchTag(levels: [level], sizes: [k]))
    let (_, products) = try Context.with({ $0.batchLevel = level }) {
        try forwardSweep(at: [Variable(x)], tangents: [t]) { x in try gradient(at: x[0], of: f) }
    }
    return unbatched(products, level, k)
}
