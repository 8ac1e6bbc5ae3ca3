/// The polygamma function `ψ⁽ⁿ⁾(x)` elementwise (`n = 0` is the digamma function), for `x > 0`.
/// Mirrors `torch.polygamma` and `torch.digamma`. Registered as `"sampling.polygamma"`; its
/// derivative is `ψ⁽ⁿ⁺¹⁾`, so derivatives of every order are available.
public struct Polygamma: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"sampling.polygamma"`.
    public static let name = "sampling.polygamma"
    /// The order `n ≥ 0` of the derivative of `ψ`.
    public let order: Int
    /// The op for `ψ⁽ᵒʳᵈᵉʳ⁾`.
    /// - Precondition: `order ≥ 0`.
    public init(order: Int) {
        precondition(order >= 0, "Polygamma: the order must be non-negative, got \(order)")
        self.order = order
    }
    /// The value, computed in Double (``SpecialFunctions/polygamma(_:_:)``).
    public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        x.map { S(SpecialFunctions.polygamma(order, Double($0))) }
    }
    /// `ψ⁽ⁿ⁺¹⁾(x)`, differentiable.
    public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> {
        x.polygamma(order + 1)
    }
    /// `ψ⁽ⁿ⁺¹⁾(x)` on one element.
    public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S {
        S(SpecialFunctions.polygamma(order + 1, Double(x)))
    }
}

extension Variable {
    /// `ψ⁽ⁿ⁾(x)` elementwise, differentiable. Mirrors `torch.polygamma(n, x)`.
    /// - Precondition: `n ≥ 0`.
    public func polygamma(_ n: Int) -> Variable { applying(Polygamma(order: n)) }
    /// The digamma function `ψ(x) = d log Γ(x)/dx` elementwise, differentiable. Mirrors `torch.digamma`.
    public func digamma() -> Variable { applying(Polygamma(order: 0)) }
}
