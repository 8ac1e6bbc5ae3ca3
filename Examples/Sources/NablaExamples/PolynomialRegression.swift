import Foundation
import NablaTensor
import NablaData
import NablaPlot

/// The Legendre polynomials P₀…P_degree at t = x/5: a basis of the same polynomials as
/// 1, x, …, x^degree, but well conditioned on [−5, 5] (x¹⁶ reaches 1.5·10¹¹ there).
public func legendreFeatures(_ x: Double, degree: Int, scale: Double = 5) -> [Double] {
    let t = x / scale
    var p = [1.0]
    if degree >= 1 { p.append(t) }
    if degree >= 2 {
        for n in 1..<degree {   // (n+1)P_{n+1} = (2n+1)t·P_n − n·P_{n−1}
            p.append((Double(2 * n + 1) * t * p[n] - Double(n) * p[n - 1]) / Double(n + 1))
        }
    }
    return p
}

/// Least squares with an L2 penalty λ·Σ_{j≥1} w_j² (the intercept is not penalized), solved
/// stably as the least-squares problem [Φ; √λ·I′] w ≈ [y; 0].
public func ridge(_ features: [[Double]], _ y: [Double], lambda: Double) throws -> [Double] {
    let d = features[0].count
    guard lambda > 0 else { return try lstsq(features, y) }
    var A = features, b = y
    for j in 1..<d {
        var row = [Double](repeating: 0, count: d)
        row[j] = lambda.squareRoot()
        A.append(row); b.append(0)
    }
    return try lstsq(A, b)
}

/// Polynomial regression of degree 1…16 on the seeds' sine data (over-fitting and ridge).
///
/// Training data: `Generators.sineRegression(count: 20, seed: 0)`, the N = 20 points of the
/// degree-5/degree-16 figures of 000_b4945258b272486b.txt. Validation data: 200 more points from
/// `Generators.sineRegression(count: 200, seed: 1)`. Fits are maximum-likelihood (least squares by
/// `gelsd`) in the Legendre basis of x/5, which spans the same polynomials as the monomials.
public struct PolynomialRegressionResult: Sendable {
    /// The degrees fitted, 1…16.
    public var degrees: [Int]
    /// The training mean squared error of each degree.
    public var trainingError: [Double]
    /// The validation mean squared error of each degree.
    public var validationError: [Double]
    /// The degree with the smallest validation error.
    public var bestDegree: Int
    /// The ridge penalties tried at degree 16 (10⁻¹⁰ … 10², a half decade apart).
    public var lambdas: [Double]
    /// The validation error of the degree-16 ridge fit for each λ.
    public var ridgeValidationError: [Double]
    /// The λ with the smallest validation error.
    public var bestLambda: Double
    /// The figures: `polynomial-fits.svg` (data, degree 5, degree 16, ridge) and `overfitting.svg`.
    public var figures: [(name: String, svg: String)]
}

/// Fits degrees 1…16 and the degree-16 ridge path; see ``PolynomialRegressionResult``.
public func polynomialRegression() throws -> PolynomialRegressionResult {
    let train = Generators.sineRegression(count: 20, seed: 0)
    let valid = Generators.sineRegression(count: 200, seed: 1)
    let xt = train.x.scalars, yt = train.y.scalars, xv = valid.x.scalars, yv = valid.y.scalars
    let degrees = Array(1...16)
    var trainErr: [Double] = [], validErr: [Double] = [], weights: [[Double]] = []
    for d in degrees {
        let w = try lstsq(xt.map { legendreFeatures($0, degree: d) }, yt)
        weights.append(w)
        trainErr.append(mse(xt.map { dot(legendreFeatures($0, degree: d), w) }, yt))
        validErr.append(mse(xv.map { dot(legendreFeatures($0, degree: d), w) }, yv))
    }
    let best = degrees[validErr.indices.min { validErr[$0] < validErr[$1] }!]

    let lambdas = stride(from: -10.0, through: 2.0, by: 0.5).map { pow(10, $0) }
    let phi16 = xt.map { legendreFeatures($0, degree: 16) }
    var ridgeErr: [Double] = [], ridgeW: [[Double]] = []
    for lambda in lambdas {
        let w = try ridge(phi16, yt, lambda: lambda)
        ridgeW.append(w)
        ridgeErr.append(mse(xv.map { dot(legendreFeatures($0, degree: 16), w) }, yv))
    }
    let bestL = ridgeErr.indices.min { ridgeErr[$0] < ridgeErr[$1] }!

    let grid = linspace(-5, 5, 400)
    var fig = Figure(title: "Polynomial regression, N = 20 (maximum likelihood)", xLabel: "x", yLabel: "f(x)")
    fig.yRange = -3...3
    fig.line(x: grid, y: grid.map(Generators.sineTarget), label: "f(x) = −sin(x/5) + cos(x)", color: Color(hex: 0x7f7f7f), dashed: true)
    fig.line(x: grid, y: grid.map { max(-3.5, min(3.5, dot(legendreFeatures($0, degree: 5), weights[4]))) }, label: "degree 5")
    fig.line(x: grid, y: grid.map { max(-3.5, min(3.5, dot(legendreFeatures($0, degree: 16), weights[15]))) }, label: "degree 16")
    fig.line(x: grid, y: grid.map { dot(legendreFeatures($0, degree: 16), ridgeW[bestL]) },
             label: "degree 16, ridge λ = \(fmt(lambdas[bestL], 2))")
    fig.scatter(x: xt, y: yt, label: "data", color: Color(hex: 0x000000))

    var fig2 = Figure(title: "Training error falls, validation error turns up", xLabel: "degree", yLabel: "log₁₀ mean squared error")
    fig2.line(x: degrees.map(Double.init), y: trainErr.map(log10), label: "training (20 points)")
    fig2.line(x: degrees.map(Double.init), y: validErr.map(log10), label: "validation (200 points)")
    fig2.line(x: [1, 16], y: [log10(0.04), log10(0.04)], label: "noise σ² = 0.04", color: Color(hex: 0x7f7f7f), dashed: true)

    return PolynomialRegressionResult(degrees: degrees, trainingError: trainErr, validationError: validErr, bestDegree: best,
                                      lambdas: lambdas, ridgeValidationError: ridgeErr, bestLambda: lambdas[bestL],
                                      figures: [("polynomial-fits.svg", fig.svg()), ("overfitting.svg", fig2.svg())])
}

extension PolynomialRegressionResult {
    /// The printed summary.
    public var output: ExampleOutput {
        var lines = ["degree  training MSE   validation MSE"]
        for (i, d) in degrees.enumerated() {
            lines.append(String(format: "%6d  %12.6g  %14.6g", d, trainingError[i], validationError[i]))
        }
        lines.append("best degree on validation: \(bestDegree)")
        let i = lambdas.firstIndex(of: bestLambda)!
        lines.append("degree 16 with ridge: best λ = \(fmt(bestLambda, 3)), validation MSE \(fmt(ridgeValidationError[i])) (unpenalized: \(fmt(validationError[15])))")
        return ExampleOutput(lines: lines, figures: figures)
    }
}
