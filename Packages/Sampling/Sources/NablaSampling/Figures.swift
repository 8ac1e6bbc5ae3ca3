import Foundation

/// Minimal SVG figures of the samplers, written by hand (no plotting dependency).
public enum SamplingFigures {
    /// The acceptance-area figure of rejection sampling (Bishop, PRML Fig. 11.4): the curve
    /// `p̃(z)`, the envelope `k·q(z)`, and each proposal `(z₀, u₀)` as a dot, accepted (under
    /// `p̃`) or rejected (between `p̃` and `k·q`).
    ///
    /// - Parameters:
    ///   - target: `p̃(z)`.
    ///   - envelope: `k·q(z)`.
    ///   - points: the proposals, from ``RejectionSamplingResult/record``.
    ///   - range: the horizontal range plotted.
    ///   - width: the image width in pixels.
    ///   - height: the image height in pixels.
    public static func rejectionSampling(target: (Double) -> Double, envelope: (Double) -> Double,
                                         points: [(z: Double, u: Double, accepted: Bool)],
                                         range: ClosedRange<Double>, width: Double = 640, height: Double = 400) -> String {
        let left = 50.0, right = 20.0, top = 20.0, bottom = 40.0
        let xs = (0...300).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / 300 }
        let yMax = (xs.map(envelope).max() ?? 1) * 1.05
        func px(_ x: Double) -> Double { left + (x - range.lowerBound) / (range.upperBound - range.lowerBound) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - y / yMax * (height - top - bottom) }
        func path(_ f: (Double) -> Double) -> String {
            xs.enumerated().map { i, x in String(format: "%@%.1f,%.1f", i == 0 ? "M" : "L", px(x), py(f(x))) }.joined(separator: " ")
        }
        var s = String(format: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"13\">\n", width, height)
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        // Areas: rejection (between the curves) and acceptance (under p̃).
        s += "<path d=\"\(path(envelope)) L\(String(format: "%.1f", px(range.upperBound))),\(py(0)) L\(px(range.lowerBound)),\(py(0)) Z\" fill=\"#f3d6d6\"/>\n"
        s += "<path d=\"\(path(target)) L\(String(format: "%.1f", px(range.upperBound))),\(py(0)) L\(px(range.lowerBound)),\(py(0)) Z\" fill=\"#d6ecd6\"/>\n"
        for p in points where range.contains(p.z) && p.u <= yMax {
            s += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.6\" fill=\"%@\"/>\n", px(p.z), py(p.u), p.accepted ? "#1b7a1b" : "#b22222")
        }
        s += "<path d=\"\(path(envelope))\" fill=\"none\" stroke=\"#b22222\" stroke-width=\"2\"/>\n"
        s += "<path d=\"\(path(target))\" fill=\"none\" stroke=\"#1b7a1b\" stroke-width=\"2\"/>\n"
        // Axes and labels.
        s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left, py(0), width - right, py(0))
        s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left, py(0), left, top)
        for i in 0...5 {
            let x = range.lowerBound + (range.upperBound - range.lowerBound) * Double(i) / 5
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.3g</text>\n", px(x), py(0) + 18, x)
        }
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">z</text>\n", (left + width - right) / 2, height - 4)
        let legend = [("#b22222", "k·q(z) (envelope); rejected points"), ("#1b7a1b", "p̃(z) (target); accepted points")]
        for (i, (color, text)) in legend.enumerated() {
            let y = top + 10 + Double(i) * 18
            s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-width=\"2\"/>", width - 300, y - 4, width - 280, y - 4, color)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>\n", width - 274, y, text)
        }
        return s + "</svg>\n"
    }
}
