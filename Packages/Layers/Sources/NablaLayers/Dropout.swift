import NablaTensor
import NablaAutograd

/// In training, zeroes each element with probability `p` and scales the rest by `1/(1 − p)`; in
/// evaluation, passes the input through. Mirrors `torch.nn.Dropout(p)`.
///
/// The masks come from the layer's own `PhiloxGenerator`, so a seeded model drops the same
/// elements on every run. They are drawn with `Variable.randomBernoulli(_:probability:using:)`,
/// so under `vmap` element `i` gets the mask of `generator.stream(i)`: `vmap(dropout)(x)[i]`
/// equals `dropout(x[i])` run with that stream, whatever the batch size (per-sample gradients of a
/// model with dropout are those of each sample alone).
public final class Dropout<Scalar: TensorFloatingPoint>: Layer {
    /// The probability of zeroing an element.
    public let p: Scalar
    /// The generator the masks are drawn from.
    public var generator: PhiloxGenerator
    /// Whether the layer drops (training) or passes through (evaluation).
    public var isTraining = true

    /// A dropout layer drawing its masks from `generator`.
    /// - Precondition: `0 ≤ p ≤ 1`.
    public init(p: Scalar = 0.5, generator: PhiloxGenerator) {
        precondition(p >= 0 && p <= 1, "Dropout: probability must be in [0, 1], got \(p)")
        self.p = p
        self.generator = generator
    }

    /// A dropout layer whose generator is split off the default generator.
    public convenience init(p: Scalar = 0.5) {
        var d = DefaultGenerator()
        self.init(p: p, generator: PhiloxGenerator(seed: d.next()))
    }

    /// The input with dropped elements in training; the input itself in evaluation (or when `p` is 0).
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        guard isTraining, p > 0 else { return x }
        if p == 1 { return x * Variable(Tensor<Scalar>.zeros(x.shape)) }
        // 1 where the uniform draw u < p (dropped): kept where u ≥ p, scaled by 1/(1 − p).
        let dropped = Variable<Scalar>.randomBernoulli(x.shape, probability: p, using: &generator)
        return x * ((1 - dropped) * (1 / (1 - p)))
    }
}
