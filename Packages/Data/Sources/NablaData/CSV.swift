import Foundation
import NablaTensor

/// What a CSV reader does with an empty field (or one of ``CSVOptions/missingMarkers``).
public enum MissingValuePolicy: Sendable, Equatable {
    /// Throw ``DataError/missingValue(file:line:column:name:)`` at the first one.
    case error
    /// Store NaN and list the place in ``CSVTable/missing``.
    case nan
}

/// How to read a CSV file.
public struct CSVOptions: Sendable {
    /// The field separator (one ASCII byte).
    public var delimiter: Character
    /// Whether the first line names the columns.
    public var hasHeader: Bool
    /// The columns to keep, by name (needs a header), in this order; `nil` keeps all.
    public var columnNames: [String]?
    /// The columns to keep, by 0-based index, in this order; used when `columnNames` is `nil`.
    public var columnIndices: [Int]?
    /// What to do with missing values.
    public var missing: MissingValuePolicy
    /// Field texts that mean "missing", besides the empty field.
    public var missingMarkers: Set<String>
    /// The longest line accepted, in bytes (a longer one throws ``DataError/limitExceeded(file:what:value:limit:)``).
    public var maxLineBytes: Int

    /// Options; by default comma-separated with a header, every column, missing values refused.
    public init(delimiter: Character = ",", hasHeader: Bool = true, columnNames: [String]? = nil,
                columnIndices: [Int]? = nil, missing: MissingValuePolicy = .error,
                missingMarkers: Set<String> = ["NA", "NaN", "nan", "?"], maxLineBytes: Int = 1 << 20) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.columnNames = columnNames
        self.columnIndices = columnIndices
        self.missing = missing
        self.missingMarkers = missingMarkers
        self.maxLineBytes = maxLineBytes
    }
}

/// A numeric table read from a CSV file.
public struct CSVTable<Scalar: TensorFloatingPoint>: Sendable {
    /// The names of the kept columns (`column0`, `column1`, … without a header).
    public var columns: [String]
    /// The values, shape `[rows, columns.count]`.
    public var values: Tensor<Scalar>
    /// Where values were missing (stored as NaN): 1-based file line and 0-based kept column.
    public var missing: [(line: Int, column: Int)]
}

/// A streaming reader of numeric CSV files: rows are parsed one at a time from a file read in
/// 64 KiB chunks, so memory is bounded by the rows kept, never by a malformed line.
///
/// Fields may be quoted (`"1,5"` is one field; `""` inside quotes is a quote); a quote left open at
/// the end of a line is an error (fields spanning lines are not supported). Every error names the
/// file and the line: `data.csv:7: expected 4 fields, found 3`.
///
/// ```swift
/// let table: CSVTable<Double> = try CSVReader.read("iris.csv", options: CSVOptions(columnNames: ["sepal_length", "petal_length"]))
/// ```
public final class CSVReader {
    /// The file.
    public let path: String
    /// The options.
    public let options: CSVOptions
    /// The header's column names (empty without a header).
    public private(set) var header: [String] = []
    /// The kept columns' indices in each line and their names.
    public private(set) var selected: [(index: Int, name: String)] = []
    private let lines: LineReader
    private var fieldCount: Int?
    private let delimiter: UInt8

    /// Opens `path` and reads its header.
    /// - Throws: ``DataError`` when the file cannot be opened, the delimiter is not ASCII, or a
    ///   requested column does not exist.
    public init(path: String, options: CSVOptions = CSVOptions()) throws {
        guard let d = options.delimiter.asciiValue else {
            throw DataError.invalidArgument("CSVReader: the delimiter must be one ASCII character")
        }
        delimiter = d
        self.path = path
        self.options = options
        lines = try LineReader(path: path, maxLineBytes: options.maxLineBytes)
        if options.hasHeader {
            guard let first = try lines.next() else { throw DataError.malformedLine(file: path, line: 1, reason: "empty file: no header") }
            header = try split(first, line: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            fieldCount = header.count
        }
        if let names = options.columnNames {
            guard options.hasHeader else { throw DataError.invalidArgument("CSVReader: columns chosen by name need a header") }
            selected = try names.map { name in
                guard let i = header.firstIndex(of: name) else { throw DataError.unknownColumn(file: path, column: "\"\(name)\"") }
                return (i, name)
            }
        } else if let indices = options.columnIndices {
            for i in indices where i < 0 || (fieldCount.map { i >= $0 } ?? false) {
                throw DataError.unknownColumn(file: path, column: "\(i) (the file has \(fieldCount ?? 0) columns)")
            }
            selected = indices.map { ($0, options.hasHeader ? header[$0] : "column\($0)") }
        } else if options.hasHeader {
            selected = header.enumerated().map { ($0.offset, $0.element) }
        }
    }

    /// The next row's kept values (missing ones as NaN, their kept-column indices in `missing`),
    /// or `nil` at the end of the file. Blank lines are skipped.
    /// - Throws: ``DataError`` naming the file and line for a wrong field count, a non-number,
    ///   an unterminated quote, a missing value under ``MissingValuePolicy/error``, or an over-long line.
    public func nextRow() throws -> (line: Int, values: [Double], missing: [Int])? {
        var bytes: [UInt8]
        repeat {
            guard let l = try lines.next() else { return nil }
            bytes = l
        } while bytes.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let line = lines.lineNumber
        let fields = try split(bytes, line: line)
        if let n = fieldCount {
            guard fields.count == n else {
                throw DataError.malformedLine(file: path, line: line, reason: "expected \(n) fields, found \(fields.count)")
            }
        } else {
            fieldCount = fields.count
            if selected.isEmpty && options.columnIndices == nil {
                selected = (0..<fields.count).map { ($0, "column\($0)") }
            }
            for (i, _) in selected where i >= fields.count {
                throw DataError.unknownColumn(file: path, column: "\(i) (the file has \(fields.count) columns)")
            }
        }
        var values: [Double] = []
        var missing: [Int] = []
        values.reserveCapacity(selected.count)
        for (k, (i, name)) in selected.enumerated() {
            let text = fields[i].trimmingCharacters(in: .whitespaces)
            if text.isEmpty || options.missingMarkers.contains(text) {
                if options.missing == .error {
                    throw DataError.missingValue(file: path, line: line, column: i, name: options.hasHeader ? name : nil)
                }
                values.append(.nan)
                missing.append(k)
                continue
            }
            guard let v = Double(text) else {
                let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
                throw DataError.malformedLine(file: path, line: line,
                                              reason: "column \(i)\(options.hasHeader ? " (\"\(name)\")" : ""): '\(shown)' is not a number")
            }
            values.append(v)
        }
        return (line, values, missing)
    }

    /// Reads the rest of the file into a table.
    /// - Throws: as ``nextRow()``.
    public func readAll<Scalar: TensorFloatingPoint>(as type: Scalar.Type = Scalar.self) throws -> CSVTable<Scalar> {
        var values: [Scalar] = []
        var missing: [(Int, Int)] = []
        var rows = 0
        while let row = try nextRow() {
            for v in row.values { values.append(Scalar(v)) }
            for k in row.missing { missing.append((row.line, k)) }
            rows += 1
        }
        return CSVTable(columns: selected.map(\.name), values: Tensor(shape: [rows, selected.count], scalars: values),
                        missing: missing)
    }

    /// Reads the numeric CSV file at `path` into a table.
    /// - Throws: as ``init(path:options:)`` and ``nextRow()``.
    public static func read<Scalar: TensorFloatingPoint>(_ path: String, options: CSVOptions = CSVOptions(),
                                                         as type: Scalar.Type = Scalar.self) throws -> CSVTable<Scalar> {
        try CSVReader(path: path, options: options).readAll(as: Scalar.self)
    }

    /// Splits one line into fields, honouring double quotes.
    private func split(_ bytes: [UInt8], line: Int) throws -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var i = 0
        let quote = UInt8(ascii: "\"")
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < bytes.count && bytes[i + 1] == quote { field.append(quote); i += 1 } else { inQuotes = false }
                } else { field.append(b) }
            } else if b == quote && field.allSatisfy({ $0 == UInt8(ascii: " ") }) {
                inQuotes = true
                field.removeAll()
            } else if b == delimiter {
                fields.append(try text(field, line)); field.removeAll(keepingCapacity: true)
            } else { field.append(b) }
            i += 1
        }
        if inQuotes { throw DataError.malformedLine(file: path, line: line, reason: "unterminated quoted field") }
        fields.append(try text(field, line))
        return fields
    }

    private func text(_ bytes: [UInt8], _ line: Int) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw DataError.malformedLine(file: path, line: line, reason: "invalid UTF-8")
        }
        return s
    }
}
