import NablaTensor

/// `det A` of each square matrix `[..., n, n]`. Mirrors `torch.linalg.det`.
/// The derivative needs `A⁻¹`, so it stops at an exactly singular matrix.
public struct Determinant: UnaryOperator {
    /// The op's name in the registry and in messages, `"det"`.
    public static let name = "det"
    /// Creates the op.
    @inlinable public init() {}
    /// Batching rule: the batched LAPACK path (leading axes are batch axes).
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(self) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.determinant() }
    /// Jacobi's formula: `Ā = d̄·d·A⁻ᵀ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let inv = mustSucceed("det (backward)") { () throws(LinearAlgebraError) in try x.inverse() }
        return (ct * y).unsqueezed(axis: -1).unsqueezed(axis: -1) * inv.mT
    }
    /// `ḋ = d·tr(A⁻¹·Ȧ)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        let inv = mustSucceed("det (jvp)") { () throws(LinearAlgebraError) in try x.inverse() }
        return y * (inv.mT * t).sum(axes: [-2, -1])
    }
}

/// `log |det A|` of each square matrix. Mirrors the second output of `torch.linalg.slogdet`.
public struct LogAbsDeterminant: UnaryOperator {
    /// The op's name in the registry and in messages, `"logAbsDet"`.
    public static let name = "logAbsDet"
    /// Creates the op.
    @inlinable public init() {}
    /// Batching rule: the batched LAPACK path (leading axes are batch axes).
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(self) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.slogdet().logAbsDet }
    /// `Ā = l̄·A⁻ᵀ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let inv = mustSucceed("slogdet (backward)") { () throws(LinearAlgebraError) in try x.inverse() }
        return ct.unsqueezed(axis: -1).unsqueezed(axis: -1) * inv.mT
    }
    /// `l̇ = tr(A⁻¹·Ȧ)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        let inv = mustSucceed("slogdet (jvp)") { () throws(LinearAlgebraError) in try x.inverse() }
        return (inv.mT * t).sum(axes: [-2, -1])
    }
}

extension Variable {
    /// The determinant of each square matrix. Mirrors `torch.linalg.det`.
    @inlinable public consuming func determinant() -> Variable { applying(Determinant()) }
    /// The sign (a constant) and `log |det A|` (differentiable) of each square matrix.
    /// Mirrors `torch.linalg.slogdet`.
    @inlinable public func slogdet() -> (sign: Tensor<Scalar>, logAbsDet: Variable) {
        let (sign, logAbsDet) = value.slogdet()
        return (sign, applying(LogAbsDeterminant(), value: logAbsDet))
    }
}
