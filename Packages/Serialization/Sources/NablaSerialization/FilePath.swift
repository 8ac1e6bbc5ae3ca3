/// File names that are not valid UTF-8.
///
/// Linux file names are bytes; a Swift `String` holds only valid Unicode. Decoding a name with
/// repair (as `CommandLine.arguments` does) turns bytes such as `0xFF` into U+FFFD, and the file is
/// then "not found". ``string(fileSystemRepresentation:)`` instead maps each byte that is not part
/// of valid UTF-8 to the private-use scalar U+10FE00 + byte, and every path Nabla passes to the
/// system is mapped back to the original bytes, so such files open, save and rename normally.
/// Error messages show those bytes as `\xFF`.
public enum FilePath {
    static let escapeBase: UInt32 = 0x10_FE00

    /// The path for the bytes of a file name or command-line argument (no terminating NUL),
    /// invalid UTF-8 bytes escaped as described above.
    public static func string<Bytes: Collection>(fileSystemRepresentation bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let all = Array(bytes)
        if let s = String(validating: all, as: UTF8.self) { return s }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < all.count {
            let b = all[i]
            let length = b < 0x80 ? 1 : b >= 0xC2 && b < 0xE0 ? 2 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xF0 && b < 0xF5 ? 4 : 0
            if length > 0, i + length <= all.count, let s = String(validating: all[i..<(i + length)], as: UTF8.self) {
                scalars.append(contentsOf: s.unicodeScalars)
                i += length
            } else {
                scalars.append(Unicode.Scalar(escapeBase + UInt32(b))!)
                i += 1
            }
        }
        return String(scalars)
    }

    /// The path for a C string from the system (e.g. an `argv` entry).
    public static func string(cString: UnsafePointer<CChar>) -> String {
        string(fileSystemRepresentation: UnsafeBufferPointer(start: cString, count: strlen(cString)).map { UInt8(bitPattern: $0) })
    }

    /// The bytes the system sees for `path` (escaped bytes restored).
    public static func fileSystemRepresentation(_ path: String) -> [UInt8] {
        guard path.unicodeScalars.contains(where: { $0.value >= escapeBase && $0.value <= escapeBase + 0xFF }) else {
            return Array(path.utf8)
        }
        var out: [UInt8] = []
        for u in path.unicodeScalars {
            if u.value >= escapeBase && u.value <= escapeBase + 0xFF {
                out.append(UInt8(u.value - escapeBase))
            } else {
                out.append(contentsOf: String(u).utf8)
            }
        }
        return out
    }

    /// `path` for messages: escaped bytes shown as `\xFF`.
    public static func display(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: { $0.value >= escapeBase && $0.value <= escapeBase + 0xFF }) else { return path }
        var out = ""
        for u in path.unicodeScalars {
            if u.value >= escapeBase && u.value <= escapeBase + 0xFF {
                let hex = String(u.value - escapeBase, radix: 16, uppercase: true)
                out += "\\x" + (hex.count == 1 ? "0" : "") + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Calls `body` with the NUL-terminated system bytes of `path`.
    static func with<R>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        var bytes = fileSystemRepresentation(path).map { CChar(bitPattern: $0) }
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
