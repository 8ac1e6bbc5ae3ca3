#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `exp(X)` for `X ~ N(loc, scale²)`. Mirrors `torch.distributions.LogNormal`.
public struct LogNormal<Scalar: TensorFloatingPoint>: ReparameterizedDistribution, InvertibleCumulativeDistribution {
    /// The underlying normal.
    public let base: Normal<Scalar>
    /// The batch shape of the underlying normal.
    public var batchShape: [Int] { base.batchShape }
    /// `[]`.
    public var eventShape: [Int] { [] }

    /// LogNormal with the given log-scale mean and standard deviation.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a scale is not positive.
    public init(loc: Variable<Scalar>, scale: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate { try check(scale.value, "LogNormal", "scale", "must be positive") { $0 > 0 } }
        base = try Normal(loc: loc, scale: scale, validate: false)
    }
    /// LogNormal from tensors.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a scale is not positive.
    public init(loc: Tensor<Scalar>, scale: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(loc: Variable(loc), scale: Variable(scale), validate: validate)
    }

    /// `exp` of a normal draw.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        base.sample(sampleShape, using: &generator).exp()
    }
    /// `exp` of a differentiable normal draw.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        base.rsample(sampleShape, using: &generator).exp()
    }
    /// `log N(log x) − log x`, `−∞` for `x ≤ 0`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        let positive = value.map { $0 > 0 }
        let safe = Tensor.where(positive, value, Tensor(repeating: 1, shape: value.shape))
        let lx = safe.log()
        return base.logProb(lx) - lx + supportPenalty(positive)
    }
    /// The differentiable log-density (for positive values).
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        let lx = value.log()
        return base.logProb(lx) - lx
    }
    /// `Φ((log x − μ)/σ)`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, base.loc, base.scale]) { $0[0] <= 0 ? 0 : SpecialFunctions.normalCDF((log($0[0]) - $0[1]) / $0[2]) }
    }
    /// `exp(μ + σ Φ⁻¹(p))`.
    public func icdf(_ probability: Tensor<Scalar>) -> Tensor<Scalar> { base.icdf(probability).exp() }
    /// `exp(μ + σ²/2)`.
    public var mean: Tensor<Scalar> { (base.mean + base.variance / 2).exp() }
    /// `(exp σ² − 1)·exp(2μ + σ²)`.
    public var variance: Tensor<Scalar> { (base.variance.exp() - 1) * (base.mean * 2 + base.variance).exp() }
    /// `μ + ½ + log(σ√(2π))`.
    public func entropy() -> Tensor<Scalar> { base.entropy() + base.mean }
}
