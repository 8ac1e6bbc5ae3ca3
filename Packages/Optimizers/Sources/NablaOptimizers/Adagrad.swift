import Foundation
import NablaAutograd

/// Adagrad (Duchi et al.) with learning-rate decay: `torch.optim.Adagrad`, same defaults, same update, same floating-point order.
///
/// `s ← s + g²`, `x ← x − (γ / (1 + (t − 1)η))·g / (√s + ε)`; the accumulator starts at
/// `initialAccumulatorValue`.
/// State: `step`, `sum`.
public final class Adagrad<Scalar: TensorFloatingPoint>: Optimizer {
    /// The parameter groups (`lr`, `lr_decay`, `weight_decay`, `initial_accumulator_value`, `eps`, `maximize`).
    @exclusivity(unchecked) public var parameterGroups: [ParameterGroup<Scalar>] = []
    /// The defaults a group takes its missing options from.
    public let defaults: [String: Double]
    /// Per-parameter state: `step`, `sum`.
    @exclusivity(unchecked) public var state: [ObjectIdentifier: ParameterState<Scalar>] = [:]

    /// Adagrad over every parameter of `container`. PyTorch's defaults.
    /// - Throws: ``OptimizerError`` for a negative learning rate or weight decay.
    public convenience init(_ container: some ParameterContainer<Scalar>, learningRate: Double = 1e-2, learningRateDecay: Double = 0, weightDecay: Double = 0, initialAccumulatorValue: Double = 0, epsilon: Double = 1e-10, maximize: Bool = false) throws {
        try self.init(groups: [ParameterGroup(container)], learningRate: learningRate, learningRateDecay: learningRateDecay, weightDecay: weightDecay, initialAccumulatorValue: initialAccumulatorValue, epsilon: epsilon, maximize: maximize)
    }

    /// Adagrad over explicit groups; the arguments are the defaults for options a group does not set.
    /// - Throws: ``OptimizerError`` as the container initializer.
    public init(groups: [ParameterGroup<Scalar>], learningRate: Double = 1e-2, learningRateDecay: Double = 0, weightDecay: Double = 0, initialAccumulatorValue: Double = 0, epsilon: Double = 1e-10, maximize: Bool = false) throws {
        defaults = ["lr": learningRate, "lr_decay": learningRateDecay, "weight_decay": weightDecay, "initial_accumulator_value": initialAccumulatorValue, "eps": epsilon, "maximize": Self.flag(maximize)]
        try validate(defaults)
        try install(groups)
    }

    /// Checks PyTorch's ranges.
    public func validate(_ options: [String: Double]) throws {
        try Check.nonNegative("lr", options)
        try Check.nonNegative("lr_decay", options)
        try Check.nonNegative("weight_decay", options)
        try Check.nonNegative("initial_accumulator_value", options)
        try Check.positive("eps", options)
    }

    /// One Adagrad update of every parameter that has a gradient.
    @_specialize(where Scalar == Double) @_specialize(where Scalar == Float)
    public func step() {
        for group in parameterGroups {
            let lr = group.value("lr"), lrDecay = group.value("lr_decay"), weightDecay = group.value("weight_decay")
            let maximize = group.flag("maximize"), eps = Scalar(group.value("eps"))
            let initial = Scalar(group.value("initial_accumulator_value"))
            let wd = Scalar(weightDecay), coupled = weightDecay != 0
            for p in group.parameters {
                guard let g = p.gradient else { continue }
                let st = stateOf(p)
                let step = (st.step ?? 0) + 1
                st.step = step
                let negCLR = Scalar(-(lr / (1 + (step - 1) * lrDecay)))
                var sum = st.take("sum", slot: 0, shape: p.shape, fill: initial)
                withBuffers(&p.value, &sum, g) { x, s, g, n in
                    for i in 0..<n {
                        let gi = decayedGradient(g[i], x[i], maximize: maximize, weightDecay: wd, coupled: coupled)
                        s[i] = s[i].addingProduct(1 * gi, gi)
                        let std = s[i].squareRoot() + eps
                        x[i] = x[i] + negCLR * gi / std
                    }
                }
                st.put("sum", slot: 0, sum)
            }
        }
    }
}
