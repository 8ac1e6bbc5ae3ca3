/// Views that change shape without copying (when the layout allows), with PyTorch's names.
extension Tensor {
    /// The same elements with a new shape; one dimension may be `-1` (inferred).
    /// A view when the tensor is contiguous, else a copy. Mirrors `torch.reshape`.
    @inlinable public func reshaped(_ newShape: [Int]) -> Tensor {
        var shape = newShape
        var inferred = -1
        var known = 1
        for (i, d) in shape.enumerated() {
            if d == -1 {
                precondition(inferred < 0, "reshape: more than one -1 in \(newShape)")
                inferred = i
            } else {
                precondition(d >= 0, "reshape: negative dimension in \(newShape)")
                known *= d
            }
        }
        if inferred >= 0 {
            precondition(known > 0 && count % known == 0,
                         "reshape: cannot reshape tensor of shape \(_shape) to \(newShape)")
            shape[inferred] = count / known
        }
        precondition(Shape.count(shape) == count,
                     "reshape: cannot reshape tensor of shape \(_shape) (\(count) elements) to \(newShape)")
        let c = contiguous
        return Tensor(storage: c.storage, shape: shape, offset: c._offset)
    }

    /// The same elements with a new shape.
    @inlinable public func reshaped(_ shape: Int...) -> Tensor { reshaped(shape) }

    /// A rank-1 view of all elements. Mirrors `torch.flatten`.
    @inlinable public func flattened() -> Tensor { reshaped([count]) }

    /// Axes reordered: output axis `i` is input axis `axes[i]`. A view. Mirrors `torch.permute`.
    @inlinable public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.count == rank, "permute: \(axes) does not match rank \(rank) of shape \(_shape)")
        let norm = axes.map { Shape.normalizeAxis($0, rank: rank, op: "permute") }
        precondition(Set(norm).count == rank, "permute: \(axes) is not a permutation")
        let _strides = self._strides
        return Tensor(storage: storage, shape: norm.map { _shape[$0] }, strides: norm.map { _strides[$0] }, offset: _offset)
    }

    /// Axes reordered. A view.
    @inlinable public func permuted(_ axes: Int...) -> Tensor { permuted(axes) }

    /// Swaps two axes. A view. Mirrors `torch.transpose(x, a, b)`.
    @inlinable public func transposed(_ a: Int, _ b: Int) -> Tensor {
        let i = Shape.normalizeAxis(a, rank: rank, op: "transpose")
        let j = Shape.normalizeAxis(b, rank: rank, op: "transpose")
        var p = Array(0..<rank)
        p.swapAt(i, j)
        return permuted(p)
    }

    /// The matrix transpose: the last two axes swapped (a vector is returned unchanged). A view.
    /// Mirrors `x.mT` (and `x.T` for matrices).
    @inlinable public func transposed() -> Tensor { rank < 2 ? self : transposed(-2, -1) }

    /// The matrix transpose, `transposed()`.
    @inlinable public var T: Tensor { transposed() }

    /// Removes axes of size 1 (all of them, or only `axes`). Mirrors `torch.squeeze`.
    @inlinable public func squeezed(axes: [Int]? = nil) -> Tensor {
        let drop: Set<Int>
        if let axes {
            let n = Shape.normalizeAxes(axes, rank: rank, op: "squeeze")
            drop = Set(n.filter { _shape[$0] == 1 })
        } else {
            drop = Set((0..<rank).filter { _shape[$0] == 1 })
        }
        var s: [Int] = [], st: [Int] = []
        let _strides = self._strides
        for i in 0..<rank where !drop.contains(i) { s.append(_shape[i]); st.append(_strides[i]) }
        return Tensor(storage: storage, shape: s, strides: st, offset: _offset)
    }

    /// Inserts an axis of size 1 at `axis` (which may be `rank`, or negative). Mirrors `torch.unsqueeze`.
    @inlinable public func unsqueezed(axis: Int) -> Tensor {
        let a = Shape.normalizeAxis(axis < 0 ? axis + rank + 1 : axis, rank: rank + 1, op: "unsqueeze")
        var s = _shape, st = _strides
        let stride = a < rank ? st[a] * _shape[a] : 1
        s.insert(1, at: a)
        st.insert(stride, at: a)
        return Tensor(storage: storage, shape: s, strides: st, offset: _offset)
    }

    /// A broadcast view with `shape` (size-1 axes repeat with stride 0; new axes are prepended).
    /// Mirrors `torch.expand` / `torch.broadcast_to`.
    @inlinable public func expanded(to shape: [Int]) -> Tensor {
        precondition(shape.count >= rank, "expand: cannot expand shape \(_shape) to \(shape)")
        let lead = shape.count - rank
        for i in 0..<rank {
            precondition(_shape[i] == shape[lead + i] || _shape[i] == 1,
                         "expand: cannot expand shape \(_shape) to \(shape)")
        }
        return Tensor(storage: storage, shape: shape, strides: broadcastStrides(to: shape), offset: _offset)
    }

    /// Sums a tensor of a broadcast shape back to `shape`: the adjoint of ``expanded(to:)``.
    /// Used by every VJP of a broadcasting op (JAX's `_unbroadcast`).
    @inlinable public func unbroadcast(to shape: [Int]) -> Tensor where Scalar: TensorNumeric {
        if _shape == shape { return self }
        precondition(Shape.broadcast(shape, _shape) == _shape,
                     "unbroadcast: shape \(shape) does not broadcast to \(_shape)")
        let lead = rank - shape.count
        var axes = Array(0..<lead)
        for i in 0..<shape.count where shape[i] == 1 && _shape[lead + i] != 1 { axes.append(lead + i) }
        return sum(axes: axes, keepingDims: true).reshaped(shape)
    }
}
