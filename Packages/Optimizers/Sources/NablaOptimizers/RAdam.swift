import Foundation
import NablaAutograd

/// RAdam (Liu et al.), Adam with a rectified adaptive learning rate: `torch.optim.RAdam`, same defaults, same update, same floating-point order.
///
/// `m ← lerp(m, g, 1 − β₁)`, `v ← β₂v + (1 − β₂)g²`; with `ρ∞ = 2/(1 − β₂) − 1` and
/// `ρₜ = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ)`: if `ρₜ > 5`, `x ← x − m/(1 − β₁ᵗ)·γ·√(1 − β₂ᵗ)/(√v + ε)·r`
/// with the rectification `r`, else `x ← x − γm/(1 − β₁ᵗ)`.
/// State: `step`, `exp_avg`, `exp_avg_sq`.
public final class RAdam<Scalar: TensorFloatingPoint>: Optimizer {
    /// The parameter groups (`lr`, `eps`, `weight_decay`, `decoupled_weight_decay`, `maximize`).
    @exclusivity(unchecked) public var parameterGroups: [ParameterGroup<Scalar>] = []
    /// The defaults a group takes its missing options from.
    public let defaults: [String: Double]
    /// Per-parameter state: `step`, `exp_avg`, `exp_avg_sq`.
    @exclusivity(unchecked) public var state: [ObjectIdentifier: ParameterState<Scalar>] = [:]

    /// RAdam over every parameter of `container`. PyTorch's defaults.
    /// - Throws: ``OptimizerError`` for a negative learning rate or weight decay, betas outside [0, 1), or `epsilon` ≤ 0.
    public convenience init(_ container: some ParameterContainer<Scalar>, learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false, maximize: Bool = false) throws {
        try self.init(groups: [ParameterGroup(container)], learningRate: learningRate, betas: betas, epsilon: epsilon, weightDecay: weightDecay, decoupledWeightDecay: decoupledWeightDecay, maximize: maximize)
    }

    /// RAdam over explicit groups; the arguments are the defaults for options a group does not set.
    /// - Throws: ``OptimizerError`` as the container initializer.
    public init(groups: [ParameterGroup<Scalar>], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false, maximize: Bool = false) throws {
        defaults = ["lr": learningRate, "betas.0": betas.0, "betas.1": betas.1, "eps": epsilon, "weight_decay": weightDecay, "decoupled_weight_decay": Self.flag(decoupledWeightDecay), "maximize": Self.flag(maximize)]
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
    }

    /// One RAdam update of every parameter that has a gradient.
    @_specialize(where Scalar == Double) @_specialize(where Scalar == Float)
    public func step() {
        for group in parameterGroups {
            let lr = group.value("lr"), beta1 = group.value("betas.0"), beta2 = group.value("betas.1")
            let weightDecay = group.value("weight_decay")
            let maximize = group.flag("maximize"), decoupled = group.flag("decoupled_weight_decay")
            let coupled = weightDecay != 0 && !decoupled, decays = weightDecay != 0 && decoupled
            let decay = Scalar(1 - lr * weightDecay), wd = Scalar(weightDecay), eps = Scalar(group.value("eps"))
            let w1 = Scalar(1 - beta1), b2 = Scalar(beta2), c2 = Scalar(1 - beta2), slr = Scalar(lr)
            for p in group.parameters {
                guard let g = p.gradient else { continue }
                let st = stateOf(p)
                let step = (st.step ?? 0) + 1
                st.step = step
                let bias1 = Scalar(1 - Foundation.pow(beta1, step))
                let bias2d = 1 - Foundation.pow(beta2, step)
                let rhoInf = 2 / (1 - beta2) - 1
                let rhoT = rhoInf - 2 * step * Foundation.pow(beta2, step) / bias2d
                let rectified = rhoT > 5.0
                let rect = rectified
                    ? Scalar(Foundation.pow((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT), 0.5)) : 0
                let bias2Sqrt = Scalar(Foundation.pow(bias2d, 0.5))
                var m = st.take("exp_avg", slot: 0, shape: p.shape), v = st.take("exp_avg_sq", slot: 1, shape: p.shape)
                withBuffers(&p.value, &m, &v, g) { x, m, v, g, n in
                    for i in 0..<n {
                        var xi = x[i]
                        if decays { xi = xi * decay }
                        let gi = decayedGradient(g[i], xi, maximize: maximize, weightDecay: wd, coupled: coupled)
                        m[i] = lerp(m[i], gi, w1)
                        v[i] = (v[i] * b2).addingProduct(c2 * gi, gi)
                        let corrected = m[i] / bias1
                        let update: Scalar
                        if rectified {
                            let adaptive = 1 / (v[i].squareRoot() + eps) * bias2Sqrt
                            update = corrected * slr * adaptive * rect
                        } else {
                            update = corrected * slr
                        }
                        x[i] = xi.addingProduct(-1, update)
                    }
                }
                st.put("exp_avg", slot: 0, m)
                st.put("exp_avg_sq", slot: 1, v)
            }
        }
    }
}
