/// Reverse-mode derivatives of `einsum`, for automatic
/// differentiation.
///
/// An einsum is linear in each operand, so the vector-Jacobian product for operand `i` is itself
/// an einsum: contract the cotangent with every other operand down to operand `i`'s labels. Three
/// details make that exact for every expression: a label repeated in operand `i` (a diagonal)
/// gets the result written onto that diagonal of a zero tensor; a label only operand `i` has
/// (summed away by the forward pass) gets the result broadcast along it; and a size-1 axis that
/// broadcast in the forward pass gets the result summed over that label.
/// The forward-mode derivative needs nothing new: `ẏ = Σᵢ einsum(…, ẋᵢ, …)` with the tangent in
/// place of operand `i`.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The gradient of `⟨cotangent, einsum(subscripts, operands)⟩` with respect to `operands[index]`.
    ///
    /// For `"ij,jk->ik"` this is `cotangent · bᵀ` for `a` and `aᵀ · cotangent` for `b`; for `"ii"`
    /// (trace) it is `cotangent · I`. Mirrors what `torch.einsum`'s backward computes.
    /// - Parameters:
    ///   - subscripts: the forward einsum's subscripts, as `"ij,jk->ik"`.
    ///   - operands: the operands of the forward einsum.
    ///   - cotangent: shape of the einsum's output.
    ///   - index: which operand to differentiate.
    /// - Returns: a tensor of `operands[index].shape`.
    /// - Precondition: as for `einsum`, and the cotangent has the output's shape.
    @inlinable public static func einsumGradient(_ subscripts: String, _ operands: [Tensor], cotangent: Tensor,
                                                 operand index: Int) -> Tensor {
        let expression: EinsumExpression
        do {
            expression = try EinsumExpression(parsing: subscripts)
        } catch {
            preconditionFailure("\(error); operand shapes \(operands.map { "\($0.shape)" }.joined(separator: ", "))")
        }
        return einsumGradient(expression, operands, cotangent: cotangent, operand: index, subscripts: subscripts)
    }

    /// The gradient of `⟨cotangent, einsum(expression, operands)⟩` with respect to `operands[index]`;
    /// see the string form.
    @inlinable public static func einsumGradient(_ expression: EinsumExpression, _ operands: [Tensor],
                                                 cotangent: Tensor, operand index: Int) -> Tensor {
        einsumGradient(expression, operands, cotangent: cotangent, operand: index, subscripts: expression.description)
    }

    @inlinable static func einsumGradient(_ expression: EinsumExpression, _ operands: [Tensor], cotangent: Tensor,
                                          operand index: Int, subscripts: String) -> Tensor {
        let layout = EinsumLayout(expression, subscripts: subscripts, shapes: operands.map(\.shape))
        precondition(operands.indices.contains(index),
                     "einsum gradient: operand \(index) does not exist; subscripts '\(subscripts)' name \(operands.count)")
        let outputShape = layout.output.map { layout.sizes[$0] }
        precondition(cotangent.shape == outputShape,
                     "einsum gradient: cotangent of shape \(cotangent.shape) does not match the output shape \(outputShape); subscripts '\(subscripts)'")
        var others: [EinsumTerm] = []
        for (j, operand) in operands.enumerated() where j != index {
            others.append(EinsumTerm(operand, labels: layout.inputs[j], sizes: layout.sizes))
        }
        others.append(EinsumTerm(cotangent, labels: layout.output, sizes: layout.sizes))
        var present = Set<Int>()
        for term in others { present.formUnion(term.labels) }

        // Operand `index`'s distinct labels and their sizes in that operand.
        let x = operands[index]
        var distinct: [Int] = [], size: [Int] = []
        for (axis, label) in layout.inputs[index].enumerated() where !distinct.contains(label) {
            distinct.append(label)
            size.append(x._shape[axis])
        }
        let target = distinct.indices.filter { present.contains(distinct[$0]) && size[$0] == layout.sizes[distinct[$0]] }
            .map { distinct[$0] }
        let g = contract(others, to: target)
        // Broadcast along labels the other terms lack (stride 0); size-1 labels were summed above.
        var strides: [Int] = []
        let gStrides = g._strides
        for label in distinct {
            strides.append(target.firstIndex(of: label).map { gStrides[$0] } ?? 0)
        }
        let spread = Tensor(storage: g.storage, shape: size, strides: strides, offset: g._offset)
        if distinct.count == layout.inputs[index].count { return spread.copied() }
        // Repeated labels: write onto the diagonal of a zero tensor (the adjoint of taking it).
        let out = Tensor(zeroedShape: x._shape)
        var diagonalStrides = [Int](repeating: 0, count: distinct.count)
        let outStrides = out._strides
        for (axis, label) in layout.inputs[index].enumerated() {
            diagonalStrides[distinct.firstIndex(of: label)!] += outStrides[axis]
        }
        Tensor(storage: out.storage, shape: size, strides: diagonalStrides, offset: 0)
            .assignElements(from: spread, op: "einsum gradient")
        return out
    }
}
