import Foundation
import NablaSerialization

/// Why reading a data file, or building a dataset from one, failed.
///
/// Every problem with a file's contents is one of these thrown errors: a truncated, malformed or
/// hostile file never crashes a reader and never makes it allocate more than the file's actual
/// contents justify. `description` (and `localizedDescription`, the type being a `LocalizedError`)
/// names the file and the line or byte offset of the problem, e.g.
/// `train.csv:17: column 3 ("age"): missing value`.
public enum DataError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The operating system refused to open or read `file` (`message` is the `errno` text).
    case io(file: String, message: String)
    /// Line `line` (1-based) of the text file `file` breaks the format; `reason` says how.
    case malformedLine(file: String, line: Int, reason: String)
    /// The bytes of `file` at byte offset `offset` break the format `format`; `reason` says how.
    case malformedBytes(file: String, format: String, offset: Int, reason: String)
    /// Line `line` (1-based) has no value in column `column` (0-based, named `name` when the file
    /// has a header) and the reader was asked to refuse missing values.
    case missingValue(file: String, line: Int, column: Int, name: String?)
    /// A size in `file` (`what`) is `value`, above the reader's limit `limit`.
    case limitExceeded(file: String, what: String, value: Int, limit: Int)
    /// A column requested by name or index is not in `file`.
    case unknownColumn(file: String, column: String)
    /// `NablaSerialization` refused `file` (a `.npy` or `.npz`): its error, which names the file too.
    case serialization(file: String, SerializationError)
    /// An argument is out of its domain (a label outside `0..<classes`, fractions that do not sum
    /// to at most 1, ...); `reason` says which.
    case invalidArgument(String)

    /// A short human-readable form naming the file and where in it.
    public var description: String {
        switch self {
        case let .io(file, message): return "\(file): \(message)"
        case let .malformedLine(file, line, reason): return "\(file):\(line): \(reason)"
        case let .malformedBytes(file, format, offset, reason):
            return "\(file): malformed \(format) file at byte offset \(offset): \(reason)"
        case let .missingValue(file, line, column, name):
            return "\(file):\(line): column \(column)\(name.map { " (\"\($0)\")" } ?? ""): missing value"
        case let .limitExceeded(file, what, value, limit):
            return "\(file): \(what) is \(value), above the limit of \(limit)"
        case let .unknownColumn(file, column): return "\(file): no column \(column)"
        case let .serialization(_, error): return error.description
        case let .invalidArgument(reason): return reason
        }
    }

    /// The same text as ``description``.
    public var errorDescription: String? { description }
}
