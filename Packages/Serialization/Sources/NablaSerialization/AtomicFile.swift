import Foundation
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
///
/// Two things keep this fast without weakening it. Bytes the writer reports final
/// (``FileSink/startWriteback(_:)``) are flushed by a ``BackgroundSync`` thread while the rest is
/// produced, so the last `fsync` mostly waits for the tail. And when `rename` replaces an old file,
/// the kernel frees that file's blocks and cached pages (about 20 ms for 42 MB here); the old file is
/// opened before the rename and closed afterwards on a background thread, so that work happens after
/// `write` has returned. Both only move work: the new file is durable and in place when `write` returns.
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
        let sink = FileSink(fd: fd, path: path)
        sink.syncer = BackgroundSync(fd: fd)
        defer {
            sink.syncer?.stop()          // before the descriptor is closed
            if !ok { close(fd); unlink(tmp) }
        }
        try body(sink)
        sink.syncer?.stop()
        guard fsync(fd) == 0 else { throw SerializationError.io(path: tmp, message: errnoText("fsync failed")) }
        ok = true
        guard close(fd) == 0 else {
            unlink(tmp)
            throw SerializationError.io(path: tmp, message: errnoText("close failed"))
        }
        // Keep the file being replaced open (a regular file only: no symlinks, no FIFOs) so that its
        // blocks are freed when we close it, in the background, rather than inside `rename`.
        var replaced = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if replaced >= 0 {
            var st = stat()
            if fstat(replaced, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG { close(replaced); replaced = -1 }
        }
        defer { if replaced >= 0 { closeInBackground(replaced) } }
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

    /// Closes `fd` on a new thread (the last reference to a replaced file: the close frees it).
    static func closeInBackground(_ fd: Int32) {
        let thread = Thread { _ = close(fd) }
        thread.stackSize = 64 << 10
        thread.start()
    }

    static func split(_ path: String) -> (String, String) {
        if let slash = path.lastIndex(of: "/") {
            let dir = String(path[..<slash])
            return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
        }
        return (".", path)
    }
}
