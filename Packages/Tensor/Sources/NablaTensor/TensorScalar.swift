import RealModule

/// A type a ``Tensor`` can store.
///
/// Every storage type is plain old data (trivially copyable, all-zero bits mean zero or `false`),
/// so buffers can be zero-filled with `memset` and written to disk byte for byte.
public protocol TensorScalar: Sendable, Equatable {
    /// The runtime tag of this type.
    static var dtype: DType { get }
}

/// A scalar with arithmetic: the integer and floating-point types.
///
/// Tensors of these types support `+ - *`, comparisons, sums, products, max/min and matmul.
public protocol TensorNumeric: TensorScalar, Numeric, Comparable {
    /// The multiplicative identity (`1`).
    static var one: Self { get }
    /// The smallest representable value, the identity of `max`.
    static var lowest: Self { get }
    /// The largest representable value, the identity of `min`.
    static var highest: Self { get }
    /// Division as the type defines it (truncating for integers).
    static func / (lhs: Self, rhs: Self) -> Self
}

/// A real floating-point scalar that tensors compute with: `Float` and `Double`.
///
/// Beyond `Real` (elementary functions from swift-numerics) the protocol carries the buffer-level
/// kernels that are specialized per type: GEMM through BLAS, vectorized transcendental functions
/// and LAPACK factorizations. Generic tensor code calls these once per buffer, never per element.
public protocol TensorFloatingPoint: TensorNumeric, BinaryFloatingPoint, Real
where Self.RawSignificand: FixedWidthInteger {
    /// Applies `function` to `count` elements of `src`, writing `dst` (which may equal `src`).
    static func apply(_ function: UnaryFunction, _ src: UnsafePointer<Self>,
                      _ dst: UnsafeMutablePointer<Self>, count: Int)

    /// `C ← alpha·op(A)·op(B) + beta·C` on row-major matrices (CBLAS `?gemm`).
    ///
    /// - Parameters:
    ///   - transposeA: use `Aᵀ` (`A` is stored `k×m`).
    ///   - transposeB: use `Bᵀ` (`B` is stored `n×k`).
    ///   - m, n, k: `op(A)` is `m×k`, `op(B)` is `k×n`, `C` is `m×n`.
    ///   - lda, ldb, ldc: row strides of the stored matrices.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension Bool: TensorScalar { @inlinable public static var dtype: DType { .bool } }

extension UInt8: TensorNumeric {
    /// `.uint8`.
    @inlinable public static var dtype: DType { .uint8 }
}
extension Int8: TensorNumeric { @inlinable public static var dtype: DType { .int8 } }
extension Int16: TensorNumeric { @inlinable public static var dtype: DType { .int16 } }
extension UInt16: TensorNumeric { @inlinable public static var dtype: DType { .uint16 } }
extension Int32: TensorNumeric { @inlinable public static var dtype: DType { .int32 } }
extension UInt32: TensorNumeric { @inlinable public static var dtype: DType { .uint32 } }
extension Int64: TensorNumeric { @inlinable public static var dtype: DType { .int64 } }
extension UInt64: TensorNumeric { @inlinable public static var dtype: DType { .uint64 } }
/// Swift's `Int` is stored as 64-bit (`int64`), the dtype PyTorch uses for indices.
extension Int: TensorNumeric { @inlinable public static var dtype: DType { .int64 } }

extension FixedWidthInteger {
    /// The multiplicative identity (`1`).
    @inlinable public static var one: Self { 1 }
    /// `Self.min`.
    @inlinable public static var lowest: Self { .min }
    /// `Self.max`.
    @inlinable public static var highest: Self { .max }
}

extension Float: TensorFloatingPoint {
    /// `.float32`.
    @inlinable public static var dtype: DType { .float32 }
    /// `1`.
    @inlinable public static var one: Float { 1 }
    /// `-infinity`.
    @inlinable public static var lowest: Float { -.infinity }
    /// `+infinity`.
    @inlinable public static var highest: Float { .infinity }
}

extension Double: TensorFloatingPoint {
    /// `.float64`.
    @inlinable public static var dtype: DType { .float64 }
    /// `1`.
    @inlinable public static var one: Double { 1 }
    /// `-infinity`.
    @inlinable public static var lowest: Double { -.infinity }
    /// `+infinity`.
    @inlinable public static var highest: Double { .infinity }
}

#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
extension Float16: TensorScalar { @inlinable public static var dtype: DType { .float16 } }
#endif

/// bfloat16: the upper half of an IEEE binary32, for storage and conversion.
///
/// Conversion from `Float` rounds to nearest, ties to even (as PyTorch's `to(torch.bfloat16)`),
/// and keeps NaN a NaN.
@frozen
public struct BFloat16: TensorScalar, Hashable, CustomStringConvertible {
    /// The 16 stored bits.
    public var bitPattern: UInt16
    /// `.bfloat16`.
    @inlinable public static var dtype: DType { .bfloat16 }

    /// Creates a value from its bits.
    @inlinable public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

    /// Rounds `value` to the nearest bfloat16 (ties to even).
    @inlinable public init(_ value: Float) {
        let bits = value.bitPattern
        if value.isNaN {
            bitPattern = UInt16(truncatingIfNeeded: bits >> 16) | 0x0040  // quiet NaN, sign kept
        } else {
            let rounding = UInt32(0x7FFF) &+ ((bits >> 16) & 1)
            bitPattern = UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
        }
    }

    /// The exact `Float` value.
    @inlinable public var floatValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }

    /// The value printed as a `Float`.
    public var description: String { floatValue.description }
}

extension Float {
    /// The exact value of a bfloat16.
    @inlinable public init(_ value: BFloat16) { self = value.floatValue }
}
