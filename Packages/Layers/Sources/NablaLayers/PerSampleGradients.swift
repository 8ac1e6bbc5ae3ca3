import Foundation
import NablaTensor
import NablaAutograd

/// Why ``perSampleGradients(of:inputs:targets:_:)`` refused a model or a batch.
public enum PerSampleGradientError: Error, LocalizedError, Equatable, Sendable {
    /// A batch-norm module in training mode: its output mixes the samples of a batch (batch
    /// statistics), so a per-sample gradient is not defined. Put the model in evaluation mode
    /// (running statistics) or use `GroupNorm`/`LayerNorm`, as Opacus and `torch.func` require.
    case batchNormInTraining(module: String)
    /// `inputs` and `targets` have different sizes on axis 0.
    case batchSizeMismatch(inputs: [Int], targets: [Int])
    /// `inputs` has no batch axis or an empty one.
    case emptyBatch(inputs: [Int])

    /// What went wrong and where.
    public var errorDescription: String? {
        switch self {
        case .batchNormInTraining(let m):
            "perSampleGradients: module '\(m)' is batch norm in training mode, which mixes the samples of a batch; "
                + "per-sample gradients are not defined (call eval() or use GroupNorm/LayerNorm)"
        case .batchSizeMismatch(let x, let y):
            "perSampleGradients: inputs of shape \(x) and targets of shape \(y) differ in batch size (axis 0)"
        case .emptyBatch(let x):
            "perSampleGradients: inputs of shape \(x) hold no samples on axis 0"
        }
    }
}

/// The gradient of `loss` for each sample of a batch, with respect to every trainable parameter of
/// `model`, by dotted name: `result["layers.0.weight"]` has shape `[batch] + weight.shape`, its row
/// `i` the gradient of the loss of sample `i` alone. Mirrors `torch.func`'s
/// `vmap(grad(lambda p, x, y: loss(functional_call(model, p, x), y)))` and Opacus's `grad_sample`.
///
/// Computed in one batched pass: `vmap` over the samples of `gradient` with respect to the
/// parameters, substituted into the model with `withParameterValues(_:_:)` (no loop over samples;
/// a linear layer's per-sample weight gradients come out as one batch of outer products).
///
/// `loss` sees one sample as a batch of one: `x` has shape `[1] + inputs.shape.dropFirst()` and
/// `y` `[1] + targets.shape.dropFirst()`, so models and losses written for batches (`Conv2d` on
/// `[N, C, H, W]`, a mean over the batch) run unchanged, as with `sample.unsqueeze(0)` in the
/// `torch.func` recipe. Targets are a floating-point `Variable` (class labels as one-hot rows):
///
/// ```swift
/// let grads = try perSampleGradients(of: model, inputs: x, targets: oneHot) { m, x, y in
///     -(m(x).logSoftmax(axis: 1) * y).sum()
/// }
/// grads["0.weight"]        // [batch, out, in]
/// ```
///
/// Frozen parameters are left out. Dropout draws each sample's mask from its own stream of the
/// layer's generator (see `Variable.randomBernoulli(_:probability:using:)`), so a sample's
/// gradient does not depend on the batch it is in. The parameters' values and accumulated
/// gradients are not touched.
///
/// - Throws: ``PerSampleGradientError`` for batch norm in training mode (its output mixes samples,
///   so per-sample gradients are not defined), for batch sizes that differ, or for an empty batch;
///   and anything `loss` throws.
/// - Precondition: `loss` returns a one-element value.
public func perSampleGradients<M: Module>(
    of model: M, inputs: Tensor<M.Scalar>, targets: Tensor<M.Scalar>,
    _ loss: (M, Variable<M.Scalar>, Variable<M.Scalar>) throws -> Variable<M.Scalar>
) throws -> [String: Tensor<M.Scalar>] {
    typealias S = M.Scalar
    guard inputs.rank >= 1, inputs.shape[0] > 0 else { throw PerSampleGradientError.emptyBatch(inputs: inputs.shape) }
    guard targets.rank >= 1, targets.shape[0] == inputs.shape[0] else {
        throw PerSampleGradientError.batchSizeMismatch(inputs: inputs.shape, targets: targets.shape)
    }
    for (name, m) in model.namedModules {
        if let bn = m as? BatchNorm<S>, bn.isTraining {
            throw PerSampleGradientError.batchNormInTraining(module: name.isEmpty ? "(the model)" : name)
        }
    }
    let named = model.namedParameters.filter { $0.parameter.requiresGradient }
    guard !named.isEmpty else { return [:] }
    let parameters = named.map(\.parameter)
    let values = parameters.map { Variable($0.value) }
    var failure: (any Error)?
    let grads = withoutActuallyEscaping(loss) { loss in
        vmap({ (v: [Variable<S>]) -> [Variable<S>] in
            let x = v[0].unsqueezed(axis: 0), y = v[1].unsqueezed(axis: 0)
            return gradient(at: values) { ps in
                withParameterValues(Array(zip(parameters, ps))) {
                    do { return try loss(model, x, y) } catch {
                        failure = failure ?? error
                        return Variable(S(0))
                    }
                }
            }
        }, inAxes: [0, 0])([Variable(inputs), Variable(targets)])
    }
    if let failure { throw failure }
    var out: [String: Tensor<S>] = [:]
    for ((name, _), g) in zip(named, grads) { out[name] = g.value }
    return out
}
