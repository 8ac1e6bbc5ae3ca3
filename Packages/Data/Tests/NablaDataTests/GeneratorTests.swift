import Foundation
import Testing
@testable import NablaData

@Suite struct GeneratorTests {
    /// The spiral formula of 003_d1365abd389278e8.txt without noise, at exact angles:
    /// X_c(t) = t (sin(2π/C (2t + c − 1)), cos(2π/C (2t + c − 1))), class k = c − 1, C = 3, N = 3
    /// so t ∈ {0, 0.5, 1}.
    @Test func spiralMatchesTheSlideFormula() {
        let s = Generators.spiral(classes: 3, pointsPerClass: 3, noise: 0)
        let p = s.points.scalars
        #expect(s.points.shape == [9, 2])
        #expect(s.labels.scalars == [0, 0, 0, 1, 1, 1, 2, 2, 2])
        func point(_ i: Int) -> (Double, Double) { (p[2 * i], p[2 * i + 1]) }
        let r3 = (3.0).squareRoot()
        let expected: [(Double, Double)] = [
            (0, 0), (0.5 * r3 / 2, -0.25), (-r3 / 2, -0.5),          // k = 0: angles 2π/3, 4π/3
            (0, 0), (-0.5 * r3 / 2, -0.25), (0, 1),                   // k = 1: angles 4π/3, 2π
            (0, 0), (0, 0.5), (r3 / 2, -0.5),                         // k = 2: angles 2π, 8π/3
        ]
        for (i, e) in expected.enumerated() {
            #expect(abs(point(i).0 - e.0) < 4e-15 && abs(point(i).1 - e.1) < 4e-15, "point \(i): \(point(i)) vs \(e)")
        }
    }

    /// Default N = 100 per class; the angle noise has σ = 0.2 (checked on the points' angles).
    @Test func spiralDefaultsAndNoiseLevel() {
        let s = Generators.spiral(seed: 1)
        #expect(s.points.shape == [300, 2])
        let p = s.points.scalars
        var residuals: [Double] = []
        for k in 0..<3 {
            for i in 1..<100 {
                let t = Double(i) / 99, j = k * 100 + i
                let clean = 2 * Double.pi / 3 * (2 * t + Double(k))
                var r = atan2(p[2 * j], p[2 * j + 1]) - clean
                r = r - 2 * Double.pi * (r / (2 * Double.pi)).rounded()
                residuals.append(r)
                #expect(abs((p[2 * j] * p[2 * j] + p[2 * j + 1] * p[2 * j + 1]).squareRoot() - t) < 1e-12)
            }
        }
        let sd = (residuals.map { $0 * $0 }.reduce(0, +) / Double(residuals.count)).squareRoot()
        #expect(abs(sd - 0.2) < 0.03, "angle noise σ ≈ \(sd)")
        #expect(Generators.spiral(seed: 1).points == s.points)
        #expect(Generators.spiral(seed: 2).points != s.points)
    }

    /// f(x) = −sin(x/5) + cos(x) (the regression figures of 000_b4945258b272486b.txt): exact values,
    /// and the default data fits the figures' axes (x in [−5, 5], f in [−3, 3]).
    @Test func sineRegression() {
        #expect(Generators.sineTarget(0) == 1)
        #expect(abs(Generators.sineTarget(5) - (-0.8414709848078965 + 0.28366218546322625)) < 1e-15)
        #expect(abs(Generators.sineTarget(-Double.pi) - (sin(Double.pi / 5) - 1)) < 1e-15)
        let (x, y) = Generators.sineRegression(seed: 3)
        #expect(x.shape == [20] && y.shape == [20])
        #expect(x.scalars.allSatisfy { (-5...5).contains($0) })
        #expect(y.scalars.allSatisfy { (-3...3).contains($0) })
        let big = Generators.sineRegression(count: 20_000, seed: 4)
        let res = zip(big.x.scalars, big.y.scalars).map { $1 - Generators.sineTarget($0) }
        let sd = (res.map { $0 * $0 }.reduce(0, +) / Double(res.count)).squareRoot()
        #expect(abs(sd - 0.2) < 0.005)
        let mean = big.x.scalars.reduce(0, +) / 20_000
        #expect(abs(mean) < 0.1)   // U[−5, 5]: σ/√n ≈ 0.02
    }

    @Test func polynomialRegressionWithoutNoise() {
        let (x, y) = Generators.polynomialRegression(coefficients: [1, -2, 0.5], count: 50, noise: 0, seed: 9)
        for (a, b) in zip(x.scalars, y.scalars) { #expect(abs(b - (1 - 2 * a + 0.5 * a * a)) < 1e-12) }
    }

    @Test func blobsHaveTheChosenCovariance() throws {
        let cov = [[2.0, 0.6], [0.6, 0.5]]
        let b = try Generators.blobs(centers: [[3, -1]], covariance: cov, pointsPerClass: 40_000, seed: 5)
        let p = b.points.scalars
        let n = Double(p.count / 2)
        let mx = stride(from: 0, to: p.count, by: 2).map { p[$0] }.reduce(0, +) / n
        let my = stride(from: 1, to: p.count, by: 2).map { p[$0] }.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for i in stride(from: 0, to: p.count, by: 2) {
            sxx += (p[i] - mx) * (p[i] - mx); sxy += (p[i] - mx) * (p[i + 1] - my); syy += (p[i + 1] - my) * (p[i + 1] - my)
        }
        #expect(abs(mx - 3) < 0.03 && abs(my + 1) < 0.02)
        #expect(abs(sxx / n - 2) < 0.05 && abs(sxy / n - 0.6) < 0.03 && abs(syy / n - 0.5) < 0.02)
        #expect(throws: DataError.self) { try Generators.blobs(centers: [[0, 0]], covariance: [[1, 2], [2, 1]]) }
        #expect(throws: DataError.self) { try Generators.blobs(centers: [[0, 0]], covariance: [[1]]) }
    }

    /// scikit-learn's make_moons(n_samples=6, noise=0, shuffle=False) gives, per class, t = 0, π/2, π:
    /// outer (1, 0), (0, 1), (−1, 0); inner (0, 0.5), (1, −0.5), (2, 0.5).
    @Test func moonsAndCircles() {
        let m = Generators.twoMoons(pointsPerClass: 3, noise: 0).points.scalars
        let expected: [Double] = [1, 0, 0, 1, -1, 0, 0, 0.5, 1, -0.5, 2, 0.5]
        for (a, b) in zip(m, expected) { #expect(abs(a - b) < 1e-15) }
        let c = Generators.circles(pointsPerClass: 8, factor: 0.3, noise: 0)
        let q = c.points.scalars
        for i in 0..<16 {
            let r = (q[2 * i] * q[2 * i] + q[2 * i + 1] * q[2 * i + 1]).squareRoot()
            #expect(abs(r - (i < 8 ? 1 : 0.3)) < 1e-15)
        }
        #expect(c.labels.scalars == Array(repeating: 0, count: 8) + Array(repeating: 1, count: 8))
    }
}
