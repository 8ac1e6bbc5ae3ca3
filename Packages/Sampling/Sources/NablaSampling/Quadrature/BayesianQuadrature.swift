import Foundation
import NablaOptimizers

/// Bayesian quadrature (O'Hagan 1991; Rasmussen & Ghahramani 2003, "Bayesian Monte Carlo"):
/// the integral Z = ∫ f(x) 𝒩(x | b, B) dx of an integrand known only at nodes xᵢ, estimated by
/// putting a Gaussian-process prior on f and integrating the GP posterior in closed form.
///
/// With the RBF kernel k(x, x′) = s² exp(−½ (x − x′)ᵀA⁻¹(x − x′)), A = diag(ℓ₁², …, ℓ_d²), the
/// integral is Gaussian under the posterior with
///
/// E[Z] = zᵀK⁻¹f,  V[Z] = s²|2A⁻¹B + I|^(−½) − zᵀK⁻¹z,
/// zᵢ = ∫ k(x, xᵢ) 𝒩(x | b, B) dx = s²|A⁻¹B + I|^(−½) exp(−½ (xᵢ − b)ᵀ(A + B)⁻¹(xᵢ − b)),
///
/// where K = s²(R + εI) is the Gram matrix of the nodes with a relative jitter ε. The
/// determinants come from the Cholesky factors of A + B and A + 2B, never from inverses.
///
/// The length-scales ℓ and the output scale s can be given or fitted by maximizing the GP log
/// marginal likelihood ln 𝒩(f | 0, K) over (ln ℓ, ln s) with NablaOptimizers' `LBFGS`
/// (strong-Wolfe line search), the gradient from NablaAutograd (``fit(nodes:values:mean:covariance:initialLengthScales:initialOutputScale:jitter:maxIterations:)``).
///
/// ```swift
/// let x = Tensor<Double>(shape: [9, 1], scalars: (0..<9).map { -3 + 0.75 * Double($0) })
/// let bq = try BayesianQuadrature.fit(nodes: x, values: Tensor(x.scalars.map(cos)),
///                                     mean: Tensor([0]), covariance: Tensor(shape: [1, 1], scalars: [1]))
/// bq.integralMean          // ≈ e^(−1/2) = 0.6065…
/// bq.integralVariance      // the posterior variance of Z
/// ```
public struct BayesianQuadrature: Sendable {
    /// The nodes xᵢ, `[n, d]`.
    public let nodes: Tensor<Double>
    /// The integrand's values f(xᵢ), `[n]`.
    public let values: Tensor<Double>
    /// The mean b of the Gaussian measure, `[d]`.
    public let mean: Tensor<Double>
    /// The covariance B of the Gaussian measure, `[d, d]`.
    public let covariance: Tensor<Double>
    /// The kernel's length-scales ℓ, `[d]`.
    public let lengthScales: [Double]
    /// The kernel's output scale s (k(x, x) = s²).
    public let outputScale: Double
    /// The relative jitter ε on the Gram matrix's diagonal.
    public let jitter: Double
    /// The posterior mean E[Z] of the integral.
    public let integralMean: Double
    /// The posterior variance V[Z] of the integral.
    public let integralVariance: Double
    /// The GP log marginal likelihood ln 𝒩(f | 0, K) at these hyper-parameters.
    public let logMarginalLikelihood: Double
    /// The weights K⁻¹z: E[Z] = Σᵢ wᵢ f(xᵢ), as in any quadrature rule, `[n]`.
    public let weights: [Double]

    /// Bayesian quadrature with fixed hyper-parameters.
    /// - Parameters:
    ///   - nodes: xᵢ, `[n, d]`.
    ///   - values: f(xᵢ), `[n]`.
    ///   - mean: b, `[d]`.
    ///   - covariance: B, `[d, d]`, symmetric positive definite.
    ///   - lengthScales: ℓ, `d` positive numbers.
    ///   - outputScale: s > 0.
    ///   - jitter: ε, added to the diagonal of the correlation matrix R (default 1e-8).
    /// - Throws: ``BayesianError/invalidArgument(_:)`` for mismatched shapes, non-positive scales or
    ///   a covariance that is not positive definite.
    public init(nodes: Tensor<Double>, values: Tensor<Double>, mean: Tensor<Double>, covariance: Tensor<Double>,
                lengthScales: [Double], outputScale: Double, jitter: Double = 1e-8) throws {
        try Self.check(nodes, values, mean, covariance)
        let n = nodes.shape[0], d = nodes.shape[1]
        guard lengthScales.count == d, lengthScales.allSatisfy({ $0 > 0 && $0.isFinite }), outputScale > 0, outputScale.isFinite else {
            throw BayesianError.invalidArgument("BayesianQuadrature: need \(d) positive length-scales and a positive output scale, got \(lengthScales) and \(outputScale)")
        }
        guard jitter >= 0 else { throw BayesianError.invalidArgument("BayesianQuadrature: jitter must be ≥ 0, got \(jitter)") }
        let s2 = outputScale * outputScale
        let x = nodes.scalars, f = values.scalars, b = mean.scalars, bb = covariance.scalars
        let gram = Tensor<Double>(shape: [n, n], scalars: Self.gram(x, n, d, lengthScales, outputScale, jitter))
        guard let lk = try? gram.cholesky() else {
            throw BayesianError.invalidArgument("BayesianQuadrature: the Gram matrix is not positive definite (repeated nodes? raise the jitter)")
        }
        // A + B and A + 2B, A = diag(ℓ²).
        var apb = bb, ap2b = bb.map { 2 * $0 }
        for k in 0..<d { apb[k * d + k] += lengthScales[k] * lengthScales[k]; ap2b[k * d + k] += lengthScales[k] * lengthScales[k] }
        guard let lab = try? Tensor<Double>(shape: [d, d], scalars: apb).cholesky(),
              let la2b = try? Tensor<Double>(shape: [d, d], scalars: ap2b).cholesky(),
              (try? covariance.cholesky()) != nil else {
            throw BayesianError.invalidArgument("BayesianQuadrature: the covariance \(covariance.shape) is not positive definite")
        }
        let logDetA = lengthScales.reduce(0) { $0 + 2 * log($1) }
        // |A⁻¹B + I| = |A + B|/|A|.
        let zScale = s2 * exp(-0.5 * (lab.choleskyLogDeterminant - logDetA))
        // u = L_{A+B}⁻¹(xᵢ − b) for every node at once, [d, n]; zᵢ = zScale·exp(−½‖uᵢ‖²).
        var diffs = [Double](repeating: 0, count: d * n)
        for i in 0..<n { for k in 0..<d { diffs[k * n + i] = x[i * d + k] - b[k] } }
        let u = try lab.solve(Tensor(shape: [d, n], scalars: diffs)).scalars
        let z = (0..<n).map { i in zScale * exp(-0.5 * (0..<d).reduce(0) { $0 + u[$1 * n + i] * u[$1 * n + i] }) }
        let kinvF = try lk.choleskySolve(Tensor(f)).scalars, kinvZ = try lk.choleskySolve(Tensor(z)).scalars
        let prior = s2 * exp(-0.5 * (la2b.choleskyLogDeterminant - logDetA))
        self.nodes = nodes; self.values = values; self.mean = mean; self.covariance = covariance
        self.lengthScales = lengthScales; self.outputScale = outputScale; self.jitter = jitter
        integralMean = zip(z, kinvF).reduce(0) { $0 + $1.0 * $1.1 }
        integralVariance = prior - zip(z, kinvZ).reduce(0) { $0 + $1.0 * $1.1 }
        weights = kinvZ
        logMarginalLikelihood = -0.5 * zip(f, kinvF).reduce(0) { $0 + $1.0 * $1.1 } - 0.5 * lk.choleskyLogDeterminant
            - Double(n) / 2 * log(2 * Double.pi)
    }

    /// The posterior standard deviation √V[Z] of the integral.
    public var integralStandardDeviation: Double { max(integralVariance, 0).squareRoot() }

    /// Bayesian quadrature with the length-scales and output scale that maximize the GP log
    /// marginal likelihood, found by `LBFGS` (strong Wolfe) on (ln ℓ, ln s) from the initial values.
    /// - Parameters:
    ///   - nodes: xᵢ, `[n, d]`.
    ///   - values: f(xᵢ), `[n]`.
    ///   - mean: b, `[d]`.
    ///   - covariance: B, `[d, d]`.
    ///   - initialLengthScales: the start ℓ (default: 1 in every dimension).
    ///   - initialOutputScale: the start s (default 1).
    ///   - jitter: ε, as in ``init(nodes:values:mean:covariance:lengthScales:outputScale:jitter:)``.
    ///   - maxIterations: the most L-BFGS iterations per restart (restarted until the loss stops falling, at most 20 times).
    /// - Throws: as ``init(nodes:values:mean:covariance:lengthScales:outputScale:jitter:)``;
    ///   ``BayesianError/didNotConverge(_:)`` when the optimum is not finite.
    public static func fit(nodes: Tensor<Double>, values: Tensor<Double>, mean: Tensor<Double>, covariance: Tensor<Double>,
                           initialLengthScales: [Double]? = nil, initialOutputScale: Double = 1, jitter: Double = 1e-8,
                           maxIterations: Int = 200) throws -> BayesianQuadrature {
        try check(nodes, values, mean, covariance)
        let n = nodes.shape[0], d = nodes.shape[1]
        let ell0 = initialLengthScales ?? [Double](repeating: 1, count: d)
        guard ell0.count == d, ell0.allSatisfy({ $0 > 0 }), initialOutputScale > 0 else {
            throw BayesianError.invalidArgument("BayesianQuadrature.fit: need \(d) positive initial length-scales and a positive output scale")
        }
        // Squared differences per dimension, [n·n, d], and the values as a column.
        let x = nodes.scalars
        var sq = [Double](repeating: 0, count: n * n * d)
        for i in 0..<n { for j in 0..<n { for k in 0..<d {
            let t = x[i * d + k] - x[j * d + k]; sq[(i * n + j) * d + k] = t * t
        } } }
        let squared = Tensor<Double>(shape: [n * n, d], scalars: sq)
        let f = values.reshaped([n, 1])
        let eye = Tensor<Double>.eye(n) * jitter
        let theta = Parameter(Tensor<Double>(ell0.map { log($0) } + [log(initialOutputScale)]))
        let container = SingleParameter(theta)
        let optimizer = try LBFGS(container, learningRate: 1, maxIterations: maxIterations,
                                  toleranceGradient: 1e-9, toleranceChange: 1e-14, lineSearch: .strongWolfe)
        // −ln 𝒩(f | 0, K) up to n/2 ln 2π, on the tape.
        func objective(_ th: Variable<Double>) throws -> Variable<Double> {
            let inverseSquares = (th[0..<d] * -2).exp().reshaped([d, 1])
            let r = (squared.matmul(inverseSquares) * -0.5).exp().reshaped([n, n]) + eye
            let k = r * (th[d] * 2).exp()
            let l = try k.cholesky()
            let alpha = try k.solve(Variable(f))
            return (Variable(f) * alpha).sum() * 0.5 + l.diagonalPart().log().sum()
        }
        // L-BFGS restarts (PyTorch's practice: call `step` again) until the loss stops falling.
        var previous = Double.infinity
        for _ in 0..<20 {
            let loss = try optimizer.step {
                container.zeroGradients()
                let loss = try objective(theta.variable)
                loss.backward()
                return loss.scalar
            }
            if !(loss < previous - 1e-12 * max(1, abs(loss))) { break }
            previous = loss
        }
        let th = theta.value.scalars
        guard th.allSatisfy(\.isFinite) else {
            throw BayesianError.didNotConverge("BayesianQuadrature.fit: the marginal likelihood has no finite maximum (θ = \(th))")
        }
        return try BayesianQuadrature(nodes: nodes, values: values, mean: mean, covariance: covariance,
                                      lengthScales: th.prefix(d).map { exp($0) }, outputScale: exp(th[d]), jitter: jitter)
    }

    // MARK: - Pieces

    static func check(_ nodes: Tensor<Double>, _ values: Tensor<Double>, _ mean: Tensor<Double>, _ covariance: Tensor<Double>) throws {
        guard nodes.rank == 2, nodes.shape[0] >= 1, values.shape == [nodes.shape[0]] else {
            throw BayesianError.invalidArgument("BayesianQuadrature: nodes \(nodes.shape) and values \(values.shape) do not match ([n, d] and [n])")
        }
        let d = nodes.shape[1]
        guard mean.shape == [d], covariance.shape == [d, d] else {
            throw BayesianError.invalidArgument("BayesianQuadrature: mean \(mean.shape) and covariance \(covariance.shape) for \(d)-dimensional nodes")
        }
    }

    /// K = s²(R + εI), row-major n×n.
    static func gram(_ x: [Double], _ n: Int, _ d: Int, _ ell: [Double], _ s: Double, _ jitter: Double) -> [Double] {
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var r = 0.0
                for c in 0..<d { let t = (x[i * d + c] - x[j * d + c]) / ell[c]; r += t * t }
                let v = s * s * (exp(-0.5 * r) + (i == j ? jitter : 0))
                k[i * n + j] = v; k[j * n + i] = v
            }
        }
        return k
    }
}

/// One parameter as a `ParameterContainer`, for the optimizers.
final class SingleParameter: ParameterContainer {
    typealias Scalar = Double
    let parameter: Parameter<Double>
    init(_ parameter: Parameter<Double>) { self.parameter = parameter }
    var namedParameters: [(name: String, parameter: Parameter<Double>)] { [("theta", parameter)] }
}
