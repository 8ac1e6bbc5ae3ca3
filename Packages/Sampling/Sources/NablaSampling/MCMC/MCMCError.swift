import Foundation

/// Why a Markov chain Monte Carlo run could not start or go on.
public enum MCMCError: Error, LocalizedError, Equatable, Sendable {
    /// The log density at the initial point of `chain` is NaN or infinite.
    case nonFiniteInitialLogDensity(chain: Int, value: Double, position: [Double])
    /// Some component of the gradient at the initial point of `chain` is NaN or infinite.
    case nonFiniteInitialGradient(chain: Int, position: [Double])
    /// No random initial point with a finite log density and gradient was found in `attempts` tries.
    case noValidInitialPoint(chain: Int, attempts: Int)
    /// The initial step-size search diverged (step size below `1e-12` or above `1e7`).
    case stepSizeSearchFailed(chain: Int, stepSize: Double)
    /// An argument of the sampler is invalid.
    case invalidArgument(argument: String, reason: String)

    /// A one-line message naming the chain and what is wrong.
    public var errorDescription: String? {
        switch self {
        case let .nonFiniteInitialLogDensity(c, v, x):
            return "MCMC chain \(c): the log density at the initial point is \(v) (must be finite) at x = \(x.prefix(8))\(x.count > 8 ? "…" : "")"
        case let .nonFiniteInitialGradient(c, x):
            return "MCMC chain \(c): the gradient of the log density at the initial point is not finite at x = \(x.prefix(8))\(x.count > 8 ? "…" : "")"
        case let .noValidInitialPoint(c, n):
            return "MCMC chain \(c): no initial point with a finite log density and gradient in \(n) random tries in (−2, 2)ᵈ; pass initial positions"
        case let .stepSizeSearchFailed(c, e):
            return "MCMC chain \(c): the initial step-size search diverged (step size \(e)); the posterior may be improper or the gradient wrong"
        case let .invalidArgument(a, r): return "MCMC: argument '\(a)' \(r)"
        }
    }
}
