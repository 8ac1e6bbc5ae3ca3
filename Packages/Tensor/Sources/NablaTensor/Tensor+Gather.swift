/// Indexing by integer tensors along an axis: gather, scatter, index-select, one-hot.
///
/// Index tensors are `Tensor<Int>` (int64, PyTorch's index dtype). Negative indices count from
/// the end of the axis, as in NumPy (PyTorch rejects them); any other index outside the axis stops
/// with a message naming the op, the index and the shape.
extension Tensor {
    /// Picks, along `axis`, the element named by `indices` at every position.
    /// Mirrors `torch.gather(x, dim=axis, index=indices)` and `numpy.take_along_axis`.
    ///
    /// For `axis == 1` of a rank-3 tensor: `out[i][j][k] = x[i][indices[i][j][k]][k]`.
    /// - Parameters:
    ///   - indices: the rank of `x`; on every other axis no longer than `x`'s.
    ///   - axis: the axis the indices select along (negative counts from the end).
    /// - Returns: a tensor of `indices.shape`.
    /// - Precondition: ranks match, `indices` fits in `x` off `axis`, every index is in range.
    @inlinable public func gathering(indices: Tensor<Int>, axis: Int) -> Tensor {
        let a = Shape.normalizeAxis(axis, rank: rank, op: "gather")
        checkIndexShape(indices, axis: a, op: "gather")
        let out = Tensor.uninitialized(indices._shape)
        if out.count == 0 { return out }
        var walk = _strides
        walk[a] = 0
        let (shape, strides) = StridedLoop.coalesce(indices._shape, [out._strides, indices._strides, walk])
        let dst = out.storage.base, idx = indices.storage.base + indices._offset
        let src = storage.base + _offset
        let step = _strides[a], d = _shape[a]
        withExtendedLifetime((self, indices)) {
            StridedLoop.forEach(shape: shape, strides: strides) { offs, len, inner in
                for j in 0..<len {
                    let k = Tensor.checkedIndex(idx[offs[1] + j * inner[1]], count: d, axis: a, shape: _shape, op: "gather")
                    dst[offs[0] + j * inner[0]] = src[offs[2] + j * inner[2] + k * step]
                }
            }
        }
        return out
    }

    /// A copy with `values` written at the positions `indices` name along `axis`.
    /// Mirrors `torch.scatter(x, dim=axis, index=indices, src=values)`.
    ///
    /// For `axis == 0`: `out[indices[i][j]][j] = values[i][j]` for every position of `indices`;
    /// other elements keep `x`'s values. When two positions name the same element the later one
    /// (in row-major order) wins (PyTorch leaves this undefined).
    /// - Parameters:
    ///   - indices: where to write along `axis`; the rank of `x`.
    ///   - values: at least as long as `indices` on every axis.
    ///   - axis: the axis the indices select along (negative counts from the end).
    /// - Precondition: ranks match, `indices` fits in `values` and (off `axis`) in `x`, indices in range.
    @inlinable public func scattering(indices: Tensor<Int>, values: Tensor, axis: Int) -> Tensor {
        scatter(indices: indices, values: values, axis: axis, op: "scatter") { $0 = $1 }
    }

    /// Shared loop of the scatter family: `update(&out[target], value)` for each index position.
    @inlinable func scatter(indices: Tensor<Int>, values: Tensor, axis: Int, op: StaticString,
                            _ update: (inout Scalar, Scalar) -> Void) -> Tensor {
        let a = Shape.normalizeAxis(axis, rank: rank, op: op)
        checkIndexShape(indices, axis: a, op: op)
        precondition(values.rank == rank && zip(indices._shape, values._shape).allSatisfy { $0 <= $1 },
                     "\(op): indices of shape \(indices._shape) do not fit in values of shape \(values._shape)")
        var out = self
        out.makeUniqueAndContiguous()
        if indices.count == 0 { return out }
        var walk = out._strides
        walk[a] = 0
        let (shape, strides) = StridedLoop.coalesce(indices._shape, [indices._strides, values._strides, walk])
        let idx = indices.storage.base + indices._offset, src = values.storage.base + values._offset
        let dst = out.storage.base
        let step = out._strides[a], d = _shape[a]
        withExtendedLifetime((indices, values)) {
            StridedLoop.forEach(shape: shape, strides: strides) { offs, len, inner in
                for j in 0..<len {
                    let k = Tensor.checkedIndex(idx[offs[0] + j * inner[0]], count: d, axis: a, shape: _shape, op: op)
                    update(&dst[offs[2] + j * inner[2] + k * step], src[offs[1] + j * inner[1]])
                }
            }
        }
        return out
    }

    /// The slices at positions `indices` along `axis`, in that order (repeats allowed).
    /// Mirrors `torch.index_select(x, dim=axis, index=indices)` and `numpy.take(x, indices, axis)`.
    ///
    /// Shape `[a, n, b]` with `n` at `axis` becomes `[a, indices.count, b]`.
    /// - Parameters:
    ///   - indices: a vector (or a scalar, treated as one index).
    ///   - axis: the axis to select along (negative counts from the end).
    /// - Precondition: `indices` has rank ≤ 1 and every index is in range.
    @inlinable public func indexSelect(indices: Tensor<Int>, axis: Int) -> Tensor {
        let a = Shape.normalizeAxis(axis, rank: rank, op: "index_select")
        precondition(rank > 0, "index_select: cannot index a zero-dimensional tensor (shape [])")
        precondition(indices.rank <= 1, "index_select: indices must be a vector, got shape \(indices._shape)")
        let picks = indices.scalars
        var shape = _shape
        shape[a] = picks.count
        let out = Tensor.uninitialized(shape)
        if out.count == 0 {
            for i in picks { _ = Tensor.checkedIndex(i, count: _shape[a], axis: a, shape: _shape, op: "index_select") }
            return out
        }
        // As dense blocks: x is [outer, n, inner], out is [outer, picks, inner]; copy inner-long rows.
        let x = contiguous
        let n = _shape[a], inner = Shape.count(Array(_shape[(a + 1)...])), outer = Shape.count(Array(_shape[..<a]))
        let src = UnsafePointer(x.storage.base + x._offset), dst = out.storage.base
        withExtendedLifetime(x) {
            for (p, i) in picks.enumerated() {
                let k = Tensor.checkedIndex(i, count: n, axis: a, shape: _shape, op: "index_select")
                for o in 0..<outer {
                    (dst + (o * picks.count + p) * inner).update(from: src + (o * n + k) * inner, count: inner)
                }
            }
        }
        return out
    }

    /// Stops unless `indices` has this tensor's rank and fits in it on every axis but `axis`.
    @inlinable func checkIndexShape(_ indices: Tensor<Int>, axis a: Int, op: StaticString) {
        precondition(indices.rank == rank, "\(op): indices of shape \(indices._shape) must have the rank of shape \(_shape)")
        for d in 0..<rank where d != a {
            precondition(indices._shape[d] <= _shape[d],
                         "\(op): indices of shape \(indices._shape) do not fit in shape \(_shape) at axis \(d)")
        }
    }

    /// `i` made non-negative, stopping if it is outside an axis of `count`.
    @inlinable static func checkedIndex(_ i: Int, count: Int, axis: Int, shape: [Int], op: StaticString) -> Int {
        let k = i < 0 ? i + count : i
        precondition(k >= 0 && k < count, "\(op): index \(i) is out of range for axis \(axis) of shape \(shape)")
        return k
    }
}

extension Tensor where Scalar: TensorNumeric {
    /// A copy with `values` added at the positions `indices` name along `axis`; repeated
    /// positions accumulate. Mirrors `torch.scatter_add(x, dim=axis, index=indices, src=values)`.
    ///
    /// For `axis == 0`: `out[indices[i][j]][j] += values[i][j]`. This is the adjoint of
    /// ``gathering(indices:axis:)``: the gradient of `x.gathering(indices:axis:)` is
    /// `zeros(x.shape).scatteringAdd(indices:values: grad, axis:)`.
    /// - Precondition: as for ``scattering(indices:values:axis:)``.
    @inlinable public func scatteringAdd(indices: Tensor<Int>, values: Tensor, axis: Int) -> Tensor {
        scatter(indices: indices, values: values, axis: axis, op: "scatter_add") { $0 += $1 }
    }

    /// A copy with slice `p` of `values` added to slice `indices[p]` along `axis`; repeated indices
    /// accumulate. Mirrors `torch.index_add(x, dim=axis, index=indices, source=values)`; the adjoint
    /// of ``indexSelect(indices:axis:)`` (an embedding's gradient).
    /// - Precondition: `values` has this shape with `indices.count` at `axis`; indices in range.
    @inlinable public func indexAdding(indices: Tensor<Int>, values: Tensor, axis: Int) -> Tensor {
        let a = Shape.normalizeAxis(axis, rank: rank, op: "index_add")
        precondition(rank > 0, "index_add: cannot index a zero-dimensional tensor (shape [])")
        precondition(indices.rank <= 1, "index_add: indices must be a vector, got shape \(indices._shape)")
        let picks = indices.scalars
        var expected = _shape
        expected[a] = picks.count
        precondition(values._shape == expected,
                     "index_add: values of shape \(values._shape) do not match shape \(_shape) with \(picks.count) at axis \(a)")
        var out = self
        out.makeUniqueAndContiguous()
        // As dense blocks: out is [outer, n, inner], values [outer, picks, inner]; add inner-long rows.
        let v = values.contiguous
        let n = _shape[a], inner = Shape.count(Array(_shape[(a + 1)...])), outer = Shape.count(Array(_shape[..<a]))
        let src = UnsafePointer(v.storage.base + v._offset), dst = out.storage.base
        withExtendedLifetime(v) {
            for (p, i) in picks.enumerated() {
                let k = Tensor.checkedIndex(i, count: n, axis: a, shape: _shape, op: "index_add")
                for o in 0..<outer {
                    let d = dst + (o * n + k) * inner, s = src + (o * picks.count + p) * inner
                    for j in 0..<inner { d[j] += s[j] }
                }
            }
        }
        return out
    }

    /// One-hot encoding: `1` at each label's class, `0` elsewhere.
    /// Mirrors `torch.nn.functional.one_hot(labels, num_classes=classes)` (converted to `Scalar`).
    ///
    /// - Returns: shape `labels.shape + [classes]`.
    /// - Precondition: every label is in `0..<classes` (stops naming the label and `classes`).
    @inlinable public static func oneHot(_ labels: Tensor<Int>, classes: Int) -> Tensor {
        precondition(classes >= 0, "one_hot: classes must be non-negative, got \(classes)")
        var out = Tensor(zeroedShape: labels.shape + [classes])
        let values = labels.scalars
        out.withUnsafeMutableBufferPointer { b in
            for (i, label) in values.enumerated() {
                precondition(label >= 0 && label < classes,
                             "one_hot: label \(label) is out of range for \(classes) classes (labels of shape \(labels.shape))")
                b[i * classes + label] = .one
            }
        }
        return out
    }
}
