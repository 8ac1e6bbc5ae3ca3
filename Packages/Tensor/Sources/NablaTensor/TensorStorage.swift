/// The reference-counted buffer behind one or more tensors.
///
/// Tensors share a storage until one of them is mutated (copy-on-write). Storage may also wrap
/// memory owned by someone else (a memory-mapped file); then `release` runs when the last tensor
/// lets go.
///
/// A small buffer (at most ``tailAllocationMaximumBytes``) lives inside the reference-counted
/// object itself, so a small tensor costs one `malloc` instead of two; it is aligned to `Scalar`
/// only. A larger buffer is allocated separately with 64-byte alignment, so that SIMD kernels and
/// BLAS see aligned rows, and blocks of at least 256 KiB are recycled through ``LargeBlockCache``.
@usableFromInline
struct TensorStorage<Scalar>: @unchecked Sendable {
    /// The object that owns the memory (and, for small buffers, holds it).
    @usableFromInline var object: TensorBuffer<Scalar>

    /// The largest buffer, in bytes, kept inside the storage object (4 KiB).
    @inlinable static var tailAllocationMaximumBytes: Int { 4096 }

    /// The first scalar.
    @inlinable var base: UnsafeMutablePointer<Scalar> { object.withUnsafeMutablePointerToHeader { $0.pointee.base } }
    /// The number of scalars.
    @inlinable var count: Int { object.withUnsafeMutablePointerToHeader { $0.pointee.count } }
    /// Frees wrapped memory (a mapped file); nil when the storage owns its memory.
    @inlinable var release: (@Sendable (UnsafeMutableRawPointer) -> Void)? { object.withUnsafeMutablePointerToHeader { $0.pointee.release } }

    /// Allocates room for `count` scalars, uninitialized.
    @inlinable init(uninitializedCount count: Int) {
        let bytes = Swift.max(1, count * MemoryLayout<Scalar>.stride)
        if bytes <= TensorStorage.tailAllocationMaximumBytes {
            let buffer = TensorBuffer<Scalar>.create(minimumCapacity: Swift.max(count, 1)) { buffer in
                TensorStorageHeader(base: buffer.withUnsafeMutablePointerToElements { $0 }, count: count,
                                    release: nil, ownsSeparateBlock: false)
            }
            object = unsafeDowncast(buffer, to: TensorBuffer<Scalar>.self)
        } else {
            let raw = bytes >= LargeBlockCache.minimumBytes
                ? LargeBlockCache.shared.take(bytes: bytes) ?? LargeBlockCache.allocate(bytes: bytes)
                : UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            let base = raw.bindMemory(to: Scalar.self, capacity: count)
            object = TensorBuffer<Scalar>.header(TensorStorageHeader(base: base, count: count, release: nil,
                                                                     ownsSeparateBlock: true))
        }
    }

    /// Allocates room for `count` scalars with all bits zero.
    @inlinable init(zeroedCount count: Int) {
        self.init(uninitializedCount: count)
        UnsafeMutableRawPointer(base).initializeMemory(as: UInt8.self, repeating: 0,
                                                       count: count * MemoryLayout<Scalar>.stride)
    }

    /// Wraps memory owned elsewhere; `release` is called with `base` on deinit.
    @usableFromInline init(wrapping base: UnsafeMutablePointer<Scalar>, count: Int,
                           release: @escaping @Sendable (UnsafeMutableRawPointer) -> Void) {
        object = TensorBuffer<Scalar>.header(TensorStorageHeader(base: base, count: count, release: release,
                                                                 ownsSeparateBlock: false))
    }

    /// Whether no other tensor shares this storage (the copy-on-write test).
    @inlinable mutating func isUniquelyReferenced() -> Bool { Swift.isKnownUniquelyReferenced(&object) }
}

/// Whether no other tensor shares `storage`: the copy-on-write test, spelled like the standard
/// library's function for class references so that `isKnownUniquelyReferenced(&storage)` reads the same.
@inlinable
func isKnownUniquelyReferenced<Scalar>(_ storage: inout TensorStorage<Scalar>) -> Bool {
    storage.isUniquelyReferenced()
}

/// Where a ``TensorBuffer``'s scalars are and who frees them.
@usableFromInline
struct TensorStorageHeader<Scalar> {
    /// The first scalar: the object's tail, a separate 64-byte aligned block, or wrapped memory.
    @usableFromInline let base: UnsafeMutablePointer<Scalar>
    /// The number of scalars.
    @usableFromInline let count: Int
    /// Frees wrapped memory; nil when the buffer owns its memory.
    @usableFromInline let release: (@Sendable (UnsafeMutableRawPointer) -> Void)?
    /// Whether `base` is a block from `allocate(byteCount:alignment: 64)` that the buffer frees.
    @usableFromInline let ownsSeparateBlock: Bool

    @inlinable init(base: UnsafeMutablePointer<Scalar>, count: Int,
                    release: (@Sendable (UnsafeMutableRawPointer) -> Void)?, ownsSeparateBlock: Bool) {
        self.base = base
        self.count = count
        self.release = release
        self.ownsSeparateBlock = ownsSeparateBlock
    }
}

/// The reference-counted object of a ``TensorStorage``: a header, followed by the scalars
/// themselves when they are few (tail allocation, one `malloc` for both).
@usableFromInline
final class TensorBuffer<Scalar>: ManagedBuffer<TensorStorageHeader<Scalar>, Scalar> {
    /// A buffer with no tail whose scalars live at `header.base`.
    @inlinable static func header(_ header: TensorStorageHeader<Scalar>) -> TensorBuffer {
        unsafeDowncast(create(minimumCapacity: 0) { _ in header }, to: TensorBuffer.self)
    }

    /// The header is read through its pointer: `ManagedBuffer.header` is a class's stored property,
    /// so each access to it would go through the runtime's exclusivity check (`swift_beginAccess`).
    /// The header is written once, at creation, so reading it through the pointer is safe and free.
    deinit {
        withUnsafeMutablePointerToHeader { h in
            if let release = h.pointee.release {
                release(UnsafeMutableRawPointer(h.pointee.base))
            } else if h.pointee.ownsSeparateBlock {
                let bytes = Swift.max(1, h.pointee.count * MemoryLayout<Scalar>.stride)
                if bytes < LargeBlockCache.minimumBytes
                    || !LargeBlockCache.shared.put(UnsafeMutableRawPointer(h.pointee.base), bytes: bytes) {
                    h.pointee.base.deallocate()
                }
            }
        }
    }
}

/// Keeps a few recently freed large buffers for reuse by the next allocation of the same size.
///
/// Elementwise ops allocate their result, so a loop such as `y = x * x + x` frees and allocates
/// buffers of the same few sizes over and over. glibc returns such blocks to the kernel and gets
/// them back (trimming the heap or unmapping), and every page of a fresh block costs a page fault
/// and a zero fill on first touch: for 16 MB that is 4096 faults, more than the arithmetic. This
/// cache holds at most ``maximumBlocks`` blocks of at least ``minimumBytes`` and at most
/// ``capacityBytes`` in total, matched by exact size; anything else goes to `free`.
@usableFromInline
final class LargeBlockCache: @unchecked Sendable {
    /// Blocks smaller than this go straight to `malloc`/`free` (256 KiB: a LeNet step's
    /// `[64, 6, 24, 24]` Float activations and their gradients, 864 KiB, each took 216 page faults
    /// per allocation below the former 1 MiB).
    @usableFromInline static let minimumBytes = 1 << 18
    /// The most memory the cache holds (256 MiB).
    static let capacityBytes = 256 << 20
    /// The most blocks the cache holds.
    static let maximumBlocks = 16

    @usableFromInline static let shared = LargeBlockCache()

    /// Blocks of at least this size (4 MiB) are aligned to 2 MiB and marked for transparent huge
    /// pages (`madvise(MADV_HUGEPAGE)` on Linux), as NumPy does for its arrays of 4 MiB and more.
    static let hugePageMinimumBytes = 4 << 20

    /// A new block of `bytes` bytes for the cache's users (tensor storage, kernel scratch), freed with
    /// `deallocate()`: 64-byte aligned, and backed by 2 MiB pages where the kernel allows them
    /// (`transparent_hugepage` set to `madvise` or `always`) from ``hugePageMinimumBytes`` on.
    ///
    /// With 4 KiB pages a 16 MiB buffer spans 4096 pages, so a streaming kernel keeps missing the
    /// TLB, and first touching it takes 4096 page faults; with 2 MiB pages, 8 of each.
    @usableFromInline static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        #if os(Linux)
        if bytes >= hugePageMinimumBytes {
            let huge = 2 << 20
            let pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: huge)
            // Only the whole 2 MiB pages inside the block; a refusal (THP disabled) changes nothing.
            _ = madvise(pointer, bytes & ~(huge - 1), MADV_HUGEPAGE)
            return pointer
        }
        #endif
        return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    }

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @exclusivity(unchecked) private var blocks: [(bytes: Int, pointer: UnsafeMutableRawPointer)] = []
    @exclusivity(unchecked) private var cachedBytes = 0

    private init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        blocks.reserveCapacity(LargeBlockCache.maximumBlocks)
    }

    /// A cached block of exactly `bytes` bytes (64-byte aligned), or nil.
    @usableFromInline func take(bytes: Int) -> UnsafeMutableRawPointer? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard let i = blocks.lastIndex(where: { $0.bytes == bytes }) else { return nil }
        cachedBytes -= bytes
        return blocks.remove(at: i).pointer
    }

    /// Keeps `pointer` (a block of `bytes` bytes from `allocate(byteCount:alignment: 64)`) for
    /// reuse, evicting the oldest blocks to make room; false if it does not fit at all.
    func put(_ pointer: UnsafeMutableRawPointer, bytes: Int) -> Bool {
        if bytes > LargeBlockCache.capacityBytes { return false }
        var evicted: [UnsafeMutableRawPointer] = []
        pthread_mutex_lock(mutex)
        while !blocks.isEmpty && (blocks.count >= LargeBlockCache.maximumBlocks
                                  || cachedBytes + bytes > LargeBlockCache.capacityBytes) {
            let old = blocks.removeFirst()
            cachedBytes -= old.bytes
            evicted.append(old.pointer)
        }
        blocks.append((bytes, pointer))
        cachedBytes += bytes
        pthread_mutex_unlock(mutex)
        for p in evicted { p.deallocate() }
        return true
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
