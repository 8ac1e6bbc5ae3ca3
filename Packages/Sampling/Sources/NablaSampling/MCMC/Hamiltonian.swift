import Foundation

/// A point of phase space: position, momentum, and the log density and its gradient at the position.
struct PhasePoint {
    var q: [Double]
    var p: [Double]
    var logDensity: Double
    var gradient: [Double]
}

/// The Euclidean kinetic energy `K(p) = ½ pᵀ M⁻¹ p` of an inverse mass matrix `M⁻¹` (the
/// metric: the identity, a diagonal or a dense matrix) and its momentum sampler `p ~ N(0, M)`.
struct EuclideanMetric {
    let d: Int
    let kind: MetricKind
    /// The diagonal of `M⁻¹` (diagonal) or `M⁻¹` row-major (dense).
    var inverseMass: [Double]
    /// The lower Cholesky factor `L` of a dense `M⁻¹ = L·Lᵀ`.
    var cholesky: [Double] = []

    init(dimension: Int, kind: MetricKind) {
        d = dimension; self.kind = kind
        switch kind {
        case .unit, .diagonal: inverseMass = [Double](repeating: 1, count: d)
        case .dense:
            inverseMass = [Double](repeating: 0, count: d * d)
            for i in 0..<d { inverseMass[i * d + i] = 1 }
            cholesky = inverseMass
        }
    }

    /// Sets `M⁻¹` from an estimate (variances or a covariance).
    mutating func set(_ estimate: [Double]) {
        inverseMass = estimate
        if kind == .dense {
            var l = [Double](repeating: 0, count: d * d)
            for j in 0..<d {
                var s = inverseMass[j * d + j]
                for k in 0..<j { s -= l[j * d + k] * l[j * d + k] }
                let ljj = s > 0 ? s.squareRoot() : 1e-8
                l[j * d + j] = ljj
                for i in (j + 1)..<Swift.max(d, j + 1) {
                    var t = inverseMass[i * d + j]
                    for k in 0..<j { t -= l[i * d + k] * l[j * d + k] }
                    l[i * d + j] = t / ljj
                }
            }
            cholesky = l
        }
    }

    /// `v = M⁻¹ p` (Stan's `dtau_dp`, the "sharp" momentum).
    func velocity(_ p: [Double]) -> [Double] {
        switch kind {
        case .unit: return p
        case .diagonal:
            var v = p
            for i in 0..<d { v[i] *= inverseMass[i] }
            return v
        case .dense:
            var v = [Double](repeating: 0, count: d)
            inverseMass.withUnsafeBufferPointer { m in
                for i in 0..<d {
                    var s = 0.0
                    for j in 0..<d { s += m[i * d + j] * p[j] }
                    v[i] = s
                }
            }
            return v
        }
    }

    /// `½ pᵀ M⁻¹ p` (without allocating for the unit and diagonal metrics).
    func kinetic(_ p: [Double]) -> Double {
        var s = 0.0
        switch kind {
        case .unit:
            p.withUnsafeBufferPointer { p in for i in 0..<d { s += p[i] * p[i] } }
        case .diagonal:
            p.withUnsafeBufferPointer { p in
                inverseMass.withUnsafeBufferPointer { m in for i in 0..<d { s += p[i] * p[i] * m[i] } }
            }
        case .dense:
            let v = velocity(p)
            for i in 0..<d { s += p[i] * v[i] }
        }
        return 0.5 * s
    }

    /// `q += ε M⁻¹ p`, in place.
    func drift(_ q: inout [Double], _ p: [Double], _ eps: Double) {
        switch kind {
        case .unit:
            q.withUnsafeMutableBufferPointer { q in p.withUnsafeBufferPointer { p in for i in 0..<d { q[i] += eps * p[i] } } }
        case .diagonal:
            q.withUnsafeMutableBufferPointer { q in
                p.withUnsafeBufferPointer { p in
                    inverseMass.withUnsafeBufferPointer { m in for i in 0..<d { q[i] += eps * m[i] * p[i] } }
                }
            }
        case .dense:
            let v = velocity(p)
            for i in 0..<d { q[i] += eps * v[i] }
        }
    }

    /// A draw of `p ~ N(0, M)`: `z` itself scaled by `1/√m⁻¹ᵢ` (diagonal) or `L⁻ᵀ z` (dense).
    func sampleMomentum(_ rng: inout ChainRandom) -> [Double] {
        var z = (0..<d).map { _ in rng.normal() }
        switch kind {
        case .unit: return z
        case .diagonal:
            for i in 0..<d { z[i] /= inverseMass[i].squareRoot() }
            return z
        case .dense:
            // Solve Lᵀ p = z by back substitution.
            var p = z
            for i in stride(from: d - 1, through: 0, by: -1) {
                var s = z[i]
                for k in (i + 1)..<Swift.max(d, i + 1) { s -= cholesky[k * d + i] * p[k] }
                p[i] = s / cholesky[i * d + i]
            }
            return p
        }
    }
}

/// The random numbers of one chain, from its own Philox stream.
struct ChainRandom {
    var generator: PhiloxGenerator
    var spare: Double? = nil

    init(_ generator: PhiloxGenerator) { self.generator = generator }

    /// A uniform double in `[0, 1)` with 53 random bits.
    mutating func uniform() -> Double { Double(generator.next() >> 11) * 0x1p-53 }

    /// A standard normal by the Box–Muller transform (both values used).
    mutating func normal() -> Double {
        if let s = spare { spare = nil; return s }
        let u1 = 1 - uniform(), u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        spare = r * sin(2 * .pi * u2)
        return r * cos(2 * .pi * u2)
    }
}

/// The Hamiltonian system `H(q, p) = −log p̃(q) + K(p)` and its leapfrog integrator.
struct Hamiltonian<Target: DifferentiableLogDensity> {
    let target: Target
    var metric: EuclideanMetric

    /// `H` at `z` (`+∞` where the density is not finite).
    func energy(_ z: PhasePoint) -> Double {
        let h = -z.logDensity + metric.kinetic(z.p)
        return h.isNaN ? .infinity : h
    }

    /// The phase point at `q` with momentum `p`, evaluating the density and its gradient.
    func point(_ q: [Double], _ p: [Double]) -> PhasePoint {
        var g = [Double](repeating: 0, count: q.count)
        let lp = target.logDensity(at: q, gradient: &g)
        return PhasePoint(q: q, p: p, logDensity: lp, gradient: g)
    }

    /// One leapfrog step of size `eps` (negative to integrate backwards), in place.
    func leapfrog(_ z: inout PhasePoint, _ eps: Double) {
        let half = 0.5 * eps
        Self.kick(&z.p, z.gradient, half)
        metric.drift(&z.q, z.p, eps)
        z.logDensity = target.logDensity(at: z.q, gradient: &z.gradient)
        var finite = z.logDensity.isFinite
        z.gradient.withUnsafeBufferPointer { g in
            var s = 0.0
            for v in g { s += v }   // NaN or ±∞ anywhere makes the sum non-finite
            if !s.isFinite { finite = false }
        }
        if !finite {
            z.logDensity = -.infinity
            return
        }
        Self.kick(&z.p, z.gradient, half)
    }

    /// `p += h ∇ log p̃`, in place.
    @inline(__always) static func kick(_ p: inout [Double], _ g: [Double], _ h: Double) {
        p.withUnsafeMutableBufferPointer { p in g.withUnsafeBufferPointer { g in for i in 0..<p.count { p[i] += h * g[i] } } }
    }
}
