import Foundation

/// An RGB colour for SVG figures.
public struct Color: Sendable, Equatable {
    /// Red, green and blue, each in `0...255`.
    public var red: UInt8, green: UInt8, blue: UInt8

    /// A colour from its components.
    public init(red: UInt8, green: UInt8, blue: UInt8) { self.red = red; self.green = green; self.blue = blue }

    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(red: UInt8(hex >> 16 & 255), green: UInt8(hex >> 8 & 255), blue: UInt8(hex & 255))
    }

    /// `#rrggbb`.
    public var svg: String { String(format: "#%02x%02x%02x", red, green, blue) }

    /// Matplotlib's ten "tab10" colours: class `k` of a scatter plot gets `palette[k % 10]`.
    public static let palette: [Color] = [0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                          0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf].map { Color(hex: $0) }

    /// A point of a viridis-like blue–green–yellow ramp, `t` in `0...1` (for contour levels).
    public static func ramp(_ t: Double) -> Color {
        let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let x = Swift.min(Swift.max(t, 0), 1) * Double(stops.count - 1)
        let i = Swift.min(Int(x), stops.count - 2), f = x - Double(i)
        func mix(_ a: Double, _ b: Double) -> UInt8 { UInt8((a + (b - a) * f).rounded()) }
        return Color(red: mix(stops[i].0, stops[i + 1].0), green: mix(stops[i].1, stops[i + 1].1), blue: mix(stops[i].2, stops[i + 1].2))
    }
}

/// Why a figure could not be written.
public enum PlotError: Error, Equatable, LocalizedError {
    /// The file could not be written (`message` from the system).
    case write(path: String, message: String)

    /// The file and the reason.
    public var errorDescription: String? {
        switch self { case let .write(path, message): return "\(path): cannot write the figure: \(message)" }
    }
}

/// A 2-D figure rendered to SVG with no outside dependency: line plots, scatter plots with class
/// colours, filled bands, histograms, decision regions and contours, on one pair of axes with
/// ticks, labels, a title and a legend.
///
/// ```swift
/// var fig = Figure(title: "Training", xLabel: "epoch", yLabel: "loss")
/// fig.line(x: epochs, y: trainLoss, label: "train")
/// fig.line(x: epochs, y: validLoss, label: "validation", dashed: true)
/// try fig.write(to: "loss.svg")
/// ```
///
/// Layers are drawn in the order they are added. The axis ranges cover every layer's data unless
/// set with `xRange` / `yRange`; ticks fall on round numbers (1, 2 or 5 times a power of ten).
public struct Figure: Sendable {
    /// Width and height in SVG pixels.
    public var width: Double, height: Double
    /// The title above the plot.
    public var title: String
    /// The axis labels.
    public var xLabel: String, yLabel: String
    /// Fixed axis ranges (default: the data's range, slightly padded).
    public var xRange: ClosedRange<Double>?, yRange: ClosedRange<Double>?
    /// Whether labelled layers are listed in a legend (top right).
    public var showLegend = true
    /// Whether to draw the grid lines at the ticks.
    public var showGrid = true
    var layers: [Layer] = []
    var legend: [(String, Color, LegendMark)] = []

    /// An empty figure.
    public init(width: Double = 640, height: Double = 440, title: String = "", xLabel: String = "", yLabel: String = "") {
        self.width = width; self.height = height; self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
    }

    enum LegendMark: Sendable { case line(dashed: Bool), dot, box }

    enum Layer: Sendable {
        case line(x: [Double], y: [Double], color: Color, width: Double, dashed: Bool)
        case scatter(x: [Double], y: [Double], colors: [Color], radius: Double)
        case band(x: [Double], lower: [Double], upper: [Double], color: Color, opacity: Double)
        case bars(edges: [Double], counts: [Double], color: Color, opacity: Double)
        case regions(xs: [Double], ys: [Double], classes: [[Int]], opacity: Double)
        case contour(segments: [(level: Int, points: [(Double, Double, Double, Double)])], levels: [Double], labels: Bool)

        var bounds: (x: [Double], y: [Double]) {
            switch self {
            case let .line(x, y, _, _, _), let .scatter(x, y, _, _): return (x, y)
            case let .band(x, lo, hi, _, _): return (x, lo + hi)
            case let .bars(edges, counts, _, _): return (edges, counts + [0])
            case let .regions(xs, ys, _, _): return (xs, ys)
            case let .contour(segments, _, _):
                let p = segments.flatMap { $0.points }
                return (p.flatMap { [$0.0, $0.2] }, p.flatMap { [$0.1, $0.3] })
            }
        }
    }

    private var nextColor: Color { Color.palette[layers.count % Color.palette.count] }

    /// A polyline through `(x[i], y[i])` (e.g. a loss curve).
    public mutating func line(x: [Double], y: [Double], label: String? = nil, color: Color? = nil,
                              width: Double = 2, dashed: Bool = false) {
        precondition(x.count == y.count, "Figure.line: \(x.count) x values, \(y.count) y values")
        let c = color ?? nextColor
        layers.append(.line(x: x, y: y, color: c, width: width, dashed: dashed))
        if let label { legend.append((label, c, .line(dashed: dashed))) }
    }

    /// Points; with `classes`, point `i` takes colour `Color.palette[classes[i]]` and the legend
    /// lists each class (named by `classNames`, else "class k").
    public mutating func scatter(x: [Double], y: [Double], classes: [Int]? = nil, classNames: [String]? = nil,
                                 label: String? = nil, color: Color? = nil, radius: Double = 3) {
        precondition(x.count == y.count, "Figure.scatter: \(x.count) x values, \(y.count) y values")
        if let classes {
            precondition(classes.count == x.count && classes.allSatisfy { $0 >= 0 }, "Figure.scatter: one class ≥ 0 per point")
            layers.append(.scatter(x: x, y: y, colors: classes.map { Color.palette[$0 % 10] }, radius: radius))
            for k in Set(classes).sorted() {
                legend.append((classNames.map { $0.indices.contains(k) ? $0[k] : "class \(k)" } ?? "class \(k)", Color.palette[k % 10], .dot))
            }
        } else {
            let c = color ?? nextColor
            layers.append(.scatter(x: x, y: y, colors: Array(repeating: c, count: x.count), radius: radius))
            if let label { legend.append((label, c, .dot)) }
        }
    }

    /// A filled band between `lower` and `upper` over `x` (e.g. a mean ± 2σ predictive band).
    public mutating func band(x: [Double], lower: [Double], upper: [Double], label: String? = nil,
                              color: Color? = nil, opacity: Double = 0.25) {
        precondition(x.count == lower.count && x.count == upper.count, "Figure.band: x, lower and upper differ in length")
        let c = color ?? nextColor
        layers.append(.band(x: x, lower: lower, upper: upper, color: c, opacity: opacity))
        if let label { legend.append((label, c, .box)) }
    }

    /// A histogram of `values` in `bins` equal bins over their range (or `range`); with `density`
    /// the bar heights integrate to 1.
    public mutating func histogram(_ values: [Double], bins: Int = 20, range: ClosedRange<Double>? = nil,
                                   density: Bool = false, label: String? = nil, color: Color? = nil, opacity: Double = 0.6) {
        precondition(bins >= 1, "Figure.histogram: bins must be ≥ 1")
        let finite = values.filter { $0.isFinite }
        let lo = range?.lowerBound ?? finite.min() ?? 0
        var hi = range?.upperBound ?? finite.max() ?? 1
        if hi <= lo { hi = lo + 1 }
        let w = (hi - lo) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in finite where v >= lo && v <= hi { counts[Swift.min(bins - 1, Int((v - lo) / w))] += 1 }
        if density { let total = counts.reduce(0, +); if total > 0 { counts = counts.map { $0 / (total * w) } } }
        let c = color ?? nextColor
        layers.append(.bars(edges: (0...bins).map { lo + Double($0) * w }, counts: counts, color: c, opacity: opacity))
        if let label { legend.append((label, c, .box)) }
    }

    /// The decision regions of a classifier: `classes[j][i]` is the class predicted at
    /// `(xs[i], ys[j])` on a grid; each grid cell is filled with its class's palette colour.
    public mutating func decisionRegions(xs: [Double], ys: [Double], classes: [[Int]], opacity: Double = 0.3) {
        precondition(classes.count == ys.count && classes.allSatisfy { $0.count == xs.count },
                     "Figure.decisionRegions: classes must be ys.count rows of xs.count")
        layers.append(.regions(xs: xs, ys: ys, classes: classes, opacity: opacity))
    }

    /// Contour lines of `z[j][i]` = f(xs[i], ys[j]) at `levels` (default: `count` evenly spaced
    /// levels strictly inside z's range), traced by marching squares; each level is one SVG `<path>`
    /// coloured along a blue–yellow ramp, labelled with its value when `labels`.
    public mutating func contour(xs: [Double], ys: [Double], z: [[Double]], levels: [Double]? = nil, count: Int = 8,
                                 labels: Bool = true) {
        precondition(z.count == ys.count && z.allSatisfy { $0.count == xs.count } && xs.count >= 2 && ys.count >= 2,
                     "Figure.contour: z must be ys.count rows of xs.count, at least 2×2")
        let flat = z.flatMap { $0 }.filter { $0.isFinite }
        let lo = flat.min() ?? 0, hi = flat.max() ?? 1
        let lv = levels ?? (1...count).map { lo + (hi - lo) * Double($0) / Double(count + 1) }
        let segments = lv.enumerated().map { (k, level) in (k, Contour.segments(xs: xs, ys: ys, z: z, level: level)) }
        layers.append(.contour(segments: segments.map { (level: $0.0, points: $0.1) }, levels: lv, labels: labels))
    }

    /// The figure as an SVG document.
    public func svg() -> String { SVGRenderer(figure: self).render() }

    /// Writes ``svg()`` to `path`.
    /// - Throws: ``PlotError/write(path:message:)``.
    public func write(to path: String) throws {
        do { try svg().write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw PlotError.write(path: path, message: error.localizedDescription)
        }
    }
}

/// Round tick positions for an axis.
public enum Ticks {
    /// About `target` ticks covering `range`, at multiples of 1, 2 or 5 times a power of ten.
    public static func nice(_ range: ClosedRange<Double>, target: Int = 6) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(Swift.max(1, target - 1))
        let p = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= raw } ?? 10 * p
        let first = (range.lowerBound / step).rounded(.up)
        var ticks: [Double] = []
        var k = first
        while k * step <= range.upperBound + step * 1e-9 {
            let v = k * step
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            k += 1
        }
        return ticks
    }

    /// A short label for a tick value (no trailing zeros; scientific for very large or small values).
    public static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e5 || abs(v) < 1e-3 { return String(format: "%g", v) }
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }
}

/// Marching squares.
public enum Contour {
    /// The line segments `(x₁, y₁, x₂, y₂)` where the bilinear interpolation of `z[j][i]` over the
    /// grid `(xs[i], ys[j])` crosses `level`. Saddle cells are resolved by the cell-centre average.
    public static func segments(xs: [Double], ys: [Double], z: [[Double]], level: Double) -> [(Double, Double, Double, Double)] {
        var out: [(Double, Double, Double, Double)] = []
        for j in 0..<(ys.count - 1) {
            for i in 0..<(xs.count - 1) {
                // Corners counter-clockwise from bottom-left.
                let v = [z[j][i], z[j][i + 1], z[j + 1][i + 1], z[j + 1][i]]
                if v.contains(where: { !$0.isFinite }) { continue }
                let px = [xs[i], xs[i + 1], xs[i + 1], xs[i]], py = [ys[j], ys[j], ys[j + 1], ys[j + 1]]
                func cross(_ a: Int, _ b: Int) -> (Double, Double) {
                    let t = (level - v[a]) / (v[b] - v[a])
                    return (px[a] + t * (px[b] - px[a]), py[a] + t * (py[b] - py[a]))
                }
                // Edges 0: 0–1 (bottom), 1: 1–2 (right), 2: 2–3 (top), 3: 3–0 (left).
                let edges = [(0, 1), (1, 2), (2, 3), (3, 0)]
                let crossing = edges.indices.filter { e in (v[edges[e].0] >= level) != (v[edges[e].1] >= level) }
                let points = crossing.map { cross(edges[$0].0, edges[$0].1) }
                if points.count == 2 {
                    out.append((points[0].0, points[0].1, points[1].0, points[1].1))
                } else if points.count == 4 {
                    let centreAbove = v.reduce(0, +) / 4 >= level
                    let corner0Above = v[0] >= level
                    // Connect so that the centre joins the corners on its own side.
                    if centreAbove == corner0Above {
                        out.append((points[0].0, points[0].1, points[1].0, points[1].1))
                        out.append((points[2].0, points[2].1, points[3].0, points[3].1))
                    } else {
                        out.append((points[0].0, points[0].1, points[3].0, points[3].1))
                        out.append((points[1].0, points[1].1, points[2].0, points[2].1))
                    }
                }
            }
        }
        return out
    }
}
