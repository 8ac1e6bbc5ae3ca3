import Foundation

/// Reads a file in fixed-size chunks and hands out its lines (without the `\n`, and without a
/// final `\r`), never holding more than one chunk plus the current line, and refusing lines longer
/// than `maxLineBytes` (a file with no newline cannot make the reader allocate without bound).
final class LineReader {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0, end = 0
    private var eof = false
    private let maxLineBytes: Int
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0

    init(path: String, maxLineBytes: Int) throws {
        self.path = path
        self.maxLineBytes = maxLineBytes
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
            throw DataError.io(file: path, message: "not a regular file")
        }
        guard let f = fopen(path, "rb") else {
            throw DataError.io(file: path, message: String(cString: strerror(errno)))
        }
        file = f
    }

    deinit { fclose(file) }

    /// The next line as bytes, or `nil` at the end of the file.
    func next() throws -> [UInt8]? {
        var line: [UInt8] = []
        while true {
            if start == end {
                if eof { break }
                let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
                if n == 0 {
                    if ferror(file) != 0 { throw DataError.io(file: path, message: "read error after line \(lineNumber)") }
                    eof = true
                    break
                }
                start = 0; end = n
            }
            if let nl = chunk[start..<end].firstIndex(of: UInt8(ascii: "\n")) {
                line += chunk[start..<nl]
                start = nl + 1
                try checkLength(line.count)
                lineNumber += 1
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            line += chunk[start..<end]
            start = end
            try checkLength(line.count)
        }
        if line.isEmpty { return nil }
        lineNumber += 1
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return line
    }

    private func checkLength(_ n: Int) throws {
        if n > maxLineBytes {
            throw DataError.limitExceeded(file: "\(path):\(lineNumber + 1)", what: "the line length in bytes",
                                          value: n, limit: maxLineBytes)
        }
    }
}
