import NablaTensor

/// `x·Wᵀ + b` over the last axis, optionally followed by `max(·, 0)`, as one primitive: inputs
/// `[x, weight]` or `[x, weight, bias]`. Mirrors `torch.nn.functional.linear` (then `torch.relu`).
///
/// One node and one pass over the output where `matmul`, `+` and `relu` record three nodes and
/// write three `[N, out]` buffers (see `Tensor.linear(weight:bias:fusingReLU:)`); values and the
/// input and weight gradients are bit for bit those of the unfused ops.
public struct LinearOperator: NaryOperator {
    /// Whether `max(·, 0)` follows the affine map.
    public let fusesReLU: Bool
    /// The op's name in the registry and in messages: `"linear"`, or `"linear_relu"` with the ReLU.
    public var name: String { fusesReLU ? "linear_relu" : "linear" }
    /// The affine map, followed by a ReLU when `fusingReLU`.
    @inlinable public init(fusingReLU: Bool = false) { fusesReLU = fusingReLU }

    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ inputs: [Tensor<S>]) -> Tensor<S> {
        inputs[0].linear(weight: inputs[1], bias: inputs.count > 2 ? inputs[2] : nil, fusingReLU: fusesReLU)
    }

    /// `x̄ = ḡ·W`, `W̄ = ḡᵀ·x` (over all leading axes of `x`), `b̄ = Σ ḡ` with `ḡ = ȳ·1[y > 0]` under
    /// the ReLU (its derivative is 0 at 0, as ``ReLU``'s) and `ḡ = ȳ` without. On constants (first
    /// order) one fused pass (`Tensor.linearBackward`); recorded or batched, with `Variable` ops.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Variable<S>, _ cotangent: Variable<S>,
                                                       needed: [Bool]) -> [Variable<S>?] {
        let x = inputs[0], w = inputs[1]
        let hasBias = inputs.count > 2
        let needBias = hasBias && needed[2]
        let plain = cotangent.batch == nil && cotangent.node == nil && inputs.allSatisfy { $0.node == nil && $0.batch == nil }
        if plain {
            let g = x.value.linearBackward(weight: w.value, output: y.value, cotangent: cotangent.value, fusingReLU: fusesReLU,
                                           needInput: needed[0], needWeight: needed[1], needBias: needBias)
            // One array literal (appending the bias's to a literal of two would reallocate it).
            let input = g.input.map { Variable($0) }, weight = g.weight.map { Variable($0) }
            return hasBias ? [input, weight, g.bias.map { Variable($0) }] : [input, weight]
        }
        let (outFeatures, inFeatures) = (w.shape[0], w.shape[1])
        let g = fusesReLU ? cotangent * Variable(y.value.map { $0 > 0 ? 1 : 0 }) : cotangent
        let g2 = g.reshaped([-1, outFeatures])
        var result: [Variable<S>?] = [
            needed[0] ? g.matmul(w) : nil,
            needed[1] ? g2.transposed().matmul(x.reshaped([-1, inFeatures])) : nil,
        ]
        if hasBias { result.append(needBias ? g2.sum(axis: 0) : nil) }
        return result
    }

    /// The first-order backward on plain tensors, reading the inputs' values in place: one fused
    /// pass (`Tensor.linearBackward`), as ``vjp(_:_:_:needed:)`` takes on constants.
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Tensor<S>, _ cotangent: Tensor<S>,
                                                            needed: [Bool]) -> [Tensor<S>?]? {
        let hasBias = inputs.count > 2
        let (input, weight, bias) = inputs[0].value.linearBackward(
            weight: inputs[1].value, output: y, cotangent: cotangent, fusingReLU: fusesReLU,
            needInput: needed[0], needWeight: needed[1], needBias: hasBias && needed[2])
        return hasBias ? [consume input, consume weight, consume bias] : [consume input, consume weight]
    }

    /// `ẏ = (ẋ·Wᵀ + x·Ẇᵀ + ḃ)·1[y > 0]` (the mask only with the ReLU).
    @inlinable public func jvp<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Variable<S>,
                                                       _ tangents: [Variable<S>?]) -> Variable<S> {
        let x = inputs[0], w = inputs[1]
        var terms: [Variable<S>] = []
        if let dx = tangents[0] { terms.append(dx.matmul(w.transposed())) }
        if let dw = tangents[1] { terms.append(x.matmul(dw.transposed())) }
        if inputs.count > 2, let db = tangents[2] { terms.append(db.expanded(to: y.shape)) }
        var t = terms.dropFirst().reduce(terms.first ?? Variable(Tensor<S>.zeros(y.shape))) { $0 + $1 }
        if t.shape != y.shape { t = t.expanded(to: y.shape) }
        return fusesReLU ? t * Variable(y.value.map { $0 > 0 ? 1 : 0 }) : t
    }

    /// Batching rule: the unfused ops (`matmul`, `+`, `relu`), whose rules batch. A batched weight
    /// (`[B, out, in]`) multiplies each element's rows (`[B, M, in]`, or one shared `[1, M, in]`);
    /// a batched bias (`[B, out]`) is broadcast over the element's leading axes.
    @inlinable public func batched<S: TensorFloatingPoint>(_ inputs: [Variable<S>], batched: [Bool]) -> Variable<S> {
        let x = inputs[0], w = inputs[1]
        let size = zip(inputs, batched).first { $1 }!.0.shape[0]
        let (outFeatures, inFeatures) = (w.shape[w.rank - 2], w.shape[w.rank - 1])
        let lead = Array(x.shape.dropFirst(batched[0] ? 1 : 0).dropLast())
        var y: Variable<S>
        if batched[1] {
            let rows = batched[0] ? x.reshaped([size, -1, inFeatures]) : x.reshaped([1, -1, inFeatures])
            y = rows.matmul(w.transposed()).reshaped([size] + lead + [outFeatures])
        } else {
            y = x.matmul(w.transposed())
        }
        if inputs.count > 2 {
            let b = inputs[2]
            y = y + (batched[2] ? b.reshaped([size] + [Int](repeating: 1, count: lead.count) + [outFeatures]) : b)
        }
        return fusesReLU ? y.relu() : y
    }
}

extension Variable {
    /// `self·weightᵀ + bias` over the last axis, followed by `max(·, 0)` when `fusingReLU`, as one
    /// recorded op (``LinearOperator``). Mirrors `torch.nn.functional.linear`.
    ///
    /// `self` is `[..., in]`, `weight` `[out, in]`, `bias` `[out]`.
    @inlinable public func linear(weight: Variable, bias: Variable? = nil, fusingReLU: Bool = false) -> Variable {
        precondition(rank >= 1 && weight.rank == 2 && shape[rank - 1] == weight.shape[1],
                     "linear: input \(shape) and weight \(weight.shape) (expected [..., in] and [out, in])")
        precondition(bias.map { $0.rank == 1 && $0.shape[0] == weight.shape[0] } ?? true,
                     "linear: bias \(bias!.shape) for \(weight.shape[0]) outputs")
        let op = LinearOperator(fusingReLU: fusingReLU)
        let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
        if batch != nil || weight.batch != nil || bias?.batch != nil { return Variable.applying(op, inputs) }
        // The value straight from the tensors (``LinearOperator/forward(_:)`` would gather them
        // into an array first).
        let y = value.linear(weight: weight.value, bias: bias?.value, fusingReLU: fusingReLU)
        return Variable.applying(op, inputs, value: y)
    }
}
