import NablaAutograd

/// Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and
/// maximization: `torch.optim.SGD`, same defaults, same update, same floating-point order.
///
/// For each parameter `x` with gradient `g` (after negation when maximizing):
/// `g ← g + λx`; `b ← g` on the first step, else `b ← μb + (1 − τ)g`; `g ← g + μb` (Nesterov)
/// or `g ← b`; `x ← x − γg`. State: `momentum_buffer` (only when momentum is not zero).
public final class SGD<Scalar: TensorFloatingPoint>: Optimizer {
    /// The parameter groups (`lr`, `momentum`, `dampening`, `weight_decay`, `nesterov`, `maximize`).
    @exclusivity(unchecked) public var parameterGroups: [ParameterGroup<Scalar>] = []
    /// The defaults a group takes its missing options from.
    public let defaults: [String: Double]
    /// Per-parameter state: `momentum_buffer`.
    @exclusivity(unchecked) public var state: [ObjectIdentifier: ParameterState<Scalar>] = [:]

    /// SGD over every parameter of `container`. PyTorch's defaults.
    /// - Throws: ``OptimizerError`` for a negative learning rate, momentum or weight decay, or
    ///   Nesterov momentum without momentum or with dampening.
    public convenience init(_ container: some ParameterContainer<Scalar>, learningRate: Double = 1e-3,
                            momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
                            nesterov: Bool = false, maximize: Bool = false) throws {
        try self.init(groups: [ParameterGroup(container)], learningRate: learningRate, momentum: momentum,
                      dampening: dampening, weightDecay: weightDecay, nesterov: nesterov, maximize: maximize)
    }

    /// SGD over explicit groups; the arguments are the defaults for options a group does not set.
    /// - Throws: ``OptimizerError`` as ``init(_:learningRate:momentum:dampening:weightDecay:nesterov:maximize:)``.
    public init(groups: [ParameterGroup<Scalar>], learningRate: Double = 1e-3, momentum: Double = 0,
                dampening: Double = 0, weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false) throws {
        defaults = ["lr": learningRate, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weightDecay, "nesterov": Self.flag(nesterov), "maximize": Self.flag(maximize)]
        try validate(defaults)
        try install(groups)
    }

    /// Checks PyTorch's ranges (`lr`, `momentum`, `weight_decay` ≥ 0; Nesterov needs momentum > 0
    /// and no dampening).
    public func validate(_ options: [String: Double]) throws {
        try Check.nonNegative("lr", options)
        try Check.nonNegative("momentum", options)
        try Check.nonNegative("weight_decay", options)
        if (options["nesterov"] ?? 0) != 0 && (!((options["momentum"] ?? 0) > 0) || (options["dampening"] ?? 0) != 0) {
            throw OptimizerError.invalidArgument("Nesterov momentum requires a momentum and zero dampening")
        }
    }

    /// One SGD update of every parameter that has a gradient.
    @_specialize(where Scalar == Double) @_specialize(where Scalar == Float)
    public func step() {
        for group in parameterGroups {
            let momentum = group.value("momentum"), weightDecay = group.value("weight_decay")
            let nesterov = group.flag("nesterov"), maximize = group.flag("maximize")
            let negLR = Scalar(-group.value("lr")), mu = Scalar(momentum)
            let keep = Scalar(1 - group.value("dampening")), wd = Scalar(weightDecay)
            let coupled = weightDecay != 0
            for p in group.parameters {
                guard let g = p.gradient else { continue }
                if momentum == 0 {
                    withBuffers(&p.value, g) { x, g, n in
                        for i in 0..<n {
                            let gi = decayedGradient(g[i], x[i], maximize: maximize, weightDecay: wd, coupled: coupled)
                            x[i] = x[i].addingProduct(negLR, gi)
                        }
                    }
                    continue
                }
                let st = stateOf(p)
                let first = !st.contains("momentum_buffer", slot: 0)
                var buf = st.take("momentum_buffer", slot: 0, shape: p.shape)
                withBuffers(&p.value, &buf, g) { x, b, g, n in
                    for i in 0..<n {
                        var gi = decayedGradient(g[i], x[i], maximize: maximize, weightDecay: wd, coupled: coupled)
                        b[i] = first ? gi : (b[i] * mu).addingProduct(keep, gi)
                        gi = nesterov ? gi.addingProduct(mu, b[i]) : b[i]
                        x[i] = x[i].addingProduct(negLR, gi)
                    }
                }
                st.put("momentum_buffer", slot: 0, buf)
            }
        }
    }
}
