import Foundation

/// `log(eᵃ + eᵇ)` without overflow.
@inline(__always) func logAddExp(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if b == -.infinity { return a }
    return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b))
}

@inline(__always) func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in 0..<a.count { s += a[i] * b[i] }
    return s
}

@inline(__always) func add(_ a: [Double], _ b: [Double]) -> [Double] {
    var c = a
    for i in 0..<a.count { c[i] += b[i] }
    return c
}

/// The No-U-Turn sampler with multinomial sampling of the trajectory and the generalized U-turn
/// criterion (Betancourt 2017), as in Stan's `base_nuts` and NumPyro's `NUTS`: the trajectory
/// doubles forwards or backwards at random until the momenta at its ends and across the seams of
/// its sub-trees stop agreeing with the summed momentum `ρ`, until a divergence (energy error
/// above 1000), or until the maximum tree depth.
struct NUTSTreeState {
    var divergent = false
    var leapfrogs = 0
    var sumMetropolis = 0.0
}

extension ChainSampler {
    /// `v₋·ρ > 0 ∧ v₊·ρ > 0` with `v = M⁻¹ p` at the two ends.
    @inline(__always) private func noUTurn(_ sharpMinus: [Double], _ sharpPlus: [Double], _ rho: [Double]) -> Bool {
        dot(sharpPlus, rho) > 0 && dot(sharpMinus, rho) > 0
    }

    /// One NUTS transition with trees of depth at most `maxDepth`.
    mutating func nutsTransition(maxDepth: Int) -> MCMCDrawStatistics {
        let d = current.q.count
        let zeros = [Double](repeating: 0, count: d)
        current.p = hamiltonian.metric.sampleMomentum(&rng)
        let h0 = hamiltonian.energy(current)
        var zFwd = current, zBck = current
        var zSample = current
        var zPropose = current
        let sharp0 = hamiltonian.metric.velocity(current.p)
        var pSharpFwdFwd = sharp0, pSharpFwdBck = sharp0, pSharpBckFwd = sharp0, pSharpBckBck = sharp0
        var pFwdFwd = current.p, pFwdBck = current.p, pBckFwd = current.p, pBckBck = current.p
        var rho = current.p
        var logSumWeight = 0.0
        var depth = 0
        var state = NUTSTreeState()
        while depth < maxDepth {
            var rhoFwd = zeros, rhoBck = zeros
            var valid = false
            var logSumWeightSubtree = -Double.infinity
            if rng.uniform() > 0.5 {
                var z = zFwd
                rhoBck = rho
                pBckFwd = pFwdBck
                pSharpBckFwd = pSharpFwdBck
                valid = buildTree(depth, &z, &zPropose, &pSharpFwdBck, &pSharpFwdFwd, &rhoFwd, &pFwdBck, &pFwdFwd,
                                  h0, 1, &logSumWeightSubtree, &state)
                zFwd = z
            } else {
                var z = zBck
                rhoFwd = rho
                pFwdBck = pBckFwd
                pSharpFwdBck = pSharpBckFwd
                valid = buildTree(depth, &z, &zPropose, &pSharpBckFwd, &pSharpBckBck, &rhoBck, &pBckFwd, &pBckBck,
                                  h0, -1, &logSumWeightSubtree, &state)
                zBck = z
            }
            if !valid { break }
            depth += 1
            if logSumWeightSubtree > logSumWeight {
                zSample = zPropose
            } else if rng.uniform() < exp(logSumWeightSubtree - logSumWeight) {
                zSample = zPropose
            }
            logSumWeight = logAddExp(logSumWeight, logSumWeightSubtree)
            rho = add(rhoBck, rhoFwd)
            var persist = noUTurn(pSharpBckBck, pSharpFwdFwd, rho)
            persist = persist && noUTurn(pSharpBckBck, pSharpFwdBck, add(rhoBck, pFwdBck))
            persist = persist && noUTurn(pSharpBckFwd, pSharpFwdFwd, add(rhoFwd, pBckFwd))
            if !persist { break }
        }
        current = zSample
        let acceptance = state.leapfrogs > 0 ? state.sumMetropolis / Double(state.leapfrogs) : 0
        return MCMCDrawStatistics(divergent: state.divergent, treeDepth: depth, leapfrogSteps: state.leapfrogs,
                                  energy: hamiltonian.energy(current), stepSize: stepSize,
                                  acceptance: acceptance, logDensity: current.logDensity)
    }

    /// Builds a sub-tree of `2^depth` leapfrog steps from `z` in direction `sign`, sampling
    /// `propose` from it multinomially; returns whether it is valid (no U-turn, no divergence).
    private mutating func buildTree(_ depth: Int, _ z: inout PhasePoint, _ propose: inout PhasePoint,
                                    _ pSharpBeg: inout [Double], _ pSharpEnd: inout [Double], _ rho: inout [Double],
                                    _ pBeg: inout [Double], _ pEnd: inout [Double], _ h0: Double, _ sign: Double,
                                    _ logSumWeight: inout Double, _ state: inout NUTSTreeState) -> Bool {
        if depth == 0 {
            hamiltonian.leapfrog(&z, sign * stepSize)
            state.leapfrogs += 1
            let h = hamiltonian.energy(z)
            if !(h - h0 <= MCMCConstants.maxEnergyError) { state.divergent = true }
            logSumWeight = logAddExp(logSumWeight, h0 - h)
            state.sumMetropolis += h0 - h > 0 ? 1 : exp(h0 - h)
            propose = z
            pSharpBeg = hamiltonian.metric.velocity(z.p)
            pSharpEnd = pSharpBeg
            for i in 0..<rho.count { rho[i] += z.p[i] }
            pBeg = z.p
            pEnd = pBeg
            return !state.divergent
        }
        let d = rho.count
        let zeros = [Double](repeating: 0, count: d)
        // The initial half.
        var logSumWeightInit = -Double.infinity
        var pInitEnd = zeros, pSharpInitEnd = zeros, rhoInit = zeros
        guard buildTree(depth - 1, &z, &propose, &pSharpBeg, &pSharpInitEnd, &rhoInit, &pBeg, &pInitEnd,
                        h0, sign, &logSumWeightInit, &state) else { return false }
        // The final half.
        var proposeFinal = z
        var logSumWeightFinal = -Double.infinity
        var pFinalBeg = zeros, pSharpFinalBeg = zeros, rhoFinal = zeros
        guard buildTree(depth - 1, &z, &proposeFinal, &pSharpFinalBeg, &pSharpEnd, &rhoFinal, &pFinalBeg, &pEnd,
                        h0, sign, &logSumWeightFinal, &state) else { return false }
        // Multinomial sample between the halves.
        let logSumWeightSubtree = logAddExp(logSumWeightInit, logSumWeightFinal)
        logSumWeight = logAddExp(logSumWeight, logSumWeightSubtree)
        if logSumWeightFinal > logSumWeightSubtree {
            propose = proposeFinal
        } else if rng.uniform() < exp(logSumWeightFinal - logSumWeightSubtree) {
            propose = proposeFinal
        }
        let rhoSubtree = add(rhoInit, rhoFinal)
        for i in 0..<d { rho[i] += rhoSubtree[i] }
        var persist = noUTurn(pSharpBeg, pSharpEnd, rhoSubtree)
        persist = persist && noUTurn(pSharpBeg, pSharpFinalBeg, add(rhoInit, pFinalBeg))
        persist = persist && noUTurn(pSharpInitEnd, pSharpEnd, add(rhoFinal, pInitEnd))
        return persist
    }
}
