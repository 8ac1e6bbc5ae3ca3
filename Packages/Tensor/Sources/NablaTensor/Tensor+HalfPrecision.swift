/// Conversions between the compute types (`Float`, `Double`) and the 16-bit storage types
/// (`Float16`, ``BFloat16``), bit-compatible with PyTorch's `tensor.to(dtype)`.
///
/// Narrowing rounds to nearest, ties to even, and keeps infinities and NaN. A `Double` is first
/// rounded to `Float` and then to 16 bits, exactly as PyTorch does (its half and bfloat16 types
/// convert from `float`), so in rare ties the result can differ by one ulp from a single correctly
/// rounded step (NumPy's `astype(float16)`). Widening is exact.
extension Tensor where Scalar == Float {
    /// Rounds to bfloat16 (nearest, ties to even). Mirrors `x.to(torch.bfloat16)`.
    @inlinable public func converted(to _: BFloat16.Type) -> Tensor<BFloat16> { map { BFloat16.rounding($0) } }
}

extension Tensor where Scalar == Double {
    /// Rounds to bfloat16 through `Float`, as `x.to(torch.bfloat16)` does for float64.
    @inlinable public func converted(to _: BFloat16.Type) -> Tensor<BFloat16> { map { BFloat16.rounding(Float($0)) } }
}

extension BFloat16 {
    /// `BFloat16(x)` without branches (NaN chosen with a select), so conversion loops vectorize.
    @inlinable static func rounding(_ x: Float) -> BFloat16 {
        let bits = x.bitPattern
        let rounded = (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16
        let quiet = (bits >> 16) | 0x0040
        let isNaN = bits & 0x7FFF_FFFF > 0x7F80_0000
        return BFloat16(bitPattern: UInt16(truncatingIfNeeded: isNaN ? quiet : rounded))
    }
}

extension Tensor where Scalar == BFloat16 {
    /// The exact values as `Float` or `Double`. Mirrors `x.to(torch.float32)` / `x.to(torch.float64)`.
    @inlinable public func converted<R: BinaryFloatingPoint & TensorScalar>(to _: R.Type) -> Tensor<R> {
        map { R($0.floatValue) }
    }
}

#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
extension Tensor where Scalar == Double {
    /// Rounds to IEEE half precision through `Float`, as `x.to(torch.float16)` does for float64
    /// (the generic `converted(to:)` would round once, as NumPy does).
    @inlinable public func converted(to _: Float16.Type) -> Tensor<Float16> { map { Float16(Float($0)) } }
}

extension Tensor where Scalar == Float16 {
    /// Rounds to bfloat16 through `Float` (exact widening, then one rounding).
    /// Mirrors `x.to(torch.bfloat16)` for float16.
    @inlinable public func converted(to _: BFloat16.Type) -> Tensor<BFloat16> { map { BFloat16.rounding(Float($0)) } }
}

extension Tensor where Scalar == BFloat16 {
    /// Rounds to IEEE half precision through `Float`. Mirrors `x.to(torch.float16)` for bfloat16.
    @inlinable public func converted(to _: Float16.Type) -> Tensor<Float16> { map { Float16($0.floatValue) } }
}
#endif
