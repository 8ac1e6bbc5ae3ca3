/// Iteration over strided views: the one place that walks n-dimensional offsets.
///
/// Kernels see runs along the innermost axis: a start offset per operand, a length and a stride
/// per operand. Axes that are laid out back to back in every operand are merged first, so a
/// contiguous or simply-broadcast view costs a handful of long runs.
@usableFromInline
enum StridedLoop {
    /// Merges adjacent axes that are contiguous with each other in every stride list, and drops
    /// size-1 axes. Returns at least one axis.
    @inlinable static func coalesce(_ shape: [Int], _ strides: [[Int]]) -> ([Int], [[Int]]) {
        var outShape: [Int] = []
        var outStrides = [[Int]](repeating: [], count: strides.count)
        for axis in 0..<shape.count where shape[axis] != 1 {
            if let last = outShape.last {
                var mergeable = true
                for k in 0..<strides.count where outStrides[k].last! != strides[k][axis] * shape[axis] {
                    mergeable = false
                    break
                }
                if mergeable {
                    outShape[outShape.count - 1] = last * shape[axis]
                    for k in 0..<strides.count { outStrides[k][outStrides[k].count - 1] = strides[k][axis] }
                    continue
                }
            }
            outShape.append(shape[axis])
            for k in 0..<strides.count { outStrides[k].append(strides[k][axis]) }
        }
        if outShape.isEmpty {
            outShape = [1]
            for k in 0..<strides.count { outStrides[k] = [0] }
        }
        return (outShape, outStrides)
    }

    /// Calls `body(offsets, length, innerStrides)` for every run along the last axis of `shape`,
    /// in row-major order, with one offset and one inner stride per operand. The walk itself is
    /// ``StridedRows/forEachRow(_:_:)`` over all rows.
    @inlinable static func forEach(shape: [Int], strides: [[Int]],
                                   _ body: (_ offsets: [Int], _ length: Int, _ inner: [Int]) -> Void) {
        let rows = StridedRows(shape: shape, strides: strides)
        rows.forEachRow(0..<rows.rows) { offsets in body(offsets, rows.length, rows.inner) }
    }
}
