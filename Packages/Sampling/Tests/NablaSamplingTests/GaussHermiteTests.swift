import Foundation
import Testing
@testable import NablaSampling

@Suite("Gauss–Hermite and sparse grids")
struct GaussHermiteTests {
    /// E[zᵏ] for z ~ 𝒩(0, 1): (k − 1)!! for even k, 0 for odd.
    func moment(_ k: Int) -> Double { k % 2 == 1 ? 0 : stride(from: k - 1, to: 0, by: -2).reduce(1.0) { $0 * Double($1) } }

    @Test func exactUpToDegree2nMinus1() {
        for n in [1, 2, 3, 5, 8, 12, 20] {
            let rule = GaussHermite.rule(points: n)
            #expect(abs(rule.weights.reduce(0, +) - 1) < 1e-14)
            for k in 0...(2 * n - 1) {
                let q = rule.standardExpectation { pow($0[0], Double(k)) }
                let scale = zip(rule.nodes, rule.weights).reduce(0) { $0 + $1.1 * pow(abs($1.0), Double(k)) }
                #expect(abs(q - moment(k)) <= 1e-12 * max(1, scale), "n = \(n), k = \(k): \(q) vs \(moment(k))")
            }
            // Degree 2n is not exact (n ≥ 1).
            let q2n = rule.standardExpectation { pow($0[0], Double(2 * n)) }
            #expect(abs(q2n - moment(2 * n)) > 1e-6 * moment(2 * n))
        }
    }

    @Test func knownNodes() {
        let r = GaussHermite.rule(points: 3)   // ±√3 with weight 1/6, 0 with 2/3
        #expect(abs(r.nodes[2] - 3.0.squareRoot()) < 1e-15 && abs(r.weights[1] - 2.0 / 3) < 1e-15)
        // E[cos x] for x ~ 𝒩(1, 0.5²) = cos(1)·e^{−1/8}.
        let e = GaussHermite.expectation(points: 20, mean: 1, standardDeviation: 0.5, of: cos)
        #expect(abs(e - cos(1) * exp(-0.125)) < 1e-14)
    }

    @Test func tensorProductUnderCorrelatedGaussian() throws {
        let rule = GaussHermite.tensorProduct(points: 3, dimension: 2)
        let mean = [1.0, -2.0], cov = [2.0, 0.6, 0.6, 1.0]
        // E[x₁x₂] = Σ₁₂ + μ₁μ₂; E[x₁²x₂²] by Isserlis.
        let e12 = try rule.expectation(of: { $0[0] * $0[1] }, mean: mean, covariance: cov)
        #expect(abs(e12 - (0.6 - 2)) < 1e-12)
        let z = try rule.expectation(of: { $0[0] * $0[0] * $0[1] * $0[1] }, mean: [0, 0], covariance: cov)
        #expect(abs(z - (2 * 1 + 2 * 0.36)) < 1e-12)
    }

    @Test func smolyakExactForTotalDegree() throws {
        for (d, level) in [(2, 3), (3, 3), (5, 3), (10, 2), (10, 3)] {
            let rule = SparseGrid.smolyak(dimension: d, level: level)
            #expect(abs(rule.weights.reduce(0, +) - 1) < 1e-12)
            // Every monomial of total degree ≤ 2·level − 1 in the first three coordinates (and the last).
            let axes = Array(Set([0, min(1, d - 1), min(2, d - 1), d - 1])).sorted()
            func check(_ powers: [Int: Int]) {
                let q = rule.standardExpectation { z in powers.reduce(1.0) { $0 * pow(z[$1.key], Double($1.value)) } }
                let exact = powers.values.reduce(1.0) { $0 * moment($1) }
                #expect(abs(q - exact) < 1e-10 * max(1, exact), "d = \(d), level \(level), \(powers): \(q) vs \(exact)")
            }
            let maxDeg = 2 * level - 1
            for a in 0...maxDeg { for b in 0...(maxDeg - a) {
                var p: [Int: Int] = [:]
                p[axes[0], default: 0] += a
                p[axes[axes.count - 1], default: 0] += b
                check(p)
            } }
        }
        // Far fewer nodes than the tensor product: d = 10, level 3.
        #expect(SparseGrid.smolyak(dimension: 10, level: 3).count < 300)
    }
}
