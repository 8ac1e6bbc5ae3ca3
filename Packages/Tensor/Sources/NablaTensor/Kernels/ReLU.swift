// ReLU and its backward product as SIMD loops on Float and Double: eight (four) lanes per
// compare-and-select instead of a compare and a branch per element. Not generic and not inlinable,
// so they run vectorized whatever the caller's specialization.

/// `dst[i] = src[i] > 0 ? src[i] : 0` for `count` Floats (NaN gives 0, as the scalar rule does).
@usableFromInline func _reluKernel(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i + 8 <= count {
        let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self)
        let r = SIMD8<Float>.zero.replacing(with: v, where: v .> 0)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: r, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count { dst[i] = src[i] > 0 ? src[i] : 0; i += 1 }
}

/// `dst[i] = src[i] > 0 ? src[i] : 0` for `count` Doubles.
@usableFromInline func _reluKernel(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ count: Int) {
    var i = 0
    while i + 4 <= count {
        let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD4<Double>.self)
        let r = SIMD4<Double>.zero.replacing(with: v, where: v .> 0)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: r, as: SIMD4<Double>.self)
        i += 4
    }
    while i < count { dst[i] = src[i] > 0 ? src[i] : 0; i += 1 }
}

/// `dst[i] = cotangent[i] · (x[i] > 0 ? 1 : 0)` for `count` Floats: the product, not a select, so a
/// NaN cotangent stays NaN and a negative one gives −0, exactly as the scalar rule.
@usableFromInline func _reluBackwardKernel(_ x: UnsafePointer<Float>, _ cotangent: UnsafePointer<Float>,
                                           _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i + 8 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        let c = UnsafeRawPointer(cotangent + i).loadUnaligned(as: SIMD8<Float>.self)
        let mask = SIMD8<Float>.zero.replacing(with: 1, where: v .> 0)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: c * mask, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count { dst[i] = cotangent[i] * (x[i] > 0 ? 1 : 0); i += 1 }
}

/// `dst[i] = cotangent[i] · (x[i] > 0 ? 1 : 0)` for `count` Doubles.
@usableFromInline func _reluBackwardKernel(_ x: UnsafePointer<Double>, _ cotangent: UnsafePointer<Double>,
                                           _ dst: UnsafeMutablePointer<Double>, _ count: Int) {
    var i = 0
    while i + 4 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Double>.self)
        let c = UnsafeRawPointer(cotangent + i).loadUnaligned(as: SIMD4<Double>.self)
        let mask = SIMD4<Double>.zero.replacing(with: 1, where: v .> 0)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: c * mask, as: SIMD4<Double>.self)
        i += 4
    }
    while i < count { dst[i] = cotangent[i] * (x[i] > 0 ? 1 : 0); i += 1 }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// Runs a Float or Double kernel over contiguous `self` (and `other`, same shape) into a new
    /// tensor, in parallel for large tensors; `nil` for other scalar types or layouts.
    @inlinable func _simdElementwise(
        _ other: Tensor?,
        float: @escaping (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
        double: @escaping (UnsafePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void
    ) -> Tensor? {
        guard Scalar.self == Float.self || Scalar.self == Double.self, isContiguous else { return nil }
        if let other { guard other.isContiguous && other._shape == _shape else { return nil } }
        let n = count
        let out = TensorStorage<Scalar>(uninitializedCount: n)
        let a = UnsafeRawPointer(storage.base + _offset)
        let b = other.map { UnsafeRawPointer($0.storage.base + $0._offset) } ?? a
        let d = UnsafeMutableRawPointer(out.base)
        let isFloat = Scalar.self == Float.self
        Parallel.forRanges(n, context: (a, b, d)) { r, c in
            let (a, b, d) = c
            if isFloat {
                let s = MemoryLayout<Float>.stride * r.lowerBound
                float((a + s).assumingMemoryBound(to: Float.self), (b + s).assumingMemoryBound(to: Float.self),
                      (d + s).assumingMemoryBound(to: Float.self), r.count)
            } else {
                let s = MemoryLayout<Double>.stride * r.lowerBound
                double((a + s).assumingMemoryBound(to: Double.self), (b + s).assumingMemoryBound(to: Double.self),
                       (d + s).assumingMemoryBound(to: Double.self), r.count)
            }
        }
        return withExtendedLifetime((self, other)) {
            Tensor(storage: out, shape: _shape, offset: 0)
        }
    }

    /// `cotangent · 1[self > 0]` elementwise: the backward product of ``relu()`` at input `self`
    /// (relu′(0) = 0). SIMD for contiguous Float and Double tensors of the same shape.
    @inlinable public func reluBackward(cotangent: Tensor) -> Tensor {
        if let fast = _simdElementwise(cotangent, float: { x, c, d, n in _reluBackwardKernel(x, c, d, n) },
                                       double: { x, c, d, n in _reluBackwardKernel(x, c, d, n) }) { return fast }
        return cotangent * map { $0 > 0 ? 1 : 0 }
    }
}
