import Foundation

extension ChainSampler {
    /// One random-walk Metropolis–Hastings step: the proposal `q + ε·L·z`, `z ~ N(0, I)`, with
    /// `L` the square root of the adapted metric (a Gaussian random walk shaped like the
    /// posterior covariance), accepted with probability `min(1, p̃(q')/p̃(q))`.
    mutating func metropolisHastingsTransition() -> MCMCDrawStatistics {
        let d = current.q.count
        let z = (0..<d).map { _ in rng.normal() }
        var q = current.q
        let m = hamiltonian.metric
        switch m.kind {
        case .unit: for i in 0..<d { q[i] += stepSize * z[i] }
        case .diagonal: for i in 0..<d { q[i] += stepSize * m.inverseMass[i].squareRoot() * z[i] }
        case .dense:
            for i in 0..<d {
                var s = 0.0
                for k in 0...i { s += m.cholesky[i * d + k] * z[k] }
                q[i] += stepSize * s
            }
        }
        let lp = hamiltonian.target.logDensity(at: q)
        let logRatio = lp.isNaN ? -Double.infinity : lp - current.logDensity
        let acceptance = logRatio >= 0 ? 1 : exp(logRatio)
        if rng.uniform() < acceptance {
            current.q = q; current.logDensity = lp
        }
        return MCMCDrawStatistics(divergent: false, treeDepth: 0, leapfrogSteps: 0, energy: -current.logDensity,
                                  stepSize: stepSize, acceptance: acceptance, logDensity: current.logDensity)
    }
}
