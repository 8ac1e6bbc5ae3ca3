import Foundation

/// Reinterprets the rightmost `reinterpretedBatchDimensions` batch dimensions of `base` as event
/// dimensions: `logProb` and `entropy` sum over them. Mirrors `torch.distributions.Independent`.
public struct Independent<Base: Distribution>: Distribution {
    /// The floating-point type.
    public typealias Scalar = Base.Scalar
    /// The wrapped distribution.
    public let base: Base
    /// How many batch dimensions become event dimensions.
    public let reinterpretedBatchDimensions: Int

    /// Wraps `base`.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `base`
    ///   has fewer batch dimensions than requested.
    public init(_ base: Base, reinterpretedBatchDimensions: Int) throws(DistributionError) {
        guard reinterpretedBatchDimensions >= 0, reinterpretedBatchDimensions <= base.batchShape.count else {
            throw .invalidParameter(distribution: "Independent", parameter: "reinterpretedBatchDimensions",
                                    reason: "must be in 0...\(base.batchShape.count)")
        }
        self.base = base; self.reinterpretedBatchDimensions = reinterpretedBatchDimensions
    }
    /// The base batch shape minus the reinterpreted dimensions.
    public var batchShape: [Int] { Array(base.batchShape.dropLast(reinterpretedBatchDimensions)) }
    /// The reinterpreted dimensions plus the base event shape.
    public var eventShape: [Int] { Array(base.batchShape.suffix(reinterpretedBatchDimensions)) + base.eventShape }
    /// The base's draws.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> { base.sample(sampleShape, using: &generator) }
    func sumRight(_ t: Tensor<Scalar>) -> Tensor<Scalar> {
        reinterpretedBatchDimensions == 0 ? t : t.sum(axes: Array((t.rank - reinterpretedBatchDimensions)..<t.rank))
    }
    /// The base log-probability summed over the reinterpreted dimensions.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> { sumRight(base.logProb(value)) }
    /// The base mean.
    public var mean: Tensor<Scalar> { base.mean }
    /// The base variance.
    public var variance: Tensor<Scalar> { base.variance }
    /// The base entropy summed over the reinterpreted dimensions.
    public func entropy() -> Tensor<Scalar> { sumRight(base.entropy()) }
}

extension Independent: ReparameterizedDistribution where Base: ReparameterizedDistribution {
    /// The base's differentiable draws.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        base.rsample(sampleShape, using: &generator)
    }
    /// The base's differentiable log-probability summed over the reinterpreted dimensions.
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        let l = base.logProb(value)
        return reinterpretedBatchDimensions == 0 ? l : l.sum(axes: Array((l.rank - reinterpretedBatchDimensions)..<l.rank))
    }
}

/// A finite mixture of scalar distributions of one family: component `k` of the last batch
/// dimension of `components` is chosen with probability `mixing.probs[..., k]`. Mirrors
/// `torch.distributions.MixtureSameFamily` (for components with event shape `[]`).
public struct MixtureSameFamily<Component: Distribution>: Distribution {
    /// The floating-point type.
    public typealias Scalar = Component.Scalar
    /// The mixing weights.
    public let mixing: Categorical<Scalar>
    /// The components, batch shape `[..., K]`.
    public let components: Component

    /// A mixture of `components` with weights `mixing`.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if the
    ///   components are not scalar or their last batch dimension is not `K`.
    public init(mixing: Categorical<Scalar>, components: Component) throws(DistributionError) {
        guard components.eventShape.isEmpty, components.batchShape.last == mixing.categoryCount,
              Array(components.batchShape.dropLast()) == mixing.batchShape else {
            throw .invalidParameter(distribution: "MixtureSameFamily", parameter: "components",
                                    reason: "must be scalar with batch shape mixing.batchShape + [K]")
        }
        self.mixing = mixing; self.components = components
    }
    /// The components' batch shape without `K`.
    public var batchShape: [Int] { mixing.batchShape }
    /// `[]`.
    public var eventShape: [Int] { [] }
    /// Draws a component index, then that component's draw.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let k = mixing.categoryCount
        let idx = mixing.sample(sampleShape, using: &generator).scalars
        let all = components.sample(sampleShape, using: &generator).scalars
        return Tensor(shape: sampleShape + batchShape, scalars: idx.indices.map { all[$0 * k + Int(idx[$0])] })
    }
    /// `log Σₖ wₖ pₖ(x)`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        let lp = components.logProb(value.unsqueezed(axis: -1)) + mixing.probs.log()
        return lp.logSumExp(axis: -1)
    }
    /// `Σ wₖ μₖ`.
    public var mean: Tensor<Scalar> { (mixing.probs * components.mean).sum(axis: -1) }
    /// `Σ wₖ(σₖ² + μₖ²) − μ²` (the law of total variance).
    public var variance: Tensor<Scalar> {
        let m = mean
        return (mixing.probs * (components.variance + components.mean.squared())).sum(axis: -1) - m.squared()
    }
    /// Not closed-form: a Monte Carlo estimate from 100 000 draws with a fixed seed.
    public func entropy() -> Tensor<Scalar> {
        var g = PhiloxGenerator(seed: 0x0E17)
        return (logProb(sample([100_000], using: &g)) * -1).mean(axis: 0)
    }
}
