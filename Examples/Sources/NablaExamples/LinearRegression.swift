import Foundation
import NablaTensor
import NablaPlot

/// Linear regression three ways, and the step-size lesson of gradient descent.
///
/// Data: `count` points, x ~ U[−2, 2], y = 1 + 0.5·x + 0.3·ε (Philox seed `seed`; per point one
/// uniform for x, then all the noise). The design matrix is X = [1, x].
public struct LinearRegressionResult: Sendable {
    /// The inputs x.
    public var x: [Double]
    /// The targets y.
    public var y: [Double]
    /// w* from the normal equation solved stably by LAPACK's least squares (`gelsd`, through the SVD).
    public var leastSquares: [Double]
    /// w* from the QR factorization X = QR: R·w = Qᵀy by back substitution.
    public var qr: [Double]
    /// w* from the normal equation with the explicit inverse (XᵀX)⁻¹Xᵀy (for comparison only: it
    /// squares the condition number).
    public var normalEquationInverse: [Double]
    /// w from gradient descent on ½·mean((Xw − y)²) from w = 0 until the gradient's norm is below 1e-13.
    public var gradientDescent: [Double]
    /// The number of gradient-descent steps taken.
    public var gradientDescentSteps: Int
    /// The training loss ½·mean((Xw − y)²) after each gradient-descent step (the first 200).
    public var lossCurve: [Double]
    /// The largest difference between the gradient-descent and the least-squares weights.
    public var maxDifference: Double
    /// The figures: `linear-regression.svg` (data and fit) and `step-size.svg`.
    public var figures: [(name: String, svg: String)]
}

/// Gradient descent on f(x) = x² from x₀: x_{k+1} = x_k − lr·2x_k = (1 − 2·lr)·x_k, so
/// x_k = (1 − 2·lr)ᵏ·x₀: it converges for 0 < lr < 1, oscillates forever at lr = 1 and diverges
/// for lr > 1 (001_95bae65057cf9e0b.txt, "Step Sizes").
public struct StepSizeRun: Sendable {
    /// The learning rate.
    public var learningRate: Double
    /// x₀, x₁, …, x_steps as computed by the update x ← x − lr·f′(x).
    public var iterates: [Double]
    /// Whether |x| shrank (|1 − 2·lr| < 1).
    public var converges: Bool { abs(1 - 2 * learningRate) < 1 }
}

/// Runs gradient descent on f(x) = x² from `x0` for `steps` steps with each learning rate.
public func stepSizeLesson(learningRates: [Double] = [0.1, 0.5, 0.9, 1.0, 1.1], x0: Double = 1, steps: Int = 20) -> [StepSizeRun] {
    learningRates.map { lr in
        var x = x0
        var xs = [x]
        for _ in 0..<steps {
            let gradient = 2 * x           // f′(x) = 2x
            x = x - lr * gradient
            xs.append(x)
        }
        return StepSizeRun(learningRate: lr, iterates: xs)
    }
}

/// Fits y = w₀ + w₁x by least squares (gelsd), QR, the explicit normal equation and gradient
/// descent (learning rate `learningRate`), and runs the step-size lesson.
public func linearRegression(count: Int = 50, seed: UInt64 = 1, learningRate: Double = 0.3) throws -> LinearRegressionResult {
    var g = PhiloxGenerator(seed: seed)
    let x = (0..<count).map { _ in -2 + 4 * uniform(&g) }
    let y = x.map { 1 + 0.5 * $0 + 0.3 * normal(&g) }
    let X = x.map { [1, $0] }

    let wLS = try lstsq(X, y)

    // QR: X = QR, R upper triangular 2×2; w = R⁻¹Qᵀy by back substitution.
    let (Q, R) = tensor(X).qr()
    let qty = Q.transposed().matmul(Tensor(shape: [count, 1], scalars: y)).scalars
    let r = R.scalars                        // row-major 2×2
    let w1 = qty[1] / r[3]
    let wQR = [(qty[0] - r[1] * w1) / r[0], w1]

    // The textbook formula, (XᵀX)⁻¹Xᵀy.
    let Xt = tensor(X).transposed()
    let wInv = try Xt.matmul(tensor(X)).inverse().matmul(Xt).matmul(Tensor(shape: [count, 1], scalars: y)).scalars

    // Gradient descent on L(w) = ½·mean((Xw − y)²), ∇L = Xᵀ(Xw − y)/n.
    var w = [0.0, 0.0]
    var steps = 0
    var losses: [Double] = []
    while steps < 100_000 {
        let residual = zip(apply(X, w), y).map { $0 - $1 }
        var grad = [0.0, 0.0]
        for i in 0..<count { grad[0] += residual[i]; grad[1] += residual[i] * x[i] }
        grad = grad.map { $0 / Double(count) }
        if (grad[0] * grad[0] + grad[1] * grad[1]).squareRoot() < 1e-13 { break }
        w = [w[0] - learningRate * grad[0], w[1] - learningRate * grad[1]]
        steps += 1
        if losses.count < 200 { losses.append(0.5 * mse(apply(X, w), y)) }
    }
    let maxDiff = zip(w, wLS).map { abs($0 - $1) }.max()!

    var fig = Figure(title: "Linear regression: least squares and gradient descent", xLabel: "x", yLabel: "y")
    fig.scatter(x: x, y: y, label: "data")
    let grid = linspace(-2, 2, 50)
    fig.line(x: grid, y: grid.map { wLS[0] + wLS[1] * $0 }, label: "least squares (gelsd)")
    fig.line(x: grid, y: grid.map { w[0] + w[1] * $0 }, label: "gradient descent", dashed: true)

    let runs = stepSizeLesson()
    var fig2 = Figure(title: "Gradient descent on f(x) = x²: x_k = (1 − 2·lr)ᵏ", xLabel: "step k", yLabel: "x_k")
    fig2.yRange = -3...3
    for run in runs {
        fig2.line(x: run.iterates.indices.map(Double.init), y: run.iterates.map { max(-3.2, min(3.2, $0)) },
                  label: "lr = \(run.learningRate)" + (run.converges ? "" : " (does not converge)"),
                  dashed: !run.converges)
    }
    return LinearRegressionResult(x: x, y: y, leastSquares: wLS, qr: wQR, normalEquationInverse: wInv,
                                  gradientDescent: w, gradientDescentSteps: steps, lossCurve: losses,
                                  maxDifference: maxDiff,
                                  figures: [("linear-regression.svg", fig.svg()), ("step-size.svg", fig2.svg())])
}

extension LinearRegressionResult {
    /// The printed summary.
    public var output: ExampleOutput {
        var lines = [
            "least squares (gelsd):      w = (\(fmt(leastSquares[0], 12)), \(fmt(leastSquares[1], 12)))",
            "QR (R w = Qᵀy):             w = (\(fmt(qr[0], 12)), \(fmt(qr[1], 12)))",
            "(XᵀX)⁻¹Xᵀy:                 w = (\(fmt(normalEquationInverse[0], 12)), \(fmt(normalEquationInverse[1], 12)))",
            "gradient descent (\(gradientDescentSteps) steps): w = (\(fmt(gradientDescent[0], 12)), \(fmt(gradientDescent[1], 12)))",
            "max |w_GD − w_LS| = \(fmt(maxDifference, 3))",
            "step-size lesson, f(x) = x², x₀ = 1:",
        ]
        for run in stepSizeLesson() {
            lines.append("  lr = \(run.learningRate): x_20 = \(fmt(run.iterates.last!, 8)) = (\(fmt(1 - 2 * run.learningRate, 3)))^20 → "
                         + (run.converges ? "converges" : "does not converge"))
        }
        return ExampleOutput(lines: lines, figures: figures)
    }
}
