/// Joining tensors along an axis and splitting them apart, with PyTorch's names.
///
/// Joins allocate one result and copy each input into its slice; splits return views that share
/// the input's storage (no copy), as `torch.split` does.
extension Tensor {
    /// Joins tensors end to end along `axis`. Mirrors `torch.cat(tensors, dim=axis)`.
    ///
    /// Shapes `[a, n₁, b]`, `[a, n₂, b]`, … (with `axis` at the `n`) give `[a, n₁ + n₂ + …, b]`.
    /// - Parameters:
    ///   - tensors: at least one tensor; all of the same rank (≥ 1).
    ///   - axis: the axis to join along (negative counts from the end). Default `0`.
    /// - Precondition: the shapes agree on every axis but `axis` (else it stops naming both shapes).
    @available(*, deprecated, renamed: "concatenate(_:axis:)", message: "use the free function concatenate(_:axis:), the spelling Variable shares")
    @inlinable public init(concatenating tensors: [Tensor], axis: Int = 0) { self = Tensor._concatenate(tensors, axis: axis) }

    /// The implementation of ``concatenate(_:axis:)``.
    @inlinable static func _concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate: needs at least one tensor")
        let first = tensors[0]
        precondition(first.rank > 0, "concatenate: zero-dimensional tensors cannot be concatenated (shape [])")
        let a = Shape.normalizeAxis(axis, rank: first.rank, op: "concatenate")
        var total = 0
        for t in tensors {
            var same = t.rank == first.rank
            if same { for d in 0..<first.rank where d != a && t._shape[d] != first._shape[d] { same = false } }
            precondition(same, "concatenate: shapes \(first._shape) and \(t._shape) differ outside axis \(a)")
            total += t._shape[a]
        }
        var shape = first._shape
        shape[a] = total
        let out = Tensor.uninitialized(shape)
        var start = 0
        let outStrides = out._strides
        for t in tensors {
            let slice = Tensor(storage: out.storage, shape: t._shape, strides: outStrides,
                               offset: start * outStrides[a])
            slice.assignElements(from: t, op: "concatenate")
            start += t._shape[a]
        }
        return out
    }

    /// This tensor followed by `others` along `axis`. Mirrors `torch.cat([self, *others], dim=axis)`.
    /// - Precondition: as for ``concatenate(_:axis:)``.
    @inlinable public func concatenated(with others: Tensor..., axis: Int = 0) -> Tensor {
        Tensor._concatenate([self] + others, axis: axis)
    }

    /// Joins tensors of equal shape along a new axis. Mirrors `torch.stack(tensors, dim=axis)`.
    ///
    /// `k` tensors of shape `[a, b]` stacked at `axis` 0, 1 or 2 give `[k, a, b]`, `[a, k, b]` or `[a, b, k]`.
    /// - Parameters:
    ///   - tensors: at least one tensor, all of one shape.
    ///   - axis: where the new axis goes, in `-(rank + 1)...rank`. Default `0`.
    /// - Precondition: the shapes are equal (else it stops naming both).
    @available(*, deprecated, renamed: "stack(_:axis:)", message: "use the free function stack(_:axis:), the spelling Variable shares")
    @inlinable public init(stacking tensors: [Tensor], axis: Int = 0) { self = Tensor._stack(tensors, axis: axis) }

    /// The implementation of ``stack(_:axis:)``.
    @inlinable static func _stack(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "stack: needs at least one tensor")
        let first = tensors[0]
        for t in tensors {
            precondition(t._shape == first._shape, "stack: shapes \(first._shape) and \(t._shape) differ")
        }
        let a = Shape.normalizeAxis(axis, rank: first.rank + 1, op: "stack")
        return _concatenate(tensors.map { $0.unsqueezed(axis: a) }, axis: a)
    }

    /// Views of consecutive pieces along `axis` with the given sizes. Mirrors
    /// `torch.split(x, sizes, dim=axis)`.
    ///
    /// The pieces are views of this tensor (no copy).
    /// - Precondition: the sizes are non-negative and add up to the size of `axis`.
    @inlinable public func split(sizes: [Int], axis: Int = 0) -> [Tensor] {
        let a = splitAxis(axis, op: "split")
        precondition(sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == _shape[a],
                     "split: sizes \(sizes) do not add up to \(_shape[a]), the size of axis \(a) of shape \(_shape)")
        var pieces: [Tensor] = []
        pieces.reserveCapacity(sizes.count)
        var start = 0
        let _strides = self._strides
        for n in sizes {
            var shape = _shape
            shape[a] = n
            pieces.append(Tensor(storage: storage, shape: shape, strides: _strides,
                                 offset: _offset + (n == 0 ? 0 : start * _strides[a])))
            start += n
        }
        return pieces
    }

    /// Views of pieces of `size` along `axis`, the last one shorter if the size does not divide.
    /// Mirrors `torch.split(x, size, dim=axis)` with an integer size.
    /// - Precondition: `size > 0`.
    @inlinable public func split(size: Int, axis: Int = 0) -> [Tensor] {
        precondition(size > 0, "split: piece size must be positive, got \(size)")
        let a = splitAxis(axis, op: "split")
        let d = _shape[a]
        if d == 0 { return [self] }
        return split(sizes: stride(from: 0, to: d, by: size).map { Swift.min(size, d - $0) }, axis: a)
    }

    /// Views of exactly `count` pieces along `axis` whose sizes differ by at most one (the first
    /// `d % count` pieces are one longer). Mirrors `torch.tensor_split(x, count, dim=axis)` and
    /// `numpy.array_split`.
    /// - Precondition: `count > 0`.
    @inlinable public func split(count pieces: Int, axis: Int = 0) -> [Tensor] {
        precondition(pieces > 0, "split: count must be positive, got \(pieces)")
        let a = splitAxis(axis, op: "split")
        let d = _shape[a]
        return split(sizes: (0..<pieces).map { d / pieces + ($0 < d % pieces ? 1 : 0) }, axis: a)
    }

    /// Views of at most `chunks` pieces of `⌈d / chunks⌉` elements along `axis` (fewer pieces when
    /// that size covers the axis sooner). Mirrors `torch.chunk(x, chunks, dim=axis)`.
    /// - Precondition: `chunks > 0`.
    @inlinable public func chunked(_ chunks: Int, axis: Int = 0) -> [Tensor] {
        precondition(chunks > 0, "chunk: number of chunks must be positive, got \(chunks)")
        let a = splitAxis(axis, op: "chunk")
        let d = _shape[a]
        return split(size: Swift.max(1, (d + chunks - 1) / chunks), axis: a)
    }

    /// Views of every slice along `axis`, with that axis removed. Mirrors `torch.unbind(x, dim=axis)`;
    /// the inverse of ``init(stacking:axis:)``.
    @inlinable public func unstacked(axis: Int = 0) -> [Tensor] {
        let a = splitAxis(axis, op: "unbind")
        var shape = _shape, strides = _strides
        let step = strides[a]
        shape.remove(at: a)
        strides.remove(at: a)
        return (0..<_shape[a]).map {
            Tensor(storage: storage, shape: shape, strides: strides, offset: _offset + $0 * step)
        }
    }

    /// `axis` normalized, stopping for a zero-dimensional tensor.
    @inlinable func splitAxis(_ axis: Int, op: StaticString) -> Int {
        precondition(rank > 0, "\(op): cannot split a zero-dimensional tensor (shape [])")
        return Shape.normalizeAxis(axis, rank: rank, op: op)
    }
}

/// Joins tensors end to end along `axis`. Mirrors `torch.cat(tensors, dim=axis)`; the same
/// spelling joins `Variable`s.
///
/// Shapes `[a, n₁, b]`, `[a, n₂, b]`, … (with `axis` at the `n`) give `[a, n₁ + n₂ + …, b]`.
/// - Parameters:
///   - tensors: at least one tensor; all of the same rank (≥ 1).
///   - axis: the axis to join along (negative counts from the end). Default `0`.
/// - Precondition: the shapes agree on every axis but `axis` (else it stops naming both shapes).
@inlinable public func concatenate<S: TensorScalar>(_ tensors: [Tensor<S>], axis: Int = 0) -> Tensor<S> {
    Tensor._concatenate(tensors, axis: axis)
}

/// Joins tensors of equal shape along a new axis. Mirrors `torch.stack(tensors, dim=axis)`; the
/// same spelling stacks `Variable`s.
///
/// `k` tensors of shape `[a, b]` stacked at `axis` 0, 1 or 2 give `[k, a, b]`, `[a, k, b]` or `[a, b, k]`.
/// - Parameters:
///   - tensors: at least one tensor, all of one shape.
///   - axis: where the new axis goes, in `-(rank + 1)...rank`. Default `0`.
/// - Precondition: the shapes are equal (else it stops naming both).
@inlinable public func stack<S: TensorScalar>(_ tensors: [Tensor<S>], axis: Int = 0) -> Tensor<S> {
    Tensor._stack(tensors, axis: axis)
}
