import NablaTensor

/// One element read from a buffer, in a wide exact form: integers as `Int64`/`UInt64`, floats as `Double`.
protocol CastSource {
    func cast<D: CastDestination>(to: D.Type) -> D
}

/// An element type that can be written from any wide form.
protocol CastDestination {
    init(castFrom value: Double)
    init(castFrom value: Int64)
    init(castFrom value: UInt64)
}

extension Double {
    /// Toward zero, saturating at the integer range, NaN → 0.
    @inline(__always) func saturated<I: FixedWidthInteger>(_: I.Type) -> I {
        if isNaN { return 0 }
        if self <= Double(I.min) { return I.min }
        if self >= Double(I.max) { return I.max }
        return I(self)
    }
}

extension Int8: CastSource, CastDestination {}
extension Int16: CastSource, CastDestination {}
extension Int32: CastSource, CastDestination {}
extension Int64: CastSource, CastDestination {}
extension UInt8: CastSource, CastDestination {}
extension UInt16: CastSource, CastDestination {}
extension UInt32: CastSource, CastDestination {}
extension UInt64: CastSource, CastDestination {}

extension FixedWidthInteger where Self: CastSource {
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D {
        Self.isSigned ? D(castFrom: Int64(self)) : D(castFrom: UInt64(self))
    }
}
extension FixedWidthInteger where Self: CastDestination {
    @inline(__always) init(castFrom value: Double) { self = value.saturated(Self.self) }
    @inline(__always) init(castFrom value: Int64) { self.init(clamping: value) }
    @inline(__always) init(castFrom value: UInt64) { self.init(clamping: value) }
}

extension Bool: CastSource, CastDestination {
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D { D(castFrom: UInt64(self ? 1 : 0)) }
    @inline(__always) init(castFrom value: Double) { self = value != 0 }
    @inline(__always) init(castFrom value: Int64) { self = value != 0 }
    @inline(__always) init(castFrom value: UInt64) { self = value != 0 }
}

extension Float: CastSource, CastDestination {
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D { D(castFrom: Double(self)) }
    @inline(__always) init(castFrom value: Double) { self.init(value) }
    @inline(__always) init(castFrom value: Int64) { self.init(value) }
    @inline(__always) init(castFrom value: UInt64) { self.init(value) }
}
extension Double: CastSource, CastDestination {
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D { D(castFrom: self) }
    @inline(__always) init(castFrom value: Double) { self = value }
    @inline(__always) init(castFrom value: Int64) { self.init(value) }
    @inline(__always) init(castFrom value: UInt64) { self.init(value) }
}
extension Float16: CastSource, CastDestination {
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D { D(castFrom: Double(self)) }
    // Through Float: Double → Float16 directly is correctly rounded too, but the Float path is
    // what every framework does; values exactly between two halves round to even either way.
    @inline(__always) init(castFrom value: Double) { self.init(value) }
    @inline(__always) init(castFrom value: Int64) { self.init(Double(value)) }
    @inline(__always) init(castFrom value: UInt64) { self.init(Double(value)) }
}
extension BFloat16: CastSource, CastDestination {
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D { D(castFrom: Double(floatValue)) }
    /// Double → bfloat16 through Float, as `torch.Tensor.to(torch.bfloat16)` does for float64
    /// (two roundings; e.g. 1 + 2⁻⁸ + 2⁻³⁰ becomes 1.0, as in PyTorch).
    @inline(__always) init(castFrom value: Double) { self.init(Float(value)) }
    @inline(__always) init(castFrom value: Int64) { self.init(castFrom: Double(value)) }
    @inline(__always) init(castFrom value: UInt64) { self.init(castFrom: Double(value)) }
}

/// A stored bool byte: any non-zero byte reads as `true` (a file's bytes are not trusted to be 0 or 1).
struct BoolByte: CastSource {
    var byte: UInt8
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D { D(castFrom: UInt64(byte != 0 ? 1 : 0)) }
}

/// OCP float8 E4M3FN, storage only: decodes to any float.
struct Float8E4M3: CastSource {
    var bits: UInt8
    static let table: [Double] = (0..<256).map { decodeE4M3(UInt8($0)) }
    static func decodeE4M3(_ b: UInt8) -> Double {
        let sign: Double = b & 0x80 != 0 ? -1 : 1
        let e = Int(b >> 3) & 0xF, m = Double(b & 7)
        if e == 0xF && b & 7 == 7 { return .nan }
        if e == 0 { return sign * m / 8 * 0x1p-6 }
        return sign * (1 + m / 8) * Double(sign: .plus, exponent: e - 7, significand: 1)
    }
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D { D(castFrom: Float8E4M3.table[Int(bits)]) }
}

/// OCP float8 E5M2 (upper byte of binary16), storage only.
struct Float8E5M2: CastSource {
    var bits: UInt8
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D {
        D(castFrom: Double(Float16(bitPattern: UInt16(bits) << 8)))
    }
}

/// Decodes a "FNUZ" float8 (AMD/Graphcore style): no infinities, no −0, 0x80 is NaN.
func decodeFNUZ(_ b: UInt8, mantissaBits: Int, bias: Int) -> Double {
    if b == 0x80 { return .nan }
    let sign: Double = b & 0x80 != 0 ? -1 : 1
    let m = Int(b) & ((1 << mantissaBits) - 1), e = Int(b & 0x7F) >> mantissaBits
    let scale = Double(1 << mantissaBits)
    if e == 0 { return sign * Double(m) / scale * Double(sign: .plus, exponent: 1 - bias, significand: 1) }
    return sign * (1 + Double(m) / scale) * Double(sign: .plus, exponent: e - bias, significand: 1)
}

/// `torch.float8_e4m3fnuz`, storage only.
struct Float8E4M3FNUZ: CastSource {
    var bits: UInt8
    static let table: [Double] = (0..<256).map { decodeFNUZ(UInt8($0), mantissaBits: 3, bias: 8) }
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D { D(castFrom: Float8E4M3FNUZ.table[Int(bits)]) }
}

/// `torch.float8_e5m2fnuz`, storage only.
struct Float8E5M2FNUZ: CastSource {
    var bits: UInt8
    static let table: [Double] = (0..<256).map { decodeFNUZ(UInt8($0), mantissaBits: 2, bias: 16) }
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D { D(castFrom: Float8E5M2FNUZ.table[Int(bits)]) }
}

/// OCP E8M0 (exponent only), storage only.
struct Float8E8M0: CastSource {
    var bits: UInt8
    @inline(__always) func cast<D: CastDestination>(to: D.Type) -> D {
        D(castFrom: bits == 0xFF ? Double.nan : Double(sign: .plus, exponent: Int(bits) - 127, significand: 1))
    }
}

/// Converts `count` elements; the caller has checked the policy.
func castElements(from source: ElementType, _ src: UnsafeRawPointer?, to target: ElementType,
                  _ dst: UnsafeMutableRawPointer, count: Int) throws {
    guard count > 0, let src else { return }
    if source.isComplex || target.isComplex {
        switch (source, target) {
        case (.complex64, .complex128):
            try castElements(from: .float32, src, to: .float64, dst, count: 2 * count)
        case (.complex128, .complex64):
            try castElements(from: .float64, src, to: .float32, dst, count: 2 * count)
        default: throw SerializationError.unsupportedCast(from: source.description, to: target.description)
        }
        return
    }
    // Source buffers may be unaligned (e.g. inside a safetensors file): copy to aligned memory first.
    if Int(bitPattern: src) % min(source.byteSize, 8) != 0 {
        let b = try ByteBuffer(allocating: count * source.byteSize, for: "an aligned copy")
        b.base.copyMemory(from: src, byteCount: b.count)
        try withExtendedLifetime(b) { try castElements(from: source, UnsafeRawPointer(b.base), to: target, dst, count: count) }
        return
    }
    switch source {
    case .bool: try castFrom(BoolByte.self, src, target, dst, count)
    case .uint8: try castFrom(UInt8.self, src, target, dst, count)
    case .int8: try castFrom(Int8.self, src, target, dst, count)
    case .int16: try castFrom(Int16.self, src, target, dst, count)
    case .uint16: try castFrom(UInt16.self, src, target, dst, count)
    case .int32: try castFrom(Int32.self, src, target, dst, count)
    case .uint32: try castFrom(UInt32.self, src, target, dst, count)
    case .int64: try castFrom(Int64.self, src, target, dst, count)
    case .uint64: try castFrom(UInt64.self, src, target, dst, count)
    case .float16: try castFrom(Float16.self, src, target, dst, count)
    case .bfloat16: try castFrom(BFloat16.self, src, target, dst, count)
    case .float32: try castFrom(Float.self, src, target, dst, count)
    case .float64: try castFrom(Double.self, src, target, dst, count)
    case .float8E4M3: try castFrom(Float8E4M3.self, src, target, dst, count)
    case .float8E5M2: try castFrom(Float8E5M2.self, src, target, dst, count)
    case .float8E8M0: try castFrom(Float8E8M0.self, src, target, dst, count)
    case .float8E4M3FNUZ: try castFrom(Float8E4M3FNUZ.self, src, target, dst, count)
    case .float8E5M2FNUZ: try castFrom(Float8E5M2FNUZ.self, src, target, dst, count)
    case .complex64, .complex128: preconditionFailure("castElements: complex handled above")
    }
}

private func castFrom<S: CastSource>(_: S.Type, _ src: UnsafeRawPointer, _ target: ElementType,
                                     _ dst: UnsafeMutableRawPointer, _ count: Int) throws {
    let s = src.assumingMemoryBound(to: S.self)
    func loop<D: CastDestination>(_: D.Type) {
        let d = dst.assumingMemoryBound(to: D.self)
        for i in 0..<count { d[i] = s[i].cast(to: D.self) }
    }
    switch target {
    case .bool: loop(Bool.self)
    case .uint8: loop(UInt8.self)
    case .int8: loop(Int8.self)
    case .int16: loop(Int16.self)
    case .uint16: loop(UInt16.self)
    case .int32: loop(Int32.self)
    case .uint32: loop(UInt32.self)
    case .int64: loop(Int64.self)
    case .uint64: loop(UInt64.self)
    case .float16: loop(Float16.self)
    case .bfloat16: loop(BFloat16.self)
    case .float32: loop(Float.self)
    case .float64: loop(Double.self)
    case .float8E4M3, .float8E5M2, .float8E8M0, .float8E4M3FNUZ, .float8E5M2FNUZ, .complex64, .complex128:
        throw SerializationError.unsupportedCast(from: "\(S.self)", to: target.description)
    }
}

/// The number of infinities and NaNs among `count` elements (complex: parts) of `type` at `src`.
func nonFiniteCount(_ type: ElementType, _ src: UnsafeRawPointer?, count: Int) throws -> Int {
    guard count > 0, let src else { return 0 }
    let width = type.isComplex ? type.byteSize / 2 : type.byteSize
    if Int(bitPattern: src) % min(width, 8) != 0 {
        let b = try ByteBuffer(allocating: count * width, for: "an aligned copy")
        b.base.copyMemory(from: src, byteCount: b.count)
        return try withExtendedLifetime(b) { try nonFiniteCount(type, UnsafeRawPointer(b.base), count: count) }
    }
    func scan<S: CastSource>(_: S.Type) -> Int {
        let s = src.assumingMemoryBound(to: S.self)
        var n = 0
        for i in 0..<count where !s[i].cast(to: Double.self).isFinite { n += 1 }
        return n
    }
    switch type {
    case .float16: return scan(Float16.self)
    case .bfloat16: return scan(BFloat16.self)
    case .float32, .complex64: return scan(Float.self)
    case .float64, .complex128: return scan(Double.self)
    case .float8E4M3: return scan(Float8E4M3.self)
    case .float8E5M2: return scan(Float8E5M2.self)
    case .float8E8M0: return scan(Float8E8M0.self)
    case .float8E4M3FNUZ: return scan(Float8E4M3FNUZ.self)
    case .float8E5M2FNUZ: return scan(Float8E5M2FNUZ.self)
    case .bool, .uint8, .int8, .int16, .uint16, .int32, .uint32, .int64, .uint64: return 0
    }
}
