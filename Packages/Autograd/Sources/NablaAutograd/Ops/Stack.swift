import NablaTensor

/// Joins tensors of equal shape along a new leading axis: `k` inputs of shape `s` give `[k] + s`.
/// Mirrors `torch.stack(xs, dim=0)`. Used to assemble Jacobians so that they stay differentiable.
public struct Stack: NaryOperator {
    /// The op's name in the registry and in messages, `"stack"`.
    public var name: String { "stack" }
    /// Creates the op.
    @inlinable public init() {}
    /// Batching rule: unbatched inputs are copied along the batch, stacked on axis 1.
    @inlinable public func batched<S: TensorFloatingPoint>(_ inputs: [Variable<S>], batched: [Bool]) -> Variable<S> {
        let size = zip(inputs, batched).first { $1 }!.0.shape[0]
        let xs = zip(inputs, batched).map { Batching.materialized($0, $1, size: size) }
        return Variable.applying(self, xs).transposed(0, 1)
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ inputs: [Tensor<S>]) -> Tensor<S> {
        precondition(!inputs.isEmpty, "stack: no tensors to stack")
        let s = inputs[0].shape
        for t in inputs { precondition(t.shape == s, "stack: shapes \(s) and \(t.shape) differ") }
        let m = Shape.count(s)
        return Tensor(shape: [inputs.count] + s) { out in
            for (i, t) in inputs.enumerated() {
                t.withUnsafeBufferPointer { b in
                    if m > 0 { (out.baseAddress! + i * m).initialize(from: b.baseAddress!, count: m) }
                }
            }
        }
    }
    /// `x̄ᵢ = ȳ[i]`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>,
                                                       needed: [Bool]) -> [Variable<S>?] {
        (0..<inputs.count).map { needed[$0] ? ct[$0] : nil }
    }
    /// `ẏ = stack(ẋᵢ)` (zeros for inputs without a tangent).
    @inlinable public func jvp<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Variable<S>,
                                                       _ tangents: [Variable<S>?]) -> Variable<S> {
        Variable.applying(self, zip(inputs, tangents).map { x, t in t ?? Variable(Tensor<S>.zeros(x.shape)) })
    }
}

/// Stacks equally shaped variables along a new axis `axis` (`0…rank`, or negative from the end;
/// default 0, a new leading axis). Mirrors `torch.stack(xs, dim=axis)`, and is spelled as for
/// tensors (`NablaTensor/stack(_:axis:)`).
/// - Precondition: `xs` is non-empty and the shapes are equal.
@inlinable public func stack<S: TensorFloatingPoint>(_ xs: [Variable<S>], axis: Int = 0) -> Variable<S> {
    precondition(!xs.isEmpty, "stack: no tensors to stack")
    let r = xs[0].rank
    let a = axis < 0 ? axis + r + 1 : axis
    precondition(a >= 0 && a <= r, "stack: axis \(axis) out of range for rank \(r) (result rank \(r + 1))")
    if a == 0 { return Variable.applying(Stack(), xs) }
    return concatenate(xs.map { $0.unsqueezed(axis: a) }, axis: a)
}
