#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Cauchy distribution. Mirrors `torch.distributions.Cauchy` (mean and variance are NaN and `+∞`).
///
/// Its sampling, densities, CDF, quantile and moments come from ``LocationScaleDistribution``.
public struct Cauchy<Scalar: TensorFloatingPoint>: LocationScaleDistribution {
    /// `"Cauchy"`.
    public static var familyName: String { "Cauchy" }
    /// The location (differentiable).
    public let locVariable: Variable<Scalar>
    /// The scale (differentiable).
    public let scaleVariable: Variable<Scalar>
    /// The broadcast shape of the parameters.
    public let batchShape: [Int]

    /// The memberwise initializer, without validation.
    public init(uncheckedLoc loc: Variable<Scalar>, scale: Variable<Scalar>, batchShape: [Int]) {
        locVariable = loc; scaleVariable = scale; self.batchShape = batchShape
    }

    /// `tan(π(U − ½))`.
    public static func standardNoise<G: PhiloxProtocol>(_ shape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor<Scalar>.randomUniform(shape, using: &generator).map { Scalar.tan(Scalar.pi * ($0 - Scalar(0.5))) }
    }
    /// `−log π − log(1 + z²)`.
    public static func standardLogDensity(_ z: Tensor<Scalar>) -> Tensor<Scalar> { z.squared().log1p() * Scalar(-1) - Scalar.log(Scalar.pi) }
    /// `−log π − log(1 + z²)`, differentiable.
    public static func standardLogDensity(_ z: Variable<Scalar>) -> Variable<Scalar> { -z.squared().log1p() - Scalar.log(Scalar.pi) }
    /// `½ + atan(z)/π`.
    public static func standardCDF(_ z: Double) -> Double { 0.5 + atan(z) / Double.pi }
    /// `tan(π(p − ½))`.
    public static func standardQuantile(_ p: Double) -> Double { tan(Double.pi * (p - 0.5)) }
    /// NaN: the mean does not exist.
    public static var standardMean: Double { .nan }
    /// `+∞`.
    public static var standardVariance: Double { .infinity }
    /// `log 4π`.
    public static var standardEntropy: Double { log(4 * Double.pi) }
}
