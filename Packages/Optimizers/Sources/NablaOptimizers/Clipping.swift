import Foundation

/// Scales the gradients of `container` so that their joint norm is at most `maxNorm`, and returns
/// that norm before clipping: `torch.nn.utils.clip_grad_norm_`.
///
/// The norm is the `normType`-norm of the per-parameter norms (`.infinity` for the largest
/// magnitude). Every gradient is multiplied by `min(maxNorm / (norm + 1e-6), 1)`, as PyTorch does.
/// Parameters without a gradient are skipped; with none, the norm is 0.
@discardableResult
public func clipGradientNorm<C: ParameterContainer>(_ container: C, maxNorm: Double, normType: Double = 2) -> Double {
    let parameters = container.parameters.filter { $0.gradient != nil }
    if parameters.isEmpty { return 0 }
    let norms = parameters.map { vectorNorm($0.gradient!.scalars.map(Double.init), normType) }
    let total = vectorNorm(norms, normType)
    let coefficient = min(maxNorm / (total + 1e-6), 1.0)
    let c = C.Scalar(coefficient)
    for p in parameters {
        var g = p.gradient!
        p.gradient = nil               // so the buffer is uniquely referenced
        g.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] = b[i] * c } }
        p.gradient = g
    }
    return total
}

/// Clamps every gradient of `container` into [−`clipValue`, `clipValue`]:
/// `torch.nn.utils.clip_grad_value_`.
public func clipGradientValue<C: ParameterContainer>(_ container: C, clipValue: Double) {
    let hi = C.Scalar(clipValue), lo = -hi
    for p in container.parameters {
        guard var g = p.gradient else { continue }
        p.gradient = nil
        g.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] = Swift.min(Swift.max(b[i], lo), hi) } }
        p.gradient = g
    }
}

/// Multiplies every gradient of `container` by `factor`: after accumulating the gradients of `n`
/// micro-batches (backward sweeps add into `Parameter.gradient`), `scaleGradients(model, by: 1.0 / n)`
/// turns their sum into the mean, so one `optimizer.step()` sees the gradient of the whole batch.
public func scaleGradients<C: ParameterContainer>(_ container: C, by factor: Double) {
    let c = C.Scalar(factor)
    for p in container.parameters {
        guard var g = p.gradient else { continue }
        p.gradient = nil
        g.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] = b[i] * c } }
        p.gradient = g
    }
}

/// The `p`-norm of `values` (`.infinity`: the largest magnitude).
func vectorNorm(_ values: [Double], _ p: Double) -> Double {
    if p == .infinity { return values.reduce(0) { Swift.max($0, $1.magnitude) } }
    if p == 2 { return values.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    if p == 1 { return values.reduce(0) { $0 + $1.magnitude } }
    return Foundation.pow(values.reduce(0) { $0 + Foundation.pow($1.magnitude, p) }, 1 / p)
}
