/// Shape checks and LAPACK status handling shared by the linear-algebra routines.
///
/// Every routine works on a batch of matrices `[..., m, n]`: it takes a private contiguous copy
/// (LAPACK overwrites its input) and calls the per-type LAPACK hook once per matrix.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The batch shape and size of `[..., n, n]`, stopping with `op` and the shape otherwise.
    @inlinable func squareMatrixShape(_ op: StaticString) -> (batch: [Int], n: Int) {
        precondition(rank >= 2 && _shape[rank - 1] == _shape[rank - 2],
                     "\(op): expected square matrices of shape [..., n, n], got shape \(_shape)")
        return (Array(_shape.dropLast(2)), _shape[rank - 1])
    }

    /// The batch shape, rows and columns of `[..., m, n]`, stopping with `op` and the shape otherwise.
    @inlinable func matrixShape(_ op: StaticString) -> (batch: [Int], m: Int, n: Int) {
        precondition(rank >= 2, "\(op): expected matrices of shape [..., m, n], got shape \(_shape)")
        return (Array(_shape.dropLast(2)), _shape[rank - 2], _shape[rank - 1])
    }

    /// Whether `b` is a (batch of) vector(s) right-hand side for the matrices in `self`, using
    /// `torch.linalg.solve`'s rule: `b` is rank 1, or `b.shape == self.shape.dropLast()`.
    @inlinable func isVectorRightHandSide(_ b: Tensor) -> Bool {
        b.rank == 1 || (b.rank == rank - 1 && b._shape == Array(_shape.dropLast()))
    }

    /// The right-hand side of `A·X = B` (`relation` is `=` or `≈`) for the matrices in `self`:
    /// `b` as a batch of `[rows, k]` matrices (a vector right-hand side gets a trailing axis of 1),
    /// its column count, and the batch shape broadcast from `batchA` and `b`'s leading axes.
    /// Stops naming `op` and both shapes if `b` has the wrong number of rows or the batches do
    /// not broadcast.
    @inlinable func matrixRightHandSide(_ b: Tensor, rows: Int, batch batchA: [Int], op: StaticString,
                                        relation: StaticString) -> (rhs: Tensor, k: Int, batch: [Int], vector: Bool) {
        let vector = isVectorRightHandSide(b)
        let rhs = vector ? b.unsqueezed(axis: -1) : b
        precondition(rhs.rank >= 2 && rhs._shape[rhs.rank - 2] == rows,
                     "\(op): shapes \(_shape) and \(b._shape) do not fit (A·X \(relation) B needs B with \(rows) rows)")
        guard let batch = Shape.broadcast(batchA, Array(rhs._shape.dropLast(2))) else {
            preconditionFailure("\(op): batch dimensions of shapes \(_shape) and \(b._shape) do not broadcast")
        }
        return (rhs, rhs._shape[rhs.rank - 1], batch, vector)
    }
}

/// Turns a LAPACK `info` into an error: `0` passes, a negative value is `.invalidArgument`,
/// a positive one is whatever `failure` makes of it.
@inlinable func checkLAPACK(_ info: Int, op: String,
                            _ failure: (Int) -> LinearAlgebraError) throws(LinearAlgebraError) {
    if info == 0 { return }
    if info < 0 { throw LinearAlgebraError.invalidArgument(op: op, info: info) }
    throw failure(info)
}
