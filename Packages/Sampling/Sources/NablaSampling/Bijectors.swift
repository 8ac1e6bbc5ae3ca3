import Foundation

/// An invertible, differentiable map `y = f(x)` with the log-absolute-determinant of its
/// Jacobian, for ``TransformedDistribution``. Mirrors `torch.distributions.transforms.Transform`.
public protocol Bijector<Scalar> {
    /// The floating-point type.
    associatedtype Scalar: TensorFloatingPoint
    /// How many trailing dimensions form one event (0 for elementwise maps).
    var eventDimensions: Int { get }
    /// `f(x)`.
    func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar>
    /// `f⁻¹(y)`.
    func inverse(_ y: Tensor<Scalar>) -> Tensor<Scalar>
    /// `log |det ∂f/∂x|` at `x`, summed over the event dimensions.
    func logAbsDetJacobian(_ x: Tensor<Scalar>) -> Tensor<Scalar>
    /// The event shape of `f(x)` for an input event shape.
    func forwardShape(_ eventShape: [Int]) -> [Int]
}

extension Bijector {
    /// The event shape is unchanged.
    public func forwardShape(_ eventShape: [Int]) -> [Int] { eventShape }
}

/// `y = exp(x)`, `log|J| = x`.
public struct ExpBijector<Scalar: TensorFloatingPoint>: Bijector {
    /// Creates the map.
    public init() {}
    /// Elementwise.
    public var eventDimensions: Int { 0 }
    /// `exp x`.
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.exp() }
    /// `log y`.
    public func inverse(_ y: Tensor<Scalar>) -> Tensor<Scalar> { y.log() }
    /// `x`.
    public func logAbsDetJacobian(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x }
}

/// `y = loc + scale·x`, `log|J| = log|scale|`.
public struct AffineBijector<Scalar: TensorFloatingPoint>: Bijector {
    /// The shift.
    public let loc: Tensor<Scalar>
    /// The factor (nonzero).
    public let scale: Tensor<Scalar>
    /// `loc + scale·x`.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if a scale is zero.
    public init(loc: Tensor<Scalar>, scale: Tensor<Scalar>) throws(DistributionError) {
        try check(scale, "AffineBijector", "scale", "must be nonzero") { $0 != 0 }
        self.loc = loc; self.scale = scale
    }
    /// Elementwise.
    public var eventDimensions: Int { 0 }
    /// `loc + scale·x`.
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x * scale + loc }
    /// `(y − loc)/scale`.
    public func inverse(_ y: Tensor<Scalar>) -> Tensor<Scalar> { (y - loc) / scale }
    /// `log|scale|`, broadcast to `x`.
    public func logAbsDetJacobian(_ x: Tensor<Scalar>) -> Tensor<Scalar> { (x * 0) + scale.abs().log() }
}

/// `y = σ(x) = 1/(1 + e⁻ˣ)`, `log|J| = −softplus(−x) − softplus(x)`.
public struct SigmoidBijector<Scalar: TensorFloatingPoint>: Bijector {
    /// Creates the map.
    public init() {}
    /// Elementwise.
    public var eventDimensions: Int { 0 }
    /// `σ(x)`.
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.sigmoid() }
    /// `log y − log(1 − y)`.
    public func inverse(_ y: Tensor<Scalar>) -> Tensor<Scalar> { y.log() - (1 - y).log() }
    /// `−softplus(−x) − softplus(x)`.
    public func logAbsDetJacobian(_ x: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([x]) { -SF.softplus(-$0[0]) - SF.softplus($0[0]) } }
}

/// `y = softplus(x) = log(1 + eˣ)`, `log|J| = −softplus(−x)`.
public struct SoftplusBijector<Scalar: TensorFloatingPoint>: Bijector {
    /// Creates the map.
    public init() {}
    /// Elementwise.
    public var eventDimensions: Int { 0 }
    /// `log(1 + eˣ)`.
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([x]) { SF.softplus($0[0]) } }
    /// `log(eʸ − 1)`.
    public func inverse(_ y: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([y]) { $0[0] + log(-expm1(-$0[0])) } }
    /// `−softplus(−x)`.
    public func logAbsDetJacobian(_ x: Tensor<Scalar>) -> Tensor<Scalar> { elementwise([x]) { -SF.softplus(-$0[0]) } }
}

/// Stick-breaking from `ℝ^{K−1}` onto the `K`-simplex, as `torch.distributions.transforms.StickBreakingTransform`:
/// `zᵢ = σ(xᵢ − log(K − 1 − i))`, `yᵢ = zᵢ Π_{j<i}(1 − zⱼ)`, `y_K = Π(1 − zⱼ)`.
public struct StickBreakingBijector<Scalar: TensorFloatingPoint>: Bijector {
    /// Creates the map.
    public init() {}
    /// One event is a vector.
    public var eventDimensions: Int { 1 }
    /// `[K − 1] → [K]`.
    public func forwardShape(_ eventShape: [Int]) -> [Int] { Array(eventShape.dropLast()) + [eventShape.last! + 1] }
    func rows(_ t: Tensor<Scalar>) -> (rows: Int, k: Int, data: [Double]) {
        let k = t.shape.last!
        return (t.count / Swift.max(k, 1), k, t.scalars.map { Double($0) })
    }
    /// The simplex point.
    public func forward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let (n, k, d) = rows(x)
        var out = [Scalar]()
        for r in 0..<n {
            var rest = 1.0
            for i in 0..<k {
                let z = 1 / (1 + exp(-(d[r * k + i] - log(Double(k - i)))))
                out.append(Scalar(z * rest)); rest *= 1 - z
            }
            out.append(Scalar(rest))
        }
        return Tensor(shape: Array(x.shape.dropLast()) + [k + 1], scalars: out)
    }
    /// The unconstrained vector.
    public func inverse(_ y: Tensor<Scalar>) -> Tensor<Scalar> {
        let (n, k1, d) = rows(y)
        let k = k1 - 1
        var out = [Scalar]()
        for r in 0..<n {
            var rest = 1.0
            for i in 0..<k {
                let z = d[r * k1 + i] / rest
                out.append(Scalar(log(z) - log1p(-z) + log(Double(k - i))))
                rest -= d[r * k1 + i]
            }
        }
        return Tensor(shape: Array(y.shape.dropLast()) + [k], scalars: out)
    }
    /// `Σᵢ [log zᵢ + log(1 − zᵢ) + log Π_{j<i}(1 − zⱼ)]`.
    public func logAbsDetJacobian(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let (n, k, d) = rows(x)
        return Tensor(shape: Array(x.shape.dropLast()), scalars: (0..<n).map { r in
            var s = 0.0, logRest = 0.0
            for i in 0..<k {
                let t = d[r * k + i] - log(Double(k - i))
                let logZ = -SF.softplus(-t), log1mZ = -SF.softplus(t)
                s += logZ + log1mZ + logRest
                logRest += log1mZ
            }
            return Scalar(s)
        })
    }
}

/// The distribution of `y = f_n(…f_1(x))` for `x ~ base` and bijectors `f_1…f_n`:
/// `log p(y) = log p_base(x) − Σ log|det J_fᵢ|`. Mirrors `torch.distributions.TransformedDistribution`.
public struct TransformedDistribution<Base: Distribution>: Distribution {
    /// The floating-point type.
    public typealias Scalar = Base.Scalar
    /// The base distribution.
    public let base: Base
    /// The maps, applied first to last.
    public let bijectors: [any Bijector<Scalar>]

    /// `bijectors` applied to draws of `base`.
    public init(base: Base, bijectors: [any Bijector<Scalar>]) {
        self.base = base; self.bijectors = bijectors
    }
    /// The base batch shape.
    public var batchShape: [Int] { base.batchShape }
    /// The base event shape as the bijectors reshape it.
    public var eventShape: [Int] { bijectors.reduce(base.eventShape) { $1.forwardShape($0) } }
    /// Transformed base draws.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        bijectors.reduce(base.sample(sampleShape, using: &generator)) { $1.forward($0) }
    }
    /// `log p_base(f⁻¹(y)) − Σ log|det J|`; elementwise Jacobians are summed over the event dimensions.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        var y = value
        var xs: [Tensor<Scalar>] = []
        for b in bijectors.reversed() { y = b.inverse(y); xs.append(y) }
        var lp = base.logProb(y)
        for (b, x) in zip(bijectors.reversed(), xs) {
            var j = b.logAbsDetJacobian(x)
            let extra = j.rank - lp.rank
            if extra > 0 { j = j.sum(axes: Array((j.rank - extra)..<j.rank)) }
            lp = lp - j
        }
        return lp.map { $0.isNaN ? -Scalar.infinity : $0 }
    }
    /// Monte Carlo estimate from 100 000 draws (fixed seed): not closed-form in general.
    public var mean: Tensor<Scalar> {
        var g = PhiloxGenerator(seed: 0x3EA7)
        return sample([100_000], using: &g).mean(axis: 0)
    }
    /// Monte Carlo estimate from 100 000 draws (fixed seed).
    public var variance: Tensor<Scalar> {
        var g = PhiloxGenerator(seed: 0x3EA7)
        return sample([100_000], using: &g).variance(axis: 0)
    }
    /// Monte Carlo estimate `−E[log p(Y)]` from 100 000 draws (fixed seed).
    public func entropy() -> Tensor<Scalar> {
        var g = PhiloxGenerator(seed: 0x3EA7)
        return (logProb(sample([100_000], using: &g)) * -1).mean(axis: 0)
    }
}
