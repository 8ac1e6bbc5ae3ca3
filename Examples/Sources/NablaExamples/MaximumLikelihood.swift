import Foundation
import NablaTensor
import NablaAutograd
import NablaData
import NablaPlot

/// Maximum likelihood: squared loss is a Gaussian likelihood, and λ̂ = 1/x̄ for an exponential.
public struct MaximumLikelihoodResult: Sendable {
    /// The weights minimizing the squared loss ½Σ(y − Φw)² (least squares, degree-5 Legendre features
    /// of the sine data).
    public var squaredLossMinimizer: [Double]
    /// The weights minimizing the Gaussian negative log-likelihood
    /// N/2·log(2πσ²) + Σ(y − Φw)²/(2σ²), found by gradient descent on (w, log σ) with gradients from
    /// NablaAutograd.
    public var likelihoodMinimizer: [Double]
    /// σ̂² from the likelihood, and RSS/N (its closed form).
    public var sigmaSquared: (fitted: Double, closedForm: Double)
    /// The largest |∇NLL·σ² − ∇(½Σr²)| over several random w (σ fixed): the two gradients are
    /// proportional, so they vanish at the same w.
    public var gradientMismatch: Double
    /// λ̂ = 1/x̄ for `count` draws from Exp(λ = 2) (inverse CDF, x = −log(1 − u)/λ).
    public var exponentialClosedForm: Double
    /// λ̂ maximizing Σ log(λe^{−λx}) numerically (Newton's method on the autograd derivatives).
    public var exponentialNumerical: Double
    /// The figure `exponential-mle.svg`: the log-likelihood of λ with its maximum.
    public var figures: [(name: String, svg: String)]
}

/// The Gaussian negative log-likelihood of targets `y` under means `Φw` and standard deviation e^{logSigma}.
func gaussianNLL(_ phi: Tensor<Double>, _ y: Tensor<Double>, _ w: Variable<Double>, _ logSigma: Variable<Double>) -> Variable<Double> {
    let n = Double(y.shape[0])
    let r = phi.matmul(w) - y
    let sigma2 = (2 * logSigma).exp()
    return n / 2 * log(2 * Double.pi) + n * logSigma + (r * r).sum() / (2 * sigma2)
}

/// Runs both maximum-likelihood examples; `count` draws for the exponential (seed `seed`).
public func maximumLikelihood(count: Int = 1000, rate: Double = 2, seed: UInt64 = 7) throws -> MaximumLikelihoodResult {
    let data = Generators.sineRegression(count: 20, seed: 0)
    let phiRows = data.x.scalars.map { legendreFeatures($0, degree: 5) }
    let phi = tensor(phiRows), y = data.y
    let wLS = try lstsq(phiRows, y.scalars)

    // Gradients at random w with σ fixed: ∇_w NLL = ∇_w(½Σr²)/σ².
    var g = PhiloxGenerator(seed: seed)
    var mismatch = 0.0
    for _ in 0..<5 {
        let w0 = Tensor<Double>((0..<6).map { _ in normal(&g) })
        let s = 0.5 + uniform(&g)
        let gN = gradient(at: w0) { w in gaussianNLL(phi, y, w, Variable(Tensor(log(s)))) }.scalars
        let gS = gradient(at: w0) { w in let r = phi.matmul(w) - y; return 0.5 * (r * r).sum() }.scalars
        for i in 0..<6 { mismatch = max(mismatch, abs(gN[i] * s * s - gS[i])) }
    }

    // Minimize the NLL over (w, log σ) by gradient descent (Φ is well conditioned).
    var w = Tensor<Double>(repeating: 0, shape: [6]), logS = Tensor<Double>(0)
    for _ in 0..<20_000 {
        let (gw, gs) = gradient(at: w, logS) { w, ls in gaussianNLL(phi, y, w, ls) }
        let s2 = exp(2 * logS.scalars[0])
        w = w - (0.02 * s2) * gw              // scaled by σ² so the step stays stable as σ shrinks
        logS = logS - 0.01 * gs
        if gw.scalars.map(abs).max()! * s2 < 1e-14 && abs(gs.scalars[0]) < 1e-12 { break }
    }
    let rss = zip(apply(phiRows, wLS), y.scalars).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)

    // Exponential: λ̂ = 1/x̄; Newton on ℓ(λ) = n log λ − λΣx with autograd derivatives.
    var ge = PhiloxGenerator(seed: seed)
    let xs = (0..<count).map { _ in -log(1 - uniform(&ge)) / rate }
    let sum = xs.reduce(0, +)
    let n = Double(count)
    let closed = n / sum
    let loglik: (Variable<Double>) -> Variable<Double> = { l in n * l.log() - sum * l }
    var lambda = Tensor<Double>(1)
    for _ in 0..<50 {
        let d1 = gradient(at: lambda, of: loglik)
        let d2 = gradient(at: lambda) { l in gradient(at: l, of: loglik) }
        let next = lambda - d1 / d2
        if abs(next.scalars[0] - lambda.scalars[0]) < 1e-15 { lambda = next; break }
        lambda = next
    }

    var fig = Figure(title: "Exponential MLE: n = \(count), true λ = \(fmt(rate, 3)), λ̂ = 1/x̄ = \(fmt(closed, 5))",
                     xLabel: "λ", yLabel: "log-likelihood ℓ(λ) = n log λ − λΣx")
    let grid = linspace(1, 3.5, 200)
    fig.line(x: grid, y: grid.map { n * log($0) - sum * $0 }, label: "ℓ(λ)")
    let top = n * log(closed) - sum * closed
    fig.line(x: [closed, closed], y: [top - 150, top], label: "λ̂ = 1/x̄", dashed: true)
    fig.line(x: [rate, rate], y: [top - 150, top], label: "true λ", color: Color(hex: 0x7f7f7f), dashed: true)

    return MaximumLikelihoodResult(squaredLossMinimizer: wLS, likelihoodMinimizer: w.scalars,
                                   sigmaSquared: (exp(2 * logS.scalars[0]), rss / 20), gradientMismatch: mismatch,
                                   exponentialClosedForm: closed, exponentialNumerical: lambda.scalars[0],
                                   figures: [("exponential-mle.svg", fig.svg())])
}

extension MaximumLikelihoodResult {
    /// The printed summary.
    public var output: ExampleOutput {
        let diff = zip(squaredLossMinimizer, likelihoodMinimizer).map { abs($0 - $1) }.max()!
        return ExampleOutput(lines: [
            "squared loss minimizer (lstsq):   " + squaredLossMinimizer.map { fmt($0, 10) }.joined(separator: ", "),
            "Gaussian likelihood maximizer:    " + likelihoodMinimizer.map { fmt($0, 10) }.joined(separator: ", "),
            "max difference \(fmt(diff, 3)); max |σ²∇NLL − ∇½Σr²| = \(fmt(gradientMismatch, 3))",
            "σ̂² = \(fmt(sigmaSquared.fitted, 10)) (RSS/N = \(fmt(sigmaSquared.closedForm, 10)))",
            "exponential, λ = 2: λ̂ = 1/x̄ = \(fmt(exponentialClosedForm, 12)), Newton on ℓ(λ): \(fmt(exponentialNumerical, 12))",
        ], figures: figures)
    }
}
