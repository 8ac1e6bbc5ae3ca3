import Foundation
import NablaAutograd

/// Adadelta (Zeiler): `torch.optim.Adadelta`, same defaults, same update, same floating-point order.
///
/// `v ← ρv + (1 − ρ)g²`, `Δ = √(u + ε) / √(v + ε) · g`, `u ← ρu + (1 − ρ)Δ²`, `x ← x − γΔ`.
/// State: `step`, `square_avg`, `acc_delta`.
public final class Adadelta<Scalar: TensorFloatingPoint>: Optimizer {
    /// The parameter groups (`lr`, `rho`, `eps`, `weight_decay`, `maximize`).
    @exclusivity(unchecked) public var parameterGroups: [ParameterGroup<Scalar>] = []
    /// The defaults a group takes its missing options from.
    public let defaults: [String: Double]
    /// Per-parameter state: `step`, `square_avg`, `acc_delta`.
    @exclusivity(unchecked) public var state: [ObjectIdentifier: ParameterState<Scalar>] = [:]

    /// Adadelta over every parameter of `container`. PyTorch's defaults.
    /// - Throws: ``OptimizerError`` for a negative learning rate or weight decay.
    public convenience init(_ container: some ParameterContainer<Scalar>, learningRate: Double = 1.0, rho: Double = 0.9, epsilon: Double = 1e-6, weightDecay: Double = 0, maximize: Bool = false) throws {
        try self.init(groups: [ParameterGroup(container)], learningRate: learningRate, rho: rho, epsilon: epsilon, weightDecay: weightDecay, maximize: maximize)
    }

    /// Adadelta over explicit groups; the arguments are the defaults for options a group does not set.
    /// - Throws: ``OptimizerError`` as the container initializer.
    public init(groups: [ParameterGroup<Scalar>], learningRate: Double = 1.0, rho: Double = 0.9, epsilon: Double = 1e-6, weightDecay: Double = 0, maximize: Bool = false) throws {
        defaults = ["lr": learningRate, "rho": rho, "eps": epsilon, "weight_decay": weightDecay, "maximize": Self.flag(maximize)]
        try validate(defaults)
        try install(groups)
    }

    /// Checks PyTorch's ranges.
    public func validate(_ options: [String: Double]) throws {
        try Check.nonNegative("lr", options)
        try Check.closedUnitInterval("rho", options)
        try Check.positive("eps", options)
        try Check.nonNegative("weight_decay", options)
    }

    /// One Adadelta update of every parameter that has a gradient.
    @_specialize(where Scalar == Double) @_specialize(where Scalar == Float)
    public func step() {
        for group in parameterGroups {
            let weightDecay = group.value("weight_decay"), maximize = group.flag("maximize")
            let negLR = Scalar(-group.value("lr")), rho = Scalar(group.value("rho"))
            let c = Scalar(1 - group.value("rho")), eps = Scalar(group.value("eps"))
            let wd = Scalar(weightDecay), coupled = weightDecay != 0
            for p in group.parameters {
                guard let g = p.gradient else { continue }
                let st = stateOf(p)
                st.step = (st.step ?? 0) + 1
                var sq = st.take("square_avg", slot: 0, shape: p.shape), acc = st.take("acc_delta", slot: 1, shape: p.shape)
                withBuffers(&p.value, &sq, &acc, g) { x, sq, acc, g, n in
                    for i in 0..<n {
                        let gi = decayedGradient(g[i], x[i], maximize: maximize, weightDecay: wd, coupled: coupled)
                        sq[i] = (sq[i] * rho).addingProduct(c * gi, gi)
                        let std = (sq[i] + eps).squareRoot()
                        let delta = (acc[i] + eps).squareRoot() / std * gi
                        acc[i] = (acc[i] * rho).addingProduct(c * delta, delta)
                        x[i] = x[i].addingProduct(negLR, delta)
                    }
                }
                st.put("square_avg", slot: 0, sq)
                st.put("acc_delta", slot: 1, acc)
            }
        }
    }
}
