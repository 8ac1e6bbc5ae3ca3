import NablaTensor

/// `aᵇ` elementwise with broadcasting, for `a > 0`. Mirrors `torch.pow(a, b)` with two tensors.
public struct Pow: BinaryOperator {
    /// The op's name in the registry and in messages, `"pow"`.
    public static let name = "pow"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> { a.pow(b) }
    /// `ā = ȳ·b·aᵇ⁻¹ = ȳ·b·y/a`, `b̄ = ȳ·y·log a`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        (needA ? (ct * b * y / a).summed(to: a.shape) : nil, needB ? (ct * y * a.log()).summed(to: b.shape) : nil)
    }
    /// `ẏ = ȧ·b·y/a + ḃ·y·log a`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                                       _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S> {
        sumOfTangents(da.map { $0 * b * y / a }, db.map { $0 * y * a.log() }, shape: y.shape)
    }
}

extension Variable {
    /// `selfᵉ` elementwise with broadcasting (`self > 0`). Mirrors `torch.pow`.
    @inlinable public func pow(_ exponent: Variable) -> Variable { Variable.applying(Pow(), self, exponent) }
}
