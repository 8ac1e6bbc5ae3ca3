import Foundation

/// Turns a ``Figure`` into SVG text.
struct SVGRenderer {
    let figure: Figure
    let left = 70.0, right = 20.0, top = 40.0, bottom = 55.0

    func render() -> String {
        let f = figure
        let (xr, yr) = ranges()
        let plotW = f.width - left - right, plotH = f.height - top - bottom
        func sx(_ x: Double) -> Double { left + (x - xr.lowerBound) / (xr.upperBound - xr.lowerBound) * plotW }
        func sy(_ y: Double) -> Double { top + plotH - (y - yr.lowerBound) / (yr.upperBound - yr.lowerBound) * plotH }
        func n(_ v: Double) -> String { String(format: "%.2f", v) }

        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(n(f.width))" height="\(n(f.height))" viewBox="0 0 \(n(f.width)) \(n(f.height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <defs><clipPath id="plot"><rect x="\(n(left))" y="\(n(top))" width="\(n(plotW))" height="\(n(plotH))"/></clipPath></defs>

        """
        let xt = Ticks.nice(xr), yt = Ticks.nice(yr)
        if f.showGrid {
            s += "<g stroke=\"#e5e5e5\" stroke-width=\"1\">"
            for t in xt { s += "<line x1=\"\(n(sx(t)))\" y1=\"\(n(top))\" x2=\"\(n(sx(t)))\" y2=\"\(n(top + plotH))\"/>" }
            for t in yt { s += "<line x1=\"\(n(left))\" y1=\"\(n(sy(t)))\" x2=\"\(n(left + plotW))\" y2=\"\(n(sy(t)))\"/>" }
            s += "</g>\n"
        }
        s += "<g clip-path=\"url(#plot)\">\n"
        for layer in f.layers {
            switch layer {
            case let .line(x, y, color, width, dashed):
                let pts = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }.map { "\(n(sx($0.0))),\(n(sy($0.1)))" }
                s += "<polyline fill=\"none\" stroke=\"\(color.svg)\" stroke-width=\"\(n(width))\"\(dashed ? " stroke-dasharray=\"6 4\"" : "") stroke-linejoin=\"round\" points=\"\(pts.joined(separator: " "))\"/>\n"
            case let .scatter(x, y, colors, radius):
                s += "<g stroke=\"white\" stroke-width=\"0.5\">"
                for i in x.indices where x[i].isFinite && y[i].isFinite {
                    s += "<circle cx=\"\(n(sx(x[i])))\" cy=\"\(n(sy(y[i])))\" r=\"\(n(radius))\" fill=\"\(colors[i].svg)\"/>"
                }
                s += "</g>\n"
            case let .band(x, lower, upper, color, opacity):
                let up = x.indices.map { "\(n(sx(x[$0]))),\(n(sy(upper[$0])))" }
                let down = x.indices.reversed().map { "\(n(sx(x[$0]))),\(n(sy(lower[$0])))" }
                s += "<polygon fill=\"\(color.svg)\" fill-opacity=\"\(n(opacity))\" stroke=\"none\" points=\"\((up + down).joined(separator: " "))\"/>\n"
            case let .bars(edges, counts, color, opacity):
                s += "<g fill=\"\(color.svg)\" fill-opacity=\"\(n(opacity))\" stroke=\"\(color.svg)\" stroke-width=\"0.8\">"
                for i in counts.indices where counts[i] > 0 {
                    let x0 = sx(edges[i]), x1 = sx(edges[i + 1]), y0 = sy(counts[i]), y1 = sy(Swift.max(0, yr.lowerBound))
                    s += "<rect x=\"\(n(x0))\" y=\"\(n(y0))\" width=\"\(n(x1 - x0))\" height=\"\(n(y1 - y0))\"/>"
                }
                s += "</g>\n"
            case let .regions(xs, ys, classes, opacity):
                // Cell (i, j) spans half-way to its neighbours; equal classes along a row merge into one rect.
                func edges(_ v: [Double]) -> [Double] {
                    guard v.count > 1 else { return [v[0] - 0.5, v[0] + 0.5] }
                    let m = v.count - 1
                    var e: [Double] = [v[0] - (v[1] - v[0]) / 2]
                    for i in 0..<m { e.append((v[i] + v[i + 1]) / 2) }
                    let lastStep: Double = v[m] - v[m - 1]
                    e.append(v[m] + lastStep / 2)
                    return e
                }
                let ex = edges(xs), ey = edges(ys)
                s += "<g fill-opacity=\"\(n(opacity))\" shape-rendering=\"crispEdges\">"
                for j in ys.indices {
                    var i = 0
                    while i < xs.count {
                        var k = i
                        while k + 1 < xs.count && classes[j][k + 1] == classes[j][i] { k += 1 }
                        let c = Color.palette[max(0, classes[j][i]) % 10]
                        // Cell edges on whole pixels, so neighbouring rows share one edge and crisp rendering
                        // leaves no hairline gap between them.
                        let x0 = sx(ex[i]).rounded(), x1 = sx(ex[k + 1]).rounded()
                        let y0 = sy(ey[j + 1]).rounded(), y1 = sy(ey[j]).rounded()
                        s += "<rect x=\"\(n(x0))\" y=\"\(n(Swift.min(y0, y1)))\" width=\"\(n(x1 - x0))\" height=\"\(n(abs(y1 - y0)))\" fill=\"\(c.svg)\"/>"
                        i = k + 1
                    }
                }
                s += "</g>\n"
            case let .contour(segments, levels, labels):
                for (k, points) in segments where !points.isEmpty {
                    let c = Color.ramp(levels.count == 1 ? 0.5 : Double(k) / Double(levels.count - 1))
                    let d = points.map { "M\(n(sx($0.0))) \(n(sy($0.1)))L\(n(sx($0.2))) \(n(sy($0.3)))" }.joined()
                    s += "<path class=\"contour\" data-level=\"\(Ticks.label(levels[k]))\" fill=\"none\" stroke=\"\(c.svg)\" stroke-width=\"1.5\" stroke-linecap=\"round\" d=\"\(d)\"/>\n"
                    if labels {
                        // At the level's rightmost point, so labels of nested curves do not overlap.
                        let p = points.max { $0.0 < $1.0 }!
                        s += "<text x=\"\(n(sx(p.0)))\" y=\"\(n(sy(p.1)))\" font-size=\"10\" fill=\"\(c.svg)\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\" text-anchor=\"middle\">\(escape(Ticks.label(levels[k])))</text>\n"
                    }
                }
            }
        }
        s += "</g>\n"
        // Axes, ticks and labels.
        s += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotW))\" height=\"\(n(plotH))\" fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>\n"
        s += "<g stroke=\"#333\" stroke-width=\"1\">"
        for t in xt { s += "<line x1=\"\(n(sx(t)))\" y1=\"\(n(top + plotH))\" x2=\"\(n(sx(t)))\" y2=\"\(n(top + plotH + 5))\"/>" }
        for t in yt { s += "<line x1=\"\(n(left - 5))\" y1=\"\(n(sy(t)))\" x2=\"\(n(left))\" y2=\"\(n(sy(t)))\"/>" }
        s += "</g>\n<g fill=\"#222\">"
        for t in xt { s += "<text x=\"\(n(sx(t)))\" y=\"\(n(top + plotH + 18))\" text-anchor=\"middle\">\(escape(Ticks.label(t)))</text>" }
        for t in yt { s += "<text x=\"\(n(left - 8))\" y=\"\(n(sy(t) + 4))\" text-anchor=\"end\">\(escape(Ticks.label(t)))</text>" }
        s += "</g>\n"
        if !f.title.isEmpty {
            s += "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(top - 14))\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(escape(f.title))</text>\n"
        }
        if !f.xLabel.isEmpty {
            s += "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(f.height - 12))\" text-anchor=\"middle\" font-size=\"13\">\(escape(f.xLabel))</text>\n"
        }
        if !f.yLabel.isEmpty {
            s += "<text transform=\"translate(18 \(n(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(escape(f.yLabel))</text>\n"
        }
        if f.showLegend && !f.legend.isEmpty {
            let w = 30 + 7 * Double(f.legend.map(\.0.count).max() ?? 0), h = 8 + 18 * Double(f.legend.count)
            let x0 = left + plotW - w - 8, y0 = top + 8
            s += "<g class=\"legend\"><rect x=\"\(n(x0))\" y=\"\(n(y0))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#bbb\"/>"
            for (k, (label, color, mark)) in f.legend.enumerated() {
                let cy = y0 + 13 + 18 * Double(k)
                switch mark {
                case .line(let dashed):
                    s += "<line x1=\"\(n(x0 + 6))\" y1=\"\(n(cy))\" x2=\"\(n(x0 + 24))\" y2=\"\(n(cy))\" stroke=\"\(color.svg)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"4 3\"" : "")/>"
                case .dot: s += "<circle cx=\"\(n(x0 + 15))\" cy=\"\(n(cy))\" r=\"4\" fill=\"\(color.svg)\"/>"
                case .box: s += "<rect x=\"\(n(x0 + 7))\" y=\"\(n(cy - 5))\" width=\"16\" height=\"10\" fill=\"\(color.svg)\" fill-opacity=\"0.5\"/>"
                }
                s += "<text x=\"\(n(x0 + 30))\" y=\"\(n(cy + 4))\">\(escape(label))</text>"
            }
            s += "</g>\n"
        }
        return s + "</svg>\n"
    }

    /// The axis ranges: fixed ones, else the data's (padded by 5 %, bars and regions unpadded).
    func ranges() -> (ClosedRange<Double>, ClosedRange<Double>) {
        var xs: [Double] = [], ys: [Double] = []
        var pad = true
        for l in figure.layers {
            let b = l.bounds
            xs += b.x.filter { $0.isFinite }
            ys += b.y.filter { $0.isFinite }
            if case .regions = l { pad = false }
        }
        func range(_ v: [Double], _ fixed: ClosedRange<Double>?) -> ClosedRange<Double> {
            if let fixed, fixed.upperBound > fixed.lowerBound { return fixed }
            guard var lo = v.min(), var hi = v.max() else { return 0...1 }
            if hi == lo { lo -= 0.5; hi += 0.5 }
            let p = pad ? 0.05 * (hi - lo) : 0
            return (lo - p)...(hi + p)
        }
        return (range(xs, figure.xRange), range(ys, figure.yRange))
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
