/// The differentiable ops of NablaSampling, for the Autograd op registry (`OpRegistry`) and so
/// for `nabla gradcheck`: `sampling.lgamma`, `sampling.digamma`, `sampling.trigamma` and
/// `sampling.standard_gamma_quantile`, each with sample inputs inside its domain.
public enum SamplingOperators {
    /// The registry entries.
    public static var all: [any RegisteredOperator] {
        [
            OpEntry(LogGamma.name, samples: [[Tensor([0.3, 1.5, 7.25])]]) { $0[0].logGamma() },
            OpEntry("sampling.digamma", samples: [[Tensor([0.4, 2.5, 12.0])]]) { $0[0].digamma() },
            OpEntry("sampling.trigamma", samples: [[Tensor([0.6, 3.5, 25.0])]]) { $0[0].polygamma(1) },
            OpEntry(StandardGammaQuantile.name,
                    samples: [[Tensor([0.7, 2.5, 9.0]), Tensor([0.3, 0.55, 0.9])], [Tensor(1.8), Tensor([0.05, 0.5, 0.95])]]) {
                Variable.applying(StandardGammaQuantile(), $0[0], $0[1])
            },
        ]
    }

    /// Adds every op of ``all`` to `registry` (the shared one by default). The `nabla` tool calls
    /// this at start-up.
    public static func register(in registry: OpRegistry = .shared) {
        for op in all { registry.register(op) }
    }
}
