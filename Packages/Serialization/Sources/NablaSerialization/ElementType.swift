import NablaTensor

/// The element type of a tensor in a file: every `DType` plus the 8-bit float formats that
/// files may contain (read-only: they convert to wider floats).
///
/// Raw values are the safetensors tags (`"F32"`, `"BF16"`, `"F8_E4M3"`), which the native format
/// also uses. Values are stored little-endian in every Nabla-written file.
public enum ElementType: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// One byte, 0 or 1.
    case bool = "BOOL"
    /// `UInt8`.
    case uint8 = "U8"
    /// `Int8`.
    case int8 = "I8"
    /// `Int16`.
    case int16 = "I16"
    /// `UInt16`.
    case uint16 = "U16"
    /// `Int32`.
    case int32 = "I32"
    /// `UInt32`.
    case uint32 = "U32"
    /// `Int64`.
    case int64 = "I64"
    /// `UInt64`.
    case uint64 = "U64"
    /// IEEE binary16.
    case float16 = "F16"
    /// bfloat16 (upper half of binary32).
    case bfloat16 = "BF16"
    /// IEEE binary32.
    case float32 = "F32"
    /// IEEE binary64.
    case float64 = "F64"
    /// Two binary32 (real, imaginary).
    case complex64 = "C64"
    /// Two binary64 (real, imaginary); not in the safetensors spec.
    case complex128 = "C128"
    /// OCP float8 E4M3FN (`torch.float8_e4m3fn`): 4 exponent bits, bias 7, no infinities, NaN = S.1111.111.
    case float8E4M3 = "F8_E4M3"
    /// OCP float8 E5M2 (`torch.float8_e5m2`): the upper byte of an IEEE binary16.
    case float8E5M2 = "F8_E5M2"
    /// float8 E4M3 "FNUZ" (`torch.float8_e4m3fnuz`): bias 8, no infinities or −0, 0x80 is NaN.
    case float8E4M3FNUZ = "F8_E4M3FNUZ"
    /// float8 E5M2 "FNUZ" (`torch.float8_e5m2fnuz`): bias 16, no infinities or −0, 0x80 is NaN.
    case float8E5M2FNUZ = "F8_E5M2FNUZ"
    /// OCP E8M0 scale format (`torch.float8_e8m0fnu`): value 2^(bits − 127), 0xFF is NaN.
    case float8E8M0 = "F8_E8M0"

    /// The file element type of a tensor dtype.
    public init(_ dtype: DType) { self = ElementType(rawValue: dtype.safetensorsName)! }

    /// The tensor dtype with the same values, or `nil` for the float8 types (convert them first).
    public var dtype: DType? {
        switch self {
        case .float8E4M3, .float8E5M2, .float8E8M0, .float8E4M3FNUZ, .float8E5M2FNUZ: return nil
        default: return DType.allCases.first { $0.safetensorsName == rawValue }
        }
    }

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float8E4M3, .float8E5M2, .float8E8M0, .float8E4M3FNUZ, .float8E5M2FNUZ: return 1
        default: return dtype!.byteSize
        }
    }

    /// Whether the values are real floating-point numbers (the shuffle filter helps these).
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .bfloat16, .float32, .float64, .float8E4M3, .float8E5M2, .float8E8M0, .float8E4M3FNUZ, .float8E5M2FNUZ:
            return true
        default: return false
        }
    }

    /// Whether the values are complex (pairs of floats).
    public var isComplex: Bool { self == .complex64 || self == .complex128 }

    /// Whether the values are integers (bool excluded).
    public var isInteger: Bool {
        switch self {
        case .uint8, .int8, .int16, .uint16, .int32, .uint32, .int64, .uint64: return true
        default: return false
        }
    }

    /// The Nabla name, e.g. `float32`, `float8_e4m3`.
    public var description: String {
        switch self {
        case .float8E4M3: return "float8_e4m3"
        case .float8E5M2: return "float8_e5m2"
        case .float8E8M0: return "float8_e8m0"
        case .float8E4M3FNUZ: return "float8_e4m3fnuz"
        case .float8E5M2FNUZ: return "float8_e5m2fnuz"
        default: return dtype!.rawValue
        }
    }

    /// Parses a user-facing name: a safetensors tag (`F16`), a Nabla name (`float16`) or a short
    /// form (`f16`, `bf16`, `f32`, `f64`, `i64`, `u8`, `bool`). Case-insensitive.
    public init?(name: String) {
        let n = name.lowercased()
        if let t = ElementType.allCases.first(where: { $0.rawValue.lowercased() == n || $0.description == n }) {
            self = t
            return
        }
        switch n {
        case "f16", "half": self = .float16
        case "f32", "float": self = .float32
        case "f64", "double": self = .float64
        case "e4m3", "f8e4m3", "float8_e4m3fn": self = .float8E4M3
        case "e5m2", "f8e5m2": self = .float8E5M2
        default: return nil
        }
    }

    /// Bits of integer precision: integers up to 2^bits are exact (floats: significand bits + 1).
    var exactIntegerBits: Int {
        switch self {
        case .float16: return 11
        case .bfloat16: return 8
        case .float32: return 24
        case .float64: return 53
        case .float8E4M3: return 4
        case .float8E5M2: return 3
        case .float8E8M0: return 1
        case .float8E4M3FNUZ: return 4
        case .float8E5M2FNUZ: return 3
        default: return 0
        }
    }

    /// The closed range of an integer type, as (min, max) in a wide signed/unsigned pair.
    var integerRange: (min: Int64, max: UInt64) {
        switch self {
        case .bool: return (0, 1)
        case .uint8: return (0, UInt64(UInt8.max))
        case .int8: return (Int64(Int8.min), UInt64(Int8.max))
        case .int16: return (Int64(Int16.min), UInt64(Int16.max))
        case .uint16: return (0, UInt64(UInt16.max))
        case .int32: return (Int64(Int32.min), UInt64(Int32.max))
        case .uint32: return (0, UInt64(UInt32.max))
        case .int64: return (Int64.min, UInt64(Int64.max))
        case .uint64: return (0, UInt64.max)
        default: return (0, 0)
        }
    }

    /// Whether every value of `self` is exactly representable in `target` (a cast that cannot lose
    /// information). Float widening (f16 → f32 → f64, bf16 → f32), integer widening, bool to any
    /// real type, and integers into floats wide enough (i8 → f16, i16 → f32, i32 → f64) are exact.
    public func castsLosslessly(to target: ElementType) -> Bool {
        if self == target { return true }
        if isComplex || target.isComplex { return self == .complex64 && target == .complex128 }
        if target == .bool { return false }
        if self == .bool { return true }
        if target.isInteger {
            guard isInteger else { return false }
            let (a, b) = (integerRange, target.integerRange)
            return a.min >= b.min && a.max <= b.max
        }
        // target is floating point
        if isInteger {
            let r = integerRange
            let magnitude = max(r.max, r.min < 0 ? UInt64(r.min.magnitude) : 0)
            let bits = UInt64.bitWidth - magnitude.leadingZeroBitCount
            return bits <= target.exactIntegerBits
        }
        switch (self, target) {
        case (.float16, .float32), (.float16, .float64), (.bfloat16, .float32), (.bfloat16, .float64),
             (.float32, .float64): return true
        case (.float8E4M3, _), (.float8E5M2, _), (.float8E4M3FNUZ, _), (.float8E5M2FNUZ, _):
            return target == .float16 || target == .bfloat16 || target == .float32 || target == .float64
        case (.float8E8M0, _):  // exponents 2^-127...2^127: beyond float16's range
            return target == .bfloat16 || target == .float32 || target == .float64
        default: return false
        }
    }
}
