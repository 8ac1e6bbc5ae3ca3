import Foundation

extension ChainSampler {
    /// One static Hamiltonian Monte Carlo step: a fresh momentum `p ~ N(0, M)`, `steps` leapfrog
    /// steps of size `ε` (jittered), and a Metropolis correction `min(1, exp(H₀ − H₁))`. A trajectory whose
    /// energy error exceeds 1000 (or that leaves the support) is a divergence, rejected.
    mutating func hmcTransition(steps: Int, jitter: Double) -> MCMCDrawStatistics {
        let eps = jitter > 0 ? stepSize * (1 + jitter * (2 * rng.uniform() - 1)) : stepSize
        current.p = hamiltonian.metric.sampleMomentum(&rng)
        let h0 = hamiltonian.energy(current)
        var z = current
        var divergent = false
        var taken = 0
        for _ in 0..<steps {
            hamiltonian.leapfrog(&z, eps)
            taken += 1
            if !(hamiltonian.energy(z) - h0 <= MCMCConstants.maxEnergyError) { divergent = true; break }
        }
        let h1 = divergent ? Double.infinity : hamiltonian.energy(z)
        let acceptance = h0 - h1 >= 0 ? 1 : exp(h0 - h1)
        var energy = h0
        if !divergent && rng.uniform() < acceptance {
            current = z; energy = h1
        }
        return MCMCDrawStatistics(divergent: divergent, treeDepth: 0, leapfrogSteps: taken, energy: energy,
                                  stepSize: eps, acceptance: acceptance, logDensity: current.logDensity)
    }
}
