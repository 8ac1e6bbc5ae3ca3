#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a format writer sends its bytes: a file (``FileSink``) or memory (``MemorySink``).
public protocol ByteSink: AnyObject {
    /// Appends `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension ByteSink {
    /// Appends the bytes of an array.
    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }
    /// Appends `count` zero bytes.
    public func writeZeros(_ count: Int) throws {
        if count > 0 { try write([UInt8](repeating: 0, count: count)) }
    }
    /// Appends a little-endian integer.
    public func writeLE<T: FixedWidthInteger>(_ value: T) throws {
        try withUnsafeBytes(of: value.littleEndian) { try write($0) }
    }
}

/// A sink that can also write at any position, so a writer can reserve room for a header, write
/// the data after it as it is produced, and fill the header in last (the native format does this).
public protocol RandomAccessByteSink: ByteSink {
    /// Writes `bytes` at byte `offset`, overwriting what is there and growing the sink (with zero
    /// bytes in any gap) when it ends past the current end.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws
    /// Sets the sink's length to `size` bytes: cuts it, or extends it with zero bytes (as `ftruncate`).
    func truncate(to size: Int) throws
    /// A hint that about `bytes` bytes will be written (a memory sink reserves capacity). Optional.
    func reserve(_ bytes: Int)
    /// A hint that the bytes in `range` are final: an atomically written file flushes them to the
    /// disk in the background (see ``AtomicFile``), so the final `fsync` has less left to do.
    /// Optional; it never waits.
    func startWriteback(_ range: Range<Int>)
}

extension RandomAccessByteSink {
    /// Does nothing.
    public func reserve(_ bytes: Int) {}
    /// Does nothing.
    public func startWriteback(_ range: Range<Int>) {}
}

/// Collects written bytes in memory.
public final class MemorySink: RandomAccessByteSink {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []
    /// Creates the value.
    public init() {}
    /// Appends `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }
    /// Writes `bytes` at `offset`, growing the buffer (with zeros in any gap) if needed.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        precondition(offset >= 0, "MemorySink.write(at:): negative offset \(offset)")
        if offset > self.bytes.count { self.bytes.append(contentsOf: repeatElement(0, count: offset - self.bytes.count)) }
        let inside = min(bytes.count, self.bytes.count - offset)
        if inside > 0 {
            self.bytes.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: offset).copyMemory(from: bytes.baseAddress!, byteCount: inside) }
        }
        if inside < bytes.count { self.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[inside...])) }
    }
    /// Keeps the first `size` bytes, or appends zeros up to `size`.
    public func truncate(to size: Int) throws {
        precondition(size >= 0, "MemorySink.truncate: negative size \(size)")
        if size <= bytes.count { bytes.removeLast(bytes.count - size) } else { bytes += repeatElement(0, count: size - bytes.count) }
    }
    /// Reserves capacity.
    public func reserve(_ n: Int) { bytes.reserveCapacity(n) }
}

/// Writes to an open file descriptor (`pwrite`), in large chunks, retrying short writes and `EINTR`.
public final class FileSink: RandomAccessByteSink {
    let fd: Int32
    let path: String
    /// Where the next appended byte goes: the end of the bytes written so far.
    public private(set) var offset: Int = 0

    /// Flushes final bytes in the background (set by ``AtomicFile``, which stops it before closing).
    var syncer: BackgroundSync?

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Appends `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try write(bytes, at: offset)
    }

    /// Writes `bytes` at `position` (`pwrite`).
    public func write(_ bytes: UnsafeRawBufferPointer, at position: Int) throws {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        var at = position
        while left > 0 {
            let n = pwrite(fd, p, min(left, 1 << 30), off_t(at))
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EFBIG { throw SerializationError.fileTooLarge(path: path) }
                throw SerializationError.io(path: path, message: errnoText("write failed"))
            }
            p += n
            left -= n
            at += n
        }
        offset = max(offset, at)
    }

    /// Sets the file's length (`ftruncate`: cuts it, or extends it with zeros).
    public func truncate(to size: Int) throws {
        guard ftruncate(fd, off_t(size)) == 0 else {
            if errno == EFBIG { throw SerializationError.fileTooLarge(path: path) }
            throw SerializationError.io(path: path, message: errnoText("truncate failed"))
        }
        offset = size
    }

    /// With a `BackgroundSync` attached (atomic saves), reports `range` as final so that it is
    /// flushed to the disk in the background once enough bytes have gathered.
    public func startWriteback(_ range: Range<Int>) {
        syncer?.add(range.count)
    }
}

