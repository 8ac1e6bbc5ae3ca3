import Foundation
import NablaAutograd

/// NAdam (Dozat), Adam with Nesterov momentum and momentum decay: `torch.optim.NAdam`, same defaults, same update, same floating-point order.
///
/// `μₜ = β₁(1 − ½·0.96^(tψ))`, `m ← lerp(m, g, 1 − β₁)`, `v ← β₂v + (1 − β₂)g²`,
/// `d = √(v / (1 − β₂ᵗ)) + ε`, `x ← x − γ(1 − μₜ)/(1 − Πμ)·g/d − γμₜ₊₁/(1 − Πμ·μₜ₊₁)·m/d`.
/// `mu_product` is kept in Double (PyTorch keeps it in the default dtype).
/// State: `step`, `mu_product`, `exp_avg`, `exp_avg_sq`.
public final class NAdam<Scalar: TensorFloatingPoint>: Optimizer {
    /// The parameter groups (`lr`, `eps`, `weight_decay`, `momentum_decay`, `decoupled_weight_decay`, `maximize`).
    @exclusivity(unchecked) public var parameterGroups: [ParameterGroup<Scalar>] = []
    /// The defaults a group takes its missing options from.
    public let defaults: [String: Double]
    /// Per-parameter state: `step`, `mu_product`, `exp_avg`, `exp_avg_sq`.
    @exclusivity(unchecked) public var state: [ObjectIdentifier: ParameterState<Scalar>] = [:]

    /// NAdam over every parameter of `container`. PyTorch's defaults.
    /// - Throws: ``OptimizerError`` for a negative learning rate, weight decay or momentum decay, betas outside [0, 1), or `epsilon` ≤ 0.
    public convenience init(_ container: some ParameterContainer<Scalar>, learningRate: Double = 2e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8, weightDecay: Double = 0, momentumDecay: Double = 4e-3, decoupledWeightDecay: Bool = false, maximize: Bool = false) throws {
        try self.init(groups: [ParameterGroup(container)], learningRate: learningRate, betas: betas, epsilon: epsilon, weightDecay: weightDecay, momentumDecay: momentumDecay, decoupledWeightDecay: decoupledWeightDecay, maximize: maximize)
    }

    /// NAdam over explicit groups; the arguments are the defaults for options a group does not set.
    /// - Throws: ``OptimizerError`` as the container initializer.
    public init(groups: [ParameterGroup<Scalar>], learningRate: Double = 2e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8, weightDecay: Double = 0, momentumDecay: Double = 4e-3, decoupledWeightDecay: Bool = false, maximize: Bool = false) throws {
        defaults = ["lr": learningRate, "betas.0": betas.0, "betas.1": betas.1, "eps": epsilon, "weight_decay": weightDecay, "momentum_decay": momentumDecay, "decoupled_weight_decay": Self.flag(decoupledWeightDecay), "maximize": Self.flag(maximize)]
        try validate(defaults)
        try install(groups)
    }

    /// Checks PyTorch's ranges.
    public func validate(_ options: [String: Double]) throws {
        try Check.nonNegative("lr", options)
        try Check.positive("eps", options)
        try Check.unitInterval("betas.0", options)
        try Check.unitInterval("betas.1", options)
        try Check.nonNegative("weight_decay", options)
        try Check.nonNegative("momentum_decay", options)
    }

    /// One NAdam update of every parameter that has a gradient.
    @_specialize(where Scalar == Double) @_specialize(where Scalar == Float)
    public func step() {
        for group in parameterGroups {
            let lr = group.value("lr"), beta1 = group.value("betas.0"), beta2 = group.value("betas.1")
            let weightDecay = group.value("weight_decay"), momentumDecay = group.value("momentum_decay")
            let maximize = group.flag("maximize"), decoupled = group.flag("decoupled_weight_decay")
            let coupled = weightDecay != 0 && !decoupled, decays = weightDecay != 0 && decoupled
            let decay = Scalar(1 - lr * weightDecay), wd = Scalar(weightDecay), eps = Scalar(group.value("eps"))
            let w1 = Scalar(1 - beta1), b2 = Scalar(beta2), c2 = Scalar(1 - beta2)
            for p in group.parameters {
                guard let g = p.gradient else { continue }
                let st = stateOf(p)
                let step = (st.step ?? 0) + 1
                st.step = step
                let bias2 = Scalar(1 - Foundation.pow(beta2, step))
                let mu = beta1 * (1.0 - 0.5 * Foundation.pow(0.96, step * momentumDecay))
                let muNext = beta1 * (1.0 - 0.5 * Foundation.pow(0.96, (step + 1) * momentumDecay))
                let muProduct = (st.scalars["mu_product"] ?? 1) * mu
                st.scalars["mu_product"] = muProduct
                let muProductNext = muProduct * muNext
                let k1 = Scalar(-lr * (1.0 - mu) / (1.0 - muProduct))
                let k2 = Scalar((-lr * muNext) / (1.0 - muProductNext))
                var m = st.take("exp_avg", slot: 0, shape: p.shape), v = st.take("exp_avg_sq", slot: 1, shape: p.shape)
                withBuffers(&p.value, &m, &v, g) { x, m, v, g, n in
                    for i in 0..<n {
                        var xi = x[i]
                        if decays { xi = xi * decay }
                        let gi = decayedGradient(g[i], xi, maximize: maximize, weightDecay: wd, coupled: coupled)
                        m[i] = lerp(m[i], gi, w1)
                        v[i] = (v[i] * b2).addingProduct(c2 * gi, gi)
                        let denom = (v[i] / bias2).squareRoot() + eps
                        xi = xi + k1 * gi / denom
                        x[i] = xi + k2 * m[i] / denom
                    }
                }
                st.put("exp_avg", slot: 0, m)
                st.put("exp_avg_sq", slot: 1, v)
            }
        }
    }
}
