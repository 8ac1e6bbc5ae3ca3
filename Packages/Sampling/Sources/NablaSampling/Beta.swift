#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The beta distribution on `[0, 1]`. Mirrors `torch.distributions.Beta`.
///
/// Draws are `X/(X + Y)` with `X ~ Gamma(α)`, `Y ~ Gamma(β)`; ``rsample(_:using:)`` differentiates
/// through both gammas implicitly (``StandardGammaQuantile``). PyTorch instead differentiates the
/// Beta's own CDF (`torch._dirichlet_grad`): both are unbiased reparameterization gradients, but
/// they differ draw by draw.
public struct Beta<Scalar: TensorFloatingPoint>: ReparameterizedDistribution, CumulativeDistribution {
    /// `α` (differentiable).
    public let concentration1Variable: Variable<Scalar>
    /// `β` (differentiable).
    public let concentration0Variable: Variable<Scalar>
    /// The broadcast shape of the parameters.
    public let batchShape: [Int]
    /// `[]`.
    public var eventShape: [Int] { [] }
    /// `α`.
    public var concentration1: Tensor<Scalar> { concentration1Variable.value }
    /// `β`.
    public var concentration0: Tensor<Scalar> { concentration0Variable.value }

    /// Beta(α, β) from variables.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `α` or `β` is not positive.
    public init(concentration1: Variable<Scalar>, concentration0: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate {
            try check(concentration1.value, "Beta", "concentration1", "must be positive") { $0 > 0 }
            try check(concentration0.value, "Beta", "concentration0", "must be positive") { $0 > 0 }
        }
        batchShape = try batchShapeOf("Beta", [concentration1.shape, concentration0.shape])
        concentration1Variable = concentration1; concentration0Variable = concentration0
    }
    /// Beta(α, β) from tensors.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `α` or `β` is not positive.
    public init(concentration1: Tensor<Scalar>, concentration0: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(concentration1: Variable(concentration1), concentration0: Variable(concentration0), validate: validate)
    }
    /// `X/(X + Y)` with `X ~ Gamma(α)`, `Y ~ Gamma(β)`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let s = drawShape(sampleShape, batchShape)
        let x = Tensor.randomGamma(s, alpha: concentration1, using: &generator)
        let y = Tensor.randomGamma(s, alpha: concentration0, using: &generator)
        return x / (x + y)
    }
    /// The same draws, differentiable in `α` and `β` through the two gammas.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        let s = drawShape(sampleShape, batchShape)
        let x = Variable.randomStandardGamma(s, concentration: concentration1Variable, using: &generator)
        let y = Variable.randomStandardGamma(s, concentration: concentration0Variable, using: &generator)
        return x / (x + y)
    }
    /// `(α − 1) log x + (β − 1) log(1 − x) − log B(α, β)`, `−∞` outside `[0, 1]`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, concentration1, concentration0]) { a in
            let (x, al, b) = (a[0], a[1], a[2])
            if x < 0 || x > 1 { return -.infinity }
            return (al - 1) * log(x) + (b - 1) * log1p(-x) - SF.logBeta(al, b)
        }
    }
    /// The differentiable log-density (for values inside `(0, 1)`; `−∞` outside `[0, 1]`).
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        let a = concentration1Variable, b = concentration0Variable
        let logBeta = a.logGamma() + b.logGamma() - (a + b).logGamma()
        let x = insideSupport(value, fill: 0.5) { $0.map { $0 >= 0 && $0 <= 1 } }
        return supportPenalty(of: value) { $0.map { $0 >= 0 && $0 <= 1 } } + (a - Scalar(1)) * x.log()
            + (b - Scalar(1)) * (-x).log1p() - logBeta
    }
    /// `I_x(α, β)`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([value, concentration1, concentration0]) { SF.regularizedBeta($0[0], $0[1], $0[2]) } }
    /// `α/(α + β)`.
    public var mean: Tensor<Scalar> { concentration1 / (concentration1 + concentration0) }
    /// `αβ/((α + β)²(α + β + 1))`.
    public var variance: Tensor<Scalar> {
        let t = concentration1 + concentration0
        return concentration1 * concentration0 / (t.squared() * (t + 1))
    }
    /// `log B(α, β) − (α − 1)ψ(α) − (β − 1)ψ(β) + (α + β − 2)ψ(α + β)`.
    public func entropy() -> Tensor<Scalar> {
        elementwise([concentration1, concentration0]) { a in
            let (al, b) = (a[0], a[1])
            return SF.logBeta(al, b) - (al - 1) * SF.digamma(al) - (b - 1) * SF.digamma(b) + (al + b - 2) * SF.digamma(al + b)
        }
    }
}
