extension Variable where Scalar: TensorFloatingPoint {
    /// Reparameterized standard gamma draws of shape `shape` with shape parameter `concentration`
    /// (broadcast to `shape`), differentiable in `concentration`. Mirrors `torch._standard_gamma`
    /// with its implicit gradient.
    ///
    /// The values are those of `Tensor.randomGamma` (Marsaglia–Tsang) from the same generator. When
    /// `concentration` is differentiable, each draw `x` is recorded as ``StandardGammaQuantile`` at
    /// `(α, u)` with `u = P(α, x)` held fixed, so its gradient is `dx/dα = −(∂P/∂α)/(∂P/∂x)`
    /// (Figurnov, Mohamed & Mnih 2018).
    public static func randomStandardGamma<G: PhiloxProtocol>(_ shape: [Int], concentration: Variable,
                                                              using generator: inout G) -> Variable {
        let x = Tensor<Scalar>.randomGamma(shape, alpha: concentration.value, using: &generator)
        guard concentration.isDifferentiable else { return Variable(x) }
        let alpha = concentration.expanded(to: shape)
        let u = elementwise([alpha.value, x]) { SpecialFunctions.regularizedGammaP($0[0], $0[1]) }
        return Variable.applying(StandardGammaQuantile(), alpha, Variable(u), value: x)
    }
}
