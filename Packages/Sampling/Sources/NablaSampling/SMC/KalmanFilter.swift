import Foundation

/// The Kalman filter: the exact filtering distributions `p(xₜ | y₁…yₜ) = N(mₜ, Pₜ)` and the exact
/// log-likelihood `log p(y₁…y_T)` of a ``LinearGaussianStateSpaceModel``.
public enum KalmanFilter {
    /// The filtered means and covariances and the log-likelihood of the observations.
    public struct Result: Sendable {
        /// `mₜ = E[xₜ | y₁…yₜ]`, one per observation.
        public var means: [[Double]]
        /// `Pₜ = Cov[xₜ | y₁…yₜ]`, row-major `n×n`, one per observation.
        public var covariances: [[Double]]
        /// `log p(y₁…y_T)`, the sum of the predictive log densities of the innovations.
        public var logLikelihood: Double
    }

    /// Filters `observations` `y₁…y_T` through `model`.
    public static func filter(_ model: LinearGaussianStateSpaceModel, observations: [[Double]]) -> Result {
        let n = model.stateDimension, m = model.observationDimension
        let a = model.transition, c = model.observation
        let at = SmallMatrix.transpose(a, n, n), ct = SmallMatrix.transpose(c, m, n)
        var mean = model.initialMean, cov = model.initialCovariance
        var result = Result(means: [], covariances: [], logLikelihood: 0)
        for y in observations {
            // Predict.
            mean = SmallMatrix.times(a, mean, n, n)
            cov = SmallMatrix.add(SmallMatrix.matmul(SmallMatrix.matmul(a, cov, n, n, n), at, n, n, n), model.transitionCovariance)
            // Update: S = C P Cᵀ + R, K = P Cᵀ S⁻¹.
            let pct = SmallMatrix.matmul(cov, ct, n, n, m)
            let s = SmallMatrix.add(SmallMatrix.matmul(c, pct, m, n, m), model.observationCovariance)
            let ls = SmallMatrix.cholesky(s, m)!
            let r = SmallMatrix.sub(y, SmallMatrix.times(c, mean, m, n))
            result.logLikelihood += SmallMatrix.gaussianLogDensity(residual: r, cholesky: ls, m)
            // K = P Cᵀ S⁻¹, column by column of (S⁻¹ (P Cᵀ)ᵀ)ᵀ.
            var k = [Double](repeating: 0, count: n * m)
            for i in 0..<n {
                let row = SmallMatrix.cholSolve(ls, (0..<m).map { pct[i * m + $0] }, m)
                for j in 0..<m { k[i * m + j] = row[j] }
            }
            mean = SmallMatrix.add(mean, SmallMatrix.times(k, r, n, m))
            // P ← (I − K C) P, symmetrized.
            let kcp = SmallMatrix.matmul(SmallMatrix.matmul(k, c, n, m, n), cov, n, n, n)
            cov = SmallMatrix.sub(cov, kcp)
            for i in 0..<n { for j in 0..<i { let v = 0.5 * (cov[i * n + j] + cov[j * n + i]); cov[i * n + j] = v; cov[j * n + i] = v } }
            result.means.append(mean); result.covariances.append(cov)
        }
        return result
    }
}
