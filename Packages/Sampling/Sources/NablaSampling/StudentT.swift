#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Student's t with `ν` degrees of freedom, location and scale. Mirrors `torch.distributions.StudentT`.
///
/// Draws are `loc + scale·Z/√(2G/ν)` with `Z ~ N(0, 1)` and `G ~ Gamma(ν/2)`, as PyTorch's;
/// ``rsample(_:using:)`` differentiates `G` implicitly (``StandardGammaQuantile``), so it is
/// differentiable in all three parameters.
public struct StudentT<Scalar: TensorFloatingPoint>: ReparameterizedDistribution, CumulativeDistribution {
    /// `ν` (differentiable).
    public let degreesOfFreedomVariable: Variable<Scalar>
    /// The location (differentiable).
    public let locVariable: Variable<Scalar>
    /// The scale (differentiable).
    public let scaleVariable: Variable<Scalar>
    /// The broadcast shape of the parameters.
    public let batchShape: [Int]
    /// `[]`.
    public var eventShape: [Int] { [] }
    /// `ν`.
    public var degreesOfFreedom: Tensor<Scalar> { degreesOfFreedomVariable.value }
    /// The location.
    public var loc: Tensor<Scalar> { locVariable.value }
    /// The scale.
    public var scale: Tensor<Scalar> { scaleVariable.value }

    /// StudentT(ν, loc, scale) from variables.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `ν` or the scale is not positive.
    public init(degreesOfFreedom: Variable<Scalar>, loc: Variable<Scalar>, scale: Variable<Scalar>,
                validate: Bool = true) throws(DistributionError) {
        if validate {
            try check(degreesOfFreedom.value, "StudentT", "degreesOfFreedom", "must be positive") { $0 > 0 }
            try check(scale.value, "StudentT", "scale", "must be positive") { $0 > 0 }
        }
        batchShape = try batchShapeOf("StudentT", [degreesOfFreedom.shape, loc.shape, scale.shape])
        degreesOfFreedomVariable = degreesOfFreedom; locVariable = loc; scaleVariable = scale
    }
    /// StudentT(ν, loc, scale) from tensors.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `ν` or the scale is not positive.
    public init(degreesOfFreedom: Tensor<Scalar>, loc: Tensor<Scalar>, scale: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(degreesOfFreedom: Variable(degreesOfFreedom), loc: Variable(loc), scale: Variable(scale), validate: validate)
    }
    /// `loc + scale·Z/√(2G/ν)` with `Z ~ N(0, 1)`, `G ~ Gamma(ν/2)`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let s = drawShape(sampleShape, batchShape)
        let z = Tensor<Scalar>.randomNormal(s, using: &generator)
        let chi2 = Tensor.randomGamma(s, alpha: degreesOfFreedom / 2, using: &generator) * 2
        return z / (chi2 / degreesOfFreedom).sqrt() * scale + loc
    }
    /// The same draws, differentiable in `ν` (through the gamma), the location and the scale.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        let s = drawShape(sampleShape, batchShape)
        let z = Variable(Tensor<Scalar>.randomNormal(s, using: &generator))
        let nu = degreesOfFreedomVariable
        let chi2 = Variable.randomStandardGamma(s, concentration: nu * Scalar(0.5), using: &generator) * Scalar(2)
        return z / (chi2 / nu).sqrt() * scaleVariable + locVariable
    }
    /// The log-density.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, degreesOfFreedom, loc, scale]) { a in
            let (x, df, m, s) = (a[0], a[1], a[2], a[3])
            let y = (x - m) / s
            return SF.logGamma((df + 1) / 2) - SF.logGamma(df / 2) - 0.5 * log(df * Double.pi) - log(s)
                - (df + 1) / 2 * log1p(y * y / df)
        }
    }
    /// The differentiable log-density: `log Γ((ν + 1)/2) − log Γ(ν/2) − ½ log νπ − log s − (ν + 1)/2 · log(1 + y²/ν)`.
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        let nu = degreesOfFreedomVariable, s = scaleVariable
        let y = (value - locVariable) / s
        let half = (nu + Scalar(1)) * Scalar(0.5)
        return half.logGamma() - (nu * Scalar(0.5)).logGamma() - (nu * Scalar.pi).log() * Scalar(0.5) - s.log()
            - half * (y.squared() / nu).log1p()
    }
    /// Via the incomplete beta function.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, degreesOfFreedom, loc, scale]) { a in
            let (x, df, m, s) = (a[0], a[1], a[2], a[3])
            let t = (x - m) / s
            let p = 0.5 * SF.regularizedBeta(df / (df + t * t), df / 2, 0.5)
            return t > 0 ? 1 - p : p
        }
    }
    /// `loc` for `ν > 1`, NaN otherwise.
    public var mean: Tensor<Scalar> { elementwise([degreesOfFreedom, loc]) { $0[0] > 1 ? $0[1] : .nan } }
    /// `scale²ν/(ν − 2)` for `ν > 2`, `+∞` for `1 < ν ≤ 2`, NaN otherwise.
    public var variance: Tensor<Scalar> {
        elementwise([degreesOfFreedom, scale]) { a in
            a[0] > 2 ? a[1] * a[1] * a[0] / (a[0] - 2) : (a[0] > 1 ? .infinity : .nan)
        }
    }
    /// The differential entropy.
    public func entropy() -> Tensor<Scalar> {
        elementwise([degreesOfFreedom, scale]) { a in
            let (df, s) = (a[0], a[1])
            let lbeta = SF.logGamma(0.5 * df) + SF.logGamma(0.5) - SF.logGamma(0.5 * (df + 1))
            return log(s) + 0.5 * (df + 1) * (SF.digamma(0.5 * (df + 1)) - SF.digamma(0.5 * df)) + 0.5 * log(df) + lbeta
        }
    }
}
