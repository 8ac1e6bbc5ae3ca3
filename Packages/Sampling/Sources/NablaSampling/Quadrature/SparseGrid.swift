import Foundation

/// Smolyak sparse grids of Gauss–Hermite rules, for expectations under 𝒩(μ, Σ) in up to
/// about ten dimensions, where a tensor product of n points per axis (nᵈ nodes) is out of reach.
///
/// The combination technique: A(ℓ, d) = Σ_{ℓ ≤ |i| ≤ ℓ+d−1} (−1)^{ℓ+d−1−|i|} C(d−1, ℓ+d−1−|i|)
/// U^{i₁} ⊗ … ⊗ U^{i_d}, with U^{i} the i-point Gauss–Hermite rule (exact to degree 2i − 1)
/// and i_k ≥ 1. Level ℓ integrates every polynomial of total degree ≤ 2ℓ − 1 exactly
/// (Novak & Ritter 1999); duplicate nodes are merged, so the rule has far fewer than ℓᵈ nodes.
public enum SparseGrid {
    /// The level-`level` Smolyak rule in `dimension` dimensions (level ≥ 1; level 1 is the
    /// single node at the mean, level 2 has 2d + 1 nodes).
    public static func smolyak(dimension d: Int, level: Int) -> QuadratureRule {
        precondition(d >= 1 && level >= 1, "SparseGrid.smolyak: dimension and level must be ≥ 1")
        let rules = (1...level).map { GaussHermite.rule(points: $0) }
        let q = level + d - 1
        var merged: [[Double]: Double] = [:]
        var order: [[Double]] = []
        // Enumerate multi-indices i ∈ ℕ₊ᵈ with max(d, q − d + 1) ≤ |i| ≤ q.
        var index = [Int](repeating: 1, count: d)
        func visit(_ k: Int, _ sum: Int) {
            if k == d {
                guard sum >= max(d, q - d + 1) && sum <= q else { return }
                let c = binomial(d - 1, q - sum) * ((q - sum) % 2 == 0 ? 1 : -1)
                if c == 0 { return }
                var nodes: [[Double]] = [[]], weights: [Double] = [Double(c)]
                for axis in 0..<d {
                    let r = rules[index[axis] - 1]
                    var n2: [[Double]] = [], w2: [Double] = []
                    for (p, w) in zip(nodes, weights) {
                        for m in 0..<r.count { n2.append(p + [r.nodes[m]]); w2.append(w * r.weights[m]) }
                    }
                    nodes = n2; weights = w2
                }
                for (p, w) in zip(nodes, weights) {
                    let key = p.map { ($0 * 1e12).rounded() / 1e12 }
                    if merged[key] == nil { order.append(key) }
                    merged[key, default: 0] += w
                }
                return
            }
            let remaining = d - k - 1
            var i = 1
            while sum + i + remaining <= q {
                index[k] = i
                visit(k + 1, sum + i)
                i += 1
            }
        }
        visit(0, 0)
        let kept = order.filter { abs(merged[$0]!) > 1e-15 }
        return QuadratureRule(dimension: d, nodes: kept.flatMap { $0 }, weights: kept.map { merged[$0]! }, degree: 2 * level - 1)
    }

    /// The binomial coefficient C(n, k) (0 outside 0 ≤ k ≤ n).
    static func binomial(_ n: Int, _ k: Int) -> Int {
        guard k >= 0 && k <= n else { return 0 }
        var r = 1
        for i in 0..<k { r = r * (n - i) / (i + 1) }
        return r
    }
}
