import Foundation

/// Gauss–Hermite quadrature for expectations under a Gaussian, in the probabilists' form:
/// E[f(z)] ≈ Σᵢ wᵢ f(zᵢ) for z ~ 𝒩(0, 1), with the n nodes the roots of Heₙ. Exact for
/// polynomials of degree ≤ 2n − 1.
///
/// ```swift
/// let rule = GaussHermite.rule(points: 5)
/// rule.standardExpectation { $0[0] * $0[0] * $0[0] * $0[0] }   // 3 = E[z⁴]
/// ```
public enum GaussHermite {
    /// The n-point rule (n ≥ 1) by Golub–Welsch: the nodes are the eigenvalues of the symmetric
    /// tridiagonal Jacobi matrix of Heₖ (off-diagonal √k), the weights the squared first
    /// components of its unit eigenvectors; then each node and weight is polished by Newton steps
    /// on the three-term recurrence, and the rule is symmetrized.
    public static func rule(points n: Int) -> QuadratureRule {
        precondition(n >= 1, "GaussHermite.rule: need at least one point")
        if n == 1 { return QuadratureRule(dimension: 1, nodes: [0], weights: [1], degree: 1) }
        var j = [Double](repeating: 0, count: n * n)
        for k in 1..<n { let b = Double(k).squareRoot(); j[k * n + k - 1] = b; j[(k - 1) * n + k] = b }
        let (values, _) = try! Tensor<Double>(shape: [n, n], scalars: j).eigh()
        var nodes = values.scalars
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var x = nodes[i]
            // Newton on Heₙ(x) with He'ₙ = n·Heₙ₋₁.
            for _ in 0..<6 {
                let (p, pm1) = hermite(n, x)
                let dx = p / (Double(n) * pm1)
                x -= dx
                if abs(dx) < 1e-16 * max(1, abs(x)) { break }
            }
            nodes[i] = x
            // wᵢ = n! / (n² Heₙ₋₁(xᵢ)²) for the unit-mass weight; in log space to avoid overflow.
            let (_, pm1) = hermite(n, x)
            weights[i] = exp(SpecialFunctions.logGamma(Double(n) + 1) - 2 * log(Double(n)) - 2 * log(abs(pm1)))
        }
        // Symmetrize: nodes ±, equal weights.
        let order = nodes.indices.sorted { nodes[$0] < nodes[$1] }
        var xs = order.map { nodes[$0] }, ws = order.map { weights[$0] }
        for i in 0..<(n / 2) {
            let x = (xs[n - 1 - i] - xs[i]) / 2, w = (ws[i] + ws[n - 1 - i]) / 2
            xs[i] = -x; xs[n - 1 - i] = x; ws[i] = w; ws[n - 1 - i] = w
        }
        if n % 2 == 1 { xs[n / 2] = 0 }
        let total = ws.reduce(0, +)
        return QuadratureRule(dimension: 1, nodes: xs, weights: ws.map { $0 / total }, degree: 2 * n - 1)
    }

    /// (Heₙ(x), Heₙ₋₁(x)) scaled so neither overflows for moderate n: the recurrence
    /// Heₖ₊₁ = x·Heₖ − k·Heₖ₋₁ run on Heₖ/√k!.
    static func hermite(_ n: Int, _ x: Double) -> (Double, Double) {
        // Normalized: hₖ = Heₖ/√k!, hₖ₊₁ = (x hₖ − √k hₖ₋₁)/√(k+1).
        var hm1 = 0.0, h = 1.0
        for k in 0..<n {
            let next = (x * h - Double(k).squareRoot() * hm1) / Double(k + 1).squareRoot()
            hm1 = h; h = next
        }
        // Heₙ = √n! hₙ, Heₙ₋₁ = √(n−1)! hₙ₋₁: the Newton ratio Heₙ/(n Heₙ₋₁) = √n hₙ/(n hₙ₋₁).
        let scale = exp(0.5 * SpecialFunctions.logGamma(Double(n)))   // √(n−1)!
        return (h * Double(n).squareRoot() * scale, hm1 * scale)
    }

    /// The tensor-product rule in `dimension` dimensions with `points` nodes per axis
    /// (`pointsᵈ` nodes): exact for every monomial of degree ≤ 2·points − 1 in each coordinate.
    public static func tensorProduct(points: Int, dimension: Int) -> QuadratureRule {
        precondition(dimension >= 1, "GaussHermite.tensorProduct: dimension must be ≥ 1")
        let r = rule(points: points)
        var nodes: [[Double]] = [[]], weights: [Double] = [1]
        for _ in 0..<dimension {
            var n2: [[Double]] = [], w2: [Double] = []
            for (p, w) in zip(nodes, weights) {
                for k in 0..<points { n2.append(p + [r.nodes[k]]); w2.append(w * r.weights[k]) }
            }
            nodes = n2; weights = w2
        }
        return QuadratureRule(dimension: dimension, nodes: nodes.flatMap { $0 }, weights: weights, degree: 2 * points - 1)
    }

    /// E[f(x)] for scalar x ~ 𝒩(μ, σ²) with the n-point rule.
    public static func expectation(points n: Int, mean: Double, standardDeviation: Double, of f: (Double) -> Double) -> Double {
        let r = rule(points: n)
        return zip(r.nodes, r.weights).reduce(0) { $0 + $1.1 * f(mean + standardDeviation * $1.0) }
    }
}
