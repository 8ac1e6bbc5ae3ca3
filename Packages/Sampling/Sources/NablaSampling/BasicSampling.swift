#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sampling a finite set of outcomes by the inverse CDF: draw `u ~ U[0, 1)` and return the first
/// outcome whose cumulative probability exceeds `u` (binary search, `O(log K)` per draw).
///
/// With probabilities `0.3, 0.2, 0.5` for `a, b, c`, the cumulative sums are `0.3, 0.5, 1.0`,
/// so `u = 0.55` gives `c`.
public struct DiscreteInverseCDF: Sendable {
    /// The probabilities, as given.
    public let probabilities: [Double]
    /// Their running sums (the last is 1).
    public let cumulative: [Double]

    /// Validates and stores `probabilities`.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if one is
    ///   negative or NaN, or if they do not sum to one within `tolerance`.
    public init(probabilities: [Double], tolerance: Double = 1e-9) throws(DistributionError) {
        guard !probabilities.isEmpty, probabilities.allSatisfy({ $0 >= 0 }) else {
            throw .invalidParameter(distribution: "DiscreteInverseCDF", parameter: "probabilities", reason: "must be non-negative")
        }
        let total = probabilities.reduce(0, +)
        guard abs(total - 1) <= tolerance * Double(probabilities.count) else {
            throw .invalidParameter(distribution: "DiscreteInverseCDF", parameter: "probabilities", reason: "must sum to one (sum is \(total))")
        }
        self.probabilities = probabilities
        var c = 0.0
        var cum = probabilities.map { c += $0; return c }
        cum[cum.count - 1] = 1
        cumulative = cum
    }

    /// The outcome for the uniform `u`: the smallest `i` with `u < cumulative[i]`.
    public func outcome(for u: Double) -> Int {
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if u < cumulative[mid] { hi = mid } else { lo = mid + 1 }
        }
        // Skip zero-probability outcomes that share the boundary.
        while probabilities[lo] == 0 && lo + 1 < probabilities.count { lo += 1 }
        return lo
    }

    /// `count` outcomes from the uniforms of `generator`.
    public func sample<G: PhiloxProtocol>(_ count: Int, using generator: inout G) -> [Int] {
        Tensor<Double>.randomUniform([count], using: &generator).scalars.map { outcome(for: $0) }
    }
}

/// Walker's alias method (Vose's construction): after `O(K)` set-up, each draw costs one uniform
/// index, one uniform coin and no search, which wins over the inverse CDF for many draws from a
/// large fixed distribution.
public struct AliasTable: Sendable {
    /// The acceptance probability of each column.
    public let acceptance: [Double]
    /// The alias outcome of each column.
    public let alias: [Int]

    /// Builds the table.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a
    ///   probability is negative or they do not sum to one within `tolerance`.
    public init(probabilities: [Double], tolerance: Double = 1e-9) throws(DistributionError) {
        _ = try DiscreteInverseCDF(probabilities: probabilities, tolerance: tolerance)
        let k = probabilities.count, total = probabilities.reduce(0, +)
        var scaled = probabilities.map { $0 * Double(k) / total }
        var accept = [Double](repeating: 1, count: k), al = Array(0..<k)
        var small = [Int](), large = [Int]()
        for (i, p) in scaled.enumerated() { if p < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast() {
            guard let l = large.popLast() else { accept[s] = 1; continue }
            accept[s] = scaled[s]; al[s] = l
            scaled[l] = scaled[l] + scaled[s] - 1
            if scaled[l] < 1 { small.append(l) } else { large.append(l) }
        }
        for l in large { accept[l] = 1 }
        acceptance = accept; alias = al
    }

    /// The outcome for a column index `column` and a coin `u ∈ [0, 1)`.
    @inlinable public func outcome(column: Int, coin u: Double) -> Int { u < acceptance[column] ? column : alias[column] }

    /// `count` outcomes: one uniform picks the column (its integer part) and the coin (its fraction).
    public func sample<G: PhiloxProtocol>(_ count: Int, using generator: inout G) -> [Int] {
        let k = Double(acceptance.count)
        return Tensor<Double>.randomUniform([2 * count], using: &generator).scalars.withUnsafeBufferPointer { u in
            (0..<count).map { i in
                let column = Swift.min(Int(u[2 * i] * k), acceptance.count - 1)
                return outcome(column: column, coin: u[2 * i + 1])
            }
        }
    }
}

/// The draws of a rejection sampler and how many proposals they cost.
public struct RejectionSamplingResult<Scalar: TensorFloatingPoint> {
    /// The accepted draws, `[count] + eventShape`.
    public var samples: Tensor<Scalar>
    /// Proposals drawn.
    public var proposed: Int
    /// Proposals accepted (`samples.shape[0]`).
    public var accepted: Int
    /// `accepted / proposed`; `1/k` in expectation when `p̃` is normalized.
    public var acceptanceRate: Double { Double(accepted) / Double(Swift.max(proposed, 1)) }
    /// Every proposal `z₀` (flattened event) with its height `u₀ ~ U[0, k·q(z₀)]` and whether it
    /// was accepted, when recording was requested (for the acceptance-area figure).
    public var record: [(z: [Double], u: Double, accepted: Bool)]
    /// Warnings (a very low acceptance rate).
    public var warnings: [SamplingWarning]
}

/// Rejection sampling from an unnormalized density `p̃` with a proposal `q` and a constant `k`
/// such that `k·q(z) ≥ p̃(z)` everywhere: draw `z₀ ~ q`, `u₀ ~ U[0, k·q(z₀)]`, and keep `z₀` if
/// `u₀ ≤ p̃(z₀)`. The kept points are exact draws from `p = p̃/Z`; the acceptance rate is `Z/k`.
///
/// The sampler checks the bound at every proposal and throws
/// ``SamplingError/boundViolated(point:logTarget:logEnvelope:)`` instead of silently returning
/// draws from the wrong distribution.
public struct RejectionSampler<Proposal: Distribution> {
    /// The floating-point type.
    public typealias Scalar = Proposal.Scalar
    /// `log p̃`, mapping `[n] + eventShape` draws to `[n]` values.
    public let logTarget: (Tensor<Scalar>) -> Tensor<Scalar>
    /// The proposal `q` (batch shape `[]`).
    public let proposal: Proposal
    /// `log k`.
    public let logK: Double

    /// A sampler for `exp(logTarget)` with proposal `proposal` and bound `exp(logK)·q ≥ p̃`.
    public init(logTarget: @escaping (Tensor<Scalar>) -> Tensor<Scalar>, proposal: Proposal, logK: Double) {
        self.logTarget = logTarget; self.proposal = proposal; self.logK = logK
    }

    /// Draws `count` accepted samples, proposing in batches.
    /// - Parameters:
    ///   - count: the number of accepted samples wanted.
    ///   - maximumProposals: give up (returning fewer samples) after this many proposals.
    ///   - record: keep every proposal and its height for plotting.
    ///   - generator: the source of randomness.
    /// - Throws: ``SamplingError/boundViolated(point:logTarget:logEnvelope:)`` at the first
    ///   proposal where `log p̃(z) > log k + log q(z)` (beyond a relative rounding slack of 1e-9).
    public func sample<G: PhiloxProtocol>(_ count: Int, maximumProposals: Int = 100_000_000, record: Bool = false,
                                          using generator: inout G) throws(SamplingError) -> RejectionSamplingResult<Scalar> {
        let eventShape = proposal.eventShape
        let eventSize = eventShape.reduce(1, *)
        var kept = [Scalar](), proposed = 0, accepted = 0
        var rec: [(z: [Double], u: Double, accepted: Bool)] = []
        while accepted < count && proposed < maximumProposals {
            let batch = Swift.min(Swift.max(1024, 2 * (count - accepted)), maximumProposals - proposed)
            let z = proposal.sample([batch], using: &generator)
            let lq = proposal.logProb(z).scalars, lp = logTarget(z).scalars
            let u = Tensor<Double>.randomUniform([batch], using: &generator).scalars
            let zs = z.scalars
            for i in 0..<batch {
                let envelope = logK + Double(lq[i]), target = Double(lp[i])
                if target > envelope + 1e-9 * Swift.max(1, abs(envelope)) {
                    throw .boundViolated(point: zs[(i * eventSize)..<((i + 1) * eventSize)].map { Double($0) },
                                         logTarget: target, logEnvelope: envelope)
                }
                // u₀ = u·k·q(z₀) ≤ p̃(z₀)  ⇔  log u ≤ log p̃ − log k q.
                let accept = (1 - u[i]) <= exp(target - envelope)   // 1 − u ∈ (0, 1]
                if record {
                    rec.append((zs[(i * eventSize)..<((i + 1) * eventSize)].map { Double($0) }, (1 - u[i]) * exp(envelope), accept))
                }
                proposed += 1
                if accept {
                    kept.append(contentsOf: zs[(i * eventSize)..<((i + 1) * eventSize)])
                    accepted += 1
                    if accepted == count { break }
                }
            }
        }
        var result = RejectionSamplingResult(samples: Tensor(shape: [accepted] + eventShape, scalars: kept),
                                             proposed: proposed, accepted: accepted, record: rec, warnings: [])
        if result.acceptanceRate < 1e-3 {
            result.warnings.append(SamplingWarning(kind: .lowAcceptanceRate, value: result.acceptanceRate, threshold: 1e-3,
                                                   message: "rejection sampling accepted \(accepted) of \(proposed) proposals; k is too large"))
        }
        return result
    }

    /// One row of ``acceptanceRateByDimension(_:proposalScale:proposals:seed:)``.
    public struct DimensionRow: Sendable {
        /// The dimension `d`.
        public var dimension: Int
        /// The smallest valid bound, `k = σ_q^d`.
        public var k: Double
        /// The measured acceptance rate.
        public var acceptanceRate: Double
        /// The exact acceptance rate, `1/k`.
        public var expectedRate: Double
    }
}

extension RejectionSampler where Proposal == MultivariateNormal<Double> {
    /// The curse of dimensionality of rejection sampling (Bishop, PRML §11.1.2): target
    /// `N(0, I_d)`, proposal `N(0, σ_q² I_d)` with `σ_q` barely larger than one. The best bound is
    /// `k = σ_q^d`, so the acceptance rate `1/k` decays exponentially with `d`: with
    /// `σ_q = 1.01` and `d = 1000` it is about `1/20 000`.
    public static func acceptanceRateByDimension(_ dimensions: [Int], proposalScale: Double = 1.1,
                                                 proposals: Int = 100_000, seed: UInt64 = 0) throws -> [DimensionRow] {
        var g = PhiloxGenerator(seed: seed)
        return try dimensions.map { d in
            let q = try MultivariateNormal<Double>(loc: Tensor(repeating: 0, shape: [d]),
                                                   scaleTril: Tensor<Double>.eye(d) * proposalScale)
            let logK = Double(d) * log(proposalScale)
            let target: (Tensor<Double>) -> Tensor<Double> = { z in
                // log N(z; 0, I), normalized.
                (z.squared().sum(axis: 1) * -0.5) - Double(d) * halfLog2Pi
            }
            let sampler = RejectionSampler(logTarget: target, proposal: q, logK: logK)
            let r = try sampler.sample(proposals, maximumProposals: proposals, using: &g)
            return DimensionRow(dimension: d, k: exp(logK), acceptanceRate: r.acceptanceRate, expectedRate: exp(-logK))
        }
    }
}
