#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Laplace distribution with location `loc` and scale `b`. Mirrors `torch.distributions.Laplace`.
///
/// Its sampling, densities, CDF, quantile and moments come from ``LocationScaleDistribution``.
public struct Laplace<Scalar: TensorFloatingPoint>: LocationScaleDistribution {
    /// `"Laplace"`.
    public static var familyName: String { "Laplace" }
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

    /// `−sign(u)·log(1 − 2|u|)` for `u` uniform on `(−½, ½)`.
    public static func standardNoise<G: PhiloxProtocol>(_ shape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor<Scalar>.randomUniform(shape, using: &generator).map { u in
            let v = u - Scalar(0.5)
            let m = Swift.max(1 - 2 * v.magnitude, Scalar.leastNormalMagnitude)
            return v < 0 ? Scalar.log(m) : -Scalar.log(m)
        }
    }
    /// `−|z| − log 2`.
    public static func standardLogDensity(_ z: Tensor<Scalar>) -> Tensor<Scalar> { z.abs() * Scalar(-1) - Scalar.log(2) }
    /// `−|z| − log 2`, differentiable.
    public static func standardLogDensity(_ z: Variable<Scalar>) -> Variable<Scalar> { -z.abs() - Scalar.log(2) }
    /// `½eᶻ` below 0, `1 − ½e⁻ᶻ` above.
    public static func standardCDF(_ z: Double) -> Double { z < 0 ? 0.5 * exp(z) : 1 - 0.5 * exp(-z) }
    /// `−sign(p − ½)·log(1 − 2|p − ½|)`.
    public static func standardQuantile(_ p: Double) -> Double {
        let t = p - 0.5
        return -(t < 0 ? -1 : 1) * log1p(-2 * abs(t))
    }
    /// `0`.
    public static var standardMean: Double { 0 }
    /// `2`.
    public static var standardVariance: Double { 2 }
    /// `1 + log 2`.
    public static var standardEntropy: Double { 1 + log(2) }
}
