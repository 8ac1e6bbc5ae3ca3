import Foundation
import NablaTensor
import NablaAutograd
import NablaLayers
import NablaOptimizers
import NablaData
import NablaPlot

/// Optimizer paths over contours (001_95bae65057cf9e0b.txt, "Stochastic Gradient Descent" and
/// "Several updates to SGD, like momentum, ADAM, RMSprop").
///
/// Logistic regression with two weights (no bias): `Generators.blobs` around (−1, −0.5) (class 0)
/// and (1, 0.5) (class 1), Σ = I, 100 points per class (seed 12); loss the mean binary
/// cross-entropy L(w) = mean log(1 + e^{−ỹ·wᵀx}) (ỹ = ±1), convex with one minimum. Full-batch
/// gradient descent (`SGD`, lr 1) from (−2, 3.5) until ‖∇L‖ < 1e-10, against mini-batch SGD
/// (batch 10, lr 1, a seeded `DataLoader` (seed 5), `sgdEpochs` epochs). The minimizer w* is
/// found independently by Newton's method on the closed-form gradient and Hessian.
///
/// The ill-conditioned quadratic f(w) = ½(w₁² + 25·w₂²) (condition number 25) from (−4, 1),
/// `quadraticSteps` steps each of `SGD` (lr 0.07), `SGD` with momentum (lr 0.02, momentum 0.9),
/// `Adam` (lr 0.3) and `RMSprop` (lr 0.05), gradients by NablaAutograd, in Double.
public struct OptimizerPathsResult: Sendable {
    /// One optimizer's path: its label and the iterates w₀, w₁, … (each `[w₁, w₂]`).
    public struct Path: Sendable {
        /// The optimizer and its settings, as in the legend.
        public var label: String
        /// The iterates, starting point first.
        public var points: [[Double]]
    }
    /// The logistic loss's minimizer by Newton's method.
    public var logisticOptimum: [Double]
    /// The loss at ``logisticOptimum``.
    public var logisticOptimalLoss: Double
    /// Full-batch gradient descent's path (to ‖∇L‖ < 1e-10).
    public var gradientDescent: Path
    /// Mini-batch SGD's path (one point per step).
    public var stochastic: Path
    /// The quadratic's paths: SGD, momentum, Adam, RMSprop.
    public var quadratic: [Path]
    /// The figures `optimizer-paths-logistic.svg` and `optimizer-paths-quadratic.svg`.
    public var figures: [(name: String, svg: String)]
}

/// The logistic regression data of ``optimizerPaths(sgdEpochs:quadraticSteps:)``: points `[200, 2]`
/// and labels 0/1 as Double.
func logisticPathData() throws -> (x: Tensor<Double>, y: Tensor<Double>) {
    let blobs = try Generators.blobs(centers: [[-1, -0.5], [1, 0.5]], covariance: [[1, 0], [0, 1]],
                                     pointsPerClass: 100, seed: 12)
    return (blobs.points, Tensor(blobs.labels.scalars.map(Double.init)))
}

/// The mean binary cross-entropy of the logits x·w against y, as a differentiable loss.
func logisticLoss(_ x: Tensor<Double>, _ y: Tensor<Double>, _ w: Parameter<Double>) -> Variable<Double> {
    binaryCrossEntropyWithLogits(x.matmul(w.variable), y)
}

/// Newton's method on the mean cross-entropy with the closed forms ∇ = Xᵀ(p − y)/N and
/// H = Xᵀ diag(p(1 − p)) X / N, p = σ(Xw), from 0 until the step is below 1e-15.
func logisticNewton(_ x: Tensor<Double>, _ y: Tensor<Double>) -> [Double] {
    let n = y.count, s = x.scalars, t = y.scalars
    var w = [0.0, 0.0]
    for _ in 0..<100 {
        var g = [0.0, 0.0], h = [0.0, 0.0, 0.0]
        for i in 0..<n {
            let (a, b) = (s[2 * i], s[2 * i + 1])
            let p = sigmoid(a * w[0] + b * w[1]), q = p * (1 - p)
            g[0] += a * (p - t[i]); g[1] += b * (p - t[i])
            h[0] += q * a * a; h[1] += q * a * b; h[2] += q * b * b
        }
        let det = h[0] * h[2] - h[1] * h[1]
        let d = [(h[2] * g[0] - h[1] * g[1]) / det, (h[0] * g[1] - h[1] * g[0]) / det]
        w = [w[0] - d[0], w[1] - d[1]]
        if abs(d[0]) + abs(d[1]) < 1e-15 { break }
    }
    return w
}

/// The path of `optimizer` over `w` when each step's loss is `loss()`: `steps` steps (or until
/// `stop` holds at the current gradient).
func optimizerPath(_ w: Parameter<Double>, _ optimizer: some Optimizer<Double>, steps: Int,
                   stop: (Tensor<Double>) -> Bool = { _ in false }, loss: () -> Variable<Double>) -> [[Double]] {
    var points = [w.value.scalars]
    for _ in 0..<steps {
        optimizer.zeroGradients()
        loss().backward()
        if stop(w.gradient!) { break }
        optimizer.step()
        points.append(w.value.scalars)
    }
    return points
}

/// The quadratic paths: SGD, momentum, Adam and RMSprop on ½(w₁² + 25·w₂²) from (−4, 1).
public func quadraticPaths(steps: Int = 60) throws -> [OptimizerPathsResult.Path] {
    let curvature = Tensor<Double>([0.5, 12.5])            // f(w) = Σ cᵢwᵢ² = ½(w₁² + 25·w₂²)
    func run(_ label: String, _ make: (Parameter<Double>) throws -> any Optimizer<Double>) throws -> OptimizerPathsResult.Path {
        let w = Parameter(Tensor<Double>([-4, 1]))
        let optimizer = try make(w)
        return .init(label: label, points: optimizerPath(w, optimizer, steps: steps) { (w.variable.squared() * curvature).sum() })
    }
    return [
        try run("SGD, lr 0.07") { try SGD([$0], learningRate: 0.07) },
        try run("momentum 0.9, lr 0.02") { try SGD([$0], learningRate: 0.02, momentum: 0.9) },
        try run("Adam, lr 0.3") { try Adam([$0], learningRate: 0.3) },
        try run("RMSprop, lr 0.05") { try RMSprop([$0], learningRate: 0.05) },
    ]
}

/// Runs both comparisons; see ``OptimizerPathsResult``.
public func optimizerPaths(sgdEpochs: Int = 5, quadraticSteps: Int = 60) throws -> OptimizerPathsResult {
    let (x, y) = try logisticPathData()
    let wStar = logisticNewton(x, y)
    let start = Tensor<Double>([-2, 3.5])

    // Full batch: one step per pass over the data.
    let wGD = Parameter(start)
    let gd = optimizerPath(wGD, try SGD([wGD], learningRate: 1), steps: 10_000,
                           stop: { $0.norm().scalar < 1e-10 }) { logisticLoss(x, y, wGD) }
    // Mini-batch: ten samples per step, reshuffled each epoch.
    let wSGD = Parameter(start)
    let sgd = try SGD([wSGD], learningRate: 1)
    let loader = DataLoader(TensorDataset(inputs: x, targets: y), batchSize: 10, shuffle: true, seed: 5, prefetch: 0)
    var sgdPath = [wSGD.value.scalars]
    for epoch in 0..<sgdEpochs {
        for batch in loader.epoch(epoch) {
            sgd.zeroGradients()
            logisticLoss(batch.inputs, batch.targets, wSGD).backward()
            sgd.step()
            sgdPath.append(wSGD.value.scalars)
        }
    }
    let optimalLoss = logisticLoss(x, y, Parameter(Tensor(wStar))).value.scalar

    let quadratic = try quadraticPaths(steps: quadraticSteps)

    // Figures: the paths over the contours of each loss.
    let g1 = linspace(-3, 4, 141), g2 = linspace(-2, 4, 121)
    let s = x.scalars, t = y.scalars
    func loss(_ a: Double, _ b: Double) -> Double {         // mean log(1 + e^{−ỹz}), ỹ = 2y − 1, stably
        var total = 0.0
        for i in t.indices {
            let m = (2 * t[i] - 1) * (a * s[2 * i] + b * s[2 * i + 1])
            total += m > 0 ? log1p(exp(-m)) : -m + log1p(exp(m))
        }
        return total / Double(t.count)
    }
    let grid = g2.map { b in g1.map { a in loss(a, b) } }
    var fig = Figure(width: 600, height: 520, title: "Logistic regression, 2 weights: full batch vs mini-batch (10)",
                     xLabel: "w₁", yLabel: "w₂")
    fig.contour(xs: g1, ys: g2, z: grid, levels: [0.26, 0.28, 0.32, 0.4, 0.55, 0.8, 1.2, 1.8, 2.5])
    fig.line(x: gd.map { $0[0] }, y: gd.map { $0[1] }, label: "gradient descent (\(gd.count - 1) steps)", color: Color.palette[0])
    fig.line(x: sgdPath.map { $0[0] }, y: sgdPath.map { $0[1] }, label: "mini-batch SGD (\(sgdEpochs) epochs)",
             color: Color.palette[3], width: 1.2)
    fig.scatter(x: [wStar[0]], y: [wStar[1]], label: "w* (Newton)", color: Color(hex: 0x000000), radius: 4)

    let q1 = linspace(-4.5, 4.5, 181), q2 = linspace(-1.5, 1.5, 121)
    var fig2 = Figure(width: 640, height: 440, title: "f(w) = ½(w₁² + 25w₂²): SGD, momentum, Adam, RMSprop",
                      xLabel: "w₁", yLabel: "w₂")
    fig2.yRange = -1.5...1.5
    fig2.contour(xs: q1, ys: q2, z: q2.map { b in q1.map { a in 0.5 * (a * a + 25 * b * b) } },
                 levels: [0.1, 0.5, 1, 2, 4, 8, 12], labels: false)
    for (k, path) in quadratic.enumerated() {
        fig2.line(x: path.points.map { $0[0] }, y: path.points.map { $0[1] }, label: path.label, color: Color.palette[k], width: 1.5)
    }
    fig2.scatter(x: [-4, 0], y: [1, 0], label: "start (−4, 1), minimum (0, 0)", color: Color(hex: 0x000000), radius: 4)

    return OptimizerPathsResult(logisticOptimum: wStar, logisticOptimalLoss: optimalLoss,
                                gradientDescent: .init(label: "gradient descent, lr 1", points: gd),
                                stochastic: .init(label: "mini-batch SGD, batch 10, lr 1", points: sgdPath),
                                quadratic: quadratic,
                                figures: [("optimizer-paths-logistic.svg", fig.svg()), ("optimizer-paths-quadratic.svg", fig2.svg())])
}

extension OptimizerPathsResult {
    /// The printed summary.
    public var output: ExampleOutput {
        func distance(_ p: [Double]) -> Double { hypot(p[0] - logisticOptimum[0], p[1] - logisticOptimum[1]) }
        var lines = [
            "logistic regression, w = (w₁, w₂): w* = (\(fmt(logisticOptimum[0], 10)), \(fmt(logisticOptimum[1], 10))) by Newton, L(w*) = \(fmt(logisticOptimalLoss, 10))",
            "  gradient descent: \(gradientDescent.points.count - 1) full-batch steps to ‖∇L‖ < 1e-10, ‖w − w*‖ = \(fmt(distance(gradientDescent.points.last!), 3))",
            "  mini-batch SGD: \(stochastic.points.count - 1) steps of 10 samples, ‖w − w*‖ = \(fmt(distance(stochastic.points.last!), 3)) "
                + "(gradient descent after the same number of samples: \(fmt(distance(gradientDescent.points[min(gradientDescent.points.count - 1, (stochastic.points.count - 1) / 20)]), 3)))",
            "quadratic ½(w₁² + 25w₂²) from (−4, 1), \(quadratic.first!.points.count - 1) steps: distance to the minimum",
        ]
        for path in quadratic {
            lines.append("  \(path.label.padding(toLength: 22, withPad: " ", startingAt: 0)) \(fmt(hypot(path.points.last![0], path.points.last![1]), 4))")
        }
        return ExampleOutput(lines: lines, figures: figures)
    }
}
