import Foundation

/// Where the tool's output goes: standard output and error, or a buffer in tests.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private let capture: Bool
    /// What was written to standard output (when capturing).
    public private(set) var standardOutput = ""
    /// What was written to standard error (when capturing).
    public private(set) var standardError = ""

    /// A console that writes to the process's streams (`capturing: false`) or into strings.
    public init(capturing: Bool) { capture = capturing }

    /// The console commands write to; tests bind a capturing one with `Console.$current.withValue`.
    @TaskLocal public static var current = Console(capturing: false)

    /// Whether standard error is a terminal (progress bars are drawn only there).
    public var isInteractive: Bool { !capture && isatty(2) != 0 }

    /// Writes `text` and a newline to standard output.
    public func print(_ text: String = "") { write(text + "\n", error: false) }
    /// Writes `text` and a newline to standard error.
    public func printError(_ text: String) { write(text + "\n", error: true) }

    /// Writes raw `text` (no newline added).
    public func write(_ text: String, error: Bool) {
        lock.lock(); defer { lock.unlock() }
        if capture {
            if error { standardError += text } else { standardOutput += text }
        } else {
            FileHandle(fileDescriptor: error ? 2 : 1, closeOnDealloc: false).write(Data(text.utf8))
        }
    }
}

/// Output helpers the subcommands share.
enum Output {
    static var console: Console { Console.current }

    /// `1234567` → `"1.2 MB"` (decimal units, as `ls -h --si`); below 1 kB the exact byte count.
    static func bytes(_ n: Int) -> String {
        let units = ["kB", "MB", "GB", "TB"]
        if n < 1000 { return "\(n) B" }
        var v = Double(n) / 1000
        var u = 0
        while v >= 1000 && u < units.count - 1 { v /= 1000; u += 1 }
        return String(format: v < 10 ? "%.2f %@" : v < 100 ? "%.1f %@" : "%.0f %@", v, units[u])
    }

    /// A number with 6 significant digits (`%g`).
    static func number(_ x: Double) -> String { String(format: "%.6g", x) }

    /// Left-aligned columns separated by two spaces.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        // Widths in Characters, padded by appending spaces: Foundation's `padding(toLength:)` counts
        // UTF-16 units and would cut a name with combining marks or emoji mid-character.
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[c] - cell.count))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// A shape as `[2, 3]`.
    static func shape(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ", ") + "]" }
}

/// A one-line progress bar on standard error, drawn only on a terminal.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private var lastPercent = -1
    private let lock = NSLock()

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    /// Redraws at `fraction` (0...1) when the percentage changed.
    func update(_ fraction: Double) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let percent = Int((min(max(fraction, 0), 1) * 100).rounded(.down))
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 30, filled = percent * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        Console.current.write("\r\(label) [\(bar)] \(percent)%", error: true)
    }

    /// Ends the line.
    func finish() {
        guard enabled else { return }
        update(1)
        Console.current.write("\n", error: true)
    }
}
