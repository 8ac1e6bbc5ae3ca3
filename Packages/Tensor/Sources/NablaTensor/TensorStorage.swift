/// The reference-counted buffer behind one or more tensors.
///
/// Tensors share a storage until one of them is mutated (copy-on-write). The buffer is 64-byte
/// aligned so that SIMD kernels and BLAS see aligned rows. Storage may also wrap memory owned by
/// someone else (a memory-mapped file); then `release` runs when the last tensor lets go.
@usableFromInline
final class TensorStorage<Scalar>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Scalar>
    @usableFromInline let count: Int
    @usableFromInline let release: (@Sendable (UnsafeMutableRawPointer) -> Void)?

    /// Allocates room for `count` scalars, uninitialized.
    @inlinable init(uninitializedCount count: Int) {
        self.count = count
        let bytes = Swift.max(1, count * MemoryLayout<Scalar>.stride)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        self.base = raw.bindMemory(to: Scalar.self, capacity: Swift.max(count, 1))
        self.release = nil
    }

    /// Allocates room for `count` scalars with all bits zero.
    @inlinable convenience init(zeroedCount count: Int) {
        self.init(uninitializedCount: count)
        UnsafeMutableRawPointer(base).initializeMemory(as: UInt8.self, repeating: 0,
                                                       count: count * MemoryLayout<Scalar>.stride)
    }

    /// Wraps memory owned elsewhere; `release` is called with `base` on deinit.
    @usableFromInline init(wrapping base: UnsafeMutablePointer<Scalar>, count: Int,
                           release: @escaping @Sendable (UnsafeMutableRawPointer) -> Void) {
        self.base = base
        self.count = count
        self.release = release
    }

    deinit {
        if let release { release(UnsafeMutableRawPointer(base)) } else { base.deallocate() }
    }
}
