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
    private var isMalloced = false

    /// Copies `bytes` into an aligned buffer (used for tests and in-memory files).
    public init(_ bytes: [UInt8]) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { if let b = $0.baseAddress { p.copyMemory(from: b, byteCount: bytes.count) } }
        base = p
        count = bytes.count
        path = nil
        isMapped = false
    }

    /// Maps the file at `path` (or, with `memoryMap: false`, reads it into memory). With `populate`,
    /// the kernel is asked to read the whole file ahead (`MADV_WILLNEED`: when every tensor will be
    /// loaded); otherwise pages are read on first use, so opening a large file to read one tensor
    /// touches only that tensor.
    ///
    /// Only regular files are accepted, and never by blocking: the file is opened with `O_NONBLOCK`
    /// (so a FIFO or a device cannot make `open` wait) and refused unless `fstat` says it is regular.
    ///
    /// A mapped file must not be truncated by another process while its bytes are in use: the
    /// kernel would raise `SIGBUS`. With `memoryMap: false` the bytes are copied once, so that cannot
    /// happen (a file truncated while it is being read is then seen as a shorter, malformed file).
    /// - Throws: ``SerializationError/io(path:message:)`` if it cannot be opened, stat'ed, mapped or
    ///   read, or is not a regular file; ``SerializationError/outOfMemory(what:bytes:)`` when copying.
    public init(contentsOfFile path: String, populate: Bool = false, memoryMap: Bool = true) throws {
        let fd = FilePath.with(path) { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        guard fd >= 0 else { throw SerializationError.io(path: path, message: errnoText("cannot open")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SerializationError.io(path: path, message: errnoText("cannot stat")) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw SerializationError.io(path: path, message: "not a regular file (\(fileTypeName(st.st_mode)))")
        }
        let size = Int(st.st_size)
        self.path = path
        if size == 0 {
            base = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 64)
            count = 0
            isMapped = false
            return
        }
        if !memoryMap {
            var p: UnsafeMutableRawPointer? = nil
            guard posix_memalign(&p, 4096, size) == 0, let p else {
                throw SerializationError.outOfMemory(what: "a copy of the file", bytes: size)
            }
            var done = 0
            while done < size {
                let n = pread(fd, p + done, min(size - done, 1 << 30), off_t(done))
                if n < 0 && errno == EINTR { continue }
                if n < 0 {
                    let message = errnoText("read failed")
                    free(p)
                    throw SerializationError.io(path: path, message: message)
                }
                if n == 0 { break }          // truncated meanwhile: the format's checks see a short file
                done += n
            }
            base = p
            count = done
            isMapped = false
            isMalloced = true
            return
        }
        count = size
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw SerializationError.io(path: path, message: errnoText("cannot map")) }
        // Not MAP_POPULATE: on a private writable mapping it would copy every page up front.
        if populate { _ = madvise(p, size, MADV_WILLNEED) }
        base = p
        isMapped = true
    }

    /// Whether the bytes are a mapping of the file (rather than a copy in memory).
    public var isMemoryMapped: Bool { isMapped }

    deinit {
        if isMapped { munmap(base, count) } else if isMalloced { free(base) } else { base.deallocate() }
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

/// `"a FIFO"`, `"a directory"`, … for a `st_mode`.
func fileTypeName(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFIFO: return "a FIFO"
    case S_IFDIR: return "a directory"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFSOCK: return "a socket"
    case S_IFLNK: return "a symbolic link"
    default: return "not a regular file"
    }
}
