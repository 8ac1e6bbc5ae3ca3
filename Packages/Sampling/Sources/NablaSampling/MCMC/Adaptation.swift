import Foundation

/// Nesterov's dual averaging of the log step size towards a target acceptance statistic
/// (Hoffman and Gelman 2014, Algorithm 5), with Stan's constants `γ = 0.05`, `t₀ = 10`, `κ = 0.75`
/// and shrinkage point `μ = log(10 ε₀)`.
public struct DualAveraging: Sendable, Equatable {
    /// The acceptance statistic aimed at.
    public var target: Double
    /// The regularization scale `γ`.
    public var gamma: Double = 0.05
    /// The iteration offset `t₀`.
    public var t0: Double = 10
    /// The exponent `κ` of the averaging weights.
    public var kappa: Double = 0.75
    /// The point the iterates shrink towards.
    public var mu: Double
    /// The number of updates so far.
    public private(set) var iteration = 0.0
    /// The running average of `target − acceptance`.
    public private(set) var hBar = 0.0
    /// The averaged log step size (the one to keep after warm-up).
    public private(set) var logStepSizeAverage = 0.0
    /// The current log step size (the one to use during warm-up).
    public private(set) var logStepSize: Double

    /// Starts from step size `stepSize`.
    public init(stepSize: Double, target: Double = 0.8) {
        self.target = target
        mu = log(10 * stepSize)
        logStepSize = log(stepSize)
    }

    /// Restarts from `stepSize` (after the metric changes).
    public mutating func restart(stepSize: Double) { self = DualAveraging(stepSize: stepSize, target: target) }

    /// Feeds one acceptance statistic in `[0, 1]` and updates the step size.
    public mutating func update(acceptance: Double) {
        iteration += 1
        let a = acceptance.isFinite ? Swift.min(1, acceptance) : 0
        let eta = 1 / (iteration + t0)
        hBar = (1 - eta) * hBar + eta * (target - a)
        logStepSize = mu - iteration.squareRoot() / gamma * hBar
        let w = pow(iteration, -kappa)
        logStepSizeAverage = w * logStepSize + (1 - w) * logStepSizeAverage
    }

    /// The step size to use during warm-up.
    public var stepSize: Double { exp(logStepSize) }
    /// The step size to keep after warm-up.
    public var finalStepSize: Double { exp(logStepSizeAverage) }
}

/// The mass-matrix (metric) adaptation of a sampler.
public enum MetricKind: Sendable, Equatable {
    /// The identity, not adapted.
    case unit
    /// A diagonal inverse mass matrix, the posterior variances estimated in slow windows.
    case diagonal
    /// A dense inverse mass matrix, the posterior covariance estimated in slow windows.
    case dense
}

/// Stan's windowed warm-up schedule: an initial fast window (step size only, 75 iterations), slow
/// windows (step size and metric) of 25, 50, 100, … iterations, the last one stretched to the
/// terminal fast window (50 iterations). Shorter warm-ups shrink the buffers to 15 % and 10 %.
public struct WarmupSchedule: Sendable, Equatable {
    /// The number of warm-up iterations.
    public let warmup: Int
    /// The length of the initial fast window.
    public let initialBuffer: Int
    /// The length of the terminal fast window.
    public let terminalBuffer: Int
    /// The last iteration (exclusive) of each slow window, where the metric is updated.
    public let windowEnds: [Int]

    /// The schedule for `warmup` iterations with Stan's defaults.
    public init(warmup: Int, initialBuffer: Int = 75, terminalBuffer: Int = 50, baseWindow: Int = 25) {
        self.warmup = warmup
        var ib = initialBuffer, tb = terminalBuffer, bw = baseWindow
        if warmup < 20 {
            self.initialBuffer = warmup; self.terminalBuffer = 0; windowEnds = []; return
        }
        if ib + bw + tb > warmup {
            ib = Int(0.15 * Double(warmup)); tb = Int(0.1 * Double(warmup)); bw = warmup - ib - tb
        }
        self.initialBuffer = ib; self.terminalBuffer = tb
        var ends: [Int] = []
        var start = ib, size = bw
        let lastSlow = warmup - tb
        while start < lastSlow {
            var end = start + size
            // Stretch this window to the terminal buffer if the next one would not fit.
            if end + 2 * size > lastSlow { end = lastSlow }
            ends.append(end)
            start = end; size *= 2
        }
        windowEnds = ends
    }

    /// Whether iteration `i` (0-based) lies in a slow window, where draws feed the metric estimate.
    public func isSlow(_ i: Int) -> Bool { i >= initialBuffer && i < warmup - terminalBuffer }
}

/// Welford's running mean and (co)variance of the draws of a slow window, regularized towards
/// the identity as Stan does: `Σ̂ = n/(n+5)·S + 10⁻³·5/(n+5)·I`.
struct MetricEstimator {
    let dense: Bool
    let d: Int
    var n = 0.0
    var mean: [Double]
    var m2: [Double]   // d (diagonal) or d·d (dense)

    init(dimension: Int, dense: Bool) {
        d = dimension; self.dense = dense
        mean = [Double](repeating: 0, count: dimension)
        m2 = [Double](repeating: 0, count: dense ? dimension * dimension : dimension)
    }

    mutating func add(_ x: [Double]) {
        n += 1
        var delta = [Double](repeating: 0, count: d)
        for i in 0..<d { delta[i] = x[i] - mean[i]; mean[i] += delta[i] / n }
        if dense {
            for i in 0..<d { for j in 0..<d { m2[i * d + j] += delta[i] * (x[j] - mean[j]) } }
        } else {
            for i in 0..<d { m2[i] += delta[i] * (x[i] - mean[i]) }
        }
    }

    /// The regularized estimate: `d` variances or a `d×d` covariance.
    func estimate() -> [Double] {
        let s = n / (n + 5), shrink = 1e-3 * 5 / (n + 5)
        if dense {
            var c = m2.map { $0 / (n - 1) * s }
            for i in 0..<d { c[i * d + i] += shrink }
            return c
        }
        return m2.map { $0 / (n - 1) * s + shrink }
    }
}
