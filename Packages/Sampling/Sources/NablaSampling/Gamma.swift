#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The gamma distribution with shape `α` (concentration) and rate `β`. Mirrors `torch.distributions.Gamma`.
///
/// ``rsample(_:using:)`` is differentiable in both parameters: `x = X/β` with `X ~ Gamma(α, 1)`
/// drawn by Marsaglia–Tsang and differentiated implicitly (``StandardGammaQuantile``).
public struct Gamma<Scalar: TensorFloatingPoint>: ReparameterizedDistribution, CumulativeDistribution {
    /// The shape `α` (differentiable).
    public let concentrationVariable: Variable<Scalar>
    /// The rate `β` (differentiable).
    public let rateVariable: Variable<Scalar>
    /// The broadcast shape of the parameters.
    public let batchShape: [Int]
    /// `[]`.
    public var eventShape: [Int] { [] }
    /// The shape `α`.
    public var concentration: Tensor<Scalar> { concentrationVariable.value }
    /// The rate `β`.
    public var rate: Tensor<Scalar> { rateVariable.value }

    /// Gamma(α, β) from variables (to differentiate `rsample` and `logProb` with respect to them).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `α` or `β` is not positive.
    public init(concentration: Variable<Scalar>, rate: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate {
            try check(concentration.value, "Gamma", "concentration", "must be positive") { $0 > 0 }
            try check(rate.value, "Gamma", "rate", "must be positive") { $0 > 0 }
        }
        batchShape = try batchShapeOf("Gamma", [concentration.shape, rate.shape])
        concentrationVariable = concentration; rateVariable = rate
    }
    /// Gamma(α, β) from tensors.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `α` or `β` is not positive.
    public init(concentration: Tensor<Scalar>, rate: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(concentration: Variable(concentration), rate: Variable(rate), validate: validate)
    }
    /// Marsaglia–Tsang draws (`Tensor.randomGamma`) divided by the rate.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor.randomGamma(drawShape(sampleShape, batchShape), alpha: concentration, using: &generator) / rate
    }
    /// The same draws, differentiable in `α` (implicitly) and `β`.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        Variable.randomStandardGamma(drawShape(sampleShape, batchShape), concentration: concentrationVariable, using: &generator)
            / rateVariable
    }
    /// `α log β + (α − 1) log x − βx − log Γ(α)`, `−∞` for `x < 0`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, concentration, rate]) { a in
            let (x, al, b) = (a[0], a[1], a[2])
            if x < 0 { return -.infinity }
            if x == 0 { return al == 1 ? log(b) : (al < 1 ? .infinity : -.infinity) }
            return al * log(b) + (al - 1) * log(x) - b * x - SF.logGamma(al)
        }
    }
    /// The differentiable log-density (for positive values; `−∞` below 0).
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        let a = concentrationVariable, b = rateVariable
        let x = insideSupport(value, fill: 1) { $0.map { $0 >= 0 } }
        return supportPenalty(of: value) { $0.map { $0 >= 0 } } + a * b.log() + (a - Scalar(1)) * x.log()
            - b * x - a.logGamma()
    }
    /// `P(α, βx)`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([value, concentration, rate]) { SF.regularizedGammaP($0[1], $0[2] * $0[0]) } }
    /// `α/β`.
    public var mean: Tensor<Scalar> { concentration / rate }
    /// `α/β²`.
    public var variance: Tensor<Scalar> { concentration / rate.squared() }
    /// `α − log β + log Γ(α) + (1 − α)ψ(α)`.
    public func entropy() -> Tensor<Scalar> {
        elementwise([concentration, rate]) { $0[0] - log($0[1]) + SF.logGamma($0[0]) + (1 - $0[0]) * SF.digamma($0[0]) }
    }
}
