import Foundation
import NablaAutograd
import CNablaOptimizers

/// The Adam family's update (Adam, AdamW), PyTorch's `_single_tensor_adam` with float
/// hyper-parameters, one element at a time in PyTorch's order.
@usableFromInline enum AdamKernel {
    /// One update of every parameter of `group` that has a gradient.
    @inlinable static func step<O: Optimizer>(_ optimizer: O, _ group: ParameterGroup<O.Scalar>) {
        typealias S = O.Scalar
        let lr = group.value("lr"), beta1 = group.value("betas.0"), beta2 = group.value("betas.1")
        let weightDecay = group.value("weight_decay")
        let amsgrad = group.flag("amsgrad"), maximize = group.flag("maximize")
        let decoupled = group.flag("decoupled_weight_decay")
        let coupled = weightDecay != 0 && !decoupled, decays = weightDecay != 0 && decoupled
        let decay = S(1 - lr * weightDecay), wd = S(weightDecay)
        let w1 = S(1 - beta1), b2 = S(beta2), c2 = S(1 - beta2), eps = S(group.value("eps"))
        // The bias corrections of the last step count seen (the parameters of a group usually
        // share it): three `pow` calls per group and step rather than per parameter.
        var lastStep = -1.0, negStepSize: S = 0, bias2Sqrt: S = 0
        for p in group.parameters {
            guard let g = p.gradient else { continue }
            let st = optimizer.stateOf(p)
            let step = (st.step ?? 0) + 1
            st.step = step
            if step != lastStep {
                let bias1 = 1 - Foundation.pow(beta1, step), bias2 = 1 - Foundation.pow(beta2, step)
                negStepSize = S(-(lr / bias1))
                bias2Sqrt = S(Foundation.pow(bias2, 0.5))
                lastStep = step
            }
            @inline(__always) func update(_ x: UnsafeMutablePointer<S>, _ m: UnsafeMutablePointer<S>,
                                          _ v: UnsafeMutablePointer<S>, _ vmax: UnsafeMutablePointer<S>?,
                                          _ g: UnsafePointer<S>, _ n: Int) {
                for i in 0..<n {
                    var xi = x[i]
                    if decays { xi = xi * decay }
                    let gi = decayedGradient(g[i], xi, maximize: maximize, weightDecay: wd, coupled: coupled)
                    m[i] = lerp(m[i], gi, w1)
                    v[i] = (v[i] * b2).addingProduct(c2 * gi, gi)
                    let second: S
                    if let vmax {
                        vmax[i] = nanMaximum(vmax[i], v[i])
                        second = vmax[i]
                    } else {
                        second = v[i]
                    }
                    let denom = second.squareRoot() / bias2Sqrt + eps
                    x[i] = xi + negStepSize * m[i] / denom
                }
            }
            // The moments are updated where the state keeps them (slots 0, 1 and 2).
            if amsgrad {
                st.withSlots("exp_avg", "exp_avg_sq", "max_exp_avg_sq", shape: p.shape) { m, v, vmax in
                    withBuffers(&p.value, &m, &v, &vmax, g) { x, m, v, vmax, g, n in update(x, m, v, vmax, g, n) }
                }
            } else {
                var constants = nabla_adam_constants(
                    decoupled: decays ? 1 : 0, coupled: coupled ? 1 : 0, maximize: maximize ? 1 : 0,
                    decay: Double(decay), weight_decay: weightDecay, w1: Double(w1), b2: beta2, c2: Double(c2),
                    eps: Double(eps), neg_step_size: Double(negStepSize), bias2_sqrt: Double(bias2Sqrt))
                let level = VectorLevel.current.rawValue
                st.withSlots("exp_avg", "exp_avg_sq", shape: p.shape) { m, v in
                    withBuffers(&p.value, &m, &v, g) { x, m, v, g, n in
                        // The vector kernel (AVX2+FMA or AVX-512F), bit for bit this loop; else the loop.
                        if vectorAdam(level, &constants, x, m, v, g, n) { return }
                        update(x, m, v, nil, g, n)
                    }
                }
            }
        }
    }

    /// PyTorch's checks for the Adam family.
    static func validate(_ options: [String: Double]) throws {
        try Check.nonNegative("lr", options)
        try Check.positive("eps", options)
        try Check.unitInterval("betas.0", options)
        try Check.unitInterval("betas.1", options)
        try Check.nonNegative("weight_decay", options)
    }
}

/// CNablaOptimizers' Adam loop for Float and Double buffers; `false` for other scalar types or
/// when the CPU has neither AVX2+FMA nor AVX-512F (the caller runs its Swift loop).
///
/// The constants are the Swift loop's, already rounded to `S` (`Double(S(…))` round-trips), so the
/// kernel computes the same values.
@inlinable func vectorAdam<S: TensorFloatingPoint>(
    _ level: Int32, _ constants: inout nabla_adam_constants, _ x: UnsafeMutablePointer<S>,
    _ m: UnsafeMutablePointer<S>, _ v: UnsafeMutablePointer<S>, _ g: UnsafePointer<S>, _ n: Int) -> Bool {
    if S.self == Float.self {
        return nabla_adam_f32(level, &constants, UnsafeMutableRawPointer(x).assumingMemoryBound(to: Float.self),
                              UnsafeMutableRawPointer(m).assumingMemoryBound(to: Float.self),
                              UnsafeMutableRawPointer(v).assumingMemoryBound(to: Float.self),
                              UnsafeRawPointer(g).assumingMemoryBound(to: Float.self), n) != 0
    }
    if S.self == Double.self {
        return nabla_adam_f64(level, &constants, UnsafeMutableRawPointer(x).assumingMemoryBound(to: Double.self),
                              UnsafeMutableRawPointer(m).assumingMemoryBound(to: Double.self),
                              UnsafeMutableRawPointer(v).assumingMemoryBound(to: Double.self),
                              UnsafeRawPointer(g).assumingMemoryBound(to: Double.self), n) != 0
    }
    return false
}

/// `torch.maximum`: NaN if either is NaN, else the larger.
@inlinable @inline(__always) func nanMaximum<S: TensorFloatingPoint>(_ a: S, _ b: S) -> S {
    if a.isNaN || b.isNaN { return .nan }
    return a >= b ? a : b
}

/// Adam (Kingma & Ba), with AMSGrad and maximization: `torch.optim.Adam`, same defaults, same
/// update, same floating-point order.
///
/// `m ← lerp(m, g, 1 − β₁)`, `v ← β₂v + (1 − β₂)g²`, `x ← x − (γ / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)`;
/// weight decay adds `λx` to the gradient (see ``AdamW`` for decoupled decay). State: `step`,
/// `exp_avg`, `exp_avg_sq`, and `max_exp_avg_sq` with AMSGrad.
public final class Adam<Scalar: TensorFloatingPoint>: Optimizer {
    /// The parameter groups (`lr`, `betas.0`, `betas.1`, `eps`, `weight_decay`, `amsgrad`,
    /// `maximize`, `decoupled_weight_decay`).
    @exclusivity(unchecked) public var parameterGroups: [ParameterGroup<Scalar>] = []
    /// The defaults a group takes its missing options from.
    public let defaults: [String: Double]
    /// Per-parameter state: `step`, `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`.
    @exclusivity(unchecked) public var state: [ObjectIdentifier: ParameterState<Scalar>] = [:]

    /// Adam over every parameter of `container`. PyTorch's defaults.
    /// - Throws: ``OptimizerError`` for a negative learning rate or weight decay, betas outside
    ///   [0, 1), or `epsilon` ≤ 0.
    public convenience init(_ container: some ParameterContainer<Scalar>, learningRate: Double = 1e-3,
                            betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
                            weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false,
                            decoupledWeightDecay: Bool = false) throws {
        try self.init(groups: [ParameterGroup(container)], learningRate: learningRate, betas: betas,
                      epsilon: epsilon, weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize,
                      decoupledWeightDecay: decoupledWeightDecay)
    }

    /// Adam over explicit groups; the arguments are the defaults for options a group does not set.
    /// - Throws: ``OptimizerError`` as the container initializer.
    public init(groups: [ParameterGroup<Scalar>], learningRate: Double = 1e-3,
                betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8, weightDecay: Double = 0,
                amsgrad: Bool = false, maximize: Bool = false, decoupledWeightDecay: Bool = false) throws {
        defaults = ["lr": learningRate, "betas.0": betas.0, "betas.1": betas.1, "eps": epsilon,
                    "weight_decay": weightDecay, "amsgrad": Self.flag(amsgrad), "maximize": Self.flag(maximize),
                    "decoupled_weight_decay": Self.flag(decoupledWeightDecay)]
        try validate(defaults)
        try install(groups)
    }

    /// Checks PyTorch's ranges: `lr`, `weight_decay` ≥ 0, betas in [0, 1), `eps` > 0.
    public func validate(_ options: [String: Double]) throws { try AdamKernel.validate(options) }

    /// One Adam update of every parameter that has a gradient.
    @_specialize(where Scalar == Double) @_specialize(where Scalar == Float)
    public func step() { for group in parameterGroups { AdamKernel.step(self, group) } }
}

/// Adam with decoupled weight decay (Loshchilov & Hutter): `torch.optim.AdamW`, same defaults
/// (weight decay 0.01), same update, same floating-point order.
///
/// Each step first shrinks the parameter, `x ← x·(1 − γλ)`, then applies ``Adam``'s update with
/// the undecayed gradient. State: `step`, `exp_avg`, `exp_avg_sq`, and `max_exp_avg_sq` with AMSGrad.
public final class AdamW<Scalar: TensorFloatingPoint>: Optimizer {
    /// The parameter groups (as ``Adam``'s, with `decoupled_weight_decay` = 1).
    @exclusivity(unchecked) public var parameterGroups: [ParameterGroup<Scalar>] = []
    /// The defaults a group takes its missing options from.
    public let defaults: [String: Double]
    /// Per-parameter state: `step`, `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`.
    @exclusivity(unchecked) public var state: [ObjectIdentifier: ParameterState<Scalar>] = [:]

    /// AdamW over every parameter of `container`. PyTorch's defaults.
    /// - Throws: ``OptimizerError`` for a negative learning rate or weight decay, betas outside
    ///   [0, 1), or `epsilon` ≤ 0.
    public convenience init(_ container: some ParameterContainer<Scalar>, learningRate: Double = 1e-3,
                            betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
                            weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false) throws {
        try self.init(groups: [ParameterGroup(container)], learningRate: learningRate, betas: betas,
                      epsilon: epsilon, weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize)
    }

    /// AdamW over explicit groups; the arguments are the defaults for options a group does not set.
    /// - Throws: ``OptimizerError`` as the container initializer.
    public init(groups: [ParameterGroup<Scalar>], learningRate: Double = 1e-3,
                betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8, weightDecay: Double = 1e-2,
                amsgrad: Bool = false, maximize: Bool = false) throws {
        defaults = ["lr": learningRate, "betas.0": betas.0, "betas.1": betas.1, "eps": epsilon,
                    "weight_decay": weightDecay, "amsgrad": Self.flag(amsgrad), "maximize": Self.flag(maximize),
                    "decoupled_weight_decay": 1]
        try validate(defaults)
        try install(groups)
    }

    /// Checks PyTorch's ranges: `lr`, `weight_decay` ≥ 0, betas in [0, 1), `eps` > 0.
    public func validate(_ options: [String: Double]) throws { try AdamKernel.validate(options) }

    /// One AdamW update of every parameter that has a gradient.
    @_specialize(where Scalar == Double) @_specialize(where Scalar == Float)
    public func step() { for group in parameterGroups { AdamKernel.step(self, group) } }
}
