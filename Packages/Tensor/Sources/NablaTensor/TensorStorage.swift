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
        let raw = bytes >= LargeBlockCache.minimumBytes
            ? LargeBlockCache.shared.take(bytes: bytes) ?? UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            : UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
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
        if let release {
            release(UnsafeMutableRawPointer(base))
        } else {
            let bytes = Swift.max(1, count * MemoryLayout<Scalar>.stride)
            if bytes < LargeBlockCache.minimumBytes || !LargeBlockCache.shared.put(UnsafeMutableRawPointer(base), bytes: bytes) {
                base.deallocate()
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
    /// Blocks smaller than this go straight to `malloc`/`free` (1 MiB).
    @usableFromInline static let minimumBytes = 1 << 20
    /// The most memory the cache holds (256 MiB).
    static let capacityBytes = 256 << 20
    /// The most blocks the cache holds.
    static let maximumBlocks = 16

    @usableFromInline static let shared = LargeBlockCache()

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var blocks: [(bytes: Int, pointer: UnsafeMutableRawPointer)] = []
    private var cachedBytes = 0

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
