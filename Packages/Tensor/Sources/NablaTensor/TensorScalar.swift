import RealModule
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// `baseᵉˣᵖᵒⁿᵉⁿᵗ` with C's `pow` semantics, which are `torch.pow`'s: a negative base with an
    /// integral exponent gives a real result (`(-2)³ = -8`), `x⁰ = 1` for every `x` (`0⁰` and `NaN⁰`
    /// included), `1ʸ = 1`, and NaN only for a negative finite base with a non-integral exponent.
    ///
    /// swift-numerics' `Real.pow(_:_:)` is stricter (NaN for every negative base and for `0⁰`), so
    /// tensor code calls this instead.
    static func power(_ base: Self, _ exponent: Self) -> Self

    /// `C ← alpha·op(A)·op(B) + beta·C` on row-major matrices (CBLAS `?gemm`).
    ///
    /// - Parameters:
    ///   - transposeA: use `Aᵀ` (`A` is stored `k×m`).
    ///   - transposeB: use `Bᵀ` (`B` is stored `n×k`).
    ///   - m: the rows of `op(A)` and `C`.
    ///   - n: the columns of `op(B)` and `C`.
    ///   - k: the columns of `op(A)` and rows of `op(B)`.
    ///   - alpha: the factor on the product.
    ///   - a: the first stored matrix.
    ///   - lda: the row stride of `A` as stored.
    ///   - b: the second stored matrix.
    ///   - ldb: the row stride of `B` as stored.
    ///   - beta: the factor on `C`'s old contents (`0` overwrites).
    ///   - c: the result, `m×n`.
    ///   - ldc: the row stride of `C`.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    // MARK: LAPACK (implemented in Kernels/Float+LAPACK.swift and Kernels/Double+LAPACK.swift)
    //
    // Every matrix is row-major with leading dimension (row stride) `ld…`; pivots are 1-based,
    // as LAPACK writes them. Each routine returns LAPACK's `info`: 0 on success, `-i` when
    // argument `i` was invalid, and a positive, routine-specific code for data-dependent failures.
    // The generic `Tensor` code in LinearAlgebra/ turns those codes into `LinearAlgebraError`s.

    /// LU factorization with partial pivoting, `A = P·L·U` (`?getrf`). `a` is `m×n`; `pivots` has
    /// `min(m, n)` entries. `info = i > 0`: `U[i, i]` (1-based) is exactly zero.
    static func getrf(m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
                      pivots: UnsafeMutablePointer<Int32>) -> Int

    /// The inverse from an LU factorization by ``getrf(m:n:a:lda:pivots:)`` (`?getri`), in place.
    static func getri(n: Int, a: UnsafeMutablePointer<Self>, lda: Int, pivots: UnsafePointer<Int32>) -> Int

    /// Solves `A·X = B` for square `A` (`n×n`) and `B` (`n×nrhs`) by LU (`?gesv`); `X` overwrites `B`.
    static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, lda: Int,
                     pivots: UnsafeMutablePointer<Int32>, b: UnsafeMutablePointer<Self>, ldb: Int) -> Int

    /// Minimum-norm least squares `min ‖A·X − B‖` by SVD (`?gelsd`). `a` is `m×n`; `b` is
    /// `max(m, n)×nrhs` and its first `n` rows receive `X`. Singular values `≤ rcond·σ₁` count as
    /// zero; `singularValues` receives `min(m, n)` values and `rank` the effective rank.
    static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, lda: Int,
                      b: UnsafeMutablePointer<Self>, ldb: Int, singularValues: UnsafeMutablePointer<Self>,
                      rcond: Self, rank: UnsafeMutablePointer<Int32>) -> Int

    /// Cholesky factorization of a symmetric positive-definite `n×n` matrix (`?potrf`), reading and
    /// writing the lower (`lower: true`, `A = L·Lᵀ`) or upper (`A = Uᵀ·U`) triangle. The other
    /// triangle is left untouched. `info = i > 0`: the leading minor of order `i` is not positive definite.
    static func potrf(lower: Bool, n: Int, a: UnsafeMutablePointer<Self>, lda: Int) -> Int

    /// Eigenvalues (ascending, into `eigenvalues`) and optionally orthonormal eigenvectors (into the
    /// columns of `a`) of a symmetric `n×n` matrix, by divide and conquer (`?syevd`).
    static func syevd(computeVectors: Bool, lower: Bool, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
                      eigenvalues: UnsafeMutablePointer<Self>) -> Int

    /// Eigenvalues `wr + i·wi` and optionally right eigenvectors of a general `n×n` matrix (`?geev`).
    /// A complex pair has `wi[j] > 0`, `wi[j + 1] < 0`, and eigenvectors `vr[:, j] ± i·vr[:, j + 1]`.
    static func geev(n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
                     realParts: UnsafeMutablePointer<Self>, imaginaryParts: UnsafeMutablePointer<Self>,
                     rightVectors: UnsafeMutablePointer<Self>?, ldvr: Int) -> Int

    /// Singular value decomposition `A = U·diag(s)·Vᵀ` by divide and conquer (`?gesdd`).
    /// `job` is LAPACK's `jobz` as ASCII: `A` (full `U` `m×m`, `Vᵀ` `n×n`), `S` (reduced, `m×k`
    /// and `k×n`, `k = min(m, n)`) or `N` (values only; `u`, `vt` may be `nil`, but LAPACKE still
    /// checks `ldu ≥ m` and `ldvt ≥ n`). `s` is descending.
    static func gesdd(job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
                      s: UnsafeMutablePointer<Self>, u: UnsafeMutablePointer<Self>?, ldu: Int,
                      vt: UnsafeMutablePointer<Self>?, ldvt: Int) -> Int

    /// Householder QR factorization (`?geqrf`): `R` in the upper triangle of `a` (`m×n`), the
    /// reflectors below it with their scales in `tau` (`min(m, n)` entries).
    static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
                      tau: UnsafeMutablePointer<Self>) -> Int

    /// Forms the `m×n` matrix `Q` with orthonormal columns from `k` reflectors by ``geqrf(m:n:a:lda:tau:)`` (`?orgqr`).
    static func orgqr(m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Self>, lda: Int,
                      tau: UnsafePointer<Self>) -> Int
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
    /// C's `powf` (see ``TensorFloatingPoint/power(_:_:)``).
    @inlinable public static func power(_ base: Float, _ exponent: Float) -> Float { powf(base, exponent) }
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
    /// C's `pow` (see ``TensorFloatingPoint/power(_:_:)``).
    @inlinable public static func power(_ base: Double, _ exponent: Double) -> Double {
        #if canImport(Glibc)
        Glibc.pow(base, exponent)
        #else
        Darwin.pow(base, exponent)
        #endif
    }
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

extension BFloat16: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// The literal rounded to bfloat16 from its `Float` value, so `let b: BFloat16 = 2.5` and
    /// `Tensor<BFloat16>([1, 2.5])` compile.
    @inlinable public init(floatLiteral value: Float) { self.init(value) }
    /// The integer rounded to bfloat16 from its `Float` value.
    @inlinable public init(integerLiteral value: Int) { self.init(Float(value)) }
}

extension Float {
    /// The exact value of a bfloat16.
    @inlinable public init(_ value: BFloat16) { self = value.floatValue }
}
