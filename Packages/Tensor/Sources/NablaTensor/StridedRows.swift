/// A strided iteration cut into rows (runs along the innermost axis) that can be visited in any
/// order, so that kernels on broadcast or strided operands run in parallel.
///
/// Built on ``StridedLoop/coalesce(_:_:)``: operand 0 is usually the dense output, the others the
/// inputs' broadcast strides.
@usableFromInline
struct StridedRows: @unchecked Sendable {
    /// The coalesced shape (at least one axis).
    @usableFromInline let shape: [Int]
    /// Per operand, its stride along each coalesced axis.
    @usableFromInline let strides: [[Int]]
    /// Elements per row (the innermost axis).
    @usableFromInline let length: Int
    /// The number of rows (the product of all other axes).
    @usableFromInline let rows: Int
    /// Per operand, its stride along a row.
    @usableFromInline let inner: [Int]

    @inlinable init(shape: [Int], strides: [[Int]]) {
        let (s, st) = StridedLoop.coalesce(shape, strides)
        self.shape = s
        self.strides = st
        length = s[s.count - 1]
        rows = length == 0 ? 0 : Shape.count(s) / length
        inner = st.map { $0[s.count - 1] }
    }

    /// Calls `body(offsets)` for each row in `range`, with one start offset per operand.
    @inlinable @inline(__always)
    func forEachRow(_ range: Range<Int>, _ body: ([Int]) -> Void) {
        if range.isEmpty { return }
        let rank = shape.count, k = strides.count
        // The multi-index of the first row, from its linear index.
        var index = [Int](repeating: 0, count: rank)
        var offsets = [Int](repeating: 0, count: k)
        var q = range.lowerBound
        var axis = rank - 2
        while axis >= 0 {
            index[axis] = q % shape[axis]
            q /= shape[axis]
            for j in 0..<k { offsets[j] += index[axis] * strides[j][axis] }
            axis -= 1
        }
        for _ in range {
            body(offsets)
            axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                for j in 0..<k { offsets[j] += strides[j][axis] }
                if index[axis] < shape[axis] { break }
                for j in 0..<k { offsets[j] -= strides[j][axis] * shape[axis] }
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
