/// The diagonal of matrices and its sum.
extension Tensor where Scalar: TensorNumeric {
    /// The main diagonal of each matrix in `[..., m, n]`, `[..., min(m, n)]`, as a strided view
    /// (no copy). Mirrors `torch.diagonal(A, dim1=-2, dim2=-1)` / `A.diagonal(dim1=-2, dim2=-1)`.
    ///
    /// (``diagonal(_:)`` goes the other way: it builds a matrix from a vector.)
    ///
    /// - Precondition: `self` has rank ≥ 2.
    @inlinable public func diagonalPart() -> Tensor {
        precondition(rank >= 2, "diagonalPart: expected matrices of shape [..., m, n], got shape \(_shape)")
        let k = Swift.min(_shape[rank - 2], _shape[rank - 1])
        let stride = _strides[rank - 2] + _strides[rank - 1]
        return Tensor(storage: storage, shape: Array(_shape.dropLast(2)) + [k],
                      strides: Array(_strides.dropLast(2)) + [stride], offset: _offset)
    }

    /// The trace `Σᵢ Aᵢᵢ` of each matrix in `[..., m, n]`. Mirrors `torch.trace` (which takes one
    /// matrix) batched over the leading axes, i.e. `A.diagonal(dim1=-2, dim2=-1).sum(-1)`.
    ///
    /// - Returns: the batch shape (rank 0 for one matrix).
    /// - Precondition: `self` has rank ≥ 2.
    @inlinable public func trace() -> Tensor {
        precondition(rank >= 2, "trace: expected matrices of shape [..., m, n], got shape \(_shape)")
        return diagonalPart().sum(axis: -1)
    }
}
