import Foundation

/// Why reading, writing or converting a checkpoint failed.
///
/// Every problem with a file's contents is one of these thrown errors: a truncated, corrupted or
/// hostile file never crashes the reader, never makes it hang and never makes it allocate more than
/// the file's sizes justify. `description` names the file (when known) and what is wrong; so does
/// `localizedDescription` (the type is a `LocalizedError` whose `errorDescription` is `description`).
public enum SerializationError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file's bytes break the format's rules; `reason` says which rule.
    case malformed(format: String, reason: String)
    /// A checksum did not match: the file is corrupted.
    case checksumMismatch(format: String, entry: String, expected: String, actual: String)
    /// No registered format has this name or file extension.
    case unknownFormat(String)
    /// The file has no tensor of this name.
    case unknownTensor(String)
    /// The dtype name is not one this format (or Nabla) knows, e.g. a safetensors `"F7"`.
    case unknownDType(format: String, name: String)
    /// The format cannot store this dtype (e.g. float8 in `.npy`).
    case unsupportedDType(format: String, dtype: String)
    /// Converting between these dtypes would change values; pass `casting: .allowLossy` to round.
    case lossyCast(from: String, to: String)
    /// The two dtypes cannot be converted into each other at all (e.g. complex to integer).
    case unsupportedCast(from: String, to: String)
    /// A size in the file exceeds a reader limit (`ReadOptions`).
    case limitExceeded(format: String, what: String, value: UInt64, limit: UInt64)
    /// The operating system refused an operation on `path` (`errno` text in `message`).
    case io(path: String, message: String)
    /// An error about the file at `path`: the underlying error, with the path attached.
    indirect case inFile(path: String, SerializationError)
    /// An error about the tensor `name`: the underlying error, with the tensor's name attached.
    indirect case inTensor(name: String, SerializationError)
    /// A writer refused a tensor name that no reader of `format` would accept back (e.g. an empty
    /// name, or `__metadata__` in safetensors); `reason` says why.
    case invalidName(format: String, name: String, reason: String)
    /// A rounding cast would turn `count` finite values into infinities or NaNs (e.g. 1e300 or
    /// 70000 to float16); pass `casting: .allowLossy` (`nabla convert --allow-lossy`) to accept that.
    case castOverflow(from: String, to: String, count: Int)
    /// Writing `path` went past the process's file size limit (`ulimit -f`, `RLIMIT_FSIZE`): the
    /// system refused the write with `EFBIG` (Nabla's writer ignores `SIGXFSZ`, which would kill the
    /// process). Nothing is left behind and the previous file is untouched.
    case fileTooLarge(path: String)
    /// Memory for `bytes` bytes (`what`) could not be allocated.
    case outOfMemory(what: String, bytes: Int)

    /// A short human-readable form.
    public var description: String {
        switch self {
        case let .malformed(format, reason): return "malformed \(format) file: \(reason)"
        case let .checksumMismatch(format, entry, expected, actual):
            return "\(format) checksum mismatch in \(entry): stored \(expected), computed \(actual) (the file is corrupted)"
        case let .unknownFormat(name): return "unknown checkpoint format \(name)"
        case let .unknownTensor(name): return "no tensor named '\(name)'"
        case let .unknownDType(format, name): return "\(format): unknown dtype '\(name)'"
        case let .unsupportedDType(format, dtype): return "\(format) cannot store dtype \(dtype)"
        case let .lossyCast(from, to):
            return "casting \(from) to \(to) can lose information; allow it explicitly (casting: .allowLossy, or `nabla convert --dtype`)"
        case let .unsupportedCast(from, to): return "cannot cast \(from) to \(to)"
        case let .limitExceeded(format, what, value, limit):
            return "\(format): \(what) is \(value), above the limit of \(limit)"
        case let .io(path, message): return "\(FilePath.display(path)): \(message)"
        case let .inFile(path, error): return "\(FilePath.display(path)): \(error.description)"
        case let .inTensor(name, error): return "tensor '\(name)': \(error.description)"
        case let .invalidName(format, name, reason):
            return "\(format) cannot store a tensor named '\(name)': \(reason)"
        case let .castOverflow(from, to, count):
            return "casting \(from) to \(to) turns \(count) finite value\(count == 1 ? "" : "s") into infinity or NaN "
                + "(out of range); allow it explicitly (casting: .allowLossy, or `nabla convert --allow-lossy`)"
        case let .fileTooLarge(path):
            return "\(FilePath.display(path)): write failed: the file size limit (ulimit -f) was reached"
        case let .outOfMemory(what, bytes): return "cannot allocate \(bytes) bytes for \(what) (out of memory)"
        }
    }

    /// The same text as ``description``, so that `localizedDescription` names what and where.
    public var errorDescription: String? { description }

    /// The error without the file path wrapper.
    public var underlying: SerializationError {
        if case let .inFile(_, e) = self { return e.underlying }
        if case let .inTensor(_, e) = self { return e.underlying }
        return self
    }
}

/// Throws `.malformed` unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ format: String, _ reason: @autoclosure () -> String) throws {
    if !condition { throw SerializationError.malformed(format: format, reason: reason()) }
}
