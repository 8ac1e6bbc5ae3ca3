#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `log Γ(x)` elementwise, for `x > 0`. Mirrors `torch.lgamma`. Registered as `"sampling.lgamma"`.
public struct LogGamma: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"sampling.lgamma"`.
    public static let name = "sampling.lgamma"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed in Double.
    public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        x.map { S(SpecialFunctions.logGamma(Double($0))) }
    }
    /// `d log Γ(x)/dx = ψ(x)`, itself differentiable (``Polygamma``).
    public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { x.digamma() }
    /// `ψ(x)` on one element.
    public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S { S(SpecialFunctions.digamma(Double(x))) }
}

extension Variable {
    /// `log Γ(x)` elementwise, differentiable (derivative `ψ(x)`). Mirrors `torch.lgamma`.
    public func logGamma() -> Variable { applying(LogGamma()) }
}
