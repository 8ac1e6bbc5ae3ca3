#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline let halfLog2Pi = 0.5 * log(2 * Double.pi)

/// `−∞` where `mask` is false, `0` where true: added to a log-density to cut it to its support.
@usableFromInline func supportPenalty<S: TensorFloatingPoint>(_ mask: Tensor<Bool>) -> Tensor<S> {
    mask.map { $0 ? S(0) : -S.infinity }
}

// MARK: - Normal

/// The normal distribution `N(loc, scale²)`. Mirrors `torch.distributions.Normal`.
public struct Normal<Scalar: TensorFloatingPoint>: ReparameterizedDistribution, InvertibleCumulativeDistribution {
    /// The mean (differentiable).
    public let locVariable: Variable<Scalar>
    /// The standard deviation (differentiable).
    public let scaleVariable: Variable<Scalar>
    /// The shape the parameters broadcast to.
    public let batchShape: [Int]
    /// `[]`: one draw is a scalar.
    public var eventShape: [Int] { [] }
    /// The mean as a tensor.
    public var loc: Tensor<Scalar> { locVariable.value }
    /// The standard deviation as a tensor.
    public var scale: Tensor<Scalar> { scaleVariable.value }

    /// `N(loc, scale²)` from variables (to differentiate `rsample` and `logProb` with respect to them).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a scale is not positive.
    public init(loc: Variable<Scalar>, scale: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate { try check(scale.value, "Normal", "scale", "must be positive") { $0 > 0 } }
        batchShape = try batchShapeOf("Normal", [loc.shape, scale.shape])
        locVariable = loc; scaleVariable = scale
    }

    /// `N(loc, scale²)` from tensors.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a scale is not positive.
    public init(loc: Tensor<Scalar>, scale: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(loc: Variable(loc), scale: Variable(scale), validate: validate)
    }

    /// `N(loc, scale²)` from scalars.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `scale ≤ 0`.
    public init(loc: Scalar = 0, scale: Scalar = 1) throws(DistributionError) {
        try self.init(loc: Tensor(loc), scale: Tensor(scale))
    }

    /// `loc + scale·ε` with `ε` from `Tensor.randomNormal`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor.randomNormal(drawShape(sampleShape, batchShape), using: &generator) * scale + loc
    }
    /// `loc + scale·ε`, differentiable in `loc` and `scale`.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        Variable(Tensor.randomNormal(drawShape(sampleShape, batchShape), using: &generator)) * scaleVariable + locVariable
    }
    /// `−(x − μ)²/(2σ²) − log σ − ½ log 2π`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        let z = (value - loc) / scale
        return z.squared() * Scalar(-0.5) - scale.log() - Scalar(halfLog2Pi)
    }
    /// The differentiable log-density.
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        let z = (value - locVariable) / scaleVariable
        return z.squared() * Scalar(-0.5) - scaleVariable.log() - Scalar(halfLog2Pi)
    }
    /// `Φ((x − μ)/σ)`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, loc, scale]) { SpecialFunctions.normalCDF(($0[0] - $0[1]) / $0[2]) }
    }
    /// `μ + σ Φ⁻¹(p)`.
    public func icdf(_ probability: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([probability, loc, scale]) { $0[1] + $0[2] * SpecialFunctions.normalQuantile($0[0]) }
    }
    /// `loc`.
    public var mean: Tensor<Scalar> { loc.expanded(to: batchShape).contiguous }
    /// `scale²`.
    public var variance: Tensor<Scalar> { scale.squared().expanded(to: batchShape).contiguous }
    /// `½ + ½ log 2π + log σ`.
    public func entropy() -> Tensor<Scalar> { (scale.log() + Scalar(0.5 + halfLog2Pi)).expanded(to: batchShape).contiguous }
}

// MARK: - LogNormal

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

// MARK: - Uniform

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

// MARK: - Exponential

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
        Variable(supportPenalty(value.value.map { $0 >= 0 })) + rateVariable.log() - rateVariable * value
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

// MARK: - Laplace

/// The Laplace distribution with location `loc` and scale `b`. Mirrors `torch.distributions.Laplace`.
public struct Laplace<Scalar: TensorFloatingPoint>: ReparameterizedDistribution, InvertibleCumulativeDistribution {
    /// The location (differentiable).
    public let locVariable: Variable<Scalar>
    /// The scale (differentiable).
    public let scaleVariable: Variable<Scalar>
    /// The broadcast shape of the parameters.
    public let batchShape: [Int]
    /// `[]`.
    public var eventShape: [Int] { [] }
    /// The location.
    public var loc: Tensor<Scalar> { locVariable.value }
    /// The scale.
    public var scale: Tensor<Scalar> { scaleVariable.value }

    /// Laplace(loc, scale).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a scale is not positive.
    public init(loc: Variable<Scalar>, scale: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate { try check(scale.value, "Laplace", "scale", "must be positive") { $0 > 0 } }
        batchShape = try batchShapeOf("Laplace", [loc.shape, scale.shape])
        locVariable = loc; scaleVariable = scale
    }
    /// Laplace from tensors.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a scale is not positive.
    public init(loc: Tensor<Scalar>, scale: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(loc: Variable(loc), scale: Variable(scale), validate: validate)
    }

    /// Noise `−sign(u)·log(1 − 2|u|)` for `u` uniform on `(−½, ½)`.
    func noise<G: PhiloxProtocol>(_ shape: [Int], _ g: inout G) -> Tensor<Scalar> {
        let u = Tensor<Scalar>.randomUniform(shape, using: &g)
        return u.map { u in
            let v = u - Scalar(0.5)
            let m = Swift.max(1 - 2 * v.magnitude, Scalar.leastNormalMagnitude)
            return v < 0 ? Scalar.log(m) : -Scalar.log(m)
        }
    }
    /// `loc + scale·noise`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        noise(drawShape(sampleShape, batchShape), &generator) * scale + loc
    }
    /// `loc + scale·noise`, differentiable.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        Variable(noise(drawShape(sampleShape, batchShape), &generator)) * scaleVariable + locVariable
    }
    /// `−|x − μ|/b − log 2b`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> { (value - loc).abs() / (-scale) - (scale * 2).log() }
    /// The differentiable log-density.
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        -((value - locVariable).abs() / scaleVariable) - (scaleVariable * Scalar(2)).log()
    }
    /// `½ + ½ sign(x − μ)(1 − exp(−|x − μ|/b))`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([value, loc, scale]) { a in
            let z = (a[0] - a[1]) / a[2]
            return z < 0 ? 0.5 * exp(z) : 1 - 0.5 * exp(-z)
        }
    }
    /// `μ − b·sign(p − ½)·log(1 − 2|p − ½|)`.
    public func icdf(_ probability: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([probability, loc, scale]) { a in
            let t = a[0] - 0.5
            return a[1] - a[2] * (t < 0 ? -1 : 1) * log1p(-2 * abs(t))
        }
    }
    /// `loc`.
    public var mean: Tensor<Scalar> { loc.expanded(to: batchShape).contiguous }
    /// `2b²`.
    public var variance: Tensor<Scalar> { (scale.squared() * 2).expanded(to: batchShape).contiguous }
    /// `1 + log 2b`.
    public func entropy() -> Tensor<Scalar> { ((scale * 2).log() + 1).expanded(to: batchShape).contiguous }
}

// MARK: - Cauchy

/// The Cauchy distribution. Mirrors `torch.distributions.Cauchy` (mean and variance are NaN and `+∞`).
public struct Cauchy<Scalar: TensorFloatingPoint>: ReparameterizedDistribution, InvertibleCumulativeDistribution {
    /// The location (differentiable).
    public let locVariable: Variable<Scalar>
    /// The scale (differentiable).
    public let scaleVariable: Variable<Scalar>
    /// The broadcast shape of the parameters.
    public let batchShape: [Int]
    /// `[]`.
    public var eventShape: [Int] { [] }
    /// The location.
    public var loc: Tensor<Scalar> { locVariable.value }
    /// The scale.
    public var scale: Tensor<Scalar> { scaleVariable.value }

    /// Cauchy(loc, scale).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a scale is not positive.
    public init(loc: Variable<Scalar>, scale: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate { try check(scale.value, "Cauchy", "scale", "must be positive") { $0 > 0 } }
        batchShape = try batchShapeOf("Cauchy", [loc.shape, scale.shape])
        locVariable = loc; scaleVariable = scale
    }
    /// Cauchy from tensors.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a scale is not positive.
    public init(loc: Tensor<Scalar>, scale: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(loc: Variable(loc), scale: Variable(scale), validate: validate)
    }

    func noise<G: PhiloxProtocol>(_ shape: [Int], _ g: inout G) -> Tensor<Scalar> {
        Tensor<Scalar>.randomUniform(shape, using: &g).map { Scalar.tan(Scalar.pi * ($0 - Scalar(0.5))) }
    }
    /// `loc + scale·tan(π(U − ½))`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        noise(drawShape(sampleShape, batchShape), &generator) * scale + loc
    }
    /// The same, differentiable.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        Variable(noise(drawShape(sampleShape, batchShape), &generator)) * scaleVariable + locVariable
    }
    /// `−log π − log γ − log(1 + z²)`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        ((value - loc) / scale).squared().log1p() * -1 - scale.log() - Scalar.log(Scalar.pi)
    }
    /// The differentiable log-density.
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        -((value - locVariable) / scaleVariable).squared().log1p() - scaleVariable.log() - Scalar.log(Scalar.pi)
    }
    /// `½ + atan(z)/π`.
    public func cdf(_ value: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([value, loc, scale]) { 0.5 + atan(($0[0] - $0[1]) / $0[2]) / Double.pi } }
    /// `μ + γ tan(π(p − ½))`.
    public func icdf(_ probability: Tensor<Scalar>) -> Tensor<Scalar> {
        elementwise([probability, loc, scale]) { $0[1] + $0[2] * tan(Double.pi * ($0[0] - 0.5)) }
    }
    /// NaN: the mean does not exist.
    public var mean: Tensor<Scalar> { Tensor(repeating: .nan, shape: batchShape) }
    /// `+∞`.
    public var variance: Tensor<Scalar> { Tensor(repeating: .infinity, shape: batchShape) }
    /// `log 4πγ`.
    public func entropy() -> Tensor<Scalar> { (scale * (4 * Scalar.pi)).log().expanded(to: batchShape).contiguous }
}
