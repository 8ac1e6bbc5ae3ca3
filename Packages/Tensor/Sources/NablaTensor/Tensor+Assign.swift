/// Writing one tensor's elements into a strided view of another's storage: the kernel behind
/// concatenation, padding, indexed assignment and scatter.
extension Tensor {
    /// Copies `source`, broadcast to this view's shape, into the elements this view addresses.
    ///
    /// Writes through ``storage`` in place, so the caller must own the storage (freshly
    /// allocated, or made unique first) and the view must not address one element twice (no
    /// stride 0 on an axis longer than 1). `source` may live in any storage, including this one
    /// only if the regions do not overlap.
    /// - Precondition: `source`'s shape broadcasts to this view's shape, after dropping leading
    ///   size-1 axes as PyTorch does for `x[0] = ones(1, n)` (else stops naming `op`).
    @inlinable func assignElements(from value: Tensor, op: StaticString) {
        var source = value
        if source.rank > rank && source._shape.prefix(source.rank - rank).allSatisfy({ $0 == 1 }) {
            source = source.reshapedView(dropLeading: source.rank - rank)
        }
        precondition(Shape.broadcast(source._shape, _shape) == _shape,
                     "\(op): value of shape \(source._shape) does not broadcast to shape \(_shape)")
        if count == 0 { return }
        let (shape, strides) = StridedLoop.coalesce(_shape, [_strides, source.broadcastStrides(to: _shape)])
        let dst = storage.base + _offset
        let src = UnsafePointer(source.storage.base + source._offset)
        withExtendedLifetime(source) {
            StridedLoop.forEach(shape: shape, strides: strides) { offs, len, inner in
                let d = dst + offs[0], s = src + offs[1]
                let ds = inner[0], ss = inner[1]
                if ds == 1 && ss == 1 {
                    d.update(from: s, count: len)
                } else if ss == 0 {
                    let v = s[0]
                    for j in 0..<len { d[j * ds] = v }
                } else {
                    for j in 0..<len { d[j * ds] = s[j * ss] }
                }
            }
        }
    }

    /// A contiguous tensor of `shape` whose storage is uninitialized (every `TensorScalar` is
    /// trivial, so assigning into it is initializing). The caller must write every element.
    @inlinable static func uninitialized(_ shape: [Int]) -> Tensor {
        Tensor(storage: TensorStorage(uninitializedCount: Shape.count(shape)), shape: shape,
               offset: 0)
    }

    /// This view without its first `n` axes, which must all have size 1.
    @inlinable func reshapedView(dropLeading n: Int) -> Tensor {
        Tensor(storage: storage, shape: Array(_shape.dropFirst(n)), strides: Array(_strides.dropFirst(n)), offset: _offset)
    }
}
