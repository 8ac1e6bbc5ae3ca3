#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline let halfLog2Pi = 0.5 * log(2 * Double.pi)

/// `−∞` where `mask` is false, `0` where true: added to a log-density to cut it to its support.
@usableFromInline func supportPenalty<S: TensorFloatingPoint>(_ mask: Tensor<Bool>) -> Tensor<S> {
    mask.map { $0 ? S(0) : -S.infinity }
}

/// `−∞` where `inside(value)` is false, `0` where true, as a constant to add to a differentiable
/// log-density. Under `vmap` the mask is computed on the whole batch (``Variable/value`` then holds
/// every element) and the result carries the batch, so each element gets its own penalty.
@usableFromInline func supportPenalty<S: TensorFloatingPoint>(
    of value: Variable<S>, _ inside: (Tensor<S>) -> Tensor<Bool>) -> Variable<S> {
    value.elementwiseOnBatch { v in Variable(supportPenalty(inside(v.value))) }
}

/// `value` where `inside(value)` holds and `fill` elsewhere, so that a log-density's `log x` terms
/// stay finite outside the support (where ``supportPenalty(of:_:)`` makes the result `−∞`, not
/// NaN). The gradient with respect to a filled entry is zero. Computed on the whole batch under `vmap`.
@usableFromInline func insideSupport<S: TensorFloatingPoint>(
    _ value: Variable<S>, fill: S, _ inside: (Tensor<S>) -> Tensor<Bool>) -> Variable<S> {
    value.elementwiseOnBatch { v in Variable.where(inside(v.value), v, Variable(Tensor(repeating: fill, shape: v.shape))) }
}

/// A location-scale family: `X = loc + scale·Z` with `Z` drawn from one fixed standard member
/// (``Normal``, ``Laplace``, ``Cauchy``). A conforming type states the standard member (its noise,
/// log-density, CDF, quantile and moments); everything else — the throwing initializers with their
/// validation, `sample`, the differentiable `rsample` and `logProb`, `cdf`, `icdf`, `mean`,
/// `variance` and `entropy` — comes from this protocol's extension, once for every family.
public protocol LocationScaleDistribution: ReparameterizedDistribution, InvertibleCumulativeDistribution {
    /// The family's name in error messages, e.g. `"Normal"`.
    static var familyName: String { get }
    /// The location (differentiable).
    var locVariable: Variable<Scalar> { get }
    /// The scale (differentiable).
    var scaleVariable: Variable<Scalar> { get }
    /// The memberwise initializer, without validation (the extension's initializers validate first).
    init(uncheckedLoc loc: Variable<Scalar>, scale: Variable<Scalar>, batchShape: [Int])
    /// Draws of the standard member (`loc = 0`, `scale = 1`).
    static func standardNoise<G: PhiloxProtocol>(_ shape: [Int], using generator: inout G) -> Tensor<Scalar>
    /// The standard member's log-density.
    static func standardLogDensity(_ z: Tensor<Scalar>) -> Tensor<Scalar>
    /// The standard member's log-density, differentiable.
    static func standardLogDensity(_ z: Variable<Scalar>) -> Variable<Scalar>
    /// The standard member's CDF.
    static func standardCDF(_ z: Double) -> Double
    /// The standard member's quantile function.
    static func standardQuantile(_ p: Double) -> Double
    /// The standard member's mean (NaN where it does not exist).
    static var standardMean: Double { get }
    /// The standard member's variance (`+∞` where it diverges).
    static var standardVariance: Double { get }
    /// The standard member's entropy in nats.
    static var standardEntropy: Double { get }
}

extension LocationScaleDistribution {
    /// The location as a tensor.
    public var loc: Tensor<Scalar> { locVariable.value }
    /// The scale as a tensor.
    public var scale: Tensor<Scalar> { scaleVariable.value }
    /// `[]`: one draw is a scalar.
    public var eventShape: [Int] { [] }

    /// The member with location `loc` and scale `scale`, from variables (to differentiate
    /// `rsample` and `logProb` with respect to them).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a scale is
    ///   not positive, ``DistributionError/shapeMismatch(distribution:shapes:)`` if the shapes do not broadcast.
    public init(loc: Variable<Scalar>, scale: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate { try check(scale.value, Self.familyName, "scale", "must be positive") { $0 > 0 } }
        self.init(uncheckedLoc: loc, scale: scale, batchShape: try batchShapeOf(Self.familyName, [loc.shape, scale.shape]))
    }
    /// The member with location `loc` and scale `scale`, from tensors.
    /// - Throws: as the initializer from variables: a scale that is not positive, or shapes that do not broadcast.
    public init(loc: Tensor<Scalar>, scale: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(loc: Variable(loc), scale: Variable(scale), validate: validate)
    }

    /// `loc + scale·Z`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Self.standardNoise(drawShape(sampleShape, batchShape), using: &generator) * scale + loc
    }
    /// `loc + scale·Z`, differentiable in `loc` and `scale`.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        Variable(Self.standardNoise(drawShape(sampleShape, batchShape), using: &generator)) * scaleVariable + locVariable
    }
    /// `log f((x − loc)/scale) − log scale`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        Self.standardLogDensity((value - loc) / scale) - scale.log()
    }
    /// The differentiable log-density.
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        Self.standardLogDensity((value - locVariable) / scaleVariable) - scaleVariable.log()
    }
    /// `F((x − loc)/scale)`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, loc, scale]) { Self.standardCDF(($0[0] - $0[1]) / $0[2]) }
    }
    /// `loc + scale·F⁻¹(p)`.
    public func icdf(_ probability: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([probability, loc, scale]) { $0[1] + $0[2] * Self.standardQuantile($0[0]) }
    }
    /// `loc + scale·E[Z]` (NaN when the standard member has no mean).
    public var mean: Tensor<Scalar> {
        if Self.standardMean.isNaN { return Tensor(repeating: .nan, shape: batchShape) }
        return (loc + scale * Scalar(Self.standardMean)).expanded(to: batchShape).contiguous
    }
    /// `scale²·Var[Z]` (`+∞` when it diverges).
    public var variance: Tensor<Scalar> {
        if Self.standardVariance.isInfinite { return Tensor(repeating: .infinity, shape: batchShape) }
        return (scale.squared() * Scalar(Self.standardVariance)).expanded(to: batchShape).contiguous
    }
    /// `H[Z] + log scale`.
    public func entropy() -> Tensor<Scalar> { (scale.log() + Scalar(Self.standardEntropy)).expanded(to: batchShape).contiguous }
}
