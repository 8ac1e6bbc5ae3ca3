#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

typealias SF = SpecialFunctions

/// The gamma distribution with shape `α` (concentration) and rate `β`. Mirrors `torch.distributions.Gamma`.
public struct Gamma<Scalar: TensorFloatingPoint>: CumulativeDistribution {
    /// The shape `α`.
    public let concentration: Tensor<Scalar>
    /// The rate `β`.
    public let rate: Tensor<Scalar>
    /// The broadcast shape of the parameters.
    public let batchShape: [Int]
    /// `[]`.
    public var eventShape: [Int] { [] }

    /// Gamma(α, β).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `α` or `β` is not positive.
    public init(concentration: Tensor<Scalar>, rate: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate {
            try check(concentration, "Gamma", "concentration", "must be positive") { $0 > 0 }
            try check(rate, "Gamma", "rate", "must be positive") { $0 > 0 }
        }
        batchShape = try batchShapeOf("Gamma", [concentration.shape, rate.shape])
        self.concentration = concentration; self.rate = rate
    }
    /// Marsaglia–Tsang draws (`Tensor.randomGamma`) divided by the rate.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor.randomGamma(drawShape(sampleShape, batchShape), alpha: concentration, using: &generator) / rate
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

/// The beta distribution on `[0, 1]`. Mirrors `torch.distributions.Beta`.
public struct Beta<Scalar: TensorFloatingPoint>: CumulativeDistribution {
    /// `α`.
    public let concentration1: Tensor<Scalar>
    /// `β`.
    public let concentration0: Tensor<Scalar>
    /// The broadcast shape of the parameters.
    public let batchShape: [Int]
    /// `[]`.
    public var eventShape: [Int] { [] }

    /// Beta(α, β).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `α` or `β` is not positive.
    public init(concentration1: Tensor<Scalar>, concentration0: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate {
            try check(concentration1, "Beta", "concentration1", "must be positive") { $0 > 0 }
            try check(concentration0, "Beta", "concentration0", "must be positive") { $0 > 0 }
        }
        batchShape = try batchShapeOf("Beta", [concentration1.shape, concentration0.shape])
        self.concentration1 = concentration1; self.concentration0 = concentration0
    }
    /// `X/(X + Y)` with `X ~ Gamma(α)`, `Y ~ Gamma(β)`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let s = drawShape(sampleShape, batchShape)
        let x = Tensor.randomGamma(s, alpha: concentration1, using: &generator)
        let y = Tensor.randomGamma(s, alpha: concentration0, using: &generator)
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

/// Student's t with `ν` degrees of freedom, location and scale. Mirrors `torch.distributions.StudentT`.
public struct StudentT<Scalar: TensorFloatingPoint>: CumulativeDistribution {
    /// `ν`.
    public let degreesOfFreedom: Tensor<Scalar>
    /// The location.
    public let loc: Tensor<Scalar>
    /// The scale.
    public let scale: Tensor<Scalar>
    /// The broadcast shape of the parameters.
    public let batchShape: [Int]
    /// `[]`.
    public var eventShape: [Int] { [] }

    /// StudentT(ν, loc, scale).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if `ν` or the scale is not positive.
    public init(degreesOfFreedom: Tensor<Scalar>, loc: Tensor<Scalar>, scale: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        if validate {
            try check(degreesOfFreedom, "StudentT", "degreesOfFreedom", "must be positive") { $0 > 0 }
            try check(scale, "StudentT", "scale", "must be positive") { $0 > 0 }
        }
        batchShape = try batchShapeOf("StudentT", [degreesOfFreedom.shape, loc.shape, scale.shape])
        self.degreesOfFreedom = degreesOfFreedom; self.loc = loc; self.scale = scale
    }
    /// `loc + scale·Z/√(2G/ν)` with `Z ~ N(0, 1)`, `G ~ Gamma(ν/2)`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let s = drawShape(sampleShape, batchShape)
        let z = Tensor<Scalar>.randomNormal(s, using: &generator)
        let chi2 = Tensor.randomGamma(s, alpha: degreesOfFreedom / 2, using: &generator) * 2
        return z / (chi2 / degreesOfFreedom).sqrt() * scale + loc
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

/// The Dirichlet distribution on the simplex, with concentration `[..., K]`. Mirrors `torch.distributions.Dirichlet`.
public struct Dirichlet<Scalar: TensorFloatingPoint>: Distribution {
    /// The concentration `α`, `[..., K]`.
    public let concentration: Tensor<Scalar>
    /// `concentration.shape` without its last dimension.
    public var batchShape: [Int] { Array(concentration.shape.dropLast()) }
    /// `[K]`.
    public var eventShape: [Int] { [concentration.shape.last!] }

    /// Dirichlet(α).
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if an `αᵢ` is not positive or `α` is a scalar.
    public init(concentration: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        guard concentration.rank >= 1 else {
            throw .invalidParameter(distribution: "Dirichlet", parameter: "concentration", reason: "must have at least one dimension")
        }
        if validate { try check(concentration, "Dirichlet", "concentration", "must be positive") { $0 > 0 } }
        self.concentration = concentration
    }
    /// Normalized gamma draws.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let g = Tensor.randomGamma(sampleShape + concentration.shape, alpha: concentration, using: &generator)
        return g / g.sum(axis: -1, keepingDims: true)
    }
    /// `Σ(αᵢ − 1) log xᵢ + log Γ(Σα) − Σ log Γ(αᵢ)`; `−∞` off the simplex.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        let k = eventShape[0]
        let shape = broadcastShapes([value.shape, concentration.shape])!
        let x = value.doubles(broadcastTo: shape), a = concentration.doubles(broadcastTo: shape)
        let rows = x.count / k
        var out = [Scalar]()
        for r in 0..<rows {
            var s = 0.0, sa = 0.0, lg = 0.0, total = 0.0, outside = false
            for i in 0..<k {
                let xi = x[r * k + i], ai = a[r * k + i]
                if xi < 0 || xi > 1 { outside = true }
                s += (ai - 1) * log(xi); sa += ai; lg += SF.logGamma(ai); total += xi
            }
            if abs(total - 1) > 1e-5 { outside = true }
            out.append(outside ? -Scalar.infinity : Scalar(s + SF.logGamma(sa) - lg))
        }
        return Tensor(shape: Array(shape.dropLast()), scalars: out)
    }
    /// `αᵢ/α₀`.
    public var mean: Tensor<Scalar> { concentration / concentration.sum(axis: -1, keepingDims: true) }
    /// `αᵢ(α₀ − αᵢ)/(α₀²(α₀ + 1))`.
    public var variance: Tensor<Scalar> {
        let a0 = concentration.sum(axis: -1, keepingDims: true)
        return concentration * (a0 - concentration) / (a0.squared() * (a0 + 1))
    }
    /// `log B(α) + (α₀ − K)ψ(α₀) − Σ(αᵢ − 1)ψ(αᵢ)`.
    public func entropy() -> Tensor<Scalar> {
        let k = eventShape[0], a = concentration.scalars.map { Double($0) }
        var out = [Scalar]()
        for r in 0..<(a.count / k) {
            let row = a[(r * k)..<((r + 1) * k)]
            let a0 = row.reduce(0, +)
            let logB = row.reduce(0) { $0 + SF.logGamma($1) } - SF.logGamma(a0)
            out.append(Scalar(logB + (a0 - Double(k)) * SF.digamma(a0) - row.reduce(0) { $0 + ($1 - 1) * SF.digamma($1) }))
        }
        return Tensor(shape: batchShape, scalars: out)
    }
}
