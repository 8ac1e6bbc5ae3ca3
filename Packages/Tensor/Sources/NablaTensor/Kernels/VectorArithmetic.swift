import CNablaVector

/// The arithmetic operators with a wide kernel in CNablaVector (`nabla_binary_f32`).
@usableFromInline enum VectorArithmetic: Int32 {
    case add = 0, subtract = 1, multiply = 2, divide = 3

    /// The fewest elements worth a call into C (below, the inlined Swift loop is as fast).
    @inlinable static var minimumCount: Int { 4096 }
}

extension Tensor {
    /// `self op b` on two dense `Float` tensors of the same shape with the AVX2 or AVX-512 kernel
    /// of CNablaVector, written into this tensor's buffer when it is dense, owned and unshared
    /// (temporary elision, as `_zipInPlaceIfOwned`), else into a new buffer. Returns nil, doing
    /// nothing, when the kernel does not apply: another element type, a view that is not dense,
    /// or a vector level without the kernel (`portable`, `sse2`: the Swift loop is as wide).
    ///
    /// IEEE `+ − × ÷` round correctly at every width, so the result is bit for bit the Swift
    /// loop's. A fresh output is written with streaming stores only when it is larger than the
    /// last-level cache (`nabla_streams_output`): below that the next op of an expression, such as
    /// `+ x` in `x * x + x`, finds it in the cache. Not generic-specialized on purpose: it is called
    /// for large tensors only.
    @usableFromInline
    mutating func _vectorCombined(_ b: Tensor, _ op: VectorArithmetic) -> Tensor? {
        guard Scalar.self == Float.self, _shape == b._shape, isContiguous, b.isContiguous,
              VectorLevel.current.rawValue >= VectorLevel.avx2.rawValue else { return nil }
        let n = count
        let inPlace = _offset == 0 && storage.release == nil && storage.count == n && isKnownUniquelyReferenced(&storage)
        let out = inPlace ? storage : TensorStorage<Scalar>(uninitializedCount: n)
        let pa = UnsafeRawPointer(storage.base + _offset).assumingMemoryBound(to: Float.self)
        let pb = UnsafeRawPointer(b.storage.base + b._offset).assumingMemoryBound(to: Float.self)
        let pd = UnsafeMutableRawPointer(out.base).assumingMemoryBound(to: Float.self)
        let stream: Int32 = !inPlace && nabla_streams_output(n * MemoryLayout<Float>.stride) != 0 ? 1 : 0
        withExtendedLifetime((self, b)) {
            Parallel.forRanges(n, context: (pa, pb, pd, op.rawValue, stream)) { r, c in
                _ = nabla_binary_f32(c.3, c.0 + r.lowerBound, c.1 + r.lowerBound, c.2 + r.lowerBound, r.count, c.4)
            }
        }
        return Tensor(storage: out, shape: _shape, offset: 0)
    }
}

extension Float {
    /// `y[i] = a[i] op b[i]` for `count` elements with the arithmetic kernel of dispatch level
    /// `level` (a ``VectorLevel`` raw value), for tests: `op` is 0 add, 1 subtract, 2 multiply,
    /// 3 divide. `y` may be `a` or `b`. With `streaming`, a fresh `y` of at least 1 MiB is written
    /// with non-temporal stores (the path outputs larger than the last-level cache take). Returns
    /// `false`, writing nothing, when that level has no such kernel (`portable` and `sse2`, where
    /// the Swift loop runs) or the CPU lacks it.
    public static func _vectorArithmetic(_ op: Int32, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                         _ y: UnsafeMutablePointer<Float>, count: Int, level: Int32,
                                         streaming: Bool) -> Bool {
        nabla_binary_f32_at(level, op, a, b, y, count, streaming ? 1 : 0) != 0
    }

    /// Whether `+ − × ÷` of dense `Float` tensors write a fresh output of `bytes` bytes with
    /// streaming stores: only when it is larger than the last-level cache
    /// (``_lastLevelCacheBytes``), so that the next op finds smaller outputs in the cache.
    public static func _streamsArithmeticOutput(bytes: Int) -> Bool { nabla_streams_output(bytes) != 0 }

    /// The size of the last-level cache in bytes, as CNablaVector reads it at start-up
    /// (/sys/devices/system/cpu/cpu0/cache on Linux; 32 MiB when unknown).
    public static var _lastLevelCacheBytes: Int { nabla_last_level_cache_bytes() }
}
