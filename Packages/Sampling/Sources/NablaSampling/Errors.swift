import Foundation

/// A parameter or argument that a distribution or sampler refuses, naming which one and why.
///
/// Every constructor that validates its arguments throws this type, so a caller can tell a
/// negative scale of a `Normal` from a covariance of a `MultivariateNormal` that is not positive
/// definite without parsing messages.
public enum DistributionError: Error, LocalizedError, Equatable, Sendable {
    /// `parameter` of `distribution` violates its constraint (`reason` says which).
    case invalidParameter(distribution: String, parameter: String, reason: String)
    /// The parameters' shapes do not broadcast together.
    case shapeMismatch(distribution: String, shapes: [[Int]])
    /// A covariance or precision matrix is not symmetric positive definite.
    case notPositiveDefinite(distribution: String, parameter: String)

    /// A one-line message naming the distribution and the parameter.
    public var errorDescription: String? {
        switch self {
        case let .invalidParameter(d, p, reason): return "\(d): parameter '\(p)' \(reason)"
        case let .shapeMismatch(d, shapes): return "\(d): parameter shapes \(shapes) do not broadcast"
        case let .notPositiveDefinite(d, p): return "\(d): parameter '\(p)' is not symmetric positive definite"
        }
    }
}

/// A sampler that detected that its own assumptions fail, for example a rejection-sampling bound
/// `k·q(z) ≥ p̃(z)` that a drawn point violates.
public enum SamplingError: Error, LocalizedError, Equatable, Sendable {
    /// At the drawn point `point`, `log p̃(z) = logTarget` exceeds `log k + log q(z) = logEnvelope`.
    case boundViolated(point: [Double], logTarget: Double, logEnvelope: Double)
    /// An argument of a sampler or estimator is invalid.
    case invalidArgument(function: String, argument: String, reason: String)
    /// Every importance weight is zero (or −∞ in log space): nothing can be estimated.
    case allWeightsZero

    /// A one-line message naming the failure.
    public var errorDescription: String? {
        switch self {
        case let .boundViolated(z, lp, le):
            return "rejection sampling: the bound k·q(z) ≥ p̃(z) is violated at z = \(z) (log p̃ = \(lp) > log k·q = \(le)); increase k"
        case let .invalidArgument(f, a, reason): return "\(f): argument '\(a)' \(reason)"
        case .allWeightsZero: return "importance sampling: every weight is zero"
        }
    }
}

/// A diagnostic a sampler attaches to its result instead of failing: the estimate exists but
/// should not be trusted blindly.
public struct SamplingWarning: Sendable, Equatable, CustomStringConvertible {
    /// What the warning is about.
    public enum Kind: Sendable, Equatable {
        /// The Pareto-k̂ of the importance weights exceeds the reliability threshold.
        case paretoKHat
        /// The effective sample size is a small fraction of the number of draws.
        case lowEffectiveSampleSize
        /// A rejection sampler accepted a very small fraction of its proposals.
        case lowAcceptanceRate
        /// The rank-normalized split R̂ of some quantity exceeds 1.01: the chains have not mixed.
        case rHat
        /// Some MCMC transitions diverged (energy error above 1000): the draws may be biased.
        case divergences
        /// Some NUTS transitions stopped at the maximum tree depth.
        case maxTreeDepth
    }
    /// The kind of warning.
    public var kind: Kind
    /// The measured value (k̂, the ESS or the acceptance rate).
    public var value: Double
    /// The threshold it crossed.
    public var threshold: Double
    /// A human-readable explanation.
    public var message: String

    /// Creates a warning.
    public init(kind: Kind, value: Double, threshold: Double, message: String) {
        self.kind = kind; self.value = value; self.threshold = threshold; self.message = message
    }

    /// The message.
    public var description: String { message }
}
