/// Shape arithmetic shared by every op: element counts, row-major strides, broadcasting and axis
/// normalization. Shape errors are programming errors: they stop with a message naming the op and
/// the shapes, the way `Array` stops on a bad index.
public enum Shape {
    /// The number of elements of a tensor of `shape` (1 for rank 0).
    @inlinable public static func count(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape { n *= d }
        return n
    }

    /// Row-major (C-order) strides for `shape`, in elements.
    ///
    /// Every op computes these for its result, so the common small cases (rank 1, and rank 2 with
    /// at most `ContiguousStridesCache/rank2Limit` columns) return a shared array instead of
    /// allocating a new one.
    @inlinable public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        let rank = shape.count
        if rank == 0 { return [] }
        if rank == 1 { return ContiguousStridesCache.rank1 }
        // Array literals allocate through a specialized path; building an array of unknown length
        // goes through the generic (metadata-looking-up) `Array` allocation, ~500 instructions.
        if rank == 2 {
            let columns = Swift.max(shape[1], 1)
            if columns <= ContiguousStridesCache.rank2Limit { return ContiguousStridesCache.rank2[columns] }
            return [columns, 1]
        }
        if rank == 3 {
            let s2 = Swift.max(shape[2], 1)
            return [Swift.max(shape[1], 1) * s2, s2, 1]
        }
        if rank == 4 {
            let s3 = Swift.max(shape[3], 1), s2 = Swift.max(shape[2], 1) * s3
            return [Swift.max(shape[1], 1) * s2, s2, s3, 1]
        }
        return [Int](unsafeUninitializedCapacity: rank) { strides, initialized in
            var s = 1
            var i = rank - 1
            while i >= 0 {
                strides[i] = s
                s *= Swift.max(shape[i], 1)
                i -= 1
            }
            initialized = rank
        }
    }

    /// Whether `strides` are exactly ``contiguousStrides(_:)`` of `shape` (without building them).
    @inlinable static func isRowMajor(_ shape: [Int], _ strides: [Int]) -> Bool {
        let rank = shape.count
        guard strides.count == rank else { return false }
        return shape.withUnsafeBufferPointer { shape in
            strides.withUnsafeBufferPointer { strides in
                var expected = 1
                var i = rank - 1
                while i >= 0 {
                    if strides[i] != expected { return false }
                    expected &*= Swift.max(shape[i], 1)
                    i -= 1
                }
                return true
            }
        }
    }

    /// The NumPy broadcast of two shapes, or `nil` when they are incompatible.
    ///
    /// Shapes are aligned at their last axis; each pair of sizes must be equal or one of them 1.
    @inlinable public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        if a == b { return a }
        let n = Swift.max(a.count, b.count)
        var out = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return out
    }

    /// Broadcasts `a` and `b`, stopping with `"<op>: shapes [..] and [..] do not broadcast"`.
    @inlinable public static func broadcastOrStop(_ op: StaticString, _ a: [Int], _ b: [Int]) -> [Int] {
        guard let s = broadcast(a, b) else {
            preconditionFailure("\(op): shapes \(a) and \(b) do not broadcast")
        }
        return s
    }

    /// Maps a possibly negative axis into `0..<rank`, stopping with a message naming `op` if out of range.
    @inlinable public static func normalizeAxis(_ axis: Int, rank: Int, op: StaticString) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < Swift.max(rank, 1), "\(op): axis \(axis) is out of range for rank \(rank)")
        return a
    }

    /// Normalizes, sorts and de-duplicates a list of axes.
    @inlinable public static func normalizeAxes(_ axes: [Int], rank: Int, op: StaticString) -> [Int] {
        var seen = [Bool](repeating: false, count: Swift.max(rank, 1))
        var out: [Int] = []
        for axis in axes {
            let a = normalizeAxis(axis, rank: rank, op: op)
            precondition(!seen[a], "\(op): axis \(axis) is repeated in \(axes)")
            seen[a] = true
            out.append(a)
        }
        return out.sorted()
    }
}

/// Shared stride arrays for the shapes most small tensors have, so that creating a result does
/// not allocate an array for its strides (see ``Shape/contiguousStrides(_:)``). Immutable after
/// its one-time initialization, hence safe to read from any thread.
@usableFromInline
enum ContiguousStridesCache {
    /// The strides of every rank-1 shape: `[1]`.
    @usableFromInline static let rank1: [Int] = [1]
    /// The largest column count with a shared rank-2 stride array.
    @inlinable static var rank2Limit: Int { 64 }
    /// `rank2[n]` is `[n, 1]`, the strides of a shape `[m, n]` (index 0 unused).
    @usableFromInline static let rank2: [[Int]] = (0...rank2Limit).map { [Swift.max($0, 1), 1] }
}
