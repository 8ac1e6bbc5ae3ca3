import NablaTensor

/// `xᵖ` for a scalar exponent `p`. Mirrors `torch.pow(x, p)`.
public struct PowScalar: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"powScalar"`.
    public static let name = "powScalar"
    /// The exponent.
    public let exponent: Double
    /// Creates the op with the given attributes.
    @inlinable public init(_ exponent: Double) { self.exponent = exponent }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.pow(S(exponent)) }
    /// `d/dx xᵖ = p·xᵖ⁻¹` (0 for `p = 0`, also at `x = 0`).
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> {
        if exponent == 0 { return Variable(Tensor<S>.zeros(x.shape)) }
        if exponent == 1 { return Variable(Tensor<S>.ones(x.shape)) }
        if exponent == 2 { return x * 2 }
        return x.pow(S(exponent - 1)) * S(exponent)
    }
    /// The same derivative on scalars, for the fused first-order VJP.
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S {
        // p·xᵖ⁻¹ = p·y/x away from 0.
        if exponent == 0 { return 0 }
        if x == 0 { return exponent > 1 ? 0 : (exponent == 1 ? 1 : .infinity) }
        return S(exponent) * y / x
    }
}

extension Variable {
    /// `selfᵖ` elementwise. Mirrors `torch.pow(x, p)`.
    @inlinable public func pow(_ p: Scalar) -> Variable { applying(PowScalar(Double(p))) }
}
