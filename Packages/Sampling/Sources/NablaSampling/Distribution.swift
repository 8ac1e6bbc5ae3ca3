/// A probability distribution over tensors, in the mould of `torch.distributions.Distribution`.
///
/// A value has shape `sampleShape + batchShape + eventShape`: `batchShape` indexes independent
/// (not identically parameterized) distributions whose parameters broadcast together, and
/// `eventShape` is the shape of one draw (`[]` for a scalar distribution, `[d]` for a
/// `MultivariateNormal` in `d` dimensions). ``logProb(_:)`` returns one value per batch element
/// (shape `sampleShape + batchShape`); a value outside the support gives `−∞`, never NaN.
public protocol Distribution<Scalar> {
    /// The floating-point type of values and parameters.
    associatedtype Scalar: TensorFloatingPoint
    /// The shape of the independent parameterizations.
    var batchShape: [Int] { get }
    /// The shape of one draw.
    var eventShape: [Int] { get }
    /// Draws a tensor of shape `sampleShape + batchShape + eventShape` from `generator`.
    func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar>
    /// The log-density (or log-mass) of `value`, of shape `value.shape` minus `eventShape`.
    func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar>
    /// The mean, of shape `batchShape + eventShape` (NaN where it does not exist, `+∞` where it diverges).
    var mean: Tensor<Scalar> { get }
    /// The variance, of shape `batchShape + eventShape` (NaN where it does not exist, `+∞` where it diverges).
    var variance: Tensor<Scalar> { get }
    /// The differential (or Shannon) entropy in nats, of shape `batchShape`.
    func entropy() -> Tensor<Scalar>
}

extension Distribution {
    /// Draws `sampleShape + batchShape + eventShape` values from a fresh generator seeded with `seed`.
    public func sample(_ sampleShape: [Int] = [], seed: UInt64) -> Tensor<Scalar> {
        var g = PhiloxGenerator(seed: seed)
        return sample(sampleShape, using: &g)
    }

    /// The density (or mass) `exp(logProb(value))`.
    public func prob(_ value: Tensor<Scalar>) -> Tensor<Scalar> { logProb(value).exp() }

    /// The standard deviation, `√variance`.
    public var standardDeviation: Tensor<Scalar> { variance.sqrt() }
}

/// A distribution with a closed-form cumulative distribution function.
public protocol CumulativeDistribution: Distribution {
    /// `P(X ≤ x)` elementwise.
    func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar>
}

/// A distribution with a closed-form quantile function (inverse CDF).
public protocol InvertibleCumulativeDistribution: CumulativeDistribution {
    /// The `x` with `cdf(x) = p`, elementwise, for `p ∈ [0, 1]` (NaN outside).
    func icdf(_ probability: Tensor<Scalar>) -> Tensor<Scalar>
}

/// A distribution whose samples are a differentiable function of its parameters and of
/// parameter-free noise (the reparameterization trick), so Autograd differentiates through them.
///
/// Parameters are held as `Variable`s: build the distribution from variables that require a
/// gradient (for example inside `gradient(at:of:)`), then ``rsample(_:using:)`` and
/// `logProb(_:)` on a `Variable` record on the tape.
public protocol ReparameterizedDistribution: Distribution {
    /// A differentiable draw of shape `sampleShape + batchShape + eventShape`.
    func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar>
    /// The log-density of `value`, differentiable with respect to the value and the parameters.
    func logProb(_ value: Variable<Scalar>) -> Variable<Scalar>
}

/// An unnormalized log-density `log p̃(x)` with gradients from Autograd: the target that the
/// samplers of this module (and the gradient-based MCMC built on it) consume.
public protocol LogDensity<Scalar> {
    /// The floating-point type.
    associatedtype Scalar: TensorFloatingPoint
    /// `log p̃(x)` of the whole of `x`, as a one-element variable.
    func logDensity(_ x: Variable<Scalar>) -> Variable<Scalar>
}

extension LogDensity {
    /// `log p̃(x)` and `∇ log p̃(x)` by one forward and one reverse pass.
    public func valueAndGradient(at x: Tensor<Scalar>) -> (value: Scalar, gradient: Tensor<Scalar>) {
        let (v, g) = valueWithGradient(at: x) { logDensity($0) }
        return (v.scalar, g)
    }
}

/// A ``LogDensity`` from a closure.
public struct LogDensityFunction<Scalar: TensorFloatingPoint>: LogDensity {
    /// The closure computing `log p̃(x)`.
    public let body: (Variable<Scalar>) -> Variable<Scalar>
    /// Wraps `body`.
    public init(_ body: @escaping (Variable<Scalar>) -> Variable<Scalar>) { self.body = body }
    /// Calls the closure.
    public func logDensity(_ x: Variable<Scalar>) -> Variable<Scalar> { body(x) }
}

/// The joint log-density of a reparameterized distribution (its `logProb` summed over every element).
public struct DistributionLogDensity<D: ReparameterizedDistribution>: LogDensity {
    /// The distribution.
    public let distribution: D
    /// Wraps `distribution`.
    public init(_ distribution: D) { self.distribution = distribution }
    /// `Σ logProb(x)`.
    public func logDensity(_ x: Variable<D.Scalar>) -> Variable<D.Scalar> { distribution.logProb(x).sum() }
}
