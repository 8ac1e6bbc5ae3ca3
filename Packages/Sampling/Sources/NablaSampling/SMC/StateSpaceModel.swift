import Foundation

/// A linear-Gaussian state-space model
/// `x₀ ~ N(m₀, P₀)`, `xₜ = A xₜ₋₁ + wₜ`, `wₜ ~ N(0, Q)`, `yₜ = C xₜ + vₜ`, `vₜ ~ N(0, R)`,
/// with matrices row-major; the model that ``KalmanFilter`` solves exactly and
/// ``ParticleFilter`` approximates.
public struct LinearGaussianStateSpaceModel: Sendable, Equatable {
    /// The state dimension `n`.
    public let stateDimension: Int
    /// The observation dimension `m`.
    public let observationDimension: Int
    /// The transition matrix `A`, `n×n`.
    public let transition: [Double]
    /// The observation matrix `C`, `m×n`.
    public let observation: [Double]
    /// The transition noise covariance `Q`, `n×n`.
    public let transitionCovariance: [Double]
    /// The observation noise covariance `R`, `m×m`.
    public let observationCovariance: [Double]
    /// The mean `m₀` of the initial state.
    public let initialMean: [Double]
    /// The covariance `P₀` of the initial state, `n×n`.
    public let initialCovariance: [Double]

    /// Creates the model; `x₀ ~ N(initialMean, initialCovariance)` is the state before the
    /// first observation `y₁`.
    /// - Throws: ``SamplingError/invalidArgument(function:argument:reason:)`` when a matrix has
    ///   the wrong size or a covariance is not positive definite.
    public init(transition: [Double], observation: [Double], transitionCovariance: [Double],
                observationCovariance: [Double], initialMean: [Double], initialCovariance: [Double]) throws(SamplingError) {
        let n = initialMean.count
        guard n >= 1, transition.count == n * n, observation.count % n == 0, observation.count >= n else {
            throw .invalidArgument(function: "LinearGaussianStateSpaceModel", argument: "transition",
                                   reason: "A must be n×n and C m×n for the state dimension n = \(n)")
        }
        let m = observation.count / n
        guard transitionCovariance.count == n * n, observationCovariance.count == m * m, initialCovariance.count == n * n else {
            throw .invalidArgument(function: "LinearGaussianStateSpaceModel", argument: "covariances",
                                   reason: "Q and P₀ must be n×n and R m×m")
        }
        for (name, s, k) in [("transitionCovariance", transitionCovariance, n), ("observationCovariance", observationCovariance, m),
                             ("initialCovariance", initialCovariance, n)] where SmallMatrix.cholesky(s, k) == nil {
            throw .invalidArgument(function: "LinearGaussianStateSpaceModel", argument: name, reason: "must be symmetric positive definite")
        }
        stateDimension = n; observationDimension = m
        self.transition = transition; self.observation = observation
        self.transitionCovariance = transitionCovariance; self.observationCovariance = observationCovariance
        self.initialMean = initialMean; self.initialCovariance = initialCovariance
    }

    /// Simulates `steps` states `x₁…x_T` and observations `y₁…y_T`.
    public func simulate(steps: Int, using generator: inout PhiloxGenerator) -> (states: [[Double]], observations: [[Double]]) {
        var rng = ChainRandom(generator)
        defer { generator = rng.generator }
        let n = stateDimension, m = observationDimension
        let lq = SmallMatrix.cholesky(transitionCovariance, n)!, lr = SmallMatrix.cholesky(observationCovariance, m)!
        let l0 = SmallMatrix.cholesky(initialCovariance, n)!
        var x = SmallMatrix.add(initialMean, SmallMatrix.lowerTimes(l0, (0..<n).map { _ in rng.normal() }, n))
        var xs: [[Double]] = [], ys: [[Double]] = []
        for _ in 0..<steps {
            x = SmallMatrix.add(SmallMatrix.times(transition, x, n, n), SmallMatrix.lowerTimes(lq, (0..<n).map { _ in rng.normal() }, n))
            let y = SmallMatrix.add(SmallMatrix.times(observation, x, m, n), SmallMatrix.lowerTimes(lr, (0..<m).map { _ in rng.normal() }, m))
            xs.append(x); ys.append(y)
        }
        return (xs, ys)
    }
}

/// Dense row-major linear algebra for the small matrices of state-space models.
enum SmallMatrix {
    /// The lower Cholesky factor of an `n×n` matrix, or nil if not positive definite.
    static func cholesky(_ a: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var s = a[j * n + j]
            for k in 0..<j { s -= l[j * n + k] * l[j * n + k] }
            guard s > 0 else { return nil }
            let ljj = s.squareRoot()
            l[j * n + j] = ljj
            for i in (j + 1)..<Swift.max(n, j + 1) {
                var t = a[i * n + j]
                for k in 0..<j { t -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = t / ljj
            }
        }
        return l
    }
    /// `M v` for an `r×c` matrix.
    static func times(_ a: [Double], _ v: [Double], _ r: Int, _ c: Int) -> [Double] {
        (0..<r).map { i in var s = 0.0; for j in 0..<c { s += a[i * c + j] * v[j] }; return s }
    }
    /// `L v` for a lower-triangular `n×n` matrix.
    static func lowerTimes(_ l: [Double], _ v: [Double], _ n: Int) -> [Double] {
        (0..<n).map { i in var s = 0.0; for j in 0...i { s += l[i * n + j] * v[j] }; return s }
    }
    /// `A B` for `r×k` and `k×c` matrices.
    static func matmul(_ a: [Double], _ b: [Double], _ r: Int, _ k: Int, _ c: Int) -> [Double] {
        var out = [Double](repeating: 0, count: r * c)
        for i in 0..<r { for l in 0..<k { let x = a[i * k + l]; for j in 0..<c { out[i * c + j] += x * b[l * c + j] } } }
        return out
    }
    /// `Aᵀ` of an `r×c` matrix.
    static func transpose(_ a: [Double], _ r: Int, _ c: Int) -> [Double] {
        var out = [Double](repeating: 0, count: r * c)
        for i in 0..<r { for j in 0..<c { out[j * r + i] = a[i * c + j] } }
        return out
    }
    static func add(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 + $1 } }
    static func sub(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 - $1 } }
    /// Solves `L Lᵀ x = b` given the Cholesky factor `L`.
    static func cholSolve(_ l: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var y = b
        for i in 0..<n { for k in 0..<i { y[i] -= l[i * n + k] * y[k] }; y[i] /= l[i * n + i] }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<Swift.max(n, i + 1) { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }
    /// `log N(r; 0, S)` from the Cholesky factor of `S`.
    static func gaussianLogDensity(residual r: [Double], cholesky l: [Double], _ m: Int) -> Double {
        var z = r
        for i in 0..<m { for k in 0..<i { z[i] -= l[i * m + k] * z[k] }; z[i] /= l[i * m + i] }
        var q = 0.0, logDet = 0.0
        for i in 0..<m { q += z[i] * z[i]; logDet += log(l[i * m + i]) }
        return -0.5 * q - logDet - 0.5 * Double(m) * log(2 * Double.pi)
    }
}
