import Foundation
import Dispatch

enum MCMCConstants {
    /// The energy error above which a trajectory counts as divergent (Stan's and NumPyro's 1000).
    static let maxEnergyError = 1000.0
}

/// The transition kernel of a Markov chain Monte Carlo run.
public enum MCMCKernel: Sendable, Equatable {
    /// Random-walk Metropolis–Hastings with a Gaussian proposal shaped by the adapted metric; the
    /// proposal scale is tuned by dual averaging to the target acceptance (0.234 is optimal in
    /// high dimension; pass it as `targetAcceptance`).
    case metropolisHastings
    /// Static Hamiltonian Monte Carlo with `leapfrogSteps` steps per transition, each
    /// transition's step size drawn uniformly from `ε·(1 ± jitter)` (Stan's `stepsize_jitter`):
    /// a fixed path length resonates with the periods of a Gaussian target, the jitter breaks it.
    case hmc(leapfrogSteps: Int, jitter: Double = 0.3)
    /// The No-U-Turn sampler (multinomial, generalized U-turn criterion) with trees of depth at
    /// most `maxTreeDepth` (Stan's and NumPyro's default 10).
    case nuts(maxTreeDepth: Int = 10)
}

/// The settings of an MCMC run: numbers of chains and draws, and the warm-up.
public struct MCMCConfiguration: Sendable, Equatable {
    /// The number of independent chains, run in parallel.
    public var chains: Int = 4
    /// The warm-up (adaptation) iterations per chain, discarded.
    public var warmup: Int = 1000
    /// The kept draws per chain (after thinning).
    public var draws: Int = 1000
    /// Keep every `thin`-th iteration after warm-up.
    public var thin: Int = 1
    /// The acceptance statistic that dual averaging aims at (Stan's `adapt_delta`).
    public var targetAcceptance: Double = 0.8
    /// The metric adapted in the slow windows of the warm-up.
    public var metric: MetricKind = .diagonal
    /// Whether to adapt the step size during warm-up.
    public var adaptStepSize = true
    /// The step size to start from (refined by the initial search when adapting).
    public var initialStepSize: Double = 1
    /// Random initial points are drawn uniformly from `(−r, r)ᵈ` (Stan's 2).
    public var initialRadius: Double = 2
    /// The number of threads to run chains on (`nil`: `Parallel.threadCount`). Results do not
    /// depend on it.
    public var threads: Int? = nil

    /// The defaults: 4 chains, 1000 warm-up iterations, 1000 draws, target acceptance 0.8,
    /// diagonal metric.
    public init(chains: Int = 4, warmup: Int = 1000, draws: Int = 1000, thin: Int = 1,
                targetAcceptance: Double = 0.8, metric: MetricKind = .diagonal) {
        self.chains = chains; self.warmup = warmup; self.draws = draws; self.thin = thin
        self.targetAcceptance = targetAcceptance; self.metric = metric
    }
}

/// The sampler statistics of one draw.
public struct MCMCDrawStatistics: Sendable, Equatable {
    /// Whether the trajectory diverged (energy error above 1000 or a non-finite density).
    public var divergent: Bool
    /// The depth of the NUTS tree (0 for the other kernels).
    public var treeDepth: Int
    /// The number of gradient evaluations (leapfrog steps).
    public var leapfrogSteps: Int
    /// The Hamiltonian `H = −log p̃(q) + K(p)` at the draw (`−log p̃` for Metropolis–Hastings).
    public var energy: Double
    /// The step size used (the proposal scale for Metropolis–Hastings).
    public var stepSize: Double
    /// The acceptance statistic (mean Metropolis probability over the tree for NUTS).
    public var acceptance: Double
    /// `log p̃` at the draw.
    public var logDensity: Double

    /// Creates the statistics of one draw.
    public init(divergent: Bool, treeDepth: Int, leapfrogSteps: Int, energy: Double, stepSize: Double,
                acceptance: Double, logDensity: Double) {
        self.divergent = divergent; self.treeDepth = treeDepth; self.leapfrogSteps = leapfrogSteps
        self.energy = energy; self.stepSize = stepSize; self.acceptance = acceptance; self.logDensity = logDensity
    }
}

/// One chain's sampler: its position, step size, metric and random stream.
struct ChainSampler<Target: DifferentiableLogDensity> {
    var hamiltonian: Hamiltonian<Target>
    var current: PhasePoint
    var stepSize: Double
    var rng: ChainRandom
    let kernel: MCMCKernel
    let chain: Int

    mutating func transition() -> MCMCDrawStatistics {
        switch kernel {
        case .metropolisHastings: return metropolisHastingsTransition()
        case let .hmc(steps, jitter): return hmcTransition(steps: steps, jitter: jitter)
        case let .nuts(depth): return nutsTransition(maxDepth: depth)
        }
    }

    /// Stan's `init_stepsize`: doubles or halves `ε` until the one-step acceptance
    /// `exp(H₀ − H₁)` crosses 0.8.
    mutating func findReasonableStepSize() throws(MCMCError) {
        if case .metropolisHastings = kernel { return }
        let logTarget = log(0.8)
        func deltaH(_ eps: Double) -> Double {
            var z = current
            z.p = hamiltonian.metric.sampleMomentum(&rng)
            let h0 = hamiltonian.energy(z)
            hamiltonian.leapfrog(&z, eps)
            let h = hamiltonian.energy(z)
            return h0 - h
        }
        let direction = deltaH(stepSize) > logTarget ? 1.0 : -1.0
        while true {
            stepSize = direction > 0 ? 2 * stepSize : 0.5 * stepSize
            if stepSize > 1e7 || stepSize < 1e-12 { throw .stepSizeSearchFailed(chain: chain, stepSize: stepSize) }
            let dh = deltaH(stepSize)
            if direction > 0 && !(dh > logTarget) { break }
            if direction < 0 && !(dh < logTarget) { break }
        }
    }
}

/// Markov chain Monte Carlo: random-walk Metropolis–Hastings, Hamiltonian Monte Carlo and the
/// No-U-Turn sampler, with Stan's warm-up (step-size search, dual averaging, windowed metric
/// adaptation), several chains in parallel, and the diagnostics of ``MCMCDiagnostics``.
///
/// ```swift
/// let target = GradientLogDensityFunction(dimension: 2) { x, g in
///     g[0] = -x[0]; g[1] = -x[1]; return -0.5 * (x[0] * x[0] + x[1] * x[1])
/// }
/// let result = try MCMC.sample(target, kernel: .nuts(), seed: 0)
/// print(result.summary())
/// ```
public enum MCMC {
    /// Runs `configuration.chains` chains of `kernel` on `target`, each from its own split of a
    /// Philox generator seeded with `seed`, in parallel.
    ///
    /// - Parameters:
    ///   - target: the log density and its gradient.
    ///   - kernel: the transition kernel.
    ///   - configuration: chains, warm-up, draws, adaptation.
    ///   - initialPositions: one starting point per chain; `nil` draws them uniformly in
    ///     `(−2, 2)ᵈ` (retrying up to 100 times where the density is not finite).
    ///   - seed: the seed of the generator that is split into one stream per chain.
    /// - Throws: ``MCMCError/nonFiniteInitialLogDensity(chain:value:position:)`` or
    ///   ``MCMCError/nonFiniteInitialGradient(chain:position:)`` when a given start is not
    ///   finite, ``MCMCError/noValidInitialPoint(chain:attempts:)``,
    ///   ``MCMCError/stepSizeSearchFailed(chain:stepSize:)``, or
    ///   ``MCMCError/invalidArgument(argument:reason:)``.
    public static func sample<Target: DifferentiableLogDensity>(
        _ target: Target, kernel: MCMCKernel = .nuts(), configuration: MCMCConfiguration = MCMCConfiguration(),
        initialPositions: [[Double]]? = nil, seed: UInt64 = 0
    ) throws(MCMCError) -> MCMCResult {
        var g = PhiloxGenerator(seed: seed)
        return try sample(target, kernel: kernel, configuration: configuration, initialPositions: initialPositions, using: &g)
    }

    /// Runs the chains with streams split from `generator` (see
    /// ``sample(_:kernel:configuration:initialPositions:seed:)``).
    /// - Throws: see ``sample(_:kernel:configuration:initialPositions:seed:)``.
    public static func sample<Target: DifferentiableLogDensity>(
        _ target: Target, kernel: MCMCKernel, configuration: MCMCConfiguration,
        initialPositions: [[Double]]?, using generator: inout PhiloxGenerator
    ) throws(MCMCError) -> MCMCResult {
        let c = configuration, d = target.dimension
        guard c.chains >= 1 else { throw .invalidArgument(argument: "chains", reason: "must be ≥ 1") }
        guard c.draws >= 1, c.warmup >= 0, c.thin >= 1 else {
            throw .invalidArgument(argument: "draws", reason: "draws and thin must be ≥ 1, warmup ≥ 0")
        }
        guard d >= 1 else { throw .invalidArgument(argument: "target", reason: "must have dimension ≥ 1") }
        if case let .hmc(steps, jitter) = kernel, steps < 1 || !(0..<1).contains(jitter) { throw .invalidArgument(argument: "hmc", reason: "needs leapfrogSteps ≥ 1 and 0 ≤ jitter < 1") }
        if case let .nuts(depth) = kernel, depth < 1 { throw .invalidArgument(argument: "maxTreeDepth", reason: "must be ≥ 1") }
        if let inits = initialPositions, inits.count != c.chains || inits.contains(where: { $0.count != d }) {
            throw .invalidArgument(argument: "initialPositions", reason: "must hold \(c.chains) points of dimension \(d)")
        }
        var streams = generator.split(into: c.chains)
        // Starting points, checked on this thread: a clear error instead of a hang.
        var samplers: [ChainSampler<Target>] = []
        for chain in 0..<c.chains {
            var rng = ChainRandom(streams[chain])
            let ham = Hamiltonian(target: target, metric: EuclideanMetric(dimension: d, kind: c.metric))
            var start: PhasePoint
            if let inits = initialPositions {
                start = ham.point(inits[chain], [Double](repeating: 0, count: d))
                guard start.logDensity.isFinite else {
                    throw .nonFiniteInitialLogDensity(chain: chain, value: start.logDensity, position: inits[chain])
                }
                guard start.gradient.allSatisfy({ $0.isFinite }) else {
                    throw .nonFiniteInitialGradient(chain: chain, position: inits[chain])
                }
            } else {
                var found: PhasePoint? = nil
                for _ in 0..<100 {
                    let q = (0..<d).map { _ in (2 * rng.uniform() - 1) * c.initialRadius }
                    let z = ham.point(q, [Double](repeating: 0, count: d))
                    if z.logDensity.isFinite && z.gradient.allSatisfy({ $0.isFinite }) { found = z; break }
                }
                guard let z = found else { throw .noValidInitialPoint(chain: chain, attempts: 100) }
                start = z
            }
            streams[chain] = rng.generator
            samplers.append(ChainSampler(hamiltonian: ham, current: start, stepSize: c.initialStepSize,
                                         rng: rng, kernel: kernel, chain: chain))
        }
        // Each chain writes only its own slot.
        var outputs = [ChainOutput?](repeating: nil, count: c.chains)
        let threads = Swift.max(1, Swift.min(c.threads ?? Parallel.threadCount, c.chains))
        outputs.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedChains(samplers: samplers, outputs: buffer.baseAddress!)
            if threads == 1 {
                for i in 0..<c.chains { shared.run(i, c) }
            } else {
                // Chains are dealt to `threads` workers round-robin; the job is type-erased so the
                // worker closure captures no generic metatype.
                let job = ChainJob { i in shared.run(i, c) }
                let chainCount = c.chains
                DispatchQueue.concurrentPerform(iterations: threads) { w in
                    for i in stride(from: w, to: chainCount, by: threads) { job.body(i) }
                }
            }
        }
        var chains: [ChainOutput] = []
        for o in outputs {
            guard let o else { continue }
            if let e = o.error { throw e }
            chains.append(o)
        }
        return MCMCResult(dimension: d, kernel: kernel, configuration: c, chains: chains)
    }

    /// Samples a ``LogDensity`` over vectors of `dimension` elements, its gradient from Autograd.
    /// - Throws: see ``sample(_:kernel:configuration:initialPositions:seed:)``.
    public static func sample<L: LogDensity>(
        logDensity: L, dimension: Int, kernel: MCMCKernel = .nuts(),
        configuration: MCMCConfiguration = MCMCConfiguration(), initialPositions: [[Double]]? = nil, seed: UInt64 = 0
    ) throws(MCMCError) -> MCMCResult where L.Scalar == Double {
        try sample(AutogradLogDensity(logDensity, dimension: dimension), kernel: kernel, configuration: configuration,
                   initialPositions: initialPositions, seed: seed)
    }

    /// Warm-up and sampling of one chain.
    static func runChain<Target>(_ s: inout ChainSampler<Target>, _ c: MCMCConfiguration) -> ChainOutput {
        let d = s.current.q.count
        var out = ChainOutput(draws: [], stats: [], stepSize: 0, inverseMetric: [], error: nil)
        out.draws.reserveCapacity(c.draws * d)
        let isMH: Bool = { if case .metropolisHastings = s.kernel { return true }; return false }()
        if c.adaptStepSize && c.warmup > 0 {
            do { try s.findReasonableStepSize() } catch { out.error = error; return out }
        }
        var averaging = DualAveraging(stepSize: s.stepSize, target: c.targetAcceptance)
        let schedule = WarmupSchedule(warmup: c.warmup)
        var estimator = MetricEstimator(dimension: d, dense: c.metric == .dense)
        var nextWindow = 0
        for i in 0..<c.warmup {
            let st = s.transition()
            if c.adaptStepSize {
                averaging.update(acceptance: st.acceptance)
                s.stepSize = averaging.stepSize
            }
            if c.metric != .unit && schedule.isSlow(i) {
                estimator.add(s.current.q)
                if nextWindow < schedule.windowEnds.count && i + 1 == schedule.windowEnds[nextWindow] {
                    s.hamiltonian.metric.set(estimator.estimate())
                    estimator = MetricEstimator(dimension: d, dense: c.metric == .dense)
                    nextWindow += 1
                    if c.adaptStepSize {
                        if !isMH { do { try s.findReasonableStepSize() } catch { out.error = error; return out } }
                        averaging.restart(stepSize: s.stepSize)
                    }
                }
            }
        }
        if c.adaptStepSize && c.warmup > 0 { s.stepSize = averaging.finalStepSize }
        for i in 0..<(c.draws * c.thin) {
            let st = s.transition()
            if (i + 1) % c.thin == 0 {
                out.draws.append(contentsOf: s.current.q)
                out.stats.append(st)
            }
        }
        out.stepSize = s.stepSize
        out.inverseMetric = s.hamiltonian.metric.inverseMass
        return out
    }
}

/// A type-erased chain job shared with the worker threads.
struct ChainJob: @unchecked Sendable {
    let body: (Int) -> Void
}

/// What one chain produced.
struct ChainOutput {
    var draws: [Double]
    var stats: [MCMCDrawStatistics]
    var stepSize: Double
    var inverseMetric: [Double]
    var error: MCMCError?
}

/// The chains' samplers and output slots, shared with the worker threads; each chain index is
/// touched by exactly one worker.
final class SharedChains<Target: DifferentiableLogDensity>: @unchecked Sendable {
    var samplers: [ChainSampler<Target>]
    let outputs: UnsafeMutablePointer<ChainOutput?>
    init(samplers: [ChainSampler<Target>], outputs: UnsafeMutablePointer<ChainOutput?>) {
        self.samplers = samplers; self.outputs = outputs
    }
    func run(_ i: Int, _ c: MCMCConfiguration) {
        var s = samplers.withUnsafeBufferPointer { $0[i] }
        outputs[i] = MCMC.runChain(&s, c)
    }
}
