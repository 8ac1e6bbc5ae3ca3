#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NablaTensor

/// A tensor whose element type is known only at run time: the unit checkpoint files hold.
///
/// It is a dtype, a shape and the elements' raw bytes in row-major order, little-endian. The bytes
/// may live in their own buffer or point straight into a memory-mapped file (zero copy); either way
/// the value is immutable. Convert to a typed tensor with ``tensor(as:casting:)``.
///
/// ```swift
/// let w = AnyTensor(Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4]))
/// let d: Tensor<Double> = try w.tensor(as: Double.self)           // exact widening
/// let h = try w.converted(to: .float16, casting: .allowLossy)      // rounds to nearest
/// ```
public struct AnyTensor: @unchecked Sendable, Equatable, CustomStringConvertible {
    /// The element type.
    public let elementType: ElementType
    /// The size of each axis (`[]` for a scalar).
    public let shape: [Int]
    /// Keeps the memory behind `bytes` alive.
    let owner: AnyObject
    /// The raw elements: `count × elementType.byteSize` bytes. Valid only while this value (or a
    /// copy) is alive: prefer ``withUnsafeBytes(_:)`` on temporaries.
    public let bytes: UnsafeRawBufferPointer

    /// Wraps bytes owned by `owner` (no copy).
    init(elementType: ElementType, shape: [Int], bytes: UnsafeRawBufferPointer, owner: AnyObject) {
        self.elementType = elementType
        self.shape = shape
        self.bytes = bytes
        self.owner = owner
    }

    /// A tensor of `elementType` and `shape` holding a copy of `bytes`.
    /// - Precondition: `bytes.count` is the product of `shape` times the element size.
    public init(elementType: ElementType, shape: [Int], bytes: [UInt8]) {
        let n = AnyTensor.byteCount(elementType, shape)
        precondition(n == bytes.count,
                     "AnyTensor: shape \(shape) of \(elementType) needs \(n ?? -1) bytes, got \(bytes.count)")
        let buffer = ByteBuffer(count: bytes.count)
        bytes.withUnsafeBytes { if let b = $0.baseAddress { buffer.base.copyMemory(from: b, byteCount: bytes.count) } }
        self.init(elementType: elementType, shape: shape, bytes: buffer.buffer, owner: buffer)
    }

    /// A type-erased copy of `tensor` (or its storage, when contiguous and unshared offsets allow).
    public init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) {
        let buffer = ByteBuffer(count: tensor.count * MemoryLayout<Scalar>.stride)
        tensor.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { buffer.base.copyMemory(from: b, byteCount: buffer.count) }
        }
        self.init(elementType: ElementType(Scalar.dtype), shape: tensor.shape, bytes: buffer.buffer, owner: buffer)
    }

    /// Calls `body` with the raw elements, keeping their memory alive for the call.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(bytes) }
    }

    /// The number of elements.
    public var count: Int { Shape.count(shape) }
    /// The number of axes.
    public var rank: Int { shape.count }
    /// The tensor dtype, or `nil` for float8 (convert to a wider type first).
    public var dtype: DType? { elementType.dtype }
    /// The raw bytes as an array (a copy).
    public var byteArray: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Whether dtypes, shapes and bytes are identical (so NaN payloads compare bitwise).
    public static func == (a: AnyTensor, b: AnyTensor) -> Bool {
        a.elementType == b.elementType && a.shape == b.shape && a.bytes.elementsEqual(b.bytes)
    }

    /// A short human-readable form.
    public var description: String { "AnyTensor(\(elementType), \(shape))" }

    /// `count(shape) × element size`, or nil on a negative dimension or overflow.
    static func byteCount(_ type: ElementType, _ shape: [Int]) -> Int? {
        var n = type.byteSize
        for d in shape {
            guard d >= 0 else { return nil }
            let (m, o) = n.multipliedReportingOverflow(by: d)
            if o { return nil }
            n = m
        }
        return n
    }

    /// The elements as a typed tensor, converting if `Scalar` is a different type.
    ///
    /// When the types match and the bytes are suitably aligned, the tensor shares this value's
    /// memory (for a memory-mapped file: no copy at all); otherwise the elements are copied.
    /// - Parameters:
    ///   - type: the scalar type of the result.
    ///   - casting: `.lossless` (default) refuses conversions that can change values
    ///     (see ``ElementType/castsLosslessly(to:)``); `.allowLossy` rounds floats to nearest,
    ///     truncates floats toward zero into integers (saturating, NaN → 0) and clamps integers.
    /// - Throws: ``SerializationError/lossyCast(from:to:)`` or ``SerializationError/unsupportedCast(from:to:)``.
    public func tensor<Scalar: TensorScalar>(as type: Scalar.Type = Scalar.self,
                                             casting: CastingPolicy = .lossless) throws -> Tensor<Scalar> {
        let target = ElementType(Scalar.dtype)
        if target == elementType {
            if let base = bytes.baseAddress, count > 0,
               Int(bitPattern: base) % MemoryLayout<Scalar>.alignment == 0 {
                let keep = OwnerBox(owner)
                let typed = UnsafeMutableRawPointer(mutating: base).assumingMemoryBound(to: Scalar.self)
                return Tensor(shape: shape, unsafeWrapping: typed, release: { _ in _ = keep })
            }
            return Tensor(shape: shape) { out in
                if count > 0 { UnsafeMutableRawPointer(out.baseAddress!).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
            }
        }
        let converted = try self.converted(to: target, casting: casting)
        return try converted.tensor(as: Scalar.self)
    }

    /// This tensor with its elements converted to `target`.
    /// - Throws: as ``tensor(as:casting:)``.
    public func converted(to target: ElementType, casting: CastingPolicy = .lossless) throws -> AnyTensor {
        if target == elementType { return self }
        if casting == .lossless && !elementType.castsLosslessly(to: target) {
            throw SerializationError.lossyCast(from: elementType.description, to: target.description)
        }
        let (size, overflow) = count.multipliedReportingOverflow(by: target.byteSize)
        guard !overflow else { throw SerializationError.outOfMemory(what: "a \(target) copy of \(shape)", bytes: .max) }
        let out = try ByteBuffer(allocating: size, for: "a \(target) copy of \(shape)")
        try castElements(from: elementType, bytes.baseAddress, to: target, out.base, count: count)
        if casting == .allowRounding && (target.isFloatingPoint || target.isComplex) {
            // Rounding is accepted; a finite value that became infinite or NaN (overflow) is not.
            let parts = elementType.isComplex ? 2 * count : count
            let before = try nonFiniteCount(elementType, bytes.baseAddress, count: parts)
            let after = try nonFiniteCount(target, UnsafeRawPointer(out.base), count: target.isComplex ? 2 * count : count)
            if after > before {
                throw SerializationError.castOverflow(from: elementType.description, to: target.description, count: after - before)
            }
        }
        return AnyTensor(elementType: target, shape: shape, bytes: out.buffer, owner: out)
    }
}

/// Whether a dtype conversion may change values.
public enum CastingPolicy: Sendable, Equatable {
    /// Only conversions that keep every value exactly (widening); others throw.
    case lossless
    /// Any real-to-real conversion, rounding to nearest (floats) or truncating and saturating (integers).
    case allowLossy
    /// Like ``allowLossy`` (values round to nearest, as PyTorch's `.to(dtype)` does; tiny values may
    /// become subnormal or zero), except that a conversion to a floating-point type that would turn a
    /// finite value into an infinity or a NaN (e.g. 1e300 or 70000 to float16) throws
    /// ``SerializationError/castOverflow(from:to:count:)`` with the number of such values.
    /// `nabla convert --dtype` uses this policy unless given `--allow-lossy`.
    case allowRounding
}

/// A 64-byte aligned buffer, the owner of converted or decompressed tensor bytes.
///
/// Large buffers (≥ 4 MiB) are mapped anonymously on 2 MiB boundaries and marked for transparent
/// huge pages on Linux: first-touch page faults otherwise dominate decoding a checkpoint.
final class ByteBuffer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    private(set) var count: Int
    private let mapping: (UnsafeMutableRawPointer, Int)?

    /// A buffer of `count` bytes; traps if the memory cannot be had (for copies of bytes that already
    /// exist in memory). Readers use ``init(allocating:for:)``.
    convenience init(count: Int) {
        guard let b = ByteBuffer.make(count) else { fatalError("ByteBuffer: cannot allocate \(count) bytes") }
        self.init(b)
    }

    /// A buffer of `count` bytes for `what` (e.g. a tensor's name in quotes).
    /// - Throws: ``SerializationError/outOfMemory(what:bytes:)`` when the system refuses the memory
    ///   (never an abort: a hostile size that passed every limit is still a clean error).
    convenience init(allocating count: Int, for what: String) throws {
        guard count >= 0, let b = ByteBuffer.make(count) else { throw SerializationError.outOfMemory(what: what, bytes: count) }
        self.init(b)
    }

    private init(_ other: (UnsafeMutableRawPointer, Int, (UnsafeMutableRawPointer, Int)?)) {
        (base, count, mapping) = other
    }

    private static func make(_ count: Int) -> (UnsafeMutableRawPointer, Int, (UnsafeMutableRawPointer, Int)?)? {
        #if os(Linux)
        if count >= 4 << 20 {
            let huge = 2 << 20
            let (rounded, o1) = (count / huge + 1).multipliedReportingOverflow(by: huge)
            let (length, o2) = rounded.addingReportingOverflow(huge)
            guard !o1 && !o2 else { return nil }
            guard let p = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
                return nil
            }
            let aligned = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: p) + huge - 1) / huge * huge)!
            _ = madvise(aligned, length - huge, MADV_HUGEPAGE)
            return (aligned, count, (p, length))
        }
        #endif
        var p: UnsafeMutableRawPointer? = nil
        guard posix_memalign(&p, 64, max(count, 1)) == 0, let p else { return nil }
        return (p, count, nil)
    }

    deinit {
        if let (p, length) = mapping { munmap(p, length) } else { free(base) }
    }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// This buffer with only its first `n` bytes in use (the rest stays allocated, never touched).
    func truncated(to n: Int) -> ByteBuffer {
        precondition(n <= count, "ByteBuffer.truncated: \(n) > \(count)")
        count = n
        return self
    }
}

/// Lets a `@Sendable` release closure keep a non-Sendable owner alive.
final class OwnerBox: @unchecked Sendable {
    let owner: AnyObject
    init(_ owner: AnyObject) { self.owner = owner }
}
