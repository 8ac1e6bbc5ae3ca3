import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import NablaPlot

@Suite struct PlotTests {
    @Test func niceTicks() {
        #expect(Ticks.nice(0...1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        #expect(Ticks.nice(-5...5) == [-4, -2, 0, 2, 4])
        #expect(Ticks.nice(-5.5...5.5) == [-5, 0, 5])
        #expect(Ticks.nice(0...100).map(Ticks.label) == ["0", "20", "40", "60", "80", "100"])
        #expect(Ticks.label(0.30000000000000004) == "0.3")
        #expect(Ticks.label(2.5e-5) == "2.5e-05")
    }

    /// z = x² + y² on a grid: every contour point of level 1 lies on the unit circle (up to the
    /// linear interpolation's error on a 0.05 grid).
    @Test func marchingSquaresTraceACircle() {
        let g = (0...80).map { -2 + Double($0) * 0.05 }
        let z = g.map { y in g.map { x in x * x + y * y } }
        let s = Contour.segments(xs: g, ys: g, z: z, level: 1)
        #expect(s.count > 100)
        for (x1, y1, x2, y2) in s {
            #expect(abs((x1 * x1 + y1 * y1).squareRoot() - 1) < 2e-3)
            #expect(abs((x2 * x2 + y2 * y2).squareRoot() - 1) < 2e-3)
        }
        // A single saddle cell: corners 1 0 / 0 1 at level 0.5 give two segments.
        #expect(Contour.segments(xs: [0, 1], ys: [0, 1], z: [[1, 0], [0, 1]], level: 0.5).count == 2)
    }

    @Test func svgHasEveryLayerAndParses() throws {
        var fig = Figure(title: "A & B <test>", xLabel: "x", yLabel: "y")
        fig.line(x: [0, 1, 2], y: [1, 0.5, 0.25], label: "loss")
        fig.scatter(x: [0, 1], y: [0, 1], classes: [0, 1])
        fig.band(x: [0, 1], lower: [0, 0], upper: [1, 1], label: "band")
        fig.histogram([0.1, 0.2, 0.2, 0.9], bins: 4, label: "hist")
        fig.decisionRegions(xs: [0, 1], ys: [0, 1], classes: [[0, 1], [1, 1]])
        fig.contour(xs: [0, 1, 2], ys: [0, 1, 2], z: [[0, 1, 2], [1, 2, 3], [2, 3, 4]], levels: [1.5])
        let svg = fig.svg()
        #expect(svg.contains("<polyline") && svg.contains("<circle") && svg.contains("<polygon"))
        #expect(svg.contains("class=\"contour\" data-level=\"1.5\""))
        #expect(svg.contains("A &amp; B &lt;test&gt;"))
        #expect(svg.contains(">loss</text>") && svg.contains(">class 1</text>"))
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "the SVG is well-formed XML")
        let d = NSTemporaryDirectory() + "nabla-plot-\(UUID().uuidString).svg"
        try fig.write(to: d)
        #expect(try String(contentsOfFile: d, encoding: .utf8) == svg)
        #expect(throws: PlotError.self) { try fig.write(to: "/nonexistent-dir/x.svg") }
    }

    @Test func histogramCountsAndDensity() {
        var fig = Figure()
        fig.histogram([0, 0.5, 1, 1, 2], bins: 2, range: 0...2)
        guard case let .bars(edges, counts, _, _) = fig.layers[0] else { Issue.record("no bars"); return }
        #expect(edges == [0, 1, 2])
        #expect(counts == [2, 3])   // [0, 1) and [1, 2] (the last bin is closed)
        var d = Figure()
        d.histogram([0, 0.5, 1, 1, 2], bins: 2, range: 0...2, density: true)
        guard case let .bars(_, dc, _, _) = d.layers[0] else { return }
        #expect(dc == [0.4, 0.6])
    }
}
