/// The standard gamma quantile `x = P⁻¹(α, u)` (`scipy.special.gammaincinv`), differentiable in
/// the shape `α` and the level `u`: the op behind the reparameterized samples of ``Gamma``,
/// ``Beta``, ``Dirichlet`` and ``StudentT``. Registered as `"sampling.standard_gamma_quantile"`.
///
/// A draw `x ~ Gamma(α, 1)` is `P⁻¹(α, u)` for `u = P(α, x)`, so with `u` held fixed its
/// derivative is the implicit reparameterization gradient (Figurnov, Mohamed & Mnih 2018)
/// `dx/dα = −(∂P/∂α)/(∂P/∂x)`, the quantity `torch._standard_gamma_grad` approximates.
/// `Variable.randomStandardGamma(_:concentration:using:)` records this op with the value drawn by
/// Marsaglia–Tsang, so the quantile is never solved for in sampling; `forward` (used by gradient
/// checks and `vmap`) solves it by Halley steps.
///
/// Derivatives: `ᾱ = ȳ·g(α, x)` with `g` the op ``StandardGammaQuantileDerivative`` (so second
/// derivatives are available), `ū = ȳ/f(x; α) = ȳ·exp(x − (α − 1) log x + log Γ(α))`.
public struct StandardGammaQuantile: BinaryOperator {
    /// The op's name in the registry and in messages, `"sampling.standard_gamma_quantile"`.
    public static let name = "sampling.standard_gamma_quantile"
    /// Creates the op.
    @inlinable public init() {}
    /// `P⁻¹(α, u)` elementwise with broadcasting, in Double.
    public func forward<S: TensorFloatingPoint>(_ alpha: Tensor<S>, _ u: Tensor<S>) -> Tensor<S> {
        elementwise([alpha, u]) { SpecialFunctions.regularizedGammaPInverse($0[0], $0[1]) }
    }
    /// `ᾱ = ȳ·g(α, x)`, `ū = ȳ/f(x; α)`, each summed back to its input's shape.
    public func vjp<S: TensorFloatingPoint>(_ alpha: Variable<S>, _ u: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                            needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        (needA ? (ct * Variable.applying(StandardGammaQuantileDerivative(), alpha, y)).summed(to: alpha.shape) : nil,
         needB ? (ct * inverseDensity(alpha, y)).summed(to: u.shape) : nil)
    }
    /// `ẏ = α̇·g(α, x) + u̇/f(x; α)`.
    public func jvp<S: TensorFloatingPoint>(_ alpha: Variable<S>, _ u: Variable<S>, _ y: Variable<S>,
                                            _ da: Variable<S>?, _ du: Variable<S>?) -> Variable<S> {
        var t = Variable(Tensor<S>(repeating: 0, shape: y.shape))
        if let da { t = t + da * Variable.applying(StandardGammaQuantileDerivative(), alpha, y) }
        if let du { t = t + du * inverseDensity(alpha, y) }
        return t
    }
    /// Batching rule: elementwise with broadcasting.
    public func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, batchedA: Bool, batchedB: Bool) -> Variable<S> {
        broadcastingBatchRule(a, b, batchedA: batchedA, batchedB: batchedB) { Variable.applying(self, $0, $1) }
    }
    /// `1/f(x; α) = exp(x − (α − 1) log x + log Γ(α))`, written with differentiable ops.
    func inverseDensity<S: TensorFloatingPoint>(_ alpha: Variable<S>, _ x: Variable<S>) -> Variable<S> {
        (x - (alpha - S(1)) * x.log() + alpha.logGamma()).exp()
    }
}

/// `g(α, x) = dx/dα` along `P(α, x) = u` (``SpecialFunctions/standardGammaQuantileDerivative(_:_:)``)
/// elementwise: the derivative rule of ``StandardGammaQuantile``. Mirrors `torch._standard_gamma_grad`
/// (in Double, from the series of `∂P/∂α`, where PyTorch uses single-precision approximations).
///
/// Its own VJP uses the partials of ``SpecialFunctions/standardGammaQuantileDerivativePartials(_:_:)``
/// as constants: enough for second derivatives of the quantile, not for third.
public struct StandardGammaQuantileDerivative: BinaryOperator {
    /// The op's name in messages, `"sampling.standard_gamma_quantile_derivative"`.
    public static let name = "sampling.standard_gamma_quantile_derivative"
    /// Creates the op.
    @inlinable public init() {}
    /// `g(α, x)` elementwise with broadcasting, in Double.
    public func forward<S: TensorFloatingPoint>(_ alpha: Tensor<S>, _ x: Tensor<S>) -> Tensor<S> {
        elementwise([alpha, x]) { SpecialFunctions.standardGammaQuantileDerivative($0[0], $0[1]) }
    }
    /// `ᾱ = ȳ·∂g/∂α`, `x̄ = ȳ·∂g/∂x`, with the partials as constants.
    public func vjp<S: TensorFloatingPoint>(_ alpha: Variable<S>, _ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                            needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        let (ga, gx) = partials(alpha.value, x.value)
        return (needA ? (ct * Variable(ga)).summed(to: alpha.shape) : nil, needB ? (ct * Variable(gx)).summed(to: x.shape) : nil)
    }
    /// `ẏ = α̇·∂g/∂α + ẋ·∂g/∂x`.
    public func jvp<S: TensorFloatingPoint>(_ alpha: Variable<S>, _ x: Variable<S>, _ y: Variable<S>,
                                            _ da: Variable<S>?, _ dx: Variable<S>?) -> Variable<S> {
        let (ga, gx) = partials(alpha.value, x.value)
        var t = Variable(Tensor<S>(repeating: 0, shape: y.shape))
        if let da { t = t + da * Variable(ga) }
        if let dx { t = t + dx * Variable(gx) }
        return t
    }
    /// Batching rule: elementwise with broadcasting.
    public func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, batchedA: Bool, batchedB: Bool) -> Variable<S> {
        broadcastingBatchRule(a, b, batchedA: batchedA, batchedB: batchedB) { Variable.applying(self, $0, $1) }
    }
    func partials<S: TensorFloatingPoint>(_ alpha: Tensor<S>, _ x: Tensor<S>) -> (Tensor<S>, Tensor<S>) {
        let shape = broadcastShapes([alpha.shape, x.shape])!
        let a = alpha.doubles(broadcastTo: shape), xs = x.doubles(broadcastTo: shape)
        var ga = [S](), gx = [S]()
        ga.reserveCapacity(a.count); gx.reserveCapacity(a.count)
        for i in 0..<a.count {
            let p = SpecialFunctions.standardGammaQuantileDerivativePartials(a[i], xs[i])
            ga.append(S(p.a)); gx.append(S(p.x))
        }
        return (Tensor(shape: shape, scalars: ga), Tensor(shape: shape, scalars: gx))
    }
}
