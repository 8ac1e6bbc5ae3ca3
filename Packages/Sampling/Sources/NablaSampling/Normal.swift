#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The normal distribution `N(loc, scale²)`. Mirrors `torch.distributions.Normal`.
///
/// Its sampling, densities, CDF, quantile and moments come from ``LocationScaleDistribution``.
public struct Normal<Scalar: TensorFloatingPoint>: LocationScaleDistribution {
    /// `"Normal"`.
    public static var familyName: String { "Normal" }
    /// The mean (differentiable).
    public let locVariable: Variable<Scalar>
    /// The standard deviation (differentiable).
    public let scaleVariable: Variable<Scalar>
    /// The shape the parameters broadcast to.
    public let batchShape: [Int]

    /// The memberwise initializer, without validation.
    public init(uncheckedLoc loc: Variable<Scalar>, scale: Variable<Scalar>, batchShape: [Int]) {
        locVariable = loc; scaleVariable = scale; self.batchShape = batchShape
    }
    /// `N(loc, scale²)` from scalars.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `scale ≤ 0`.
    public init(loc: Scalar = 0, scale: Scalar = 1) throws(DistributionError) {
        try self.init(loc: Tensor(loc), scale: Tensor(scale))
    }

    /// Standard normals from `Tensor.randomNormal`.
    public static func standardNoise<G: PhiloxProtocol>(_ shape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor.randomNormal(shape, using: &generator)
    }
    /// `−z²/2 − ½ log 2π`.
    public static func standardLogDensity(_ z: Tensor<Scalar>) -> Tensor<Scalar> { z.squared() * Scalar(-0.5) - Scalar(halfLog2Pi) }
    /// `−z²/2 − ½ log 2π`, differentiable.
    public static func standardLogDensity(_ z: Variable<Scalar>) -> Variable<Scalar> { z.squared() * Scalar(-0.5) - Scalar(halfLog2Pi) }
    /// `Φ(z)`.
    public static func standardCDF(_ z: Double) -> Double { SpecialFunctions.normalCDF(z) }
    /// `Φ⁻¹(p)` (NaN outside `[0, 1]`).
    public static func standardQuantile(_ p: Double) -> Double { SpecialFunctions.normalQuantile(p) }
    /// `0`.
    public static var standardMean: Double { 0 }
    /// `1`.
    public static var standardVariance: Double { 1 }
    /// `½ + ½ log 2π`.
    public static var standardEntropy: Double { 0.5 + halfLog2Pi }
}
