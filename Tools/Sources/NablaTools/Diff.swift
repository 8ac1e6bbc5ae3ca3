import ArgumentParser
import Foundation
import NablaSerialization

/// `nabla diff A B`: compares two checkpoints tensor by tensor.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two checkpoints numerically: max absolute and relative difference per tensor.",
        discussion: """
        Values are compared in float64 (complex: real and imaginary parts). Exit 1 if a name is only in one \
        file, shapes differ, a difference exceeds atol + rtol·|b|, or the metadata differs (unless --ignore-metadata). \
        dtypes may differ (e.g. after convert --dtype).
        """)

    @Argument(help: "The first checkpoint (a).")
    var a: String

    @Argument(help: "The second checkpoint (b).")
    var b: String

    @Option(help: "Absolute tolerance (default 0: values must be identical).")
    var atol: Double = 0

    @Option(help: "Relative tolerance.")
    var rtol: Double = 0

    @Flag(help: "Do not compare metadata (e.g. against .npz/.npy files, which hold none).")
    var ignoreMetadata = false

    func run() throws {
        let console = Console.current
        let ra = try CheckpointFile.open(a), rb = try CheckpointFile.open(b)
        // Names compare as bytes (as in the files): "é" spelled two ways are two tensors.
        let namesA = ra.entries.map(\.name)
        let keysA = Set(namesA.map { Array($0.utf8) }), keysB = Set(rb.entries.map { Array($0.name.utf8) })
        var failed = false
        let onlyA = namesA.filter { !keysB.contains(Array($0.utf8)) }
        let onlyB = rb.entries.map(\.name).filter { !keysA.contains(Array($0.utf8)) }
        for n in onlyA { console.print("only in a: \(n)") }
        for n in onlyB { console.print("only in b: \(n)") }
        failed = failed || !onlyA.isEmpty || !onlyB.isEmpty
        var rows: [[String]] = []
        for name in namesA where keysB.contains(Array(name.utf8)) {
            let ta = try ra.tensor(named: name)
            let tb = try rb.tensor(named: name)
            let dtype = ta.elementType == tb.elementType ? ta.elementType.description
                : "\(ta.elementType.description)/\(tb.elementType.description)"
            guard ta.shape == tb.shape else {
                rows.append([name, dtype, "\(Output.shape(ta.shape)) vs \(Output.shape(tb.shape))", "-", "-", "DIFFERENT SHAPE"])
                failed = true
                continue
            }
            let (x, y) = try (Diff.doubles(ta), Diff.doubles(tb))
            var maxAbs = 0.0, maxRel = 0.0, ok = true
            for i in x.indices {
                let (p, q) = (x[i], y[i])
                if p == q || (p.isNaN && q.isNaN) { continue }
                let d = p.isNaN || q.isNaN ? Double.infinity : Swift.abs(p - q)
                maxAbs = max(maxAbs, d)
                maxRel = max(maxRel, q == 0 ? .infinity : d / Swift.abs(q))
                if !(d <= atol + rtol * Swift.abs(q)) { ok = false }
            }
            failed = failed || !ok
            rows.append([name, dtype, Output.shape(ta.shape), Output.number(maxAbs), Output.number(maxRel),
                         ok ? (maxAbs == 0 ? "equal" : "within tolerance") : "DIFFERENT"])
        }
        if !rows.isEmpty {
            console.print(Output.table(["name", "dtype", "shape", "max_abs", "max_rel", "result"], rows))
        }
        if !ignoreMetadata && ra.metadata != rb.metadata {
            let keys = Set(ra.metadata.keys).union(rb.metadata.keys).filter { ra.metadata[$0] != rb.metadata[$0] }.sorted()
            console.print("metadata differs: " + keys.joined(separator: ", "))
            failed = true
        }
        console.print(failed ? "checkpoints differ" : "checkpoints match")
        if failed { throw CheckFailed() }
    }

    /// The values as Doubles (complex: interleaved real, imaginary).
    static func doubles(_ t: AnyTensor) throws -> [Double] {
        if t.elementType.isComplex {
            return try t.converted(to: .complex128).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        }
        return try t.converted(to: .float64, casting: .allowLossy).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    }
}
