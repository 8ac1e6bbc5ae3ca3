#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The uniform distribution on `[low, high)`. Mirrors `torch.distributions.Uniform`.
public struct Uniform<Scalar: TensorFloatingPoint>: ReparameterizedDistribution, InvertibleCumulativeDistribution {
    /// The lower bound (differentiable).
    public let lowVariable: Variable<Scalar>
    /// The upper bound (differentiable).
    public let highVariable: Variable<Scalar>
    /// The broadcast shape of the bounds.
    public let batchShape: [Int]
    /// `[]`.
    public var eventShape: [Int] { [] }
    /// The lower bound.
    public var low: Tensor<Scalar> { lowVariable.value }
    /// The upper bound.
    public var high: Tensor<Scalar> { highVariable.value }

    /// Uniform on `[low, high)` from variables.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` unless `low < high`.
    public init(low: Variable<Scalar>, high: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        batchShape = try batchShapeOf("Uniform", [low.shape, high.shape])
        if validate { try check(high.value - low.value, "Uniform", "high", "must be greater than 'low'") { $0 > 0 } }
        lowVariable = low; highVariable = high
    }
    /// Uniform on `[low, high)` from tensors.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` unless `low < high`.
    public init(low: Tensor<Scalar>, high: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(low: Variable(low), high: Variable(high), validate: validate)
    }
    /// Uniform on `[low, high)` from scalars.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` unless `low < high`.
    public init(low: Scalar = 0, high: Scalar = 1) throws(DistributionError) { try self.init(low: Tensor(low), high: Tensor(high)) }

    /// `low + (high − low)·U`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor.randomUniform(drawShape(sampleShape, batchShape), using: &generator) * (high - low) + low
    }
    /// `low + (high − low)·U`, differentiable in the bounds.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        Variable(Tensor.randomUniform(drawShape(sampleShape, batchShape), using: &generator)) * (highVariable - lowVariable) + lowVariable
    }
    /// `−log(high − low)` inside `[low, high)`, `−∞` outside.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, low, high]) { ($0[0] >= $0[1] && $0[0] < $0[2]) ? -log($0[2] - $0[1]) : -.infinity }
    }
    /// The differentiable log-density (values assumed inside the support).
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        let inside = elementwise([value.value, low, high]) { ($0[0] >= $0[1] && $0[0] < $0[2]) ? 0 : -.infinity }
        return Variable(inside) - (highVariable - lowVariable).log() + value * Scalar(0)
    }
    /// `(x − low)/(high − low)` clamped to `[0, 1]`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, low, high]) { Swift.min(1, Swift.max(0, ($0[0] - $0[1]) / ($0[2] - $0[1]))) }
    }
    /// `low + p·(high − low)`.
    public func icdf(_ probability: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([probability, low, high]) { ($0[0] < 0 || $0[0] > 1) ? .nan : $0[1] + $0[0] * ($0[2] - $0[1]) }
    }
    /// `(low + high)/2`.
    public var mean: Tensor<Scalar> { ((low + high) / 2).expanded(to: batchShape).contiguous }
    /// `(high − low)²/12`.
    public var variance: Tensor<Scalar> { ((high - low).squared() / 12).expanded(to: batchShape).contiguous }
    /// `log(high − low)`.
    public func entropy() -> Tensor<Scalar> { (high - low).log().expanded(to: batchShape).contiguous }
}
