/// The element type of a tensor, as a runtime value.
///
/// `Tensor<Scalar>` carries its element type statically; `DType` names it at run time for
/// type-erased code such as checkpoint readers and writers. The raw values are Nabla's own
/// dtype names; ``safetensorsName`` gives the tag written in safetensors headers.
public enum DType: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// `Bool`, one byte (0 or 1).
    case bool
    /// `UInt8`.
    case uint8
    /// `Int8`.
    case int8
    /// `Int16`.
    case int16
    /// `UInt16`.
    case uint16
    /// `Int32`.
    case int32
    /// `UInt32`.
    case uint32
    /// `Int64` (also Swift's `Int` on 64-bit platforms).
    case int64
    /// `UInt64`.
    case uint64
    /// IEEE 754 binary16.
    case float16
    /// bfloat16: the upper 16 bits of an IEEE binary32.
    case bfloat16
    /// IEEE 754 binary32 (`Float`).
    case float32
    /// IEEE 754 binary64 (`Double`).
    case float64
    /// A pair of `Float` (real, imaginary).
    case complex64
    /// A pair of `Double` (real, imaginary).
    case complex128

    /// Bytes one element occupies.
    public var byteSize: Int {
        switch self {
        case .bool, .uint8, .int8: return 1
        case .int16, .uint16, .float16, .bfloat16: return 2
        case .int32, .uint32, .float32: return 4
        case .int64, .uint64, .float64, .complex64: return 8
        case .complex128: return 16
        }
    }

    /// Whether the type is a real floating-point type.
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .bfloat16, .float32, .float64: return true
        default: return false
        }
    }

    /// Whether the type is complex.
    public var isComplex: Bool { self == .complex64 || self == .complex128 }

    /// The dtype tag used by the safetensors format (`"F32"`, `"BF16"`, `"I64"`, …).
    public var safetensorsName: String {
        switch self {
        case .bool: return "BOOL"
        case .uint8: return "U8"
        case .int8: return "I8"
        case .int16: return "I16"
        case .uint16: return "U16"
        case .int32: return "I32"
        case .uint32: return "U32"
        case .int64: return "I64"
        case .uint64: return "U64"
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .float32: return "F32"
        case .float64: return "F64"
        case .complex64: return "C64"
        case .complex128: return "C128"
        }
    }

    /// The Nabla name, e.g. `float32`.
    public var description: String { rawValue }
}
