import NablaTensor

/// `aᵇ` elementwise with broadcasting. Mirrors `torch.pow(a, b)` with two tensors: real results for
/// a negative base with an integral exponent, `0⁰ = 1`, NaN for a negative base with a
/// non-integral exponent.
///
/// The derivatives are torch's (`pow_backward_self`, `pow_backward_exponent`):
/// `∂y/∂a = b·aᵇ⁻¹`, taken as 0 where `b = 0`; `∂y/∂b = aᵇ·log a`, taken as 0 where `a = 0` and
/// `b ≥ 0`, and NaN where `a < 0` (the real power has no derivative in the exponent there).
public struct Pow: BinaryOperator {
    /// The op's name in the registry and in messages, `"pow"`.
    public static let name = "pow"
    /// Batching rule: elementwise with broadcasting, so the operands are aligned past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, batchedA: Bool, batchedB: Bool) -> Variable<S> {
        broadcastingBatchRule(a, b, batchedA: batchedA, batchedB: batchedB) { Variable.applying(self, $0, $1) }
    }
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> { a.pow(b) }

    /// `∂y/∂a = b·aᵇ⁻¹` (broadcast shape). Where `b = 0` it is 0; the base is replaced by 1 where
    /// `b = 0` and `a` is 0 or NaN, so that `0·0⁻¹` never makes a NaN, in this rule or in its own
    /// derivative (the "double where": the masked branch stays finite).
    @inlinable static func baseDerivative<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>) -> Variable<S> {
        let unsafe = a.value.zipWith(b.value, op: "pow") { a, b in b == 0 && (a == 0 || a != a) }
        let base = unsafe.any() ? Variable.where(unsafe, Variable(Tensor<S>(1)), a) : a
        return b * base.pow(b - 1)
    }
    /// `∂y/∂b = y·log a` (broadcast shape), 0 where `a = 0` and `b ≥ 0` (there `log a` is replaced by
    /// `log 1`, the double where again), NaN where `a < 0`.
    @inlinable static func exponentDerivative<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>) -> Variable<S> {
        let zeroBase = a.value.zipWith(b.value, op: "pow") { a, b in a == 0 && b >= 0 }
        let base = zeroBase.any() ? Variable.where(zeroBase, Variable(Tensor<S>(1)), a) : a
        return y * base.log()
    }

    /// `ā = ȳ·b·aᵇ⁻¹`, `b̄ = ȳ·y·log a`, with torch's conventions at `a = 0` and `b = 0`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        (needA ? (ct * Pow.baseDerivative(a, b)).summed(to: a.shape) : nil,
         needB ? (ct * Pow.exponentDerivative(a, b, y)).summed(to: b.shape) : nil)
    }
    /// `ẏ = ȧ·b·aᵇ⁻¹ + ḃ·y·log a`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                                       _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S> {
        sumOfTangents(da.map { $0 * Pow.baseDerivative(a, b) }, db.map { $0 * Pow.exponentDerivative(a, b, y) }, shape: y.shape)
    }
}

extension Variable {
    /// `selfᵉ` elementwise with broadcasting. Mirrors `torch.pow(self, exponent)`: real results for
    /// integral exponents of any sign (also at negative bases), `0⁰ = 1`, NaN for a negative base
    /// with a non-integral exponent; derivatives as ``Pow`` describes.
    @inlinable public func pow(_ exponent: Variable) -> Variable { Variable.applying(Pow(), self, exponent) }
}
