import Foundation
import NablaTensor
import NablaData
import NablaPlot

/// A linear classifier's score b + w₁x₁ + w₂x₂ as `[b, w₁, w₂]`; class 1 when positive.
public typealias LinearBoundary = [Double]

/// Two overlapping Gaussian classes with a shared covariance, five classifiers, and outliers.
///
/// Data: `Generators.blobs` with means (−1, 0) (class 0) and (+1, 0) (class 1), Σ = I: training
/// `trainPerClass` points per class (seed 3), test `testPerClass` per class (seed 4). The Bayes
/// classifier is x₁ > 0 and its accuracy is Φ(1) = 0.841344746 (the distance from each mean to the
/// boundary is 1σ).
public struct ClassificationResult: Sendable {
    /// The Bayes-optimal accuracy Φ(1).
    public static let bayesAccuracy = 0.8413447460685429
    /// LDA: w = Σ̂⁻¹(μ̂₁ − μ̂₀), b = −½μ̂₁ᵀΣ̂⁻¹μ̂₁ + ½μ̂₀ᵀΣ̂⁻¹μ̂₀ + log(n₁/n₀), Σ̂ the pooled covariance.
    public var lda: LinearBoundary
    /// The largest |p(y = 1 | x) − σ(wᵀx + b)| over the test points, the posterior computed from the
    /// two fitted Gaussian densities and priors by Bayes' rule: LDA's posterior is exactly a sigmoid.
    public var ldaPosteriorMismatch: Double
    /// Logistic regression by gradient descent on the mean cross-entropy (lr 1, `logisticSteps` steps from 0).
    public var logistic: LinearBoundary
    /// The perceptron (labels ±1, w ← w + y·x on each mistake, 20 epochs in a Philox-shuffled order, seed 5).
    public var perceptron: LinearBoundary
    /// Least squares on targets ±1 (lstsq).
    public var leastSquares: LinearBoundary
    /// Rectangular cuts: class 1 when x₁ > c₁ and |x₂| < c₂, the cuts chosen on the training set
    /// (c₁ among the training x₁, c₂ among ∞ and 20 quantiles of |x₂|).
    public var cuts: (c1: Double, c2: Double)
    /// Test accuracy of each classifier, by name (`lda`, `logistic`, `perceptron`, `least squares`, `cuts`, `bayes`).
    public var testAccuracy: [String: Double]
    /// Least squares and logistic regression refitted with `outliers` far class-1 points added near
    /// (7, −7), on the correct side.
    public var leastSquaresWithOutliers: LinearBoundary, logisticWithOutliers: LinearBoundary
    /// Test accuracy of those two refits.
    public var testAccuracyWithOutliers: (leastSquares: Double, logistic: Double)
    /// The angle (degrees) each boundary turned when the outliers were added.
    public var boundaryRotation: (leastSquares: Double, logistic: Double)
    /// The figures `classifiers.svg` and `outliers.svg`.
    public var figures: [(name: String, svg: String)]
}

/// Logistic regression by full-batch gradient descent on rows `[1, x₁, x₂]`, labels 0/1.
func logisticGD(_ X: [[Double]], _ y: [Double], learningRate: Double = 1, steps: Int) -> [Double] {
    var w = [Double](repeating: 0, count: X[0].count)
    let n = Double(X.count)
    for _ in 0..<steps {
        var g = [Double](repeating: 0, count: w.count)
        for (i, x) in X.enumerated() {
            let r = sigmoid(dot(x, w)) - y[i]
            for j in w.indices { g[j] += r * x[j] }
        }
        for j in w.indices { w[j] -= learningRate * g[j] / n }
    }
    return w
}

/// Accuracy of a linear boundary on rows `[1, x₁, x₂]`, labels 0/1.
func accuracy(_ w: [Double], _ X: [[Double]], _ y: [Double]) -> Double {
    var right = 0
    for (i, x) in X.enumerated() where (dot(x, w) > 0) == (y[i] == 1) { right += 1 }
    return Double(right) / Double(X.count)
}

/// The angle in degrees between the normals of two boundaries.
func rotation(_ a: LinearBoundary, _ b: LinearBoundary) -> Double {
    let c = (a[1] * b[1] + a[2] * b[2]) / ((a[1] * a[1] + a[2] * a[2]) * (b[1] * b[1] + b[2] * b[2])).squareRoot()
    return acos(min(1, max(-1, c))) * 180 / Double.pi
}

/// The boundary b + w₁x₁ + w₂x₂ = 0 as a segment for x₂ in `range` (or x₁ when it is nearly horizontal).
func boundaryLine(_ w: LinearBoundary, _ range: ClosedRange<Double>) -> (x: [Double], y: [Double]) {
    if abs(w[1]) >= abs(w[2]) {
        let ys = [range.lowerBound, range.upperBound]
        return (ys.map { -(w[0] + w[2] * $0) / w[1] }, ys)
    }
    let xs = [range.lowerBound, range.upperBound]
    return (xs, xs.map { -(w[0] + w[1] * $0) / w[2] })
}

/// Runs the five classifiers and the outlier experiment; see ``ClassificationResult``.
public func classification(trainPerClass: Int = 200, testPerClass: Int = 50_000, outliers: Int = 20,
                           logisticSteps: Int = 2000) throws -> ClassificationResult {
    let centers = [[-1.0, 0], [1.0, 0]], cov = [[1.0, 0], [0, 1.0]]
    let train = try Generators.blobs(centers: centers, covariance: cov, pointsPerClass: trainPerClass, seed: 3)
    let test = try Generators.blobs(centers: centers, covariance: cov, pointsPerClass: testPerClass, seed: 4)
    func rows(_ p: LabeledPoints) -> ([[Double]], [Double]) {
        let s = p.points.scalars
        return ((0..<p.labels.shape[0]).map { [1, s[2 * $0], s[2 * $0 + 1]] }, p.labels.scalars.map { Double($0) })
    }
    let (X, y) = rows(train), (Xt, yt) = rows(test)

    // LDA.
    var mu = [[0.0, 0], [0.0, 0]], counts = [0.0, 0]
    for (i, x) in X.enumerated() { let k = Int(y[i]); mu[k][0] += x[1]; mu[k][1] += x[2]; counts[k] += 1 }
    mu = (0..<2).map { k in mu[k].map { $0 / counts[k] } }
    var S = [[0.0, 0], [0.0, 0]]
    for (i, x) in X.enumerated() {
        let k = Int(y[i]), d = [x[1] - mu[k][0], x[2] - mu[k][1]]
        for a in 0..<2 { for b in 0..<2 { S[a][b] += d[a] * d[b] } }
    }
    S = S.map { $0.map { $0 / (Double(X.count) - 2) } }
    let Sinv = try tensor(S).inverse().scalars      // 2×2 row-major
    let Si: ([Double]) -> [Double] = { v in [Sinv[0] * v[0] + Sinv[1] * v[1], Sinv[2] * v[0] + Sinv[3] * v[1]] }
    let wl = Si([mu[1][0] - mu[0][0], mu[1][1] - mu[0][1]])
    let bl = -0.5 * dot(mu[1], Si(mu[1])) + 0.5 * dot(mu[0], Si(mu[0])) + log(counts[1] / counts[0])
    let lda = [bl, wl[0], wl[1]]
    // Bayes' rule with the fitted densities (the normalizing constants cancel, Σ shared).
    var mismatch = 0.0
    for x in Xt.prefix(2000) {
        let v = [x[1], x[2]]
        func q(_ k: Int) -> Double { let d = [v[0] - mu[k][0], v[1] - mu[k][1]]; return exp(-0.5 * dot(d, Si(d))) }
        let p1 = q(1) * counts[1] / (q(0) * counts[0] + q(1) * counts[1])
        mismatch = max(mismatch, abs(p1 - sigmoid(dot(x, lda))))
    }

    let logistic = logisticGD(X, y, steps: logisticSteps)

    var wp = [0.0, 0, 0]
    var g = PhiloxGenerator(seed: 5)
    for _ in 0..<20 {
        var order = Array(X.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(g.next() % UInt64(i + 1))) }
        for i in order {
            let t = y[i] == 1 ? 1.0 : -1.0
            if t * dot(X[i], wp) <= 0 { for j in 0..<3 { wp[j] += t * X[i][j] } }
        }
    }

    let ls = try lstsq(X, y.map { $0 == 1 ? 1 : -1 })

    let c1s = X.map { $0[1] }.sorted()
    let absx2 = X.map { abs($0[2]) }.sorted()
    let c2s = [Double.infinity] + (1...20).map { absx2[min(absx2.count - 1, $0 * absx2.count / 21)] }
    var bestCuts = (c1: 0.0, c2: Double.infinity), bestRight = -1
    for c2 in c2s {
        for c1 in c1s {
            var right = 0
            for (i, x) in X.enumerated() where ((x[1] > c1 && abs(x[2]) < c2) == (y[i] == 1)) { right += 1 }
            if right > bestRight { bestRight = right; bestCuts = (c1, c2) }
        }
    }
    var cutRight = 0
    for (i, x) in Xt.enumerated() where ((x[1] > bestCuts.c1 && abs(x[2]) < bestCuts.c2) == (yt[i] == 1)) { cutRight += 1 }
    var bayesRight = 0
    for (i, x) in Xt.enumerated() where ((x[1] > 0) == (yt[i] == 1)) { bayesRight += 1 }

    // Outliers: class 1, far on the correct side.
    var go = PhiloxGenerator(seed: 6)
    let extra = (0..<outliers).map { _ in [1, 7 + 0.5 * normal(&go), -7 + 0.5 * normal(&go)] }
    let Xo = X + extra, yo = y + [Double](repeating: 1, count: outliers)
    let lsO = try lstsq(Xo, yo.map { $0 == 1 ? 1 : -1 })
    let logO = logisticGD(Xo, yo, steps: logisticSteps)

    let acc: [String: Double] = [
        "lda": accuracy(lda, Xt, yt), "logistic": accuracy(logistic, Xt, yt), "perceptron": accuracy(wp, Xt, yt),
        "least squares": accuracy(ls, Xt, yt), "cuts": Double(cutRight) / Double(Xt.count),
        "bayes": Double(bayesRight) / Double(Xt.count),
    ]

    // Figures.
    let cls = y.map { Int($0) }
    var fig = Figure(title: "Two Gaussian classes, Σ = I: five classifiers", xLabel: "x₁", yLabel: "x₂")
    fig.xRange = -4...4; fig.yRange = -4...4
    fig.scatter(x: X.map { $0[1] }, y: X.map { $0[2] }, classes: cls, radius: 2.5)
    for (name, w, dashed) in [("LDA", lda, false), ("logistic", logistic, true), ("perceptron", wp, false),
                              ("least squares", ls, true)] {
        let l = boundaryLine(w, -4...4)
        fig.line(x: l.x, y: l.y, label: name, dashed: dashed)
    }
    let c2 = min(bestCuts.c2, 4)
    fig.line(x: [4, bestCuts.c1, bestCuts.c1, 4], y: [c2, c2, -c2, -c2], label: "rectangular cuts", color: Color(hex: 0x000000))

    var fig2 = Figure(title: "\(outliers) far outliers on the correct side", xLabel: "x₁", yLabel: "x₂")
    fig2.xRange = -4...9; fig2.yRange = -9...4
    fig2.scatter(x: Xo.map { $0[1] }, y: Xo.map { $0[2] }, classes: cls + [Int](repeating: 1, count: outliers), radius: 2.5)
    for (name, w, dashed, c) in [("least squares", ls, true, Color.palette[3]), ("least squares + outliers", lsO, false, Color.palette[3]),
                                 ("logistic", logistic, true, Color.palette[2]), ("logistic + outliers", logO, false, Color.palette[2])] {
        let l = boundaryLine(w, -9...4)
        fig2.line(x: l.x, y: l.y, label: name, color: c, dashed: dashed)
    }

    return ClassificationResult(lda: lda, ldaPosteriorMismatch: mismatch, logistic: logistic, perceptron: wp,
                                leastSquares: ls, cuts: bestCuts, testAccuracy: acc,
                                leastSquaresWithOutliers: lsO, logisticWithOutliers: logO,
                                testAccuracyWithOutliers: (accuracy(lsO, Xt, yt), accuracy(logO, Xt, yt)),
                                boundaryRotation: (rotation(ls, lsO), rotation(logistic, logO)),
                                figures: [("classifiers.svg", fig.svg()), ("outliers.svg", fig2.svg())])
}

extension ClassificationResult {
    /// The printed summary.
    public var output: ExampleOutput {
        func show(_ w: LinearBoundary) -> String { "b = \(fmt(w[0], 5)), w = (\(fmt(w[1], 5)), \(fmt(w[2], 5)))" }
        var lines = ["Bayes-optimal accuracy Φ(1) = \(fmt(Self.bayesAccuracy, 6)); the Bayes rule x₁ > 0 on this test set: \(fmt(testAccuracy["bayes"]!, 6))"]
        lines.append("LDA:           \(show(lda))  test accuracy \(fmt(testAccuracy["lda"]!, 6)); max |Bayes posterior − σ(wᵀx+b)| = \(fmt(ldaPosteriorMismatch, 3))")
        lines.append("logistic:      \(show(logistic))  test accuracy \(fmt(testAccuracy["logistic"]!, 6))")
        lines.append("perceptron:    \(show(perceptron))  test accuracy \(fmt(testAccuracy["perceptron"]!, 6))")
        lines.append("least squares: \(show(leastSquares))  test accuracy \(fmt(testAccuracy["least squares"]!, 6))")
        lines.append("cuts: x₁ > \(fmt(cuts.c1, 5)) and |x₂| < \(fmt(cuts.c2, 5))  test accuracy \(fmt(testAccuracy["cuts"]!, 6))")
        lines.append("with outliers: least squares \(show(leastSquaresWithOutliers)) turned \(fmt(boundaryRotation.leastSquares, 4))°, accuracy \(fmt(testAccuracyWithOutliers.leastSquares, 6))")
        lines.append("               logistic      \(show(logisticWithOutliers)) turned \(fmt(boundaryRotation.logistic, 4))°, accuracy \(fmt(testAccuracyWithOutliers.logistic, 6))")
        return ExampleOutput(lines: lines, figures: figures)
    }
}
