/// An n-dimensional array of `Scalar`, row-major, with value semantics.
///
/// A tensor is a view: a shared `TensorStorage` plus a shape, strides (in elements) and an
/// offset. Transpose, slicing, `expand` and most reshapes only change the view; the first
/// mutation of a shared or non-contiguous tensor copies it (copy-on-write), so
/// `var b = a; b[0] = 1` never changes `a`.
///
/// ```swift
/// let a: Tensor<Double> = [[1, 2], [3, 4]]
/// let b = (a + 1).exp().sum(axis: 0)      // shape [2]
/// ```
public struct Tensor<Scalar: TensorScalar>: @unchecked Sendable {
    @usableFromInline var storage: TensorStorage<Scalar>
    @usableFromInline var _shape: [Int]
    /// The strides of a view that is not laid out row-major; `nil` when the strides are exactly
    /// the row-major ones of `_shape` (every op's result), so that a dense tensor holds two
    /// references (storage and shape), not three: one retain and one release fewer per copy.
    @usableFromInline var _viewStrides: [Int]?
    @usableFromInline var _offset: Int

    /// Creates a view over `storage`. No checks: callers guarantee the view is in bounds.
    @inlinable init(storage: TensorStorage<Scalar>, shape: [Int], strides: [Int], offset: Int) {
        self.storage = storage
        self._shape = shape
        self._viewStrides = Shape.isRowMajor(shape, strides) ? nil : strides
        self._offset = offset
    }

    /// Creates a row-major view over `storage` starting at `offset`.
    @inlinable init(storage: TensorStorage<Scalar>, shape: [Int], offset: Int) {
        self.storage = storage
        self._shape = shape
        self._viewStrides = nil
        self._offset = offset
    }

    /// The strides in elements: the view's own, or the row-major strides of the shape (shared
    /// arrays for ranks 0–2, see ``Shape/contiguousStrides(_:)``). Read it once per op, not per element.
    @inlinable var _strides: [Int] { _viewStrides ?? Shape.contiguousStrides(_shape) }

    /// `_strides[axis]` without building the array (a row-major rank-2 tensor with more than 64
    /// columns would allocate one).
    @inlinable func _stride(_ axis: Int) -> Int {
        if let strides = _viewStrides { return strides[axis] }
        var s = 1, i = _shape.count - 1
        while i > axis {
            s *= Swift.max(_shape[i], 1)
            i -= 1
        }
        return s
    }

    /// Creates a contiguous tensor of `shape` whose storage is filled by `initializer`, which
    /// must initialize all `Shape.count(shape)` elements of the buffer it is given.
    @inlinable public init(shape: [Int], unsafeUninitializedBufferInitializer initializer:
                           (inout UnsafeMutableBufferPointer<Scalar>) throws -> Void) rethrows {
        for d in shape { precondition(d >= 0, "Tensor: negative dimension in shape \(shape)") }
        let n = Shape.count(shape)
        let storage = TensorStorage<Scalar>(uninitializedCount: n)
        var buffer = UnsafeMutableBufferPointer(start: storage.base, count: n)
        try initializer(&buffer)
        self.init(storage: storage, shape: shape, offset: 0)
    }

    /// A contiguous tensor of `shape` with all bits zero (`0`, `0.0` or `false`).
    @inlinable init(zeroedShape shape: [Int]) {
        let n = Shape.count(shape)
        self.init(storage: TensorStorage(zeroedCount: n), shape: shape,
                  offset: 0)
    }

    /// Creates a tensor of `shape` from `scalars` in row-major order.
    /// - Precondition: `scalars.count` equals the product of `shape`.
    @inlinable public init(shape: [Int], scalars: [Scalar]) {
        precondition(Shape.count(shape) == scalars.count,
                     "Tensor(shape:scalars:): shape \(shape) needs \(Shape.count(shape)) scalars, got \(scalars.count)")
        self.init(shape: shape) { buffer in
            _ = buffer.initialize(from: scalars)
        }
    }

    /// Creates a tensor of `shape` from any sequence of scalars in row-major order.
    @inlinable public init<S: Sequence>(shape: [Int], _ scalars: S) where S.Element == Scalar {
        self.init(shape: shape, scalars: Array(scalars))
    }

    /// A rank-1 tensor holding `scalars`.
    @inlinable public init(_ scalars: [Scalar]) { self.init(shape: [scalars.count], scalars: scalars) }

    /// A rank-0 tensor holding `scalar`.
    @inlinable public init(_ scalar: Scalar) { self.init(shape: [], scalars: [scalar]) }

    /// A rank-2 tensor from rows of equal length.
    @inlinable public init(_ rows: [[Scalar]]) {
        let cols = rows.first?.count ?? 0
        for r in rows { precondition(r.count == cols, "Tensor: rows have different lengths (\(cols) and \(r.count))") }
        self.init(shape: [rows.count, cols], scalars: rows.flatMap { $0 })
    }

    /// A tensor with every element equal to `value`.
    @inlinable public init(repeating value: Scalar, shape: [Int]) {
        self.init(shape: shape) { buffer in buffer.initialize(repeating: value) }
    }

    // MARK: Shape

    /// The size of each axis.
    @inlinable public var shape: [Int] { _shape }
    /// The distance in elements between neighbours along each axis (0 for a broadcast axis).
    @inlinable public var strides: [Int] { _strides }
    /// The number of axes.
    @inlinable public var rank: Int { _shape.count }
    /// The number of elements.
    @inlinable public var count: Int { Shape.count(_shape) }
    /// The runtime element type.
    @inlinable public var dtype: DType { Scalar.dtype }

    /// Whether elements are laid out densely in row-major order (so the view is one flat buffer).
    /// Every op asks this of its operands, so it reads both arrays once, without bounds checks
    /// (`_strides` always has one entry per axis).
    @inlinable public var isContiguous: Bool {
        guard let viewStrides = _viewStrides else { return true }
        return _shape.withUnsafeBufferPointer { shape in
            viewStrides.withUnsafeBufferPointer { strides in
                var expected = 1
                var i = shape.count - 1
                while i >= 0 {
                    let d = shape[i]
                    if d != 1 {
                        if strides[i] != expected { return false }
                        expected &*= d
                    }
                    i -= 1
                }
                return true
            }
        }
    }

    /// This tensor as a dense row-major tensor: itself when already contiguous, else a copy.
    @inlinable public var contiguous: Tensor {
        isContiguous ? self : copied()
    }

    /// Calls `body` with a pointer to the elements laid out densely in row-major order: this
    /// tensor's own buffer when it is contiguous (no copy, and no reference-count traffic), else a
    /// temporary contiguous copy's. The pointer is valid only inside `body`.
    @inlinable @inline(__always)
    func _withDenseBase<R>(_ body: (UnsafePointer<Scalar>) throws -> R) rethrows -> R {
        if isContiguous {
            return try withExtendedLifetime(storage) { try body(UnsafePointer(storage.base + _offset)) }
        }
        let c = copied()
        return try withExtendedLifetime(c) { try body(UnsafePointer(c.storage.base)) }
    }

    /// A contiguous copy with its own storage.
    @inlinable public func copied() -> Tensor {
        Tensor(shape: _shape) { out in
            var i = 0
            let o = out.baseAddress!
            let src = storage.base
            forEachRun { offset, n, stride in
                if stride == 1 {
                    (o + i).initialize(from: src + offset, count: n)
                } else {
                    for j in 0..<n { (o + i + j).initialize(to: src[offset + j * stride]) }
                }
                i += n
            }
        }
    }

    /// Calls `body(offset, length, stride)` for each innermost run of elements in row-major order.
    @inlinable func forEachRun(_ body: (Int, Int, Int) -> Void) {
        let n = count
        if n == 0 { return }
        if isContiguous { body(_offset, n, 1); return }
        let (shape, strides) = StridedLoop.coalesce(_shape, [_strides])
        StridedLoop.forEach(shape: shape, strides: strides) { offsets, len, inner in
            body(_offset + offsets[0], len, inner[0])
        }
    }

    // MARK: Scalars

    /// The elements in row-major order.
    @inlinable public var scalars: [Scalar] {
        _withDenseBase { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    /// The single element of a tensor with one element (any rank). Mirrors PyTorch's `item()`.
    ///
    /// ```swift
    /// let loss = Tensor<Double>([[1, 2], [3, 4]]).mean()   // rank 0
    /// loss.scalar                                          // 2.5
    /// ```
    ///
    /// - Precondition: the tensor has exactly one element (the message gives its shape).
    @inlinable public var scalar: Scalar {
        precondition(count == 1, "scalar: tensor of shape \(_shape) has \(count) elements, not 1")
        return storage.base[_offset]
    }

    /// Calls `body` with the elements as a dense row-major buffer (copying first if needed).
    @inlinable public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try _withDenseBase { try body(UnsafeBufferPointer(start: $0, count: count)) }
    }

    /// Calls `body` with the elements as a dense, uniquely owned, mutable buffer.
    @inlinable public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
        makeUniqueAndContiguous()
        var buffer = UnsafeMutableBufferPointer(start: storage.base + _offset, count: count)
        return try body(&buffer)
    }

    /// Ensures this tensor owns a dense buffer that no other tensor shares.
    @inlinable mutating func makeUniqueAndContiguous() {
        if !isKnownUniquelyReferenced(&storage) || !isContiguous || _offset != 0 || storage.count != count {
            self = copied()
        }
    }

    /// The storage offset of the element at `indices` (negative indices count from the end).
    @inlinable func elementOffset(_ indices: [Int]) -> Int {
        precondition(indices.count == rank, "subscript: \(indices.count) indices for a tensor of shape \(_shape)")
        var off = _offset
        let strides = _strides
        for (axis, i) in indices.enumerated() {
            let d = _shape[axis]
            let j = i < 0 ? i + d : i
            precondition(j >= 0 && j < d, "subscript: index \(i) is out of range for axis \(axis) of shape \(_shape)")
            off += j * strides[axis]
        }
        return off
    }

    /// The element at `indices`, one index per axis.
    @inlinable public subscript(element indices: Int...) -> Scalar {
        get { storage.base[elementOffset(indices)] }
        set {
            makeUniqueAndContiguous()
            storage.base[elementOffset(indices)] = newValue
        }
    }
}

extension Tensor: Equatable {
    /// Whether shapes and all elements are equal (NaN never equals NaN).
    @inlinable public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs._shape == rhs._shape && lhs.scalars == rhs.scalars
    }
}
