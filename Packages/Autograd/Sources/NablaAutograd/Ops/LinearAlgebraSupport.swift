import NablaTensor

/// Runs a LAPACK-backed forward that cannot fail for inputs a rule was recorded with (the forward
/// pass already succeeded on them), stopping with the error otherwise.
@inlinable func mustSucceed<T>(_ op: StaticString, _ body: () throws(LinearAlgebraError) -> T) -> T {
    do { return try body() } catch { preconditionFailure("\(op): \(error)") }
}

extension Variable {
    /// The matrix transpose of the last two axes (as ``transposed()``), named as in the formulas.
    @inlinable var mT: Variable { transposed() }
    /// The diagonal of each matrix as a vector `[..., n]` (differentiable: a masked sum).
    @inlinable public func diagonalPart() -> Variable {
        let n = shape[rank - 1]
        return (self * Variable(Tensor<Scalar>.eye(n))).sum(axis: -1)
    }
    /// `diag(v)`: each vector `[..., n]` of `diagonal` on the diagonal of a matrix `[..., n, n]`.
    /// Mirrors `torch.diag_embed`, spelled as `Tensor.diagonal(_:)`.
    @inlinable public static func diagonal(_ diagonal: Variable) -> Variable {
        let n = diagonal.shape[diagonal.rank - 1]
        return diagonal.unsqueezed(axis: -2) * Variable(Tensor<Scalar>.eye(n))
    }
    /// `diag(v)` of this vector; the old spelling of ``diagonal(_:)``.
    @available(*, deprecated, renamed: "Variable.diagonal(_:)", message: "use Variable.diagonal(v), the spelling Tensor shares")
    @inlinable public func diagonalMatrix() -> Variable { Variable.diagonal(self) }
    /// The trace `Σᵢ Aᵢᵢ` of each matrix. Mirrors `torch.trace` (batched).
    @inlinable public func trace() -> Variable { diagonalPart().sum(axis: -1) }
}
