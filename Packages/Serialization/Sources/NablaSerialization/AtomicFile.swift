#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe replacement of a file: write a temporary file in the same directory, `fsync` it,
/// `rename` it over the target, then `fsync` the directory.
///
/// Whenever the process is killed or the machine loses power, `path` holds either the complete old
/// file or the complete new one, never a mixture or a truncated file. A temporary file left behind
/// by a killed writer is named `.<name>.tmp-<pid>-<random>` and can be deleted.
public enum AtomicFile {
    /// Writes the file at `path` through `body`, atomically.
    /// - Throws: ``SerializationError/io(path:message:)`` when a system call fails, or whatever
    ///   `body` throws (the temporary file is then removed and `path` is untouched).
    public static func write(to path: String, _ body: (FileSink) throws -> Void) throws {
        let (directory, name) = split(path)
        var rng = SystemRandomNumberGenerator()
        let tmp = directory + "/." + name + ".tmp-\(getpid())-\(String(rng.next() as UInt32, radix: 16))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SerializationError.io(path: tmp, message: errnoText("cannot create")) }
        var ok = false
        defer {
            if !ok { close(fd); unlink(tmp) }
        }
        try body(FileSink(fd: fd, path: path))
        guard fsync(fd) == 0 else { throw SerializationError.io(path: tmp, message: errnoText("fsync failed")) }
        ok = true
        guard close(fd) == 0 else {
            unlink(tmp)
            throw SerializationError.io(path: tmp, message: errnoText("close failed"))
        }
        guard rename(tmp, path) == 0 else {
            unlink(tmp)
            throw SerializationError.io(path: path, message: errnoText("cannot rename temporary file over it"))
        }
        let dfd = open(directory, O_RDONLY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)  // best effort: some filesystems refuse fsync on directories
            close(dfd)
        }
    }

    static func split(_ path: String) -> (String, String) {
        if let slash = path.lastIndex(of: "/") {
            let dir = String(path[..<slash])
            return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
        }
        return (".", path)
    }
}
