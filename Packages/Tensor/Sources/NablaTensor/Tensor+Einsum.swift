/// Einstein summation with NumPy's subscripts, contracted pairwise through GEMM.
///
/// How it runs: each operand first becomes a strided view (a repeated label takes the diagonal by
/// adding strides; a size-1 axis that broadcasts is dropped). Operands are then contracted two at
/// a time, left to right except that with three or more the pair with the smallest result goes
/// first. For each pair, labels that only one side has and that nothing later needs are summed
/// out; the remaining labels are batch (both sides, kept), contracted (both sides, summed), left-
/// only and right-only. The pair is viewed as a batched matrix product
/// `[batch, left, contracted] · [batch, contracted, right]` and handed to ``matmul(_:)`` (BLAS),
/// copying only when a group of axes cannot be merged into one strided axis. A pair with nothing
/// to contract is a broadcast product.
extension Tensor where Scalar: TensorFloatingPoint {
    /// Evaluates an Einstein summation. Mirrors `numpy.einsum` / `torch.einsum`.
    ///
    /// `out[output labels] = Σ over the other labels of Π operandₖ[its labels]`.
    ///
    /// ```swift
    /// Tensor.einsum("ij,j", a, x)          // a·x            (implicit output "i")
    /// Tensor.einsum("ik,kj->ij", a, b)     // matrix product
    /// Tensor.einsum("ii", a)               // trace, rank 0
    /// Tensor.einsum("bij,bjk->bik", p, q)  // batched matrix product
    /// Tensor.einsum("...ij->...ji", t)     // transpose the last two axes
    /// ```
    ///
    /// See ``EinsumExpression`` for the notation. Size-1 axes broadcast against equal labels of
    /// other operands, as in NumPy. The result may be a view of the only operand (for
    /// `"ij->ji"` or `"ii->i"`); value semantics make that invisible.
    ///
    /// - Parameters:
    ///   - subscripts: e.g. `"il,ljk->ijk"`; spaces are ignored.
    ///   - operands: one tensor per term.
    /// - Returns: a tensor whose axes follow the output term.
    /// - Precondition: the subscripts parse, there is one term per operand, each term names as
    ///   many axes as its operand has, and equal labels have equal sizes (or 1). Otherwise it stops
    ///   with a message naming einsum, the subscripts and the shapes.
    @inlinable public static func einsum(_ subscripts: String, _ operands: Tensor...) -> Tensor {
        einsum(subscripts, operands)
    }

    /// Evaluates an Einstein summation over an array of operands; see the variadic `einsum`.
    @inlinable public static func einsum(_ subscripts: String, _ operands: [Tensor]) -> Tensor {
        let expression: EinsumExpression
        do {
            expression = try EinsumExpression(parsing: subscripts)
        } catch {
            preconditionFailure("\(error); operand shapes \(operands.map { "\($0.shape)" }.joined(separator: ", "))")
        }
        return einsum(expression, operands, subscripts: subscripts)
    }

    /// Evaluates a parsed Einstein summation (parse once, evaluate many times).
    /// - Precondition: as for the string form of `einsum`.
    @inlinable public static func einsum(_ expression: EinsumExpression, _ operands: [Tensor]) -> Tensor {
        einsum(expression, operands, subscripts: expression.description)
    }

    @inlinable static func einsum(_ expression: EinsumExpression, _ operands: [Tensor], subscripts: String) -> Tensor {
        let layout = EinsumLayout(expression, subscripts: subscripts, shapes: operands.map(\.shape))
        var terms: [EinsumTerm] = []
        for (i, operand) in operands.enumerated() {
            terms.append(EinsumTerm(operand, labels: layout.inputs[i], sizes: layout.sizes))
        }
        return contract(terms, to: layout.output)
    }

    /// Contracts `terms` pairwise and returns the axes `output` in that order.
    ///
    /// With three or more terms the next pair is chosen greedily: the one whose result has the
    /// fewest elements (the first such pair on ties), as `opt_einsum`'s greedy strategy does, so a
    /// chain like `"i,ij,jk,k->"` never builds a large intermediate.
    /// - Precondition (internal): every output label occurs in some term.
    @inlinable static func contract(_ terms: [EinsumTerm], to output: [Int]) -> Tensor {
        let wanted = Set(output)
        var terms = terms
        var size: [Int: Int] = [:]
        for term in terms { for (axis, label) in term.labels.enumerated() { size[label] = term.tensor._shape[axis] } }
        func kept(_ i: Int, _ j: Int) -> Set<Int> {
            var keep = wanted
            for (k, term) in terms.enumerated() where k != i && k != j { keep.formUnion(term.labels) }
            return keep
        }
        while terms.count > 1 {
            var best = (i: 0, j: 1, cost: Double.infinity)
            if terms.count > 2 {
                for i in terms.indices {
                    for j in (i + 1)..<terms.count {
                        let labels = Set(terms[i].labels).union(terms[j].labels).intersection(kept(i, j))
                        let cost = labels.reduce(1.0) { $0 * Double(size[$1]!) }
                        if cost < best.cost { best = (i, j, cost) }
                    }
                }
            }
            let merged = terms[best.i].contracted(with: terms[best.j], keeping: kept(best.i, best.j))
            terms.remove(at: best.j)
            terms[best.i] = merged
        }
        let result = terms[0].summingOut { !wanted.contains($0) }
        let order = output.map { label in result.labels.firstIndex(of: label)! }
        return result.tensor.permuted(order)
    }

    /// An operand during evaluation: a tensor (often a view) and one label per axis, no repeats.
    @usableFromInline struct EinsumTerm {
        @usableFromInline var tensor: Tensor
        @usableFromInline var labels: [Int]

        @inlinable init(tensor: Tensor, labels: [Int]) {
            self.tensor = tensor
            self.labels = labels
        }

        /// Views `operand` with one axis per distinct label: a repeated label becomes one axis
        /// whose stride is the sum of the repeated axes' strides (the diagonal), and a size-1 axis
        /// whose label is larger elsewhere is dropped (it broadcasts).
        @inlinable init(_ operand: Tensor, labels: [Int], sizes: [Int]) {
            var shape: [Int] = [], strides: [Int] = [], distinct: [Int] = []
            let operandStrides = operand._strides
            for (axis, label) in labels.enumerated() {
                if let j = distinct.firstIndex(of: label) {
                    strides[j] += operandStrides[axis]
                } else {
                    distinct.append(label)
                    shape.append(operand._shape[axis])
                    strides.append(operandStrides[axis])
                }
            }
            var keptShape: [Int] = [], keptStrides: [Int] = [], keptLabels: [Int] = []
            for j in distinct.indices where !(shape[j] == 1 && sizes[distinct[j]] != 1) {
                keptShape.append(shape[j])
                keptStrides.append(strides[j])
                keptLabels.append(distinct[j])
            }
            self.tensor = Tensor(storage: operand.storage, shape: keptShape, strides: keptStrides, offset: operand._offset)
            self.labels = keptLabels
        }

        /// Sums over the labels for which `drop` is true.
        @inlinable func summingOut(where drop: (Int) -> Bool) -> EinsumTerm {
            let axes = labels.indices.filter { drop(labels[$0]) }
            if axes.isEmpty { return self }
            return EinsumTerm(tensor: tensor.sum(axes: axes), labels: labels.filter { !drop($0) })
        }

        /// A view with axes in the order of `target`, size 1 (stride 0) for labels this term lacks.
        @inlinable func aligned(to target: [Int]) -> Tensor {
            var shape: [Int] = [], strides: [Int] = []
            let tensorStrides = tensor._strides
            for label in target {
                if let j = labels.firstIndex(of: label) {
                    shape.append(tensor._shape[j])
                    strides.append(tensorStrides[j])
                } else {
                    shape.append(1)
                    strides.append(0)
                }
            }
            return Tensor(storage: tensor.storage, shape: shape, strides: strides, offset: tensor._offset)
        }

        /// The tensor permuted to the concatenated `groups` and each group merged into one axis:
        /// a view when every group is laid out as one strided run, else a contiguous copy.
        @inlinable func grouped(_ groups: [[Int]]) -> Tensor {
            let p = aligned(to: groups.flatMap { $0 })
            var shape: [Int] = [], strides: [Int] = []
            var axis = 0
            var mergeable = true
            let pStrides = p._strides
            for group in groups {
                var size = 1, stride = 0, lastStride: Int? = nil
                for a in axis..<(axis + group.count) {
                    let d = p._shape[a], s = pStrides[a]
                    size *= d
                    if d == 1 { continue }
                    if let last = lastStride, last != s * d { mergeable = false }
                    lastStride = s
                    stride = s
                }
                axis += group.count
                shape.append(size)
                strides.append(size <= 1 ? 1 : stride)
            }
            if mergeable {
                return Tensor(storage: p.storage, shape: shape, strides: strides, offset: p._offset)
            }
            return p.contiguous.reshaped(shape)
        }

        /// Contracts two terms, keeping the labels in `keep` (the output's and later operands').
        @inlinable func contracted(with other: EinsumTerm, keeping keep: Set<Int>) -> EinsumTerm {
            let a = summingOut { !keep.contains($0) && !other.labels.contains($0) }
            let b = other.summingOut { !keep.contains($0) && !a.labels.contains($0) }
            let batch = a.labels.filter { b.labels.contains($0) && keep.contains($0) }
            let summed = a.labels.filter { b.labels.contains($0) && !keep.contains($0) }
            let left = a.labels.filter { !b.labels.contains($0) }
            let right = b.labels.filter { !a.labels.contains($0) }
            let outLabels = batch + left + right
            func size(_ label: Int) -> Int {
                if let j = a.labels.firstIndex(of: label) { return a.tensor._shape[j] }
                return b.tensor._shape[b.labels.firstIndex(of: label)!]
            }
            if summed.isEmpty {
                // Nothing to contract: a broadcast (outer or elementwise) product.
                return EinsumTerm(tensor: a.aligned(to: outLabels) * b.aligned(to: outLabels), labels: outLabels)
            }
            let m = Shape.count(left.map(size)), n = Shape.count(right.map(size))
            if m == 1 && n == 1 {
                // Dot products: one broadcast product and a sum beat (many) 1×1 GEMMs, which BLAS
                // does not optimize.
                let all = batch + summed
                let product = a.aligned(to: all) * b.aligned(to: all)
                return EinsumTerm(tensor: product.sum(axes: Array(batch.count..<all.count)), labels: batch)
            }
            let product: Tensor
            if batch.isEmpty {
                product = a.grouped([left, summed]).matmul(b.grouped([summed, right]))
            } else {
                product = a.grouped([batch, left, summed]).matmul(b.grouped([batch, summed, right]))
            }
            return EinsumTerm(tensor: product.reshaped(outLabels.map(size)), labels: outLabels)
        }
    }
}

/// Evaluates an Einstein summation: `einsum("ij,j", a, x)` is `a·x`. Mirrors `numpy.einsum`;
/// see `Tensor.einsum` for the notation and preconditions.
@inlinable public func einsum<S: TensorFloatingPoint>(_ subscripts: String, _ operands: Tensor<S>...) -> Tensor<S> {
    Tensor.einsum(subscripts, operands)
}

/// Evaluates an Einstein summation over an array of operands. Mirrors `numpy.einsum`.
@inlinable public func einsum<S: TensorFloatingPoint>(_ subscripts: String, _ operands: [Tensor<S>]) -> Tensor<S> {
    Tensor.einsum(subscripts, operands)
}
