import NablaTensor

/// Rewrites any einsum into plain labels, so that ``Einsum``'s rules apply to every subscript
/// NumPy accepts.
///
/// - `...` becomes fresh letters (unused in the subscripts), one per broadcast axis, aligned on the
///   right as NumPy broadcasts ellipses. An operand whose ellipsis axis has size 1 where another
///   operand's has size `n ≠ 1` has that axis squeezed out (a view), so its label is broadcast.
/// - A label repeated inside one term (`"ii->i"`, `"ii"`, `"iij,j"`) takes a diagonal first:
///   the operand is multiplied by an identity mask over the two axes and summed over the second,
///   which is exact and differentiable (its VJP puts the cotangent back on the diagonal).
///
/// The result is the same einsum on views and diagonals of the operands: values and derivatives of
/// the rewritten form are those of the original.
@usableFromInline enum EinsumLabels {
    /// The label-only expression and the operands (squeezed and diagonalised) it applies to.
    @inlinable static func rewrite<S: TensorFloatingPoint>(_ e: EinsumExpression, _ operands: [Variable<S>])
        -> (EinsumExpression, [Variable<S>]) {
        precondition(operands.count == e.inputs.count,
                     "einsum: '\(e)' names \(e.inputs.count) operands, got \(operands.count)")
        let hasEllipsis = (e.inputs + [e.output]).contains { $0.contains(.ellipsis) }
        let hasRepeat = e.inputs.contains { term in
            var seen = Set<EinsumExpression.Index>()
            return term.contains { !seen.insert($0).inserted }
        }
        if !hasEllipsis && !hasRepeat { return (e, operands) }

        // Fresh letters for the ellipsis axes.
        var used = Set<Character>()
        for term in e.inputs + [e.output] { for case .label(let c) in term { used.insert(c) } }
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ").filter { !used.contains($0) }
        var ellipsisRank = 0
        for (term, x) in zip(e.inputs, operands) where term.contains(.ellipsis) {
            let named = term.count - 1
            precondition(x.rank >= named, "einsum: operand of shape \(x.shape) has fewer axes than term '\(Self.text(term))' of '\(e)'")
            ellipsisRank = Swift.max(ellipsisRank, x.rank - named)
        }
        precondition(ellipsisRank <= letters.count, "einsum: '\(e)' needs more than 52 labels once '...' is expanded")
        let fresh = Array(letters.prefix(ellipsisRank))
        // The broadcast size of each ellipsis axis.
        var sizes = [Int](repeating: 1, count: ellipsisRank)
        for (term, x) in zip(e.inputs, operands) {
            guard let at = term.firstIndex(of: .ellipsis) else { continue }
            let r = x.rank - (term.count - 1)
            for j in 0..<r {
                let d = x.shape[at + j], g = ellipsisRank - r + j
                precondition(d == sizes[g] || d == 1 || sizes[g] == 1,
                             "einsum: '...' axes of shape \(x.shape) do not broadcast against size \(sizes[g]) in '\(e)'")
                if sizes[g] == 1 { sizes[g] = d }   // 1 broadcasts against anything, 0 included
            }
        }

        var inputs: [[EinsumExpression.Index]] = []
        var xs: [Variable<S>] = []
        for (term, operand) in zip(e.inputs, operands) {
            var x = operand
            var labels: [Character] = []
            var squeeze: [Int] = []
            for i in term {
                switch i {
                case .label(let c): labels.append(c)
                case .ellipsis:
                    let r = x.rank - (term.count - 1)
                    for j in 0..<r {
                        let g = ellipsisRank - r + j
                        if x.shape[labels.count + squeeze.count] == 1 && sizes[g] != 1 {
                            squeeze.append(labels.count + squeeze.count)
                        } else {
                            labels.append(fresh[g])
                        }
                        // Positions are counted in the unsqueezed operand: squeezed axes are removed below.
                    }
                }
            }
            // `labels` is in order of the remaining axes; squeeze the broadcast axes away.
            if !squeeze.isEmpty { x = x.squeezed(axes: squeeze) }
            // Diagonals of repeated labels: keep the first occurrence, sum the second against eye.
            while let (p, q) = Self.firstRepeat(labels) {
                let n = x.shape[p]
                precondition(x.shape[q] == n, "einsum: label '\(labels[p])' repeated in '\(e)' has sizes \(n) and \(x.shape[q])")
                var maskShape = [Int](repeating: 1, count: x.rank)
                maskShape[p] = n
                maskShape[q] = n
                x = (x * Variable(Tensor<S>.eye(n).reshaped(maskShape))).sum(axis: q)
                labels.remove(at: q)
            }
            inputs.append(labels.map { .label($0) })
            xs.append(x)
        }
        var output: [EinsumExpression.Index] = []
        for i in e.output {
            switch i {
            case .label: output.append(i)
            case .ellipsis: output += fresh.map { .label($0) }
            }
        }
        // An output ellipsis axis that every operand squeezed away cannot occur: the operand that
        // set its size > 1 keeps it, and a size-1 axis is squeezed nowhere.
        return (EinsumExpression(inputs: inputs, output: output), xs)
    }

    /// The first pair of positions holding the same label.
    @inlinable static func firstRepeat(_ labels: [Character]) -> (Int, Int)? {
        for q in labels.indices {
            if let p = labels[..<q].firstIndex(of: labels[q]) { return (p, q) }
        }
        return nil
    }

    /// A term as text, for messages.
    @inlinable static func text(_ term: [EinsumExpression.Index]) -> String { term.map(\.description).joined() }
}
