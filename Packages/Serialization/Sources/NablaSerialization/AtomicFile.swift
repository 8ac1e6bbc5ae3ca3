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
/// file or the complete new one, never a mixture or a truncated file. And a killed writer leaves
/// nothing behind: on Linux the temporary file is created without a name (`O_TMPFILE`), so a kill
/// while it is written leaves only an inode the kernel frees; once complete it is linked under a
/// short fresh name (`.nabla-tmp-<pid>-<random>`, whatever the length of the target's name: `linkat`
/// cannot replace a file) and renamed over the target. Where `O_TMPFILE` is unavailable the
/// temporary file has that name from the start. Either way each save first removes temporary files
/// of writers that no longer run (the pid in the name is gone and no process holds the file's
/// `flock`), including the `.<name>.tmp-<pid>-<random>` files of earlier Nabla versions.
///
/// The target must be a regular file or not exist: a device node, FIFO, socket or directory is
/// refused rather than replaced by a regular file. The process ignores `SIGXFSZ` from the first save
/// on, so that exceeding the file size limit (`ulimit -f`) makes `write` fail with `EFBIG`, thrown as
/// ``SerializationError/fileTooLarge(path:)``, instead of killing the process.
///
/// Two things keep this fast without weakening it. Bytes the writer reports final
/// (``FileSink/startWriteback(_:)``) are flushed by a `BackgroundSync` thread while the rest is
/// produced, so the last `fsync` mostly waits for the tail. And when `rename` replaces an old file,
/// the kernel frees that file's blocks and cached pages (about 20 ms for 42 MB here); the old file is
/// opened before the rename and closed afterwards on a background thread, so that work happens after
/// `write` has returned. Both only move work: the new file is durable and in place when `write` returns.
public enum AtomicFile {
    /// The prefix of the temporary files' names.
    static let temporaryPrefix = ".nabla-tmp-"

    /// Ignores `SIGXFSZ` (once per process).
    private static let ignoreFileSizeSignal: Void = { _ = signal(SIGXFSZ, SIG_IGN) }()

    /// Writes the file at `path` through `body`, atomically.
    /// - Throws: ``SerializationError/io(path:message:)`` when a system call fails or `path` is not a
    ///   regular file, ``SerializationError/fileTooLarge(path:)`` past the file size limit, or
    ///   whatever `body` throws (nothing is left behind and `path` is untouched).
    public static func write(to path: String, _ body: (FileSink) throws -> Void) throws {
        _ = ignoreFileSizeSignal
        let (directory, _) = split(path)
        var st = stat()
        if FilePath.with(path, { stat($0, &st) }) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
            throw SerializationError.io(path: path, message: "is \(fileTypeName(st.st_mode)), not a regular file; refusing to replace it")
        }
        removeStaleTemporaries(in: directory)
        var rng = SystemRandomNumberGenerator()
        let tmp = directory + "/" + temporaryPrefix + "\(getpid())-\(String(rng.next() as UInt64, radix: 16))"
        var fd: Int32 = -1
        var named = false                   // whether `tmp` exists
        #if os(Linux)
        if procFileDescriptors {
            fd = FilePath.with(directory) { open($0, O_TMPFILE_ | O_WRONLY | O_CLOEXEC, 0o644) }
        }
        #endif
        if fd < 0 {
            fd = FilePath.with(tmp) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
            guard fd >= 0 else { throw SerializationError.io(path: tmp, message: errnoText("cannot create")) }
            named = true
        }
        _ = flock(fd, LOCK_EX | LOCK_NB)    // tells cleaners that this temporary file is in use
        var ok = false
        let sink = FileSink(fd: fd, path: path)
        sink.syncer = BackgroundSync(fd: fd)
        defer {
            sink.syncer?.stop()          // before the descriptor is closed
            if !ok {
                close(fd)
                if named { _ = FilePath.with(tmp) { unlink($0) } }
            }
        }
        try body(sink)
        sink.syncer?.stop()
        guard fsync(fd) == 0 else { throw SerializationError.io(path: path, message: errnoText("fsync failed")) }
        // Keep the file being replaced open (a regular file only: no symlinks, no FIFOs) so that its
        // blocks are freed when we close it, in the background, rather than inside `rename`.
        var replaced = FilePath.with(path) { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        if replaced >= 0 {
            var st = stat()
            if fstat(replaced, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG { close(replaced); replaced = -1 }
        }
        defer { if replaced >= 0 { closeInBackground(replaced) } }
        // The name exists only from here to the rename, two system calls later (a writer killed in
        // between leaves it; the next save removes it, as its pid is gone).
        if !named {
            guard FilePath.with(tmp, { linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, $0, AT_SYMLINK_FOLLOW) }) == 0 else {
                throw SerializationError.io(path: tmp, message: errnoText("cannot link the temporary file"))
            }
            named = true
        }
        ok = true
        guard FilePath.with(tmp, { t in FilePath.with(path) { rename(t, $0) } }) == 0 else {
            let message = errnoText("cannot rename temporary file over it")
            _ = FilePath.with(tmp) { unlink($0) }
            close(fd)
            throw SerializationError.io(path: path, message: message)
        }
        guard close(fd) == 0 else { throw SerializationError.io(path: path, message: errnoText("close failed")) }
        let dfd = FilePath.with(directory) { open($0, O_RDONLY | O_CLOEXEC) }
        if dfd >= 0 {
            _ = fsync(dfd)  // best effort: some filesystems refuse fsync on directories
            close(dfd)
        }
    }

    #if os(Linux)
    /// `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`; Glibc's macro does not import into Swift).
    static let O_TMPFILE_: Int32 = 0o20000000 | O_DIRECTORY
    /// Whether `/proc/self/fd` exists, through which an `O_TMPFILE` file is given a name.
    static let procFileDescriptors: Bool = access("/proc/self/fd", X_OK) == 0
    #endif

    /// Removes temporary files in `directory` left by writers that were killed: names
    /// `.nabla-tmp-<pid>-<hex>` (and `.<name>.tmp-<pid>-<hex>` of earlier versions) whose pid no
    /// longer exists and whose file no process holds a `flock` on. Best effort: errors are ignored.
    static func removeStaleTemporaries(in directory: String) {
        guard let dir = FilePath.with(directory, { opendir($0) }) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { FilePath.string(cString: $0) }
            }
            guard name.hasPrefix("."), let pid = temporaryOwner(name) else { continue }
            if pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH { continue }
            let path = directory + "/" + name
            let fd = FilePath.with(path) { open($0, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC) }
            guard fd >= 0 else { continue }
            var st = stat()
            if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && flock(fd, LOCK_EX | LOCK_NB) == 0 {
                _ = FilePath.with(path) { unlink($0) }
            }
            close(fd)
        }
    }

    /// The writer pid in a temporary file's name, or nil if `name` is not one.
    static func temporaryOwner(_ name: String) -> pid_t? {
        let tail: Substring
        if name.hasPrefix(temporaryPrefix) {
            tail = name.dropFirst(temporaryPrefix.count)
        } else if let r = name.range(of: ".tmp-", options: .backwards) {
            tail = name[r.upperBound...]
        } else {
            return nil
        }
        let parts = tail.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0, !parts[1].isEmpty,
              parts[1].allSatisfy({ $0.isHexDigit }) else { return nil }
        return pid
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
