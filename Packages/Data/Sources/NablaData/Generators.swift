import Foundation
import NablaTensor

/// A labelled synthetic dataset: points and their classes.
public struct LabeledPoints: Sendable {
    /// The points, shape `[n, d]`.
    public var points: Tensor<Double>
    /// The class of each point, in `0..<classes`, shape `[n]`.
    public var labels: Tensor<Int32>

    /// The points as `Float`, with their labels, ready for a ``DataLoader``.
    public var dataset: TensorDataset<Float, Int32> {
        TensorDataset(inputs: Tensor<Float>(shape: points.shape, points.scalars.map { Float($0) }), targets: labels)
    }
}

/// Seeded synthetic data: spirals, regression curves, Gaussian blobs, two moons, circles.
///
/// Every generator is a pure function of its arguments: it draws from a `PhiloxGenerator(seed:)`
/// in a documented order, so a seed gives the same data on every run and machine.
public enum Generators {
    /// The C-class spiral of the course slide (Canziani, "Machine Learning in 2018… Deep Learning!"):
    ///
    /// X_c(t) = t · (sin(2π/C · (2t + c − 1)), cos(2π/C · (2t + c − 1))),  0 ≤ t ≤ 1, c = 1…C,
    ///
    /// with the convention of the course's code: `t` runs over `pointsPerClass` evenly spaced
    /// values from 0 to 1 (`torch.linspace(0, 1, N)`), Gaussian noise of standard deviation
    /// `noise` (0.2) is added to the angle, and classes are numbered from 0 (class `k = c − 1`, whose
    /// angle is 2π/C · (2t + k)). With `randomT`, `t` is drawn uniformly from [0, 1] instead.
    ///
    /// Draw order: for each class, for each point, one normal for the angle noise (after the
    /// uniform draw of `t` when `randomT`). Points are grouped by class.
    public static func spiral(classes: Int = 3, pointsPerClass: Int = 100, noise: Double = 0.2,
                              randomT: Bool = false, seed: UInt64 = 0) -> LabeledPoints {
        precondition(classes >= 1 && pointsPerClass >= 1, "spiral: need at least one class and one point")
        var g = PhiloxGenerator(seed: seed)
        var xs: [Double] = [], ys: [Int32] = []
        xs.reserveCapacity(2 * classes * pointsPerClass)
        let C = Double(classes)
        for k in 0..<classes {
            for i in 0..<pointsPerClass {
                let t = randomT ? uniform(&g) : (pointsPerClass == 1 ? 0 : Double(i) / Double(pointsPerClass - 1))
                let angle = 2 * Double.pi / C * (2 * t + Double(k)) + noise * normal(&g)
                xs.append(t * sin(angle))
                xs.append(t * cos(angle))
                ys.append(Int32(k))
            }
        }
        return LabeledPoints(points: Tensor(shape: [classes * pointsPerClass, 2], scalars: xs), labels: Tensor(ys))
    }

    /// Noisy samples of `f`: `x` uniform on `range`, `y = f(x) + noise·ε` with ε standard normal.
    /// Draw order: all `count` values of x, then the `count` noise values. Returns `[count]` tensors.
    public static func regression(count: Int = 20, range: ClosedRange<Double> = -5...5, noise: Double = 0.2,
                                  seed: UInt64 = 0, _ f: (Double) -> Double) -> (x: Tensor<Double>, y: Tensor<Double>) {
        var g = PhiloxGenerator(seed: seed)
        let x = (0..<count).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * uniform(&g) }
        let y = x.map { f($0) + noise * normal(&g) }
        return (Tensor(x), Tensor(y))
    }

    /// The regression data of the curve-fitting figures of Deisenroth's "Mathematics for Machine
    /// Learning" (Deep Learning Indaba 2017): N = 20 points, x ~ U[−5, 5],
    /// f(x) = −sin(x/5) + cos(x), noise σ = 0.2 (the degree-5 and degree-16 polynomial fits;
    /// x axis −5…5, f(x) axis −3…3).
    public static func sineRegression(count: Int = 20, noise: Double = 0.2, seed: UInt64 = 0)
        -> (x: Tensor<Double>, y: Tensor<Double>) {
        regression(count: count, range: -5...5, noise: noise, seed: seed, sineTarget)
    }

    /// f(x) = −sin(x/5) + cos(x), the noiseless curve of ``sineRegression(count:noise:seed:)``.
    @Sendable public static func sineTarget(_ x: Double) -> Double { -sin(x / 5) + cos(x) }

    /// Noisy samples of the polynomial Σᵢ coefficients[i]·xⁱ (see ``regression(count:range:noise:seed:_:)``).
    public static func polynomialRegression(coefficients: [Double], count: Int = 20, range: ClosedRange<Double> = -5...5,
                                            noise: Double = 0.2, seed: UInt64 = 0) -> (x: Tensor<Double>, y: Tensor<Double>) {
        regression(count: count, range: range, noise: noise, seed: seed) { x in
            coefficients.reversed().reduce(0) { $0 * x + $1 }
        }
    }

    /// Gaussian blobs: `pointsPerClass` points around each of `centers` (class `k` around
    /// `centers[k]`), x = μ + L·z with L the Cholesky factor of `covariance` (d×d, rows) and z
    /// standard normal. Draw order: class by class, point by point, the d components of z.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the covariance is not d×d symmetric positive definite.
    public static func blobs(centers: [[Double]], covariance: [[Double]], pointsPerClass: Int = 100,
                             seed: UInt64 = 0) throws -> LabeledPoints {
        let d = centers.first?.count ?? 0
        guard d > 0, centers.allSatisfy({ $0.count == d }) else {
            throw DataError.invalidArgument("blobs: centers must be non-empty and of one dimension")
        }
        let L = try cholesky(covariance, d)
        var g = PhiloxGenerator(seed: seed)
        var xs: [Double] = [], ys: [Int32] = []
        for (k, mu) in centers.enumerated() {
            for _ in 0..<pointsPerClass {
                let z = (0..<d).map { _ in normal(&g) }
                for r in 0..<d {
                    var v = mu[r]
                    for c in 0...r { v += L[r][c] * z[c] }
                    xs.append(v)
                }
                ys.append(Int32(k))
            }
        }
        return LabeledPoints(points: Tensor(shape: [centers.count * pointsPerClass, d], scalars: xs), labels: Tensor(ys))
    }

    /// Two interleaving half circles (scikit-learn's `make_moons`): class 0 is
    /// (cos πt, sin πt) and class 1 is (1 − cos πt, 0.5 − sin πt) for `pointsPerClass` evenly spaced
    /// t in [0, 1], plus Gaussian noise of standard deviation `noise` on each coordinate
    /// (drawn point by point, x then y).
    public static func twoMoons(pointsPerClass: Int = 100, noise: Double = 0.1, seed: UInt64 = 0) -> LabeledPoints {
        var g = PhiloxGenerator(seed: seed)
        var xs: [Double] = [], ys: [Int32] = []
        for k in 0..<2 {
            for i in 0..<pointsPerClass {
                let t = Double.pi * (pointsPerClass == 1 ? 0 : Double(i) / Double(pointsPerClass - 1))
                let (px, py) = k == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
                xs.append(px + noise * normal(&g))
                xs.append(py + noise * normal(&g))
                ys.append(Int32(k))
            }
        }
        return LabeledPoints(points: Tensor(shape: [2 * pointsPerClass, 2], scalars: xs), labels: Tensor(ys))
    }

    /// Two concentric circles (scikit-learn's `make_circles`): class 0 on the unit circle, class 1
    /// on the circle of radius `factor`, at `pointsPerClass` angles 2πi/n (i < n), plus Gaussian
    /// noise of standard deviation `noise` on each coordinate (drawn point by point, x then y).
    public static func circles(pointsPerClass: Int = 100, factor: Double = 0.5, noise: Double = 0.05,
                               seed: UInt64 = 0) -> LabeledPoints {
        var g = PhiloxGenerator(seed: seed)
        var xs: [Double] = [], ys: [Int32] = []
        for k in 0..<2 {
            let r = k == 0 ? 1 : factor
            for i in 0..<pointsPerClass {
                let a = 2 * Double.pi * Double(i) / Double(pointsPerClass)
                xs.append(r * cos(a) + noise * normal(&g))
                xs.append(r * sin(a) + noise * normal(&g))
                ys.append(Int32(k))
            }
        }
        return LabeledPoints(points: Tensor(shape: [2 * pointsPerClass, 2], scalars: xs), labels: Tensor(ys))
    }

    /// A uniform double in [0, 1) from the top 53 bits of one 64-bit draw.
    static func uniform(_ g: inout PhiloxGenerator) -> Double {
        Double(g.next() >> 11) * 0x1p-53
    }

    /// A standard normal from two uniform draws (Box–Muller, cosine branch).
    static func normal(_ g: inout PhiloxGenerator) -> Double {
        let u1 = uniform(&g), u2 = uniform(&g)
        return (-2 * log(1 - u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// The lower Cholesky factor of a d×d symmetric positive definite matrix.
    static func cholesky(_ a: [[Double]], _ d: Int) throws -> [[Double]] {
        guard a.count == d, a.allSatisfy({ $0.count == d }) else {
            throw DataError.invalidArgument("blobs: covariance must be \(d)×\(d)")
        }
        var L = Array(repeating: Array(repeating: 0.0, count: d), count: d)
        for i in 0..<d {
            for j in 0...i {
                guard abs(a[i][j] - a[j][i]) <= 1e-12 * max(1, abs(a[i][j])) else {
                    throw DataError.invalidArgument("blobs: covariance is not symmetric")
                }
                var s = a[i][j]
                for k in 0..<j { s -= L[i][k] * L[j][k] }
                if i == j {
                    guard s > 0 else { throw DataError.invalidArgument("blobs: covariance is not positive definite") }
                    L[i][i] = s.squareRoot()
                } else {
                    L[i][j] = s / L[j][j]
                }
            }
        }
        return L
    }
}
