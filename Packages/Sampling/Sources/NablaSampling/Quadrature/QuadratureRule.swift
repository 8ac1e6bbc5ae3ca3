import Foundation

/// A cubature rule for expectations under the standard normal 𝒩(0, I) in `dimension` dimensions:
/// E[f(z)] ≈ Σᵢ wᵢ f(zᵢ). ``expectation(of:mean:covariance:)`` maps the nodes to
/// 𝒩(μ, Σ) by x = μ + Lz with Σ = LLᵀ (Cholesky).
public struct QuadratureRule: Sendable {
    /// The dimension d.
    public let dimension: Int
    /// The nodes zᵢ, row-major `[count, dimension]`.
    public let nodes: [Double]
    /// The weights wᵢ (they sum to 1; sparse grids have negative ones).
    public let weights: [Double]
    /// The polynomial degree integrated exactly (total degree for sparse grids, per coordinate
    /// for tensor products).
    public let degree: Int

    /// A rule from its nodes (`[count·dimension]`, row-major) and weights.
    public init(dimension: Int, nodes: [Double], weights: [Double], degree: Int) {
        precondition(nodes.count == weights.count * dimension, "QuadratureRule: \(weights.count) weights for \(nodes.count) node coordinates")
        self.dimension = dimension
        self.nodes = nodes
        self.weights = weights
        self.degree = degree
    }

    /// The number of nodes.
    public var count: Int { weights.count }

    /// The nodes mapped to 𝒩(μ, Σ): xᵢ = μ + Lzᵢ, as a `[count, d]` tensor.
    /// - Throws: ``BayesianError/invalidArgument(_:)`` when Σ is not d×d positive semi-definite.
    public func points(mean: [Double], covariance: [Double]) throws -> Tensor<Double> {
        let d = dimension
        guard mean.count == d, covariance.count == d * d else {
            throw BayesianError.invalidArgument("QuadratureRule: mean \(mean.count) / covariance \(covariance.count) for dimension \(d)")
        }
        let l = Tensor<Double>(shape: [d, d], scalars: covariance).jitteredCholesky().scalars
        var out = [Double](repeating: 0, count: count * d)
        for i in 0..<count {
            for r in 0..<d {
                var s = mean[r]
                for c in 0...r { s += l[r * d + c] * nodes[i * d + c] }
                out[i * d + r] = s
            }
        }
        return Tensor(shape: [count, d], scalars: out)
    }

    /// E[f(x)] for x ~ 𝒩(μ, Σ), `f` taking one point `[d]`.
    /// - Throws: ``BayesianError/invalidArgument(_:)`` as ``points(mean:covariance:)``.
    public func expectation(of f: ([Double]) -> Double, mean: [Double], covariance: [Double]) throws -> Double {
        let x = try points(mean: mean, covariance: covariance).scalars, d = dimension
        var s = 0.0
        for i in 0..<count { s += weights[i] * f(Array(x[(i * d)..<((i + 1) * d)])) }
        return s
    }

    /// E[f(z)] for z ~ 𝒩(0, I).
    public func standardExpectation(of f: ([Double]) -> Double) -> Double {
        let d = dimension
        var s = 0.0
        for i in 0..<count { s += weights[i] * f(Array(nodes[(i * d)..<((i + 1) * d)])) }
        return s
    }
}
