import Foundation

/// Uncertainty propagation through a network: given x ~ 𝒩(μ, Σ) and a differentiable f, the mean
/// and covariance of f(x), by any ``PropagationMethod`` behind one call (the seed's "challenge 2:
/// propagating uncertainty through a neural network").
///
/// ```swift
/// let net = PropagationModel.tanhNetwork(widths: [2, 100, 100, 1])
/// let lin = try UncertaintyPropagation.propagate(mean: [0, 1], covariance: [0.1, 0, 0, 0.1],
///                                               through: net, method: .linearization)
/// let mc = try UncertaintyPropagation.propagate(mean: [0, 1], covariance: [0.1, 0, 0, 0.1],
///                                              through: net, method: .monteCarlo(samples: 100_000))
/// ```
public enum UncertaintyPropagation {
    /// The mean and covariance of f(x) for x ~ 𝒩(`mean`, `covariance`) (row-major `[d·d]`).
    /// - Throws: ``BayesianError/invalidArgument(_:)`` for mismatched shapes, a covariance that is
    ///   not positive semi-definite, or moment matching on a model without layers.
    public static func propagate(mean: [Double], covariance: [Double], through model: PropagationModel,
                                 method: PropagationMethod) throws -> PropagatedMoments {
        let d = mean.count
        guard d > 0, covariance.count == d * d else {
            throw BayesianError.invalidArgument("propagate: mean of \(d) components with a covariance of \(covariance.count) entries")
        }
        switch method {
        case let .monteCarlo(samples, seed):
            guard samples >= 2 else { throw BayesianError.invalidArgument("propagate: Monte Carlo needs at least 2 samples") }
            let l = Tensor<Double>(shape: [d, d], scalars: covariance).jitteredCholesky()
            var g = PhiloxGenerator(seed: seed)
            let eps = Tensor<Double>.randomNormal([samples, d], using: &g)
            let x = eps.matmul(l.transposed()) + Tensor(mean)
            let y = model.function(Variable(x)).value
            return monteCarloMoments(y.scalars, samples, y.count / samples)
        case .linearization:
            let x = Tensor<Double>(shape: [1, d], scalars: mean)
            let (y, j) = valueWithJacobian(at: x, of: model.function)
            let k = y.count
            let jac = j.scalars   // [1, k, 1, d]
            let jt = Tensor<Double>(shape: [k, d], scalars: jac)
            let jsj = jt.matmul(Tensor(shape: [d, d], scalars: covariance)).matmul(jt.transposed())
            return PropagatedMoments(mean: y.scalars, covariance: jsj.scalars, evaluations: 2)
        case let .unscented(alpha, beta, kappa):
            let lambda = alpha * alpha * (Double(d) + kappa) - Double(d)
            let c = Double(d) + lambda
            guard c > 0 else { throw BayesianError.invalidArgument("propagate: unscented needs d + λ > 0, got \(c)") }
            let l = Tensor<Double>(shape: [d, d], scalars: covariance).jitteredCholesky().scalars
            var points = mean
            for sign in [1.0, -1.0] {
                for i in 0..<d { points += (0..<d).map { r in mean[r] + sign * c.squareRoot() * l[r * d + i] } }
            }
            let wm = [lambda / c] + [Double](repeating: 1 / (2 * c), count: 2 * d)
            var wc = wm
            wc[0] += 1 - alpha * alpha + beta
            let y = model.function(Variable(Tensor(shape: [2 * d + 1, d], scalars: points))).value
            return weightedMoments(y.scalars, y.count / (2 * d + 1), wm, wc)
        case let .gaussHermite(points):
            return try quadrature(GaussHermite.tensorProduct(points: points, dimension: d), mean, covariance, model)
        case let .sparseGrid(level):
            return try quadrature(SparseGrid.smolyak(dimension: d, level: level), mean, covariance, model)
        case .momentMatching:
            guard let layers = model.layers else {
                throw BayesianError.invalidArgument("propagate: moment matching needs a PropagationModel built from MomentLayers")
            }
            var m = mean, s = covariance
            for layer in layers { (m, s) = layer.propagate(m, s) }
            return PropagatedMoments(mean: m, covariance: s, evaluations: 1)
        }
    }

    /// Moments from a quadrature rule (the covariance from E[yyᵀ] − E[y]E[y]ᵀ centred on the mean).
    static func quadrature(_ rule: QuadratureRule, _ mean: [Double], _ covariance: [Double],
                           _ model: PropagationModel) throws -> PropagatedMoments {
        let x = try rule.points(mean: mean, covariance: covariance)
        let y = model.function(Variable(x)).value
        return weightedMoments(y.scalars, y.count / rule.count, rule.weights, rule.weights)
    }

    /// Σ wmᵢ yᵢ and Σ wcᵢ (yᵢ − ȳ)(yᵢ − ȳ)ᵀ for rows yᵢ of `[n, k]`.
    static func weightedMoments(_ y: [Double], _ k: Int, _ wm: [Double], _ wc: [Double]) -> PropagatedMoments {
        let n = wm.count
        var mean = [Double](repeating: 0, count: k)
        for i in 0..<n { for a in 0..<k { mean[a] += wm[i] * y[i * k + a] } }
        var cov = [Double](repeating: 0, count: k * k)
        for i in 0..<n {
            for a in 0..<k {
                let da = y[i * k + a] - mean[a]
                for b in 0..<k { cov[a * k + b] += wc[i] * da * (y[i * k + b] - mean[b]) }
            }
        }
        return PropagatedMoments(mean: mean, covariance: cov, evaluations: n)
    }

    /// The sample mean and (unbiased) covariance of rows `[n, k]`, with standard errors.
    static func monteCarloMoments(_ y: [Double], _ n: Int, _ k: Int) -> PropagatedMoments {
        var mean = [Double](repeating: 0, count: k)
        for i in 0..<n { for a in 0..<k { mean[a] += y[i * k + a] } }
        mean = mean.map { $0 / Double(n) }
        var cov = [Double](repeating: 0, count: k * k), sq = cov
        for i in 0..<n {
            for a in 0..<k {
                let da = y[i * k + a] - mean[a]
                for b in 0..<k {
                    let p = da * (y[i * k + b] - mean[b])
                    cov[a * k + b] += p
                    sq[a * k + b] += p * p
                }
            }
        }
        let nn = Double(n)
        let c = cov.map { $0 / (nn - 1) }
        let seCov = zip(cov, sq).map { ((($1 / nn) - ($0 / nn) * ($0 / nn)) / nn).squareRoot() }
        let seMean = (0..<k).map { (c[$0 * k + $0] / nn).squareRoot() }
        return PropagatedMoments(mean: mean, covariance: c, meanStandardError: seMean, covarianceStandardError: seCov, evaluations: n)
    }
}
