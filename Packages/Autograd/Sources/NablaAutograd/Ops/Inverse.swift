import NablaTensor

/// The inverse `Y = A⁻¹` of each square matrix `[..., n, n]`. Mirrors `torch.linalg.inv`.
public struct Inverse: UnaryOperator {
    /// The op's name in the registry and in messages, `"inverse"`.
    public static let name = "inverse"
    /// Creates the op.
    @inlinable public init() {}
    /// Batching rule: the batched LAPACK path (leading axes are batch axes).
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(self) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        mustSucceed("inverse") { () throws(LinearAlgebraError) in try x.inverse() }
    }
    /// `Ā = −Yᵀ·Ȳ·Yᵀ` (from `dY = −Y·dA·Y`).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        -(y.mT.matmul(ct).matmul(y.mT))
    }
    /// `Ẏ = −Y·Ȧ·Y`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        -(y.matmul(t).matmul(y))
    }
}

extension Variable {
    /// The inverse of each square matrix. Mirrors `torch.linalg.inv`.
    /// - Throws: `LinearAlgebraError.singular(op:pivot:)` for a singular matrix.
    @inlinable public func inverse() throws(LinearAlgebraError) -> Variable {
        applying(Inverse(), value: try value.inverse())
    }
}
