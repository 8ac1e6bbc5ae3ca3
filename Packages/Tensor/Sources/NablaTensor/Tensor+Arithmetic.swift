/// Arithmetic operators with NumPy broadcasting. A shape mismatch stops with the op's name and
/// both shapes: `"add: shapes [2, 3] and [4] do not broadcast"`.
extension Tensor where Scalar: TensorNumeric {
    // The left operand is `consuming`: when the caller hands over a temporary that nothing else
    // references (the `x * x` in `x * x + x`), and the result keeps its shape, the result is written
    // into that temporary's buffer instead of a new one (NumPy's temporary elision). A named tensor
    // the caller still uses is retained by the call, so it is never overwritten: value semantics hold.

    /// Elementwise sum. Mirrors `torch.add`.
    @inlinable public static func + (a: consuming Tensor, b: Tensor) -> Tensor {
        (consume a)._combined(with: b, op: "add", vector: .add) { $0 + $1 }
    }
    /// Elementwise difference. Mirrors `torch.sub`.
    @inlinable public static func - (a: consuming Tensor, b: Tensor) -> Tensor {
        (consume a)._combined(with: b, op: "sub", vector: .subtract) { $0 - $1 }
    }
    /// Elementwise product. Mirrors `torch.mul`.
    @inlinable public static func * (a: consuming Tensor, b: Tensor) -> Tensor {
        (consume a)._combined(with: b, op: "mul", vector: .multiply) { $0 * $1 }
    }
    /// Elementwise quotient (truncating for integers). Mirrors `torch.div`.
    @inlinable public static func / (a: consuming Tensor, b: Tensor) -> Tensor {
        (consume a)._combined(with: b, op: "div", vector: .divide) { $0 / $1 }
    }

    /// `zipWith(b)`, written into this tensor's own buffer when the result has this tensor's shape
    /// and ``_zipInPlaceIfOwned(_:sameShape:_:)`` finds the buffer dense and unshared; a new buffer otherwise.
    /// `vector` names the operation when `combine` is one of `+ − × ÷`, so that large `Float`
    /// operands can take ``_vectorCombined(_:_:)``.
    @inlinable @inline(__always)
    consuming func _combined(with b: Tensor, op: StaticString, vector: VectorArithmetic? = nil,
                             _ combine: (Scalar, Scalar) -> Scalar) -> Tensor {
        let sameShape = _shape == b._shape
        if sameShape || Shape.broadcastOrStop(op, _shape, b._shape) == _shape {
            var result = consume self
            // Large dense Float operands of one shape: the AVX2/AVX-512 kernel (same bits).
            if sameShape, let vector, Scalar.self == Float.self, result.count >= VectorArithmetic.minimumCount,
               let r = result._vectorCombined(b, vector) { return r }
            if result._zipInPlaceIfOwned(b, sameShape: sameShape, combine) { return result }
            return result.zipWith(b, op: op, combine)
        }
        return zipWith(b, op: op, combine)
    }

    /// Adds a scalar to every element.
    @inlinable public static func + (a: Tensor, b: Scalar) -> Tensor { a._map(with: b) { $0 + $1 } }
    /// Adds a scalar to every element.
    @inlinable public static func + (a: Scalar, b: Tensor) -> Tensor { b._map(with: a) { $1 + $0 } }
    /// Subtracts a scalar from every element.
    @inlinable public static func - (a: Tensor, b: Scalar) -> Tensor { a._map(with: b) { $0 - $1 } }
    /// Subtracts every element from a scalar.
    @inlinable public static func - (a: Scalar, b: Tensor) -> Tensor { b._map(with: a) { $1 - $0 } }
    /// Multiplies every element by a scalar.
    @inlinable public static func * (a: Tensor, b: Scalar) -> Tensor { a._map(with: b) { $0 * $1 } }
    /// Multiplies every element by a scalar.
    @inlinable public static func * (a: Scalar, b: Tensor) -> Tensor { b._map(with: a) { $1 * $0 } }
    /// Divides every element by a scalar.
    @inlinable public static func / (a: Tensor, b: Scalar) -> Tensor { a._map(with: b) { $0 / $1 } }
    /// Divides a scalar by every element.
    @inlinable public static func / (a: Scalar, b: Tensor) -> Tensor { b._map(with: a) { $1 / $0 } }

    /// In-place sum; the result must keep the shape of `a`. Writes into `a`'s buffer when no other
    /// tensor shares it (and `b` is dense of the same shape or a single element).
    @inlinable public static func += (a: inout Tensor, b: Tensor) { a._formZip(b, op: "add", vector: .add) { $0 + $1 } }
    /// In-place difference; the result must keep the shape of `a`.
    @inlinable public static func -= (a: inout Tensor, b: Tensor) { a._formZip(b, op: "sub", vector: .subtract) { $0 - $1 } }
    /// In-place product; the result must keep the shape of `a`.
    @inlinable public static func *= (a: inout Tensor, b: Tensor) { a._formZip(b, op: "mul", vector: .multiply) { $0 * $1 } }
    /// In-place quotient; the result must keep the shape of `a`.
    @inlinable public static func /= (a: inout Tensor, b: Tensor) { a._formZip(b, op: "div", vector: .divide) { $0 / $1 } }
    /// In-place scalar sum.
    @inlinable public static func += (a: inout Tensor, b: Scalar) { a._formMap(with: b) { $0 + $1 } }
    /// In-place scalar difference.
    @inlinable public static func -= (a: inout Tensor, b: Scalar) { a._formMap(with: b) { $0 - $1 } }
    /// In-place scalar product.
    @inlinable public static func *= (a: inout Tensor, b: Scalar) { a._formMap(with: b) { $0 * $1 } }
    /// In-place scalar quotient.
    @inlinable public static func /= (a: inout Tensor, b: Scalar) { a._formMap(with: b) { $0 / $1 } }

    /// `zipWith` that stops if broadcasting would change `self`'s shape (for compound assignment).
    @inlinable func updated(with b: Tensor, op: StaticString, _ f: (Scalar, Scalar) -> Scalar) -> Tensor {
        let s = Shape.broadcastOrStop(op, _shape, b._shape)
        precondition(s == _shape, "\(op): in-place result of shapes \(_shape) and \(b._shape) would have shape \(s)")
        return zipWith(b, op: op, f)
    }

    /// Elementwise maximum of two tensors. Mirrors `torch.maximum`.
    @inlinable public func maximum(_ other: Tensor) -> Tensor {
        zipWith(other, op: "maximum") { $0 >= $1 || $0 != $0 ? $0 : $1 }
    }
    /// Elementwise minimum of two tensors. Mirrors `torch.minimum`.
    @inlinable public func minimum(_ other: Tensor) -> Tensor {
        zipWith(other, op: "minimum") { $0 <= $1 || $0 != $0 ? $0 : $1 }
    }
    /// Clamps every element into `[lower, upper]`. Mirrors `torch.clamp`.
    @inlinable public func clamped(to range: ClosedRange<Scalar>) -> Tensor {
        let lo = range.lowerBound, hi = range.upperBound
        return _map(with: (lo, hi)) { x, b in Swift.min(Swift.max(x, b.0), b.1) }
    }
    /// Clamps from below. Mirrors `torch.clamp(min=)`.
    @inlinable public func clamped(min lower: Scalar) -> Tensor { _map(with: lower) { $0 < $1 ? $1 : $0 } }
    /// Clamps from above. Mirrors `torch.clamp(max=)`.
    @inlinable public func clamped(max upper: Scalar) -> Tensor { _map(with: upper) { $0 > $1 ? $1 : $0 } }

    // MARK: Comparisons, returning Bool masks

    /// Elementwise `==`. Mirrors `torch.eq`.
    @inlinable public static func .== (a: Tensor, b: Tensor) -> Tensor<Bool> { a.zipWith(b, op: "eq") { $0 == $1 } }
    /// Elementwise `!=`. Mirrors `torch.ne`.
    @inlinable public static func .!= (a: Tensor, b: Tensor) -> Tensor<Bool> { a.zipWith(b, op: "ne") { $0 != $1 } }
    /// Elementwise `<`. Mirrors `torch.lt`.
    @inlinable public static func .< (a: Tensor, b: Tensor) -> Tensor<Bool> { a.zipWith(b, op: "lt") { $0 < $1 } }
    /// Elementwise `<=`. Mirrors `torch.le`.
    @inlinable public static func .<= (a: Tensor, b: Tensor) -> Tensor<Bool> { a.zipWith(b, op: "le") { $0 <= $1 } }
    /// Elementwise `>`. Mirrors `torch.gt`.
    @inlinable public static func .> (a: Tensor, b: Tensor) -> Tensor<Bool> { a.zipWith(b, op: "gt") { $0 > $1 } }
    /// Elementwise `>=`. Mirrors `torch.ge`.
    @inlinable public static func .>= (a: Tensor, b: Tensor) -> Tensor<Bool> { a.zipWith(b, op: "ge") { $0 >= $1 } }
    /// Elementwise `== scalar`.
    @inlinable public static func .== (a: Tensor, b: Scalar) -> Tensor<Bool> { a._map(with: b) { $0 == $1 } }
    /// Elementwise `!= scalar`.
    @inlinable public static func .!= (a: Tensor, b: Scalar) -> Tensor<Bool> { a._map(with: b) { $0 != $1 } }
    /// Elementwise `< scalar`.
    @inlinable public static func .< (a: Tensor, b: Scalar) -> Tensor<Bool> { a._map(with: b) { $0 < $1 } }
    /// Elementwise `<= scalar`.
    @inlinable public static func .<= (a: Tensor, b: Scalar) -> Tensor<Bool> { a._map(with: b) { $0 <= $1 } }
    /// Elementwise `> scalar`.
    @inlinable public static func .> (a: Tensor, b: Scalar) -> Tensor<Bool> { a._map(with: b) { $0 > $1 } }
    /// Elementwise `>= scalar`.
    @inlinable public static func .>= (a: Tensor, b: Scalar) -> Tensor<Bool> { a._map(with: b) { $0 >= $1 } }
}

extension Tensor where Scalar: TensorNumeric & SignedNumeric {
    /// Elementwise negation. Mirrors `torch.neg`.
    @inlinable public static prefix func - (x: Tensor) -> Tensor { x.map { -$0 } }
}

extension Tensor where Scalar: TensorNumeric & Comparable & SignedNumeric {
    /// Elementwise absolute value (`abs(-0.0) = 0.0`). Mirrors `torch.abs`.
    @inlinable public func abs() -> Tensor { map { $0 < 0 ? -$0 : $0 } }
}
