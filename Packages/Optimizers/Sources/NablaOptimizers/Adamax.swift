import Foundation
import NablaAutograd

/// Adamax (Kingma & Ba), Adam with the infinity norm: `torch.optim.Adamax`, same defaults, same update, same floating-point order.
///
/// `m ← lerp(m, g, 1 − β₁)`, `u ← max(β₂u, |g| + ε)`, `x ← x − (γ / (1 − β₁ᵗ))·m / u`.
/// State: `step`, `exp_avg`, `exp_inf`.
public final class Adamax<Scalar: TensorFloatingPoint>: Optimizer {
    /// The parameter groups (`lr`, `eps`, `weight_decay`, `maximize`).
    @exclusivity(unchecked) public var parameterGroups: [ParameterGroup<Scalar>] = []
    /// The defaults a group takes its missing options from.
    public let defaults: [String: Double]
    /// Per-parameter state: `step`, `exp_avg`, `exp_inf`.
    @exclusivity(unchecked) public var state: [ObjectIdentifier: ParameterState<Scalar>] = [:]

    /// Adamax over every parameter of `container`. PyTorch's defaults.
    /// - Throws: ``OptimizerError`` for a negative learning rate or weight decay, betas outside [0, 1), or `epsilon` ≤ 0.
    public convenience init(_ container: some ParameterContainer<Scalar>, learningRate: Double = 2e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8, weightDecay: Double = 0, maximize: Bool = false) throws {
        try self.init(groups: [ParameterGroup(container)], learningRate: learningRate, betas: betas, epsilon: epsilon, weightDecay: weightDecay, maximize: maximize)
    }

    /// Adamax over explicit groups; the arguments are the defaults for options a group does not set.
    /// - Throws: ``OptimizerError`` as the container initializer.
    public init(groups: [ParameterGroup<Scalar>], learningRate: Double = 2e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8, weightDecay: Double = 0, maximize: Bool = false) throws {
        defaults = ["lr": learningRate, "betas.0": betas.0, "betas.1": betas.1, "eps": epsilon, "weight_decay": weightDecay, "maximize": Self.flag(maximize)]
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

    /// One Adamax update of every parameter that has a gradient.
    @_specialize(where Scalar == Double) @_specialize(where Scalar == Float)
    public func step() {
        for group in parameterGroups {
            let lr = group.value("lr"), beta1 = group.value("betas.0"), weightDecay = group.value("weight_decay")
            let maximize = group.flag("maximize"), eps = Scalar(group.value("eps"))
            let w1 = Scalar(1 - beta1), b2 = Scalar(group.value("betas.1"))
            let wd = Scalar(weightDecay), coupled = weightDecay != 0
            for p in group.parameters {
                guard let g = p.gradient else { continue }
                let st = stateOf(p)
                let step = (st.step ?? 0) + 1
                st.step = step
                let negCLR = Scalar(-(lr / (1 - Foundation.pow(beta1, step))))
                var m = st.take("exp_avg", slot: 0, shape: p.shape), u = st.take("exp_inf", slot: 1, shape: p.shape)
                withBuffers(&p.value, &m, &u, g) { x, m, u, g, n in
                    for i in 0..<n {
                        let gi = decayedGradient(g[i], x[i], maximize: maximize, weightDecay: wd, coupled: coupled)
                        m[i] = lerp(m[i], gi, w1)
                        u[i] = nanMaximum(u[i] * b2, gi.magnitude + eps)
                        x[i] = x[i] + negCLR * m[i] / u[i]
                    }
                }
                st.put("exp_avg", slot: 0, m)
                st.put("exp_inf", slot: 1, u)
            }
        }
    }
}
