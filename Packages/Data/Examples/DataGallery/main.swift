// The figures of docs/data.md, from NablaData's generators drawn with NablaPlot.
//   swift run --package-path Packages/Data DataGallery docs/figures
import Foundation
import NablaData
import NablaPlot

let out = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "."

func columns(_ t: Tensor<Double>) -> ([Double], [Double]) {
    let v = t.scalars
    return (stride(from: 0, to: v.count, by: 2).map { v[$0] }, stride(from: 1, to: v.count, by: 2).map { v[$0] })
}

/// Solves the least-squares problem min ‖A w − b‖ by the normal equations (small, well-scaled here).
func leastSquares(_ a: [[Double]], _ b: [Double], ridge: Double = 1e-10) -> [Double] {
    let n = a[0].count
    var m = (0..<n).map { i in (0..<n).map { j in a.indices.map { a[$0][i] * a[$0][j] }.reduce(0, +) + (i == j ? ridge : 0) } }
    var r = (0..<n).map { i in a.indices.map { a[$0][i] * b[$0] }.reduce(0, +) }
    for c in 0..<n {
        let p = (c..<n).max { abs(m[$0][c]) < abs(m[$1][c]) }!
        m.swapAt(c, p); r.swapAt(c, p)
        for k in (c + 1)..<n {
            let f = m[k][c] / m[c][c]
            for j in c..<n { m[k][j] -= f * m[c][j] }
            r[k] -= f * r[c]
        }
    }
    var w = [Double](repeating: 0, count: n)
    for c in stride(from: n - 1, through: 0, by: -1) {
        w[c] = (r[c] - ((c + 1)..<n).map { m[c][$0] * w[$0] }.reduce(0, +)) / m[c][c]
    }
    return w
}

// 1. The spiral of the course slide.
do {
    let s = Generators.spiral(seed: 0)
    let (x, y) = columns(s.points)
    var fig = Figure(width: 480, height: 480, title: "Spiral, C = 3, N = 100, σ = 0.2", xLabel: "x₁", yLabel: "x₂")
    fig.scatter(x: x, y: y, classes: s.labels.scalars.map(Int.init))
    try fig.write(to: "\(out)/spiral.svg")
}

// 2. Curve fitting: the data of the degree-5 figure, the true curve, the degree-5 fit ± 2σ.
do {
    let (x, y) = Generators.sineRegression(seed: 0)
    let grid = (0...200).map { -5 + 10 * Double($0) / 200 }
    let phi = Features.polynomial(Tensor(x.scalars), degree: 5)
    let rows = (0..<20).map { Array(phi.scalars[($0 * 6)..<($0 * 6 + 6)]) }
    let w = leastSquares(rows, y.scalars)
    let fit = grid.map { g in w.enumerated().map { $0.element * pow(g, Double($0.offset)) }.reduce(0, +) }
    var fig = Figure(title: "Polynomial of degree 5", xLabel: "x", yLabel: "f(x)")
    fig.yRange = -3...3
    fig.band(x: grid, lower: fit.map { $0 - 0.4 }, upper: fit.map { $0 + 0.4 }, label: "fit ± 2σ (σ = 0.2)", color: Color.palette[0])
    fig.line(x: grid, y: grid.map(Generators.sineTarget), label: "f(x) = −sin(x/5) + cos(x)", color: Color.palette[7], dashed: true)
    fig.line(x: grid, y: fit, label: "maximum likelihood fit", color: Color.palette[0])
    fig.scatter(x: x.scalars, y: y.scalars, label: "data (N = 20)", color: Color.palette[1], radius: 4)
    try fig.write(to: "\(out)/regression.svg")
}

// 3. Loss curves: gradient descent on a degree-3 polynomial model, train/validation split of 200 points.
do {
    let (x, y) = Generators.sineRegression(count: 200, seed: 1)
    let (train, valid, _) = try Splits.trainValidationTest(count: 200, validation: 0.25, test: 0, seed: 1)
    let scaler = Standardizer(fitting: Features.polynomial(Tensor(train.map { x.scalars[$0] }), degree: 3, bias: false))
    func design(_ idx: [Int]) -> [[Double]] {
        let p = scaler.transform(Features.polynomial(Tensor(idx.map { x.scalars[$0] }), degree: 3, bias: false)).scalars
        return idx.indices.map { [1] + Array(p[($0 * 3)..<($0 * 3 + 3)]) }
    }
    let at = design(train), av = design(valid), bt = train.map { y.scalars[$0] }, bv = valid.map { y.scalars[$0] }
    func mse(_ a: [[Double]], _ b: [Double], _ w: [Double]) -> Double {
        a.indices.map { i in let e = zip(a[i], w).map(*).reduce(0, +) - b[i]; return e * e }.reduce(0, +) / Double(a.count)
    }
    var w = [0.0, 0, 0, 0]
    var lt: [Double] = [], lv: [Double] = []
    for _ in 0..<60 {
        lt.append(mse(at, bt, w)); lv.append(mse(av, bv, w))
        var g = [0.0, 0, 0, 0]
        for i in at.indices {
            let e = zip(at[i], w).map(*).reduce(0, +) - bt[i]
            for j in 0..<4 { g[j] += 2 * e * at[i][j] / Double(at.count) }
        }
        for j in 0..<4 { w[j] -= 0.1 * g[j] }
    }
    var fig = Figure(title: "Gradient descent, cubic features", xLabel: "epoch", yLabel: "mean squared error")
    fig.line(x: (0..<60).map(Double.init), y: lt, label: "train (150)")
    fig.line(x: (0..<60).map(Double.init), y: lv, label: "validation (50)", dashed: true)
    try fig.write(to: "\(out)/loss.svg")
}

// 4. Decision regions: logistic regression on Φ(x) = (x₁², x₂², √2 x₁x₂) separates two circles.
do {
    let c = Generators.circles(pointsPerClass: 100, factor: 0.5, noise: 0.08, seed: 2)
    let phi = Features.quadratic(c.points).scalars
    let labels = c.labels.scalars.map(Double.init)
    var w = [0.0, 0, 0, 0]
    for _ in 0..<2000 {
        var g = [0.0, 0, 0, 0]
        for i in labels.indices {
            let f = [1, phi[3 * i], phi[3 * i + 1], phi[3 * i + 2]]
            let p = 1 / (1 + exp(-zip(f, w).map(*).reduce(0, +)))
            for j in 0..<4 { g[j] += (p - labels[i]) * f[j] / Double(labels.count) }
        }
        for j in 0..<4 { w[j] -= 1.0 * g[j] }
    }
    let xs = (0...120).map { -1.5 + 3 * Double($0) / 120 }
    let classes = xs.map { gy in xs.map { gx in
        w[0] + w[1] * gx * gx + w[2] * gy * gy + w[3] * 2.0.squareRoot() * gx * gy > 0 ? 1 : 0 } }
    let (px, py) = columns(c.points)
    var fig = Figure(width: 480, height: 480, title: "Logistic regression on Φ(x)", xLabel: "x₁", yLabel: "x₂")
    fig.decisionRegions(xs: xs, ys: xs, classes: classes)
    fig.scatter(x: px, y: py, classes: c.labels.scalars.map(Int.init), classNames: ["outer", "inner"])
    try fig.write(to: "\(out)/decision-regions.svg")
}

// 5. Contours of a Gaussian density with the blobs drawn from it.
do {
    let cov = [[1.0, 0.8], [0.8, 1.0]]
    let b = try Generators.blobs(centers: [[0, 0]], covariance: cov, pointsPerClass: 300, seed: 3)
    let g = (0...80).map { -3.5 + 7 * Double($0) / 80 }
    let det = 1 - 0.64
    let z = g.map { y in g.map { x in exp(-0.5 * (x * x - 1.6 * x * y + y * y) / det) / (2 * Double.pi * det.squareRoot()) } }
    let (px, py) = columns(b.points)
    var fig = Figure(width: 480, height: 480, title: "N(0, Σ), Σ = [[1, 0.8], [0.8, 1]]", xLabel: "x₁", yLabel: "x₂")
    fig.scatter(x: px, y: py, label: "300 samples", color: Color(hex: 0x999999), radius: 2)
    fig.contour(xs: g, ys: g, z: z, levels: [0.01, 0.05, 0.1, 0.15, 0.2, 0.25])
    try fig.write(to: "\(out)/contour.svg")
}

// 6. Histogram of the regression noise against the N(0, 0.2²) density.
do {
    let (x, y) = Generators.sineRegression(count: 5000, seed: 4)
    let r = zip(x.scalars, y.scalars).map { $1 - Generators.sineTarget($0) }
    let grid = (0...100).map { -0.8 + 1.6 * Double($0) / 100 }
    var fig = Figure(title: "Noise of sineRegression (5000 draws)", xLabel: "y − f(x)", yLabel: "density")
    fig.histogram(r, bins: 40, range: -0.8...0.8, density: true, label: "histogram")
    fig.line(x: grid, y: grid.map { exp(-$0 * $0 / 0.08) / (0.2 * (2 * Double.pi).squareRoot()) }, label: "N(0, 0.2²)", color: Color.palette[3])
    try fig.write(to: "\(out)/histogram.svg")
}

// 7. Two moons.
do {
    let m = Generators.twoMoons(pointsPerClass: 150, noise: 0.1, seed: 5)
    let (x, y) = columns(m.points)
    var fig = Figure(width: 560, height: 400, title: "Two moons, noise 0.1", xLabel: "x₁", yLabel: "x₂")
    fig.scatter(x: x, y: y, classes: m.labels.scalars.map(Int.init))
    try fig.write(to: "\(out)/moons.svg")
}
print("wrote 7 figures to \(out)")
