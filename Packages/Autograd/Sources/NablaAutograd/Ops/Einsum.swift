import NablaTensor

/// Einstein summation with NumPy's subscripts. Mirrors `torch.einsum` / `numpy.einsum`.
///
/// The VJP of operand `k` is itself an einsum: the cotangent (with the output's labels) times the
/// other operands, summed to operand `k`'s labels; labels of operand `k` that appear nowhere else
/// are summed out by the forward, so their cotangent is broadcast back. The op itself takes
/// subscripts of plain labels, each at most once per term; `einsum(_:_:)`
/// first rewrites `...` and repeated labels (diagonals) into that form (see `EinsumLabels`), so
/// every subscript NumPy accepts is differentiable through it.
public struct Einsum: NaryOperator {
    /// The op's name in the registry and in messages, `"einsum"`.
    public var name: String { "einsum" }
    /// The parsed subscripts.
    public let expression: EinsumExpression
    /// Parses `subscripts`, stopping with the parse error if they are malformed.
    @inlinable public init(_ subscripts: String) {
        do { expression = try EinsumExpression(parsing: subscripts) } catch { preconditionFailure("\(error)") }
    }
    /// The op for an already parsed expression.
    @inlinable public init(expression: EinsumExpression) { self.expression = expression }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ inputs: [Tensor<S>]) -> Tensor<S> {
        Tensor.einsum(expression, inputs)
    }

    /// Batching rule: the batch gains a label of its own (one not used by the expression), leading
    /// in every batched operand's term and in the output; one einsum over the whole batch.
    @inlinable public func batched<S: TensorFloatingPoint>(_ inputs: [Variable<S>], batched: [Bool]) -> Variable<S> {
        var used = Set<Character>()
        for term in expression.inputs + [expression.output] {
            for i in term { if case .label(let c) = i { used.insert(c) } }
        }
        let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        guard let b = letters.first(where: { !used.contains($0) }) else {
            return Batching.loop(name, inputs, batched) { Variable.applying(self, $0) }   // all 52 labels taken
        }
        func term(_ t: [EinsumExpression.Index]) -> String { t.map(\.description).joined() }
        let subscripts = zip(expression.inputs, batched).map { ($1 ? String(b) : "") + term($0) }.joined(separator: ",")
            + "->" + String(b) + term(expression.output)
        return Variable.applying(Einsum(subscripts), inputs)
    }

    /// The labels of a term as characters, stopping if the derivative is not supported for it.
    @inlinable func labels(_ term: [EinsumExpression.Index]) -> [Character] {
        var out: [Character] = []
        for i in term {
            guard case .label(let c) = i else {
                preconditionFailure("einsum: derivatives of '\(expression)' are not supported ('...' in a term)")
            }
            precondition(!out.contains(c), "einsum: derivatives of '\(expression)' are not supported (label \(c) repeated in a term)")
            out.append(c)
        }
        return out
    }

    /// `x̄ₖ = einsum("out,others->termₖ", ȳ, others…)`, broadcast over labels only operand `k` has.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>,
                                                       needed: [Bool]) -> [Variable<S>?] {
        let out = labels(expression.output)
        let terms = expression.inputs.map(labels)
        return inputs.indices.map { k -> Variable<S>? in
            guard needed[k] else { return nil }
            let others = inputs.indices.filter { $0 != k }
            var available = Set(out)
            for o in others { available.formUnion(terms[o]) }
            let keep = terms[k].filter { available.contains($0) }
            let subscripts = ([String(out)] + others.map { String(terms[$0]) }).joined(separator: ",") + "->" + String(keep)
            var g = Variable.applying(Einsum(subscripts), [ct] + others.map { inputs[$0] })
            for i in terms[k].indices where !available.contains(terms[k][i]) {
                g = g.unsqueezed(axis: i)   // positions before i already hold their final axes
            }
            return g.expanded(to: inputs[k].shape)
        }
    }

    /// `ẏ = Σₖ einsum(subscripts, operands with operand k replaced by its tangent)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Variable<S>,
                                                       _ tangents: [Variable<S>?]) -> Variable<S> {
        var total: Variable<S>? = nil
        for k in inputs.indices {
            guard let t = tangents[k] else { continue }
            var operands = inputs
            operands[k] = t
            let term = Variable.applying(self, operands)
            total = total.map { $0 + term } ?? term
        }
        return total ?? Variable(Tensor<S>.zeros(y.shape))
    }
}

/// Einstein summation over variables, with NumPy's full subscripts (`...` broadcasting and
/// repeated labels for diagonals included). Mirrors `torch.einsum`.
///
/// ```swift
/// einsum("il,ljk", dfdz, dzdA)          // the seed's ∂f/∂A
/// einsum("...ij,...jk->...ik", a, b)    // batched matmul, batch axes broadcast
/// einsum("ii", a)                       // trace
/// ```
/// - Precondition: the subscripts parse, name one term per operand, and the shapes fit them.
@inlinable public func einsum<S: TensorFloatingPoint>(_ subscripts: String, _ operands: Variable<S>...) -> Variable<S> {
    einsum(subscripts, operands)
}

/// Einstein summation over an array of variables (see `einsum(_:_:)`).
@inlinable public func einsum<S: TensorFloatingPoint>(_ subscripts: String, _ operands: [Variable<S>]) -> Variable<S> {
    let parsed: EinsumExpression
    do { parsed = try EinsumExpression(parsing: subscripts) } catch { preconditionFailure("\(error)") }
    let (expression, xs) = EinsumLabels.rewrite(parsed, operands)
    return Variable.applying(Einsum(expression: expression), xs)
}

extension Variable {
    /// Einstein summation (see the free function `einsum(_:_:)`), as `Tensor.einsum` spells it.
    @inlinable public static func einsum(_ subscripts: String, _ operands: [Variable]) -> Variable {
        NablaAutograd.einsum(subscripts, operands)
    }
    /// Einstein summation over variadic operands (see the free function `einsum(_:_:)`).
    @inlinable public static func einsum(_ subscripts: String, _ operands: Variable...) -> Variable {
        NablaAutograd.einsum(subscripts, operands)
    }
}
