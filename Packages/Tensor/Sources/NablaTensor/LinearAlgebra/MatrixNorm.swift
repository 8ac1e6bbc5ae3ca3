/// Which matrix norm ``Tensor/matrixNorm(_:keepingDims:)`` computes; the cases mirror the `ord`
/// values of `torch.linalg.matrix_norm`.
public enum MatrixNorm: Sendable, Hashable, CaseIterable {
    /// `‖A‖_F = √(Σᵢⱼ Aᵢⱼ²)`, the Euclidean norm of the entries (`ord='fro'`).
    case frobenius
    /// `Σ σᵢ`, the sum of singular values (`ord='nuc'`).
    case nuclear
    /// `σ_max`, the largest singular value: the operator 2-norm (`ord=2`).
    case spectral
    /// `maxⱼ Σᵢ |Aᵢⱼ|`, the largest absolute column sum: the operator 1-norm (`ord=1`).
    case maxColumnSum
    /// `maxᵢ Σⱼ |Aᵢⱼ|`, the largest absolute row sum: the operator ∞-norm (`ord=inf`).
    case maxRowSum
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// A matrix norm of each matrix in `[..., m, n]`. Mirrors `torch.linalg.matrix_norm(A, ord=…)`.
    ///
    /// ``MatrixNorm/nuclear`` and ``MatrixNorm/spectral`` take an SVD (``singularValues()``); if it
    /// fails to converge (NaN input), the result is NaN rather than an error.
    ///
    /// - Parameters:
    ///   - kind: which norm; the Frobenius norm by default, as in PyTorch.
    ///   - keepingDims: whether to keep the two matrix axes as size 1 (`keepdim=True`).
    /// - Returns: the batch shape `[...]` (rank 0 for one matrix), or `[..., 1, 1]` with `keepingDims`.
    /// - Precondition: `self` has rank ≥ 2; the SVD-based norms need `min(m, n) > 0`.
    @inlinable public func matrixNorm(_ kind: MatrixNorm = .frobenius, keepingDims: Bool = false) -> Tensor {
        let (batch, _, _) = matrixShape("matrixNorm")
        let result: Tensor
        switch kind {
        case .frobenius: result = norm(p: 2, axes: [-2, -1])
        case .maxColumnSum: result = abs().sum(axis: -2).max(axis: -1)
        case .maxRowSum: result = abs().sum(axis: -1).max(axis: -1)
        case .nuclear, .spectral:
            if let s = try? singularValues() {
                result = kind == .nuclear ? s.sum(axis: -1) : s.max(axis: -1)
            } else {
                result = Tensor(repeating: .nan, shape: batch)
            }
        }
        return keepingDims ? result.reshaped(batch + [1, 1]) : result
    }
}
