import Foundation
import NablaSerialization
import Testing
@testable import NablaData

/// A fresh temporary directory for one test.
func tempDir() -> String {
    let d = NSTemporaryDirectory() + "nabla-data-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}

func write(_ bytes: [UInt8], _ path: String) {
    let written = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    precondition(written, "could not write the test fixture \(path)")
}
func write(_ text: String, _ path: String) { write(Array(text.utf8), path) }

/// The error's text, for checking it names the file and place.
func message(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return error.localizedDescription }
}

@Suite struct CSVTests {
    @Test func headerColumnsAndQuotes() throws {
        let d = tempDir(), p = d + "/a.csv"
        write("x,y,\"label, quoted\"\n1,2.5,0\r\n\n-3,\"4e2\",1\n", p)
        let t: CSVTable<Double> = try CSVReader.read(p)
        #expect(t.columns == ["x", "y", "label, quoted"])
        #expect(t.values.shape == [2, 3])
        #expect(t.values.scalars == [1, 2.5, 0, -3, 400, 1])
        let sel: CSVTable<Float> = try CSVReader.read(p, options: CSVOptions(columnNames: ["y", "x"]))
        #expect(sel.values.scalars == [2.5, 1, 400, -3])
        let byIndex: CSVTable<Double> = try CSVReader.read(p, options: CSVOptions(columnIndices: [2]))
        #expect(byIndex.values.scalars == [0, 1])
        // Without a header, the first line is data: "x" is not a number.
        #expect(message { let _: CSVTable<Double> = try CSVReader.read(p, options: CSVOptions(hasHeader: false)) }
                == "\(p):1: column 0: 'x' is not a number")
    }

    @Test func missingValuesReportedOrRefused() throws {
        let d = tempDir(), p = d + "/m.csv"
        write("a,b\n1,\n2,NA\n3,4\n", p)
        let t: CSVTable<Double> = try CSVReader.read(p, options: CSVOptions(missing: .nan))
        #expect(t.missing.map(\.line) == [2, 3])
        #expect(t.missing.map(\.column) == [1, 1])
        #expect(t.values.scalars[1].isNaN && t.values.scalars[3].isNaN && t.values.scalars[5] == 4)
        #expect(message { let _: CSVTable<Double> = try CSVReader.read(p) } == "\(p):2: column 1 (\"b\"): missing value")
    }

    @Test func malformedFilesNameFileAndLine() throws {
        let d = tempDir()
        let cases: [(String, String)] = [
            ("a,b\n1,2\n3\n", ":3: expected 2 fields, found 1"),
            ("a,b\n1,x2\n", ":2: column 1 (\"b\"): 'x2' is not a number"),
            ("a,b\n1,\"2\n", ":2: unterminated quoted field"),
            ("", ":1: empty file: no header"),
            ("a,b\n1,\u{FF}\n", "is not a number"),
        ]
        for (i, (text, expected)) in cases.enumerated() {
            let p = d + "/bad\(i).csv"
            write(text, p)
            let m = message { let _: CSVTable<Double> = try CSVReader.read(p) }
            #expect(m.hasPrefix(p) && m.contains(expected), "\(m)")
        }
        let inv = d + "/inv.csv"
        write([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xff, 0x0a], inv)
        #expect(message { let _: CSVTable<Double> = try CSVReader.read(inv) } == "\(inv):2: invalid UTF-8")
        #expect(message { let _: CSVTable<Double> = try CSVReader.read(d + "/absent.csv") }.contains("No such file"))
        #expect(message { let _: CSVTable<Double> = try CSVReader.read(d) } == "\(d): not a regular file")
        let p = d + "/ok.csv"
        write("a,b\n1,2\n", p)
        #expect(message { let _: CSVTable<Double> = try CSVReader.read(p, options: CSVOptions(columnNames: ["c"])) } == "\(p): no column \"c\"")
    }

    /// A 3 MB line with no newline: refused at the 1 MiB limit, not buffered whole.
    @Test func overlongLineIsRefused() {
        let d = tempDir(), p = d + "/long.csv"
        write([UInt8](repeating: UInt8(ascii: "1"), count: 3 << 20), p)
        let m = message { let _: CSVTable<Double> = try CSVReader.read(p) }
        #expect(m.hasPrefix("\(p):1: the line length in bytes is") && m.contains("above the limit of 1048576"), "\(m)")
    }

    @Test func streamingRowByRow() throws {
        let d = tempDir(), p = d + "/s.csv"
        write((0..<1000).map { "\($0),\($0 * 2)" }.joined(separator: "\n"), p)
        let r = try CSVReader(path: p, options: CSVOptions(hasHeader: false))
        var n = 0
        while let row = try r.nextRow() { #expect(row.values == [Double(n), Double(2 * n)] && row.line == n + 1); n += 1 }
        #expect(n == 1000)
    }
}

@Suite struct NumPyTests {
    @Test func npyAndNpzThroughSerialization() throws {
        let d = tempDir()
        let x = Tensor<Float>(shape: [3, 2], [1, 2, 3, 4, 5, 6]), y = Tensor<Int32>([0, 1, 0])
        try Checkpoint(["array": x]).save(to: d + "/x.npy")
        try Checkpoint(["x": AnyTensor(x), "y": AnyTensor(y)]).save(to: d + "/xy.npz")
        #expect(try NumPyFile.array(d + "/x.npy", as: Float.self) == x)
        #expect(try NumPyFile.array(d + "/x.npy", as: Double.self).scalars == [1, 2, 3, 4, 5, 6])
        #expect(try NumPyFile.names(in: d + "/xy.npz") == ["x", "y"])
        let ds = try NumPyFile.dataset(d + "/xy.npz", inputs: "x", targets: "y", as: (Float.self, Int32.self))
        #expect(ds.count == 3 && ds[2].target.scalar == 0)
    }

    @Test func hostileNumPyFilesThrowNamingTheFile() throws {
        let d = tempDir()
        try Checkpoint(["array": Tensor<Double>(shape: [100], (0..<100).map(Double.init))]).save(to: d + "/ok.npy")
        let good = Array(try Data(contentsOf: URL(fileURLWithPath: d + "/ok.npy")))
        var variants: [[UInt8]] = [Array(good.prefix(good.count - 8)), Array(good.prefix(20)), [], Array("not numpy".utf8)]
        var huge = good   // claim a 10¹⁵-element shape
        if let r = String(decoding: huge, as: UTF8.self).range(of: "(100,)") {
            let start = String(decoding: huge, as: UTF8.self).utf8.distance(from: String(decoding: huge, as: UTF8.self).startIndex, to: r.lowerBound)
            huge.replaceSubrange(start..<start + 6, with: Array("(1000000000000000,)".utf8))
        }
        variants.append(huge)
        for (i, v) in variants.enumerated() {
            let p = d + "/bad\(i).npy"
            write(v, p)
            var caught: DataError?
            do { let _: Tensor<Double> = try NumPyFile.array(p) } catch let e as DataError { caught = e }
            #expect(caught != nil)
            #expect(caught?.description.contains("bad\(i).npy") == true, "\(caught?.description ?? "")")
        }
        let p = d + "/junk.npz"
        write(Array(repeating: 0x50, count: 100), p)
        #expect(message { _ = try NumPyFile.names(in: p) }.contains("junk.npz"))
    }
}
