/// A data-dependent failure of a LAPACK-backed linear-algebra routine.
///
/// Shape mistakes (a non-square matrix given to `Tensor.inverse()`, operands that do not fit)
/// are programming errors and stop with a message instead; these errors depend on the *values*:
/// a singular matrix, a matrix that is not positive definite, an iteration that did not converge.
///
/// Indices in the messages are 1-based, as LAPACK's `info` and PyTorch's messages report them.
///
/// ```swift
/// do { _ = try a.inverse() } catch LinearAlgebraError.singular(let op, let pivot) { … }
/// ```
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The LU factorization met an exactly zero pivot `U[pivot, pivot]` (1-based), so the matrix
    /// has no inverse and `A x = b` has no unique solution.
    case singular(op: String, pivot: Int)
    /// The leading minor of order `minor` (1-based) is not positive definite, so the Cholesky
    /// factorization does not exist.
    case notPositiveDefinite(op: String, minor: Int)
    /// An iterative algorithm (eigenvalues, SVD, least squares through SVD) did not converge.
    case didNotConverge(op: String)
    /// LAPACK rejected argument number `-info`; this indicates a bug in Nabla's call, not in the data.
    case invalidArgument(op: String, info: Int)

    /// A sentence naming the operation, e.g. `"inverse: matrix is singular (zero pivot at 3)"`.
    public var description: String {
        switch self {
        case let .singular(op, pivot):
            return "\(op): matrix is singular (zero pivot at \(pivot))"
        case let .notPositiveDefinite(op, minor):
            return "\(op): leading minor \(minor) is not positive definite"
        case let .didNotConverge(op):
            return "\(op): the algorithm did not converge"
        case let .invalidArgument(op, info):
            return "\(op): LAPACK rejected argument \(-info) (info = \(info))"
        }
    }
}
