#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Dirichlet distribution on the simplex, with concentration `[..., K]`. Mirrors `torch.distributions.Dirichlet`.
///
/// Draws are gammas normalized along the last axis; ``rsample(_:using:)`` differentiates each
/// gamma implicitly (``StandardGammaQuantile``) and the normalization by Autograd. PyTorch's
/// `_dirichlet_grad` differentiates each coordinate's marginal Beta CDF instead: both are unbiased
/// reparameterization gradients, but they differ draw by draw.
public struct Dirichlet<Scalar: TensorFloatingPoint>: ReparameterizedDistribution {
    /// The concentration `α`, `[..., K]` (differentiable).
    public let concentrationVariable: Variable<Scalar>
    /// The concentration `α`, `[..., K]`.
    public var concentration: Tensor<Scalar> { concentrationVariable.value }
    /// `concentration.shape` without its last dimension.
    public var batchShape: [Int] { Array(concentration.shape.dropLast()) }
    /// `[K]`.
    public var eventShape: [Int] { [concentration.shape.last!] }

    /// Dirichlet(α) from a variable.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if an `αᵢ` is not positive or `α` is a scalar.
    public init(concentration: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        guard concentration.rank >= 1 else {
            throw .invalidParameter(distribution: "Dirichlet", parameter: "concentration", reason: "must have at least one dimension")
        }
        if validate { try check(concentration.value, "Dirichlet", "concentration", "must be positive") { $0 > 0 } }
        concentrationVariable = concentration
    }
    /// Dirichlet(α) from a tensor.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if an `αᵢ` is not positive or `α` is a scalar.
    public init(concentration: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(concentration: Variable(concentration), validate: validate)
    }
    /// Normalized gamma draws.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let g = Tensor.randomGamma(sampleShape + concentration.shape, alpha: concentration, using: &generator)
        return g / g.sum(axis: -1, keepingDims: true)
    }
    /// The same draws, differentiable in `α`.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        let g = Variable.randomStandardGamma(sampleShape + concentration.shape, concentration: concentrationVariable, using: &generator)
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
    /// The differentiable log-density (for values inside the simplex; `−∞` off it).
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        let a = concentrationVariable
        let penalty = supportPenalty(of: value) { logProb($0).map { $0 > -Scalar.infinity } }
        let x = insideSupport(value, fill: 1) { $0.map { $0 >= 0 } }
        return penalty + ((a - Scalar(1)) * x.log()).sum(axis: -1)
            + a.sum(axis: -1).logGamma() - a.logGamma().sum(axis: -1)
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
