#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exponential distribution with rate `λ` (mean `1/λ`). Mirrors `torch.distributions.Exponential`.
public struct Exponential<Scalar: TensorFloatingPoint>: ReparameterizedDistribution, InvertibleCumulativeDistribution {
    /// The rate (differentiable).
    public let rateVariable: Variable<Scalar>
    /// The rate's shape.
    public var batchShape: [Int] { rateVariable.shape }
    /// `[]`.
    public var eventShape: [Int] { [] }
    /// The rate.
    public var rate: Tensor<Scalar> { rateVariable.value }

    /// Exponential with rate `rate`.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a rate is not positive.
    public init(rate: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate { try check(rate.value, "Exponential", "rate", "must be positive") { $0 > 0 } }
        rateVariable = rate
    }
    /// Exponential from a tensor of rates.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a rate is not positive.
    public init(rate: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) { try self.init(rate: Variable(rate), validate: validate) }
    /// Exponential from a scalar rate.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `rate ≤ 0`.
    public init(rate: Scalar) throws(DistributionError) { try self.init(rate: Tensor(rate)) }

    /// `−log(1 − U)/λ`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor.randomExponential(drawShape(sampleShape, batchShape), using: &generator) / rate
    }
    /// `E/λ`, differentiable in `λ`.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        Variable(Tensor.randomExponential(drawShape(sampleShape, batchShape), using: &generator)) / rateVariable
    }
    /// `log λ − λx` for `x ≥ 0`, `−∞` otherwise.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, rate]) { $0[0] < 0 ? -.infinity : log($0[1]) - $0[1] * $0[0] }
    }
    /// The differentiable log-density.
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        supportPenalty(of: value) { $0.map { $0 >= 0 } } + rateVariable.log() - rateVariable * value
    }
    /// `1 − exp(−λx)`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([value, rate]) { $0[0] <= 0 ? 0 : -expm1(-$0[1] * $0[0]) } }
    /// `−log(1 − p)/λ`.
    public func icdf(_ probability: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([probability, rate]) { -log1p(-$0[0]) / $0[1] } }
    /// `1/λ`.
    public var mean: Tensor<Scalar> { rate.reciprocal() }
    /// `1/λ²`.
    public var variance: Tensor<Scalar> { rate.squared().reciprocal() }
    /// `1 − log λ`.
    public func entropy() -> Tensor<Scalar> { 1 - rate.log() }
}
