#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a checkpoint file, memory-mapped (or held in memory), shared by the reader and by
/// every tensor that points into them without copying.
///
/// Files are mapped privately and copy-on-write (`MAP_PRIVATE`, read + write protection): a tensor
/// that points into the mapping may be mutated without changing the file. The mapping is released
/// when the last reader or tensor lets go. Mapped files must not be truncated by another process
/// while in use (the kernel would raise `SIGBUS`); Nabla's own writers never modify a file in place,
/// they replace it atomically.
public final class FileBytes: @unchecked Sendable {
    /// The first byte (64-byte aligned for in-memory buffers, page aligned for mappings).
    public let base: UnsafeMutableRawPointer
    /// The number of bytes.
    public let count: Int
    /// The file path, if the bytes came from a file.
    public let path: String?
    private let isMapped: Bool

    /// Copies `bytes` into an aligned buffer (used for tests and in-memory files).
    public init(_ bytes: [UInt8]) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { if let b = $0.baseAddress { p.copyMemory(from: b, byteCount: bytes.count) } }
        base = p
        count = bytes.count
        path = nil
        isMapped = false
    }

    /// Maps the file at `path`. With `populate`, the kernel is asked to read the whole file ahead
    /// (`MADV_WILLNEED`: when every tensor will be loaded); otherwise pages are read on first use,
    /// so opening a large file to read one tensor touches only that tensor.
    /// - Throws: ``SerializationError/io(path:message:)`` if it cannot be opened, stat'ed or mapped.
    public init(contentsOfFile path: String, populate: Bool = false) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SerializationError.io(path: path, message: errnoText("cannot open")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SerializationError.io(path: path, message: errnoText("cannot stat")) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw SerializationError.io(path: path, message: "not a regular file")
        }
        let size = Int(st.st_size)
        self.path = path
        self.count = size
        if size == 0 {
            base = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 64)
            isMapped = false
            return
        }
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw SerializationError.io(path: path, message: errnoText("cannot map")) }
        // Not MAP_POPULATE: on a private writable mapping it would copy every page up front.
        if populate { _ = madvise(p, size, MADV_WILLNEED) }
        base = p
        isMapped = true
    }

    deinit {
        if isMapped { munmap(base, count) } else { base.deallocate() }
    }

    /// The bytes `range` (callers check bounds first).
    @inlinable public func slice(_ offset: Int, _ length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + offset, count: length)
    }

    /// All bytes.
    public var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Copies the bytes into an array.
    public var array: [UInt8] { Array(buffer) }

    /// Reads a little-endian integer at `offset` (callers check bounds first).
    @inline(__always) func load<T: FixedWidthInteger>(_ offset: Int, as: T.Type) -> T {
        T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

func errnoText(_ what: String) -> String {
    "\(what): \(String(cString: strerror(errno)))"
}
