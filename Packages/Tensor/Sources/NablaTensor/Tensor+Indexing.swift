/// Basic indexing: slices and strided views through subscripts, with PyTorch's semantics.
///
/// Reading `t[…]` returns a view that shares `t`'s storage (no copy). Writing `t[…] = v` copies
/// `t`'s storage first if it is shared (copy-on-write), then stores `v`, broadcast to the
/// selected shape, into the selected elements (`t[1:3] = v` in PyTorch).
extension Tensor {
    /// The view selected by `indices` (see ``TensorIndex``). Mirrors `t[i, 1:3, ..., None]`.
    ///
    /// Integer entries remove their axis, ranges and slices keep it, `.newAxis` inserts one of
    /// size 1 and `.ellipsis` stands for the axes no other entry names; missing trailing entries
    /// mean `.all`. The setter assigns a tensor that broadcasts to the selected shape.
    ///
    /// - Precondition: at most one ellipsis, no more axis-consuming entries than axes, integer
    ///   indices and range bounds within the axis (stops with a message naming the shape).
    @inlinable public subscript(_ indices: any TensorIndexConvertible...) -> Tensor {
        get { self[indices: indices.map(\.tensorIndex)] }
        set { self[indices: indices.map(\.tensorIndex)] = newValue }
    }

    /// The view selected by an array of indices; see the variadic subscript.
    @inlinable public subscript(indices indices: [TensorIndex]) -> Tensor {
        get { view(indices) }
        set {
            makeUniqueAndContiguous()
            view(indices).assignElements(from: newValue, op: "subscript")
        }
    }

    /// The slice at position `index` of the first axis, that axis removed (a view). Mirrors `t[i]`.
    /// - Precondition: rank ≥ 1 and `-shape[0] ≤ index < shape[0]`.
    @inlinable public subscript(_ index: Int) -> Tensor {
        get { view([TensorIndex(.index(index))]) }
        set { self[indices: [TensorIndex(.index(index))]] = newValue }
    }

    /// Resolves `indices` to a view (shape, strides, offset) of this tensor.
    @inlinable func view(_ indices: [TensorIndex]) -> Tensor {
        var ellipses = 0, consumed = 0
        for i in indices {
            if i.kind == .ellipsis { ellipses += 1 }
            if i.consumesAxis { consumed += 1 }
        }
        precondition(ellipses <= 1, "subscript: more than one ellipsis in \(indices) for shape \(_shape)")
        precondition(consumed <= rank, "subscript: \(consumed) indices for a tensor of shape \(_shape)")
        var shape: [Int] = [], strides: [Int] = []
        var offset = _offset
        var axis = 0
        let _strides = self._strides
        func take(_ entry: TensorIndex.Kind) {
            switch entry {
            case .index(let i):
                let d = _shape[axis]
                let j = i < 0 ? i + d : i
                precondition(j >= 0 && j < d, "subscript: index \(i) is out of range for axis \(axis) of shape \(_shape)")
                offset += j * _strides[axis]
                axis += 1
            case .range(let lower, let upper, let closed):
                let d = _shape[axis]
                let lo = lower.map { $0 < 0 ? $0 + d : $0 } ?? 0
                var hi = upper.map { $0 < 0 ? $0 + d : $0 } ?? d
                if closed && upper != nil { hi += 1 }
                precondition(lo >= 0 && hi <= d && lo <= hi,
                             "subscript: range \(TensorIndex(entry)) is out of range for axis \(axis) of shape \(_shape)")
                shape.append(hi - lo)
                strides.append(_strides[axis])
                if hi > lo { offset += lo * _strides[axis] }
                axis += 1
            case .slice(let start, let stop, let step):
                let (first, n) = Tensor.sliceBounds(start: start, stop: stop, step: step, count: _shape[axis])
                shape.append(n)
                strides.append(_strides[axis] * step)
                if n > 0 { offset += first * _strides[axis] }
                axis += 1
            case .newAxis:
                shape.append(1)
                strides.append(0)
            case .ellipsis:
                for _ in 0..<(rank - consumed) { take(.slice(start: nil, stop: nil, step: 1)) }
            }
        }
        for i in indices { take(i.kind) }
        while axis < rank { take(.slice(start: nil, stop: nil, step: 1)) }
        return Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
    }

    /// Python's `slice(start, stop, step).indices(count)`: the first position and the number of
    /// positions selected, with negative bounds from the end and out-of-range bounds clamped.
    @inlinable static func sliceBounds(start: Int?, stop: Int?, step: Int, count: Int) -> (first: Int, count: Int) {
        precondition(step != 0, "subscript: slice step must not be zero")
        let lower = step < 0 ? -1 : 0
        let upper = step < 0 ? count - 1 : count
        func clamp(_ v: Int?, default value: Int) -> Int {
            guard var v else { return value }
            if v < 0 {
                v += count
                return Swift.max(v, lower)
            }
            return Swift.min(v, upper)
        }
        let first = clamp(start, default: step < 0 ? upper : lower)
        let last = clamp(stop, default: step < 0 ? lower : upper)
        let n: Int
        if step > 0 {
            n = last > first ? (last - first - 1) / step + 1 : 0
        } else {
            n = first > last ? (first - last - 1) / (-step) + 1 : 0
        }
        return (first, n)
    }

    /// The elements with the order of `axes` reversed. A view with negative strides (no copy).
    /// Mirrors `torch.flip(x, dims=axes)` (which copies) and `numpy.flip` (a view).
    @inlinable public func flipped(axes: [Int]) -> Tensor {
        let ax = Shape.normalizeAxes(axes, rank: rank, op: "flip")
        let _strides = self._strides
        var strides = _strides
        var offset = _offset
        for a in ax where _shape[a] > 0 {
            offset += (_shape[a] - 1) * _strides[a]
            strides[a] = -_strides[a]
        }
        return Tensor(storage: storage, shape: _shape, strides: strides, offset: offset)
    }

    /// The elements with the order along `axis` reversed (a view). Mirrors `torch.flip(x, dims=[axis])`.
    @inlinable public func flipped(axis: Int) -> Tensor { flipped(axes: [axis]) }
}
