/// The elementwise kernels every arithmetic, comparison and math op is built from.
///
/// `map` and `zipWith` are `@inlinable` generics: at a concrete call site the closure is inlined
/// into the loop, so `a.zipWith(b) { $0 * $1 + $0 }` compiles to one vectorized loop. Dense
/// operands of equal shape take a flat (parallel) loop; broadcasts and strided views walk runs
/// through ``StridedLoop``.
extension Tensor {
    /// Strides that view this tensor as `target` under broadcasting (0 on broadcast axes).
    /// - Precondition: `shape` broadcasts to `target`.
    @inlinable func broadcastStrides(to target: [Int]) -> [Int] {
        let lead = target.count - rank
        var s = [Int](repeating: 0, count: target.count)
        let _strides = self._strides
        for i in 0..<rank where _shape[i] != 1 {
            s[lead + i] = _strides[i]
        }
        return s
    }

    /// A new tensor of the same shape with `transform` applied to every element.
    ///
    /// Always inlined, so that `transform` is a constant inside the parallel loop and gets inlined
    /// there (see ``Parallel/forRanges(_:minimumChunk:context:_:)``); a `transform` that captures
    /// values still works but costs a call per element.
    @inlinable @inline(__always)
    public func map<R: TensorScalar>(_ transform: (Scalar) -> R) -> Tensor<R> {
        let n = count
        let out = TensorStorage<R>(uninitializedCount: n)
        let src = UnsafePointer(storage.base + _offset)
        if isContiguous {
            Parallel.forRanges(n, context: (src, out.base)) { r, c in
                let (s, d) = c
                for i in r { (d + i).initialize(to: transform(s[i])) }
            }
        } else if n > 0 {
            let plan = StridedRows(shape: _shape, strides: [Shape.contiguousStrides(_shape), _strides])
            Parallel.forRanges(plan.rows, minimumChunk: Swift.max(1, Parallel.minimumChunk / plan.length),
                               context: (plan, src, out.base)) { rows, c in
                let (plan, src, dst) = c
                let sd = plan.inner[0], ss = plan.inner[1], len = plan.length
                plan.forEachRow(rows) { offs in
                    let d = dst + offs[0], s = src + offs[1]
                    if sd == 1 && ss == 1 {
                        for j in 0..<len { (d + j).initialize(to: transform(s[j])) }
                    } else {
                        for j in 0..<len { (d + j * sd).initialize(to: transform(s[j * ss])) }
                    }
                }
            }
        }
        return withExtendedLifetime(self) {
            Tensor<R>(storage: out, shape: _shape, offset: 0)
        }
    }

    /// `map { transform($0, value) }` with `value` passed to the parallel loop as data rather than
    /// captured, so `transform` stays a constant and the loop vectorizes (`x * 2`, `x .> 0`).
    @inlinable @inline(__always)
    func _map<S, R: TensorScalar>(with value: S, _ transform: (Scalar, S) -> R) -> Tensor<R> {
        guard isContiguous else { return map { transform($0, value) } }
        let n = count
        let out = TensorStorage<R>(uninitializedCount: n)
        Parallel.forRanges(n, context: (UnsafePointer(storage.base + _offset), out.base, value)) { r, c in
            let (s, d, v) = c
            for i in r { (d + i).initialize(to: transform(s[i], v)) }
        }
        return withExtendedLifetime(self) {
            Tensor<R>(storage: out, shape: _shape, offset: 0)
        }
    }

    /// `self[i] = combine(self[i], b[i])` in place when this tensor's buffer is dense, owned (not
    /// a mapped file) and referenced by nothing else, and `b` has this shape (dense) or one element;
    /// otherwise `self = zipWith(b)` into a new buffer. Either way every other tensor keeps its
    /// values (copy-on-write). For compound assignment (`+=`); `b` must broadcast to this shape.
    /// `vector` names the operation when `combine` is one of `+ − × ÷`, so that large dense `Float`
    /// operands of one shape take the AVX2/AVX-512 kernel (`_vectorCombined`, the same bits).
    @inlinable @inline(__always)
    mutating func _formZip(_ b: Tensor, op: StaticString, vector: VectorArithmetic? = nil,
                           _ combine: (Scalar, Scalar) -> Scalar) {
        let sameShape = _shape == b._shape
        if !sameShape {
            let s = Shape.broadcastOrStop(op, _shape, b._shape)
            precondition(s == _shape, "\(op): in-place result of shapes \(_shape) and \(b._shape) would have shape \(s)")
        }
        if sameShape, let vector, Scalar.self == Float.self, count >= VectorArithmetic.minimumCount,
           let r = _vectorCombined(b, vector) {
            self = r
            return
        }
        if _zipInPlaceIfOwned(b, sameShape: sameShape, combine) { return }
        self = zipWith(b, op: op, combine)
    }

    /// `self[i] = combine(self[i], b[i])` in place, if this tensor's buffer is dense, owned (not a
    /// mapped file) and referenced by nothing else, and `b` is dense with this shape
    /// (`sameShape`) or has one element; returns whether it did. `b` must broadcast to this shape.
    @inlinable @inline(__always)
    mutating func _zipInPlaceIfOwned(_ b: Tensor, sameShape: Bool, _ combine: (Scalar, Scalar) -> Scalar) -> Bool {
        let denseB = sameShape && b.isContiguous
        guard (denseB || (b.count == 1 && b.rank <= rank)) && _offset == 0 && storage.release == nil
            && storage.count == count && isContiguous && isKnownUniquelyReferenced(&storage) else { return false }
        let d = storage.base, pb = UnsafePointer(b.storage.base + b._offset)
        withExtendedLifetime(b) {
            if denseB {
                Parallel.forRanges(count, context: (d, pb)) { r, c in for i in r { c.0[i] = combine(c.0[i], c.1[i]) } }
            } else {
                Parallel.forRanges(count, context: (d, pb[0])) { r, c in for i in r { c.0[i] = combine(c.0[i], c.1) } }
            }
        }
        return true
    }

    /// `self[i] = combine(self[i], value)` in place when the buffer is dense, owned and unshared,
    /// else `self = map { combine($0, value) }`. For compound assignment with a scalar.
    @inlinable @inline(__always)
    mutating func _formMap(with value: Scalar, _ combine: (Scalar, Scalar) -> Scalar) {
        if _offset == 0 && storage.release == nil && storage.count == count && isContiguous
            && isKnownUniquelyReferenced(&storage) {
            Parallel.forRanges(count, context: (storage.base, value)) { r, c in for i in r { c.0[i] = combine(c.0[i], c.1) } }
            return
        }
        self = _map(with: value, combine)
    }

    /// Combines two tensors elementwise after broadcasting them to a common shape.
    ///
    /// Always inlined, so that `combine` is a constant inside the parallel loop and gets inlined
    /// there: `a.zipWith(b) { $0 * $1 + $0 }` compiles to one vectorized loop per thread. A
    /// `combine` that captures values still works but costs a call per element.
    ///
    /// - Parameters:
    ///   - other: the second operand, broadcast against `self`.
    ///   - op: the op's name, used in the message if the shapes do not broadcast.
    ///   - combine: the scalar function applied to each pair of elements.
    /// - Returns: a contiguous tensor of the broadcast shape.
    @inlinable @inline(__always)
    public func zipWith<B: TensorScalar, R: TensorScalar>(
        _ other: Tensor<B>, op: StaticString = "zipWith", _ combine: (Scalar, B) -> R) -> Tensor<R> {
        let sameShape = _shape == other._shape
        let outShape = sameShape ? _shape : Shape.broadcastOrStop(op, _shape, other._shape)
        let n = Shape.count(outShape)
        let out = TensorStorage<R>(uninitializedCount: n)
        let dst = out.base
        let pa = UnsafePointer(storage.base + _offset), pb = UnsafePointer(other.storage.base + other._offset)
        if sameShape && isContiguous && other.isContiguous {
            Parallel.forRanges(n, context: (pa, pb, dst)) { r, c in
                let (a, b, d) = c
                for i in r { (d + i).initialize(to: combine(a[i], b[i])) }
            }
        } else if other.count == 1 && outShape == _shape && isContiguous {
            Parallel.forRanges(n, context: (pa, pb[0], dst)) { r, c in
                let (a, b, d) = c
                for i in r { (d + i).initialize(to: combine(a[i], b)) }
            }
        } else if count == 1 && outShape == other._shape && other.isContiguous {
            Parallel.forRanges(n, context: (pa[0], pb, dst)) { r, c in
                let (a, b, d) = c
                for i in r { (d + i).initialize(to: combine(a, b[i])) }
            }
        } else if outShape == _shape && isContiguous && other.isContiguous && other.count > 0
                    && _shape.count > other._shape.count && Array(_shape.suffix(other._shape.count)) == other._shape {
            // A bias-like operand repeated along the leading axes (`[N, C] + [C]`): a dense inner
            // loop per row, which vectorizes, instead of the strided plan.
            let len = other.count
            Parallel.forRanges(n / len, minimumChunk: Swift.max(1, Parallel.minimumChunk / len),
                               context: (pa, pb, dst, len)) { rows, c in
                let (a, b, d, len) = c
                for r in rows {
                    let ar = a + r * len, dr = d + r * len
                    for j in 0..<len { (dr + j).initialize(to: combine(ar[j], b[j])) }
                }
            }
        } else if n > 0 {
            let plan = StridedRows(shape: outShape, strides: [Shape.contiguousStrides(outShape),
                                                              broadcastStrides(to: outShape),
                                                              other.broadcastStrides(to: outShape)])
            Parallel.forRanges(plan.rows, minimumChunk: Swift.max(1, Parallel.minimumChunk / plan.length),
                               context: (plan, pa, pb, dst)) { rows, c in
                let (plan, pa, pb, dst) = c
                let sd = plan.inner[0], sa = plan.inner[1], sb = plan.inner[2], len = plan.length
                plan.forEachRow(rows) { offs in
                    let d = dst + offs[0], a = pa + offs[1], b = pb + offs[2]
                    if sd == 1 && sa == 1 && sb == 1 {
                        for j in 0..<len { (d + j).initialize(to: combine(a[j], b[j])) }
                    } else if sd == 1 && sa == 1 && sb == 0 {
                        let bv = b[0]
                        for j in 0..<len { (d + j).initialize(to: combine(a[j], bv)) }
                    } else if sd == 1 && sa == 0 && sb == 1 {
                        let av = a[0]
                        for j in 0..<len { (d + j).initialize(to: combine(av, b[j])) }
                    } else {
                        for j in 0..<len { (d + j * sd).initialize(to: combine(a[j * sa], b[j * sb])) }
                    }
                }
            }
        }
        return withExtendedLifetime((self, other)) {
            Tensor<R>(storage: out, shape: outShape, offset: 0)
        }
    }

    /// Selects `a` where `condition` is true and `b` elsewhere, broadcasting all three.
    /// Mirrors `torch.where(condition, a, b)`. Large results are filled in parallel by rows.
    @inlinable public static func `where`(_ condition: Tensor<Bool>, _ a: Tensor, _ b: Tensor) -> Tensor {
        let s1 = Shape.broadcastOrStop("where", condition._shape, a._shape)
        let outShape = Shape.broadcastOrStop("where", s1, b._shape)
        let n = Shape.count(outShape)
        let out = TensorStorage<Scalar>(uninitializedCount: n)
        if n > 0 {
            let plan = StridedRows(shape: outShape, strides: [Shape.contiguousStrides(outShape),
                                                              condition.broadcastStrides(to: outShape),
                                                              a.broadcastStrides(to: outShape),
                                                              b.broadcastStrides(to: outShape)])
            let pc = UnsafePointer(condition.storage.base + condition._offset)
            let pa = UnsafePointer(a.storage.base + a._offset), pb = UnsafePointer(b.storage.base + b._offset)
            Parallel.forRanges(plan.rows, minimumChunk: Swift.max(1, Parallel.minimumChunk / plan.length),
                               context: (plan, pc, pa, pb, out.base)) { rows, c in
                let (plan, pc, pa, pb, dst) = c
                let len = plan.length
                let sd = plan.inner[0], sc = plan.inner[1], sa = plan.inner[2], sb = plan.inner[3]
                plan.forEachRow(rows) { offs in
                    let d = dst + offs[0], cond = pc + offs[1], x = pa + offs[2], y = pb + offs[3]
                    if sd == 1 && sc == 1 && sa == 1 && sb == 1 {
                        for j in 0..<len { (d + j).initialize(to: cond[j] ? x[j] : y[j]) }
                    } else {
                        for j in 0..<len { (d + j * sd).initialize(to: cond[j * sc] ? x[j * sa] : y[j * sb]) }
                    }
                }
            }
        }
        return withExtendedLifetime((condition, a, b)) {
            Tensor(storage: out, shape: outShape, offset: 0)
        }
    }

    /// Converts every element with `convert`, e.g. `x.cast { Double($0) }`.
    @inlinable public func cast<R: TensorScalar>(_ convert: (Scalar) -> R) -> Tensor<R> { map(convert) }
}

extension Tensor where Scalar: BinaryFloatingPoint {
    /// Converts to another floating-point type (rounding to nearest). Mirrors `tensor.to(dtype)`.
    @inlinable public func converted<R: BinaryFloatingPoint & TensorScalar>(to _: R.Type) -> Tensor<R> {
        map { R($0) }
    }
}

extension Tensor where Scalar: BinaryInteger {
    /// Converts integers to a floating-point type.
    @inlinable public func converted<R: BinaryFloatingPoint & TensorScalar>(to _: R.Type) -> Tensor<R> {
        map { R($0) }
    }
}

extension Tensor where Scalar == Bool {
    /// `1` where true, `0` where false.
    @inlinable public func converted<R: TensorNumeric>(to _: R.Type) -> Tensor<R> {
        map { $0 ? R.one : R.zero }
    }

    /// Elementwise logical not.
    @inlinable public static prefix func ! (x: Tensor) -> Tensor { x.map { !$0 } }
    /// Elementwise logical and.
    @inlinable public static func .& (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, op: "logicalAnd") { $0 && $1 } }
    /// Elementwise logical or.
    @inlinable public static func .| (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, op: "logicalOr") { $0 || $1 } }
    /// Whether any element is true.
    @inlinable public func any() -> Bool { scalars.contains(true) }
    /// Whether every element is true.
    @inlinable public func all() -> Bool { !scalars.contains(false) }
}
