import Testing
import Foundation
import NablaTensor
import NablaData
import NablaLayers
import _NablaTestSupport
@testable import NablaExamples

private let pythonHasReferencePackages: Bool = runPython("import numpy, torch, sklearn")?.status == 0

/// Runs `scripts/examples-reference.py` on the examples' own inputs (written here: the logistic
/// points, and the decision-boundary networks' initial weights and data), so the literals pasted
/// in NewLectureModelTests.swift are checked to be what PyTorch, NumPy and scikit-learn print, and
/// the quadratic paths to equal PyTorch's to the last bit. Skipped when the packages are missing.
@Suite struct ReferenceScriptTests {
    /// Python's `repr` of a float and Swift's `description` of a Double are both the shortest
    /// string that round-trips, so lists print alike.
    static func list(_ v: [Double]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }

    @Test(.enabled(if: pythonHasReferencePackages)) func referenceScriptAgrees() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nabla-examples-reference-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let (x, y) = try logisticPathData()
        let rows = (0..<y.count).map { "\(x.scalars[2 * $0]) \(x.scalars[2 * $0 + 1]) \(y.scalars[$0])\n" }
        try rows.joined().write(toFile: "\(dir)/logistic.txt", atomically: true, encoding: .utf8)
        var dbFiles: [String] = []
        for (k, p) in decisionBoundaryProblems().enumerated() {
            let params = decisionBoundaryModel(sizes: p.sizes).namedParameters.map { $0.parameter.value.scalars }
            let layers = stride(from: 0, to: params.count, by: 2).map { "{\"w\": \(Self.list(params[$0])), \"b\": \(Self.list(params[$0 + 1]))}" }
            let json = "{\"x\": \(Self.list(p.data.points.scalars)), \"y\": [\(p.data.labels.scalars.map { "\($0)" }.joined(separator: ", "))], "
                + "\"sizes\": \(p.sizes), \"layers\": [\(layers.joined(separator: ", "))]}"
            let path = "\(dir)/db\(k).json"
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            dbFiles.append(path)
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/examples-reference.py").path
        let run = try #require(runPython("import runpy, sys; runpy.run_path(sys.argv[1], run_name='__main__')",
                                         [script, "--logistic", "\(dir)/logistic.txt", "--decision-boundaries", "300"] + dbFiles))
        #expect(run.status == 0, "\(run.output)")
        let out = run.output

        // The quadratic: Nabla's first five iterates, printed as Python prints torch's.
        for path in try quadraticPaths(steps: 5) {
            #expect(out.contains("\(path.label): [" + path.points.map(Self.list).joined(separator: ", ") + "]"), "\(path.label)")
        }
        // The interpolant's error against np.interp.
        for (n, numpy) in UniversalApproximationTests.interpolantError {
            #expect(out.contains("interpolant MSE, width \(n): \(numpy)\n"), "width \(n)")
        }
        // scikit-learn's logistic minimizer and the decision-boundary runs: the pasted literals.
        #expect(out.contains("logistic w*: [2.372200834503194, 1.4680151124491003], loss 0.2585869928287034"))
        #expect(out.contains("decision boundary [2, 32, 32, 4], 300 steps: cross-entropy 0.08483772310026108, penalty 0.16270419067776834, accuracy 0.99"))
        #expect(out.contains("decision boundary [2, 16, 2], 300 steps: cross-entropy 0.05709361729216729, penalty 0.05783476166743124, accuracy 0.99"))
    }
}
