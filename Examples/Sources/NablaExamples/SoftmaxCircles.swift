import Foundation
import NablaTensor
import NablaData
import NablaPlot

/// Softmax regression on three classes, and logistic regression on the quadratic features Φ
/// separating two concentric circles.
///
/// Softmax: `Generators.blobs` around (0, 2), (−2, −1), (2, −1) with Σ = 0.5·I, 100 points per class
/// (seed 8); weights W (3×3 over [1, x₁, x₂]) by full-batch gradient descent on the mean
/// cross-entropy, ∇ = Xᵀ(softmax(XW) − Y)/N, lr 0.5, `steps` steps from 0.
/// Circles: `Generators.circles(pointsPerClass: 100, factor: 0.5, noise: 0.05, seed: 9)`; logistic
/// regression on [1, x₁, x₂] and on [1, Φ(x)], Φ(x) = (x₁², x₂², √2·x₁x₂) (`Features.quadratic`),
/// each by gradient descent (lr 1, `steps` steps).
public struct SoftmaxCirclesResult: Sendable {
    /// The softmax weights, 3 rows (bias, x₁, x₂) × 3 classes.
    public var softmaxWeights: [[Double]]
    /// Training accuracy of softmax regression.
    public var softmaxAccuracy: Double
    /// Mean cross-entropy after training.
    public var softmaxLoss: Double
    /// Training accuracy of logistic regression on the raw coordinates and on Φ.
    public var circlesLinearAccuracy: Double, circlesQuadraticAccuracy: Double
    /// The logistic weights on [1, Φ].
    public var quadraticWeights: [Double]
    /// The figures `softmax.svg` and `circles.svg`.
    public var figures: [(name: String, svg: String)]
}

/// Softmax of a row of scores, stable.
func softmax(_ z: [Double]) -> [Double] {
    let m = z.max()!
    let e = z.map { exp($0 - m) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}

/// Runs both; see ``SoftmaxCirclesResult``.
public func softmaxAndCircles(steps: Int = 1000) throws -> SoftmaxCirclesResult {
    let blobs = try Generators.blobs(centers: [[0, 2], [-2, -1], [2, -1]], covariance: [[0.5, 0], [0, 0.5]],
                                     pointsPerClass: 100, seed: 8)
    let s = blobs.points.scalars
    let X: [[Double]] = (0..<300).map { (i: Int) -> [Double] in [1, s[2 * i], s[2 * i + 1]] }
    let labels = blobs.labels.scalars.map { Int($0) }
    var W = [[Double]](repeating: [0, 0, 0], count: 3)       // W[feature][class]
    func scores(_ x: [Double]) -> [Double] { (0..<3).map { k in (0..<3).reduce(0) { $0 + x[$1] * W[$1][k] } } }
    for _ in 0..<steps {
        var G = [[Double]](repeating: [0, 0, 0], count: 3)
        for (i, x) in X.enumerated() {
            var p = softmax(scores(x))
            p[labels[i]] -= 1
            for j in 0..<3 { for k in 0..<3 { G[j][k] += x[j] * p[k] } }
        }
        for j in 0..<3 { for k in 0..<3 { W[j][k] -= 0.5 * G[j][k] / 300 } }
    }
    var right = 0, loss = 0.0
    for (i, x) in X.enumerated() {
        let p = softmax(scores(x))
        if p.indices.max(by: { p[$0] < p[$1] }) == labels[i] { right += 1 }
        loss -= log(p[labels[i]])
    }

    let circles = Generators.circles(pointsPerClass: 100, factor: 0.5, noise: 0.05, seed: 9)
    let c = circles.points.scalars
    let yc = circles.labels.scalars.map { Double($0) }
    let raw: [[Double]] = (0..<200).map { (i: Int) -> [Double] in [1, c[2 * i], c[2 * i + 1]] }
    let phi = Features.quadratic(circles.points).scalars
    let quad: [[Double]] = (0..<200).map { (i: Int) -> [Double] in [1, phi[3 * i], phi[3 * i + 1], phi[3 * i + 2]] }
    let wRaw = logisticGD(raw, yc, steps: steps)
    let wQuad = logisticGD(quad, yc, steps: steps)

    let grid = linspace(-4, 4, 121)
    var fig = Figure(title: "Softmax regression, 3 classes", xLabel: "x₁", yLabel: "x₂")
    fig.decisionRegions(xs: grid, ys: grid, classes: grid.map { b in grid.map { a in
        let p = scores([1, a, b]); return p.indices.max { p[$0] < p[$1] }! } })
    fig.scatter(x: X.map { $0[1] }, y: X.map { $0[2] }, classes: labels)
    let g2 = linspace(-1.5, 1.5, 121)
    var fig2 = Figure(title: "Logistic regression on Φ(x) = (x₁², x₂², √2x₁x₂)", xLabel: "x₁", yLabel: "x₂")
    fig2.decisionRegions(xs: g2, ys: g2, classes: g2.map { b in g2.map { a in
        let f: [Double] = [1, a * a, b * b, 2.0.squareRoot() * a * b]
        return dot(f, wQuad) > 0 ? 1 : 0 } })
    fig2.scatter(x: raw.map { $0[1] }, y: raw.map { $0[2] }, classes: yc.map { Int($0) }, classNames: ["outer", "inner"])
    let l = boundaryLine(wRaw, -1.5...1.5)
    fig2.line(x: l.x, y: l.y, label: "best linear boundary (raw x)", color: Color(hex: 0x000000), dashed: true)

    return SoftmaxCirclesResult(softmaxWeights: W, softmaxAccuracy: Double(right) / 300, softmaxLoss: loss / 300,
                                circlesLinearAccuracy: accuracy(wRaw, raw, yc), circlesQuadraticAccuracy: accuracy(wQuad, quad, yc),
                                quadraticWeights: wQuad, figures: [("softmax.svg", fig.svg()), ("circles.svg", fig2.svg())])
}

extension SoftmaxCirclesResult {
    /// The printed summary.
    public var output: ExampleOutput {
        ExampleOutput(lines: [
            "softmax regression: training accuracy \(fmt(softmaxAccuracy, 5)), mean cross-entropy \(fmt(softmaxLoss, 6))",
            "circles: logistic on (x₁, x₂) accuracy \(fmt(circlesLinearAccuracy, 4)); on Φ(x) accuracy \(fmt(circlesQuadraticAccuracy, 4))",
            "  weights on [1, x₁², x₂², √2x₁x₂]: " + quadraticWeights.map { fmt($0, 5) }.joined(separator: ", "),
        ], figures: figures)
    }
}

/// Points of the unit circle of the p-norm, ‖x‖_p = (Σ|xᵢ|^p)^{1/p} = 1 (p = ∞: max|xᵢ| = 1), as in
/// Figure 3 of 004_5d551f2dbce848d8.txt: the point in direction θ is (cos θ, sin θ)/‖(cos θ, sin θ)‖_p.
public func pNormCircle(p: Double, points: Int = 361) -> (x: [Double], y: [Double]) {
    var xs: [Double] = [], ys: [Double] = []
    for k in 0..<points {
        let t = 2 * Double.pi * Double(k) / Double(points - 1)
        let (c, s) = (cos(t), sin(t))
        let n = pNorm([c, s], p: p)
        xs.append(c / n); ys.append(s / n)
    }
    return (xs, ys)
}

/// ‖v‖_p = (Σ|vᵢ|^p)^{1/p}; p = ∞ gives max|vᵢ|.
public func pNorm(_ v: [Double], p: Double) -> Double {
    if p.isInfinite { return v.map(abs).max() ?? 0 }
    return pow(v.reduce(0) { $0 + pow(abs($1), p) }, 1 / p)
}

/// The p-norm unit circles for p = 0.5, 1, 1.5, 2, 3, 4, ∞: the figure `p-norm-circles.svg`, and
/// the norms of (3, −4) (‖·‖₁ = 7, ‖·‖₂ = 5, ‖·‖_∞ = 4) as printed lines.
public func pNormCircles(ps: [Double] = [0.5, 1, 1.5, 2, 3, 4, .infinity]) -> ExampleOutput {
    var fig = Figure(width: 520, height: 520, title: "Unit circles ‖x‖_p = 1", xLabel: "x₁", yLabel: "x₂")
    fig.xRange = -1.2...1.2; fig.yRange = -1.2...1.2
    for p in ps {
        let c = pNormCircle(p: p)
        fig.line(x: c.x, y: c.y, label: p.isInfinite ? "p = ∞" : "p = \(fmt(p, 3))" + (p < 1 ? " (not a norm)" : ""), dashed: p < 1)
    }
    let v = [3.0, -4.0]
    return ExampleOutput(lines: ps.map { "‖(3, −4)‖_\($0.isInfinite ? "∞" : fmt($0, 3)) = \(fmt(pNorm(v, p: $0), 10))" },
                         figures: [("p-norm-circles.svg", fig.svg())])
}
