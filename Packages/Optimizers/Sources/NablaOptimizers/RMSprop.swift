import Foundation
import NablaAutograd

/// RMSprop (Hinton), centered and with momentum: `torch.optim.RMSprop`, same defaults, same update, same floating-point order.
///
/// `v ← αv + (1 − α)g²`; centered: `ḡ ← lerp(ḡ, g, 1 − α)`, `v̂ = v − ḡ²`; `d = √v̂ + ε`; with
/// momentum `b ← μb + g/d`, `x ← x − γb`, else `x ← x − γg/d`.
/// State: `step`, `square_avg`, `momentum_buffer` (momentum > 0), `grad_avg` (centered).
public final class RMSprop<Scalar: TensorFloatingPoint>: Optimizer {
    /// The parameter groups (`lr`, `alpha`, `eps`, `weight_decay`, `momentum`, `centered`, `maximize`).
    @exclusivity(unchecked) public var parameterGroups: [ParameterGroup<Scalar>] = []
    /// The defaults a group takes its missing options from.
    public let defaults: [String: Double]
    /// Per-parameter state: `step`, `square_avg`, `momentum_buffer` (momentum > 0), `grad_avg` (centered).
    @exclusivity(unchecked) public var state: [ObjectIdentifier: ParameterState<Scalar>] = [:]

    /// RMSprop over every parameter of `container`. PyTorch's defaults.
    /// - Throws: ``OptimizerError`` for a negative learning rate or weight decay.
    public convenience init(_ container: some ParameterContainer<Scalar>, learningRate: Double = 1e-2, alpha: Double = 0.99, epsilon: Double = 1e-8, weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false, maximize: Bool = false) throws {
        try self.init(groups: [ParameterGroup(container)], learningRate: learningRate, alpha: alpha, epsilon: epsilon, weightDecay: weightDecay, momentum: momentum, centered: centered, maximize: maximize)
    }

    /// RMSprop over explicit groups; the arguments are the defaults for options a group does not set.
    /// - Throws: ``OptimizerError`` as the container initializer.
    public init(groups: [ParameterGroup<Scalar>], learningRate: Double = 1e-2, alpha: Double = 0.99, epsilon: Double = 1e-8, weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false, maximize: Bool = false) throws {
        defaults = ["lr": learningRate, "alpha": alpha, "eps": epsilon, "weight_decay": weightDecay, "momentum": momentum, "centered": Self.flag(centered), "maximize": Self.flag(maximize)]
        try validate(defaults)
        try install(groups)
    }

    /// Checks PyTorch's ranges.
    public func validate(_ options: [String: Double]) throws {
        try Check.nonNegative("lr", options)
        try Check.positive("eps", options)
        try Check.nonNegative("momentum", options)
        try Check.nonNegative("weight_decay", options)
        try Check.nonNegative("alpha", options)
    }

    /// One RMSprop update of every parameter that has a gradient.
    @_specialize(where Scalar == Double) @_specialize(where Scalar == Float)
    public func step() {
        for group in parameterGroups {
            let weightDecay = group.value("weight_decay"), momentum = group.value("momentum")
            let centered = group.flag("centered"), maximize = group.flag("maximize")
            let negLR = Scalar(-group.value("lr")), alpha = Scalar(group.value("alpha"))
            let c = Scalar(1 - group.value("alpha")), eps = Scalar(group.value("eps"))
            let wd = Scalar(weightDecay), mu = Scalar(momentum), coupled = weightDecay != 0
            for p in group.parameters {
                guard let g = p.gradient else { continue }
                let st = stateOf(p)
                st.step = (st.step ?? 0) + 1
                var sq = st.take("square_avg", slot: 0, shape: p.shape)
                var avgG = centered ? st.take("grad_avg", slot: 1, shape: p.shape) : Tensor<Scalar>(repeating: 0, shape: [0])
                var buf = momentum > 0 ? st.take("momentum_buffer", slot: 2, shape: p.shape) : Tensor<Scalar>(repeating: 0, shape: [0])
                let n = p.count
                if n > 0 {
                    withBuffers(&p.value, &sq, g) { x, sq, g, n in
                        avgG.withUnsafeMutableBufferPointer { ga in
                            buf.withUnsafeMutableBufferPointer { b in
                                for i in 0..<n {
                                    let gi = decayedGradient(g[i], x[i], maximize: maximize, weightDecay: wd, coupled: coupled)
                                    sq[i] = (sq[i] * alpha).addingProduct(c * gi, gi)
                                    var avg: Scalar
                                    if centered {
                                        ga[i] = lerp(ga[i], gi, c)
                                        avg = sq[i].addingProduct(-1 * ga[i], ga[i]).squareRoot()
                                    } else {
                                        avg = sq[i].squareRoot()
                                    }
                                    avg = avg + eps
                                    if momentum > 0 {
                                        b[i] = b[i] * mu + 1 * gi / avg
                                        x[i] = x[i].addingProduct(negLR, b[i])
                                    } else {
                                        x[i] = x[i] + negLR * gi / avg
                                    }
                                }
                            }
                        }
                    }
                }
                st.put("square_avg", slot: 0, sq)
                if centered { st.put("grad_avg", slot: 1, avgG) }
                if momentum > 0 { st.put("momentum_buffer", slot: 2, buf) }
            }
        }
    }
}
