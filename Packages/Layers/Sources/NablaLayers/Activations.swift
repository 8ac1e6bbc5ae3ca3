import NablaTensor
import NablaAutograd

// Activation functions, as free functions on `Variable` (PyTorch's `torch.nn.functional`) and as
// parameterless layers for `Sequential` (PyTorch's `torch.nn` modules).

/// `x` where positive, `negativeSlope·x` elsewhere. Mirrors `F.leaky_relu` (default slope 0.01).
public func leakyReLU<S: TensorFloatingPoint>(_ x: Variable<S>, negativeSlope: S = 0.01) -> Variable<S> {
    // The mask comes from the value: on the whole batch at once under `vmap`.
    x.elementwiseOnBatch { x in Variable.where(x.value .> 0, x, x * negativeSlope) }
}

/// `x` where positive, `α·(eˣ − 1)` elsewhere. Mirrors `F.elu` (default `α = 1`).
public func elu<S: TensorFloatingPoint>(_ x: Variable<S>, alpha: S = 1) -> Variable<S> {
    // expm1 of the input with positives replaced by 0, so large positive inputs cannot overflow the
    // unused branch; at 0 the derivative is α, as in PyTorch.
    x.elementwiseOnBatch { x in
        let positive = x.value .> 0
        let negativePart = Variable.where(positive, Variable(Tensor<S>.zeros(x.shape)), x)
        return Variable.where(positive, x, negativePart.expm1() * alpha)
    }
}

/// How ``gelu(_:approximation:)`` evaluates the Gaussian CDF. Mirrors `approximate=` of `F.gelu`.
public enum GELUApproximation: Sendable, Equatable {
    /// `Φ(x) = ½(1 + erf(x/√2))` exactly (`approximate='none'`, the default).
    case none
    /// `½(1 + tanh(√(2/π)·(x + 0.044715·x³)))` (`approximate='tanh'`).
    case tanh
}

/// `x·Φ(x)`, the Gaussian error linear unit. Mirrors `F.gelu(x, approximate=)`.
public func gelu<S: TensorFloatingPoint>(_ x: Variable<S>, approximation: GELUApproximation = .none) -> Variable<S> {
    switch approximation {
    case .none:
        return x * ((x * S(1 / 2.0.squareRoot())).erf() + 1) * 0.5
    case .tanh:
        let inner = (x + x * x.squared() * 0.044715) * S((2 / Double.pi).squareRoot())
        return x * (inner.tanh() + 1) * 0.5
    }
}

/// `x·σ(x)` (swish). Mirrors `F.silu`.
public func silu<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x * x.sigmoid() }

/// `(1/β)·log(1 + e^{βx})`, and `x` itself where `βx > threshold`. Mirrors `F.softplus(x, beta, threshold)`.
public func softplus<S: TensorFloatingPoint>(_ x: Variable<S>, beta: S, threshold: S = 20) -> Variable<S> {
    x.elementwiseOnBatch { x in
        let bx = x * beta
        return Variable.where(bx.value .> threshold, x, bx.softplus() / beta)
    }
}

/// `max(x, 0)`. Mirrors `torch.nn.ReLU`.
public final class ReLU<Scalar: TensorFloatingPoint>: Layer {
    /// A ReLU layer.
    public init() {}
    /// `max(x, 0)` (specialized for `Float` and `Double`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { x.relu() }
}

/// `x` where positive, `negativeSlope·x` elsewhere. Mirrors `torch.nn.LeakyReLU`.
public final class LeakyReLU<Scalar: TensorFloatingPoint>: Layer {
    /// The slope for negative inputs.
    public let negativeSlope: Scalar
    /// A leaky ReLU with this slope (PyTorch's default 0.01).
    public init(negativeSlope: Scalar = 0.01) { self.negativeSlope = negativeSlope }
    /// ``leakyReLU(_:negativeSlope:)``.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { leakyReLU(x, negativeSlope: negativeSlope) }
}

/// `x` where positive, `α(eˣ − 1)` elsewhere. Mirrors `torch.nn.ELU`.
public final class ELU<Scalar: TensorFloatingPoint>: Layer {
    /// The scale of the negative part.
    public let alpha: Scalar
    /// An ELU with this `α` (default 1).
    public init(alpha: Scalar = 1) { self.alpha = alpha }
    /// ``elu(_:alpha:)``.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { elu(x, alpha: alpha) }
}

/// `x·Φ(x)`, exact or with the tanh approximation. Mirrors `torch.nn.GELU(approximate=)`.
public final class GELU<Scalar: TensorFloatingPoint>: Layer {
    /// How the CDF is evaluated.
    public let approximation: GELUApproximation
    /// A GELU layer (exact by default).
    public init(approximation: GELUApproximation = .none) { self.approximation = approximation }
    /// ``gelu(_:approximation:)``.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { gelu(x, approximation: approximation) }
}

/// `x·σ(x)`. Mirrors `torch.nn.SiLU`.
public final class SiLU<Scalar: TensorFloatingPoint>: Layer {
    /// A SiLU layer.
    public init() {}
    /// ``silu(_:)``.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { silu(x) }
}

/// `1 / (1 + e⁻ˣ)`. Mirrors `torch.nn.Sigmoid`.
public final class Sigmoid<Scalar: TensorFloatingPoint>: Layer {
    /// A sigmoid layer.
    public init() {}
    /// The logistic sigmoid.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { x.sigmoid() }
}

/// The hyperbolic tangent. Mirrors `torch.nn.Tanh`.
public final class Tanh<Scalar: TensorFloatingPoint>: Layer {
    /// A tanh layer.
    public init() {}
    /// `tanh x`.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { x.tanh() }
}

/// `(1/β)·log(1 + e^{βx})`, linear above `threshold`. Mirrors `torch.nn.Softplus(beta, threshold)`.
public final class Softplus<Scalar: TensorFloatingPoint>: Layer {
    /// The sharpness `β`.
    public let beta: Scalar
    /// Where the function switches to `x` (in units of `βx`).
    public let threshold: Scalar
    /// A softplus layer (PyTorch's defaults `β = 1`, threshold 20).
    public init(beta: Scalar = 1, threshold: Scalar = 20) { self.beta = beta; self.threshold = threshold }
    /// ``softplus(_:beta:threshold:)``.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { softplus(x, beta: beta, threshold: threshold) }
}

/// `exp(xᵢ) / Σⱼ exp(xⱼ)` along an axis. Mirrors `torch.nn.Softmax(dim)`.
public final class Softmax<Scalar: TensorFloatingPoint>: Layer {
    /// The axis normalized over.
    public let axis: Int
    /// A softmax over `axis` (default the last; PyTorch has no default).
    public init(axis: Int = -1) { self.axis = axis }
    /// The softmax, computed stably.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { x.softmax(axis: axis) }
}

/// `xᵢ − log Σⱼ exp(xⱼ)` along an axis. Mirrors `torch.nn.LogSoftmax(dim)`.
public final class LogSoftmax<Scalar: TensorFloatingPoint>: Layer {
    /// The axis normalized over.
    public let axis: Int
    /// A log-softmax over `axis` (default the last).
    public init(axis: Int = -1) { self.axis = axis }
    /// The log-softmax, computed stably.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { x.logSoftmax(axis: axis) }
}
