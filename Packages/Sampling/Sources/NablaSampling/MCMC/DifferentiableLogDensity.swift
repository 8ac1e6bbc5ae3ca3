import Foundation

/// A log density `log p̃(x)` on flat vectors `x ∈ ℝᵈ` with its gradient: what the Markov chain
/// Monte Carlo samplers of this module evaluate at every step.
///
/// Write a conformance by hand when the gradient is known in closed form (the cheapest per
/// leapfrog step); wrap any ``LogDensity`` (a closure over `Variable`s, differentiated by
/// Autograd) in ``AutogradLogDensity`` otherwise. Implementations are called from several
/// threads at once (one per chain) and must not share mutable state.
public protocol DifferentiableLogDensity {
    /// The dimension `d` of `x`.
    var dimension: Int { get }
    /// `log p̃(x)`, writing `∇ log p̃(x)` into `gradient` (already sized `d`).
    func logDensity(at x: [Double], gradient: inout [Double]) -> Double
    /// `log p̃(x)` alone (a Metropolis–Hastings step needs no gradient).
    func logDensity(at x: [Double]) -> Double
}

extension DifferentiableLogDensity {
    /// Evaluates the value and discards the gradient.
    public func logDensity(at x: [Double]) -> Double {
        var g = [Double](repeating: 0, count: dimension)
        return logDensity(at: x, gradient: &g)
    }
}

/// A ``LogDensity`` over `Double` seen as a ``DifferentiableLogDensity``: the value by a forward
/// pass on a `Variable` of shape `[d]`, the gradient by one reverse pass of Autograd.
public struct AutogradLogDensity<Base: LogDensity>: DifferentiableLogDensity where Base.Scalar == Double {
    /// The wrapped density.
    public let base: Base
    /// The dimension of `x`.
    public let dimension: Int
    /// Wraps `base`, a density over vectors of `dimension` elements.
    public init(_ base: Base, dimension: Int) { self.base = base; self.dimension = dimension }
    /// `base.valueAndGradient(at:)` on `Tensor(x)`.
    public func logDensity(at x: [Double], gradient: inout [Double]) -> Double {
        let (v, g) = base.valueAndGradient(at: Tensor(x))
        gradient = g.scalars
        return v
    }
    /// A forward pass without recording a gradient.
    public func logDensity(at x: [Double]) -> Double {
        base.logDensity(Variable(Tensor(x))).scalar
    }
}

/// A ``DifferentiableLogDensity`` from a closure returning the value and writing the gradient.
public struct GradientLogDensityFunction: DifferentiableLogDensity {
    /// The dimension of `x`.
    public let dimension: Int
    /// The closure: `log p̃(x)`, with `∇ log p̃(x)` written into its second argument.
    public let body: ([Double], inout [Double]) -> Double
    /// Wraps `body`.
    public init(dimension: Int, _ body: @escaping ([Double], inout [Double]) -> Double) {
        self.dimension = dimension; self.body = body
    }
    /// Calls the closure.
    public func logDensity(at x: [Double], gradient: inout [Double]) -> Double { body(x, &gradient) }
}
