import NablaTensor

/// `xᵖ` for a scalar exponent `p`. Mirrors `torch.pow(x, p)`: real results for a negative base
/// with an integral `p`, `x⁰ = 1`, NaN for a negative base with a non-integral `p`.
public struct PowScalar: ElementwiseOperator {
    /// The op's name in the registry and in messages, `"powScalar"`.
    public static let name = "powScalar"
    /// The exponent.
    public let exponent: Double
    /// Creates the op with the given attributes.
    @inlinable public init(_ exponent: Double) { self.exponent = exponent }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.pow(S(exponent)) }
    /// `d/dx xᵖ = p·xᵖ⁻¹`, as torch computes it (so `-inf` at `x = 0` for `p < 0`, `+inf` for
    /// `0 < p < 1`, and 0 everywhere for `p = 0`); at negative `x` it is real for integral `p`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> {
        if exponent == 0 { return Variable(Tensor<S>.zeros(x.shape)) }
        if exponent == 1 { return Variable(Tensor<S>.ones(x.shape)) }
        if exponent == 2 { return x * 2 }
        return x.pow(S(exponent - 1)) * S(exponent)
    }
    /// The same derivative on scalars, for the fused first-order VJP: `p·xᵖ⁻¹` by C's `pow`
    /// (not `p·y/x`, which is NaN at 0 and wrong where `y` overflows or underflows but `xᵖ⁻¹` does not).
    @inlinable public func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S {
        switch exponent {
        case 0: return 0
        case 1: return 1
        case 2: return 2 * x
        case 3: return 3 * (x * x)
        default: return S(exponent) * S.power(x, S(exponent - 1))
        }
    }
    /// `ȳ·f′(x)` written over the cotangent's buffer when unshared (the first-order reverse sweep).
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        formElementwiseVJPValue(x, y, &cotangent)
    }
}

extension Variable {
    /// `selfᵖ` elementwise. Mirrors `torch.pow(x, p)`: real results for integral `p` at negative
    /// `x`, `x⁰ = 1`, NaN for a negative base with a non-integral `p`.
    @inlinable public func pow(_ p: Scalar) -> Variable { applying(PowScalar(Double(p))) }
}
