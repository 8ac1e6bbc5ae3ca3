import NablaTensor
import NablaAutograd

/// The value of `f(model)` and its gradient with respect to every trainable parameter of `model`,
/// by dotted name. Mirrors MLX's `valueAndGrad(model:)` and `torch.func.grad` over
/// `functional_call`.
///
/// ```swift
/// let (loss, grads) = valueWithGradient(of: model) { m in mseLoss(m(x), y) }
/// grads["fc1.weight"]    // same shape as the parameter
/// ```
///
/// Frozen parameters (`requiresGradient == false`) are left out; a trainable parameter the loss
/// does not depend on gets zeros. Gradients already accumulated in the parameters by
/// `Variable.backward(seed:createGraph:)` are set aside during the call and restored afterwards,
/// so this does not disturb the PyTorch-style path (not safe to run concurrently with a backward
/// pass over the same model).
///
/// - Precondition: `f` returns a one-element value.
public func valueWithGradient<M: Module>(
    of model: M, _ f: (M) throws -> Variable<M.Scalar>
) rethrows -> (value: Tensor<M.Scalar>, gradients: [String: Tensor<M.Scalar>]) {
    let named = model.namedParameters.filter { $0.parameter.requiresGradient }
    let saved = named.map { $0.parameter.gradient }
    for (_, p) in named { p.zeroGradient() }
    defer { for ((_, p), g) in zip(named, saved) { p.gradient = g } }
    let y = try f(model)
    precondition(y.count == 1, "valueWithGradient(of:): the loss has shape \(y.shape); a gradient needs a one-element output")
    y.backward()
    var grads: [String: Tensor<M.Scalar>] = [:]
    grads.reserveCapacity(named.count)
    for (n, p) in named { grads[n] = p.gradient ?? Tensor.zeros(p.shape) }
    return (y.value, grads)
}

/// The gradient of `f(model)` with respect to every trainable parameter, by dotted name. See
/// ``valueWithGradient(of:_:)``.
public func gradient<M: Module>(of model: M, _ f: (M) throws -> Variable<M.Scalar>) rethrows -> [String: Tensor<M.Scalar>] {
    try valueWithGradient(of: model, f).gradients
}
