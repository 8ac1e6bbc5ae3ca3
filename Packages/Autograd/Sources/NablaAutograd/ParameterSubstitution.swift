import NablaTensor

/// The parameters replaced in the current task by ``withParameterValues(_:_:)``, by identity.
@usableFromInline final class ParameterSubstitution: @unchecked Sendable {
    @TaskLocal @usableFromInline static var current: ParameterSubstitution?
    /// Immutable after creation; the values are `Variable<S>` for the parameter's scalar type.
    let table: [ObjectIdentifier: Any]
    init(_ table: [ObjectIdentifier: Any]) { self.table = table }

    /// The variable substituted for `p`, if any.
    @usableFromInline func variable<S>(for p: Parameter<S>) -> Variable<S>? {
        table[ObjectIdentifier(p)] as? Variable<S>
    }
}

/// Runs `body` with each listed parameter's ``Parameter/variable`` replaced by the given variable,
/// so a model's forward pass computes with those values instead of its own: the parameters'
/// values and gradients are untouched. Mirrors `torch.func.functional_call(model, params, x)`;
/// differentiating `body` with respect to the substituted variables gives the model's gradient as
/// a pure function, and inside `vmap` that is a per-sample gradient (NablaLayers'
/// `perSampleGradients(of:inputs:targets:_:)` is built this way).
///
/// ```swift
/// let w = Parameter(Tensor<Double>([1, 2]))
/// let g = gradient(at: Variable(w.value)) { v in
///     withParameterValues([(w, v)]) { (w.variable * w.variable).sum() }
/// }                                  // [2, 4]; w.gradient stays nil
/// ```
///
/// Substitutions nest (an inner call adds to and overrides the outer one) and are task-local, so
/// concurrent tasks do not see each other's.
///
/// - Precondition: each variable has its parameter's shape (per example, inside `vmap`).
public func withParameterValues<S: TensorFloatingPoint, R>(
    _ values: [(Parameter<S>, Variable<S>)], _ body: () throws -> R) rethrows -> R {
    var table = ParameterSubstitution.current?.table ?? [:]
    for (p, v) in values {
        precondition(v.shape == p.shape,
                     "withParameterValues: a variable of shape \(v.shape) for a parameter of shape \(p.shape)")
        table[ObjectIdentifier(p)] = v
    }
    return try ParameterSubstitution.$current.withValue(ParameterSubstitution(table)) { try body() }
}
