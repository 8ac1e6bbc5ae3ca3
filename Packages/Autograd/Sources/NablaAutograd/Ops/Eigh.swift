import NablaTensor

/// The ascending eigenvalues `λ` of each symmetric matrix `[..., n, n]` (lower triangle read).
/// Mirrors `torch.linalg.eigvalsh`.
public struct EighValues: UnaryOperator {
    /// The op's name in the registry and in messages, `"eigh.eigenvalues"`.
    public static let name = "eigh.eigenvalues"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        mustSucceed("eigh") { () throws(LinearAlgebraError) in try x.eigh().eigenvalues }
    }
    /// `Ā = V·diag(λ̄)·Vᵀ`, with `V` the (differentiable) eigenvectors.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let v = x.applying(EighVectors())
        return v.matmul(ct.diagonalMatrix()).matmul(v.mT)
    }
    /// `λ̇ᵢ = vᵢᵀ·Ȧ·vᵢ`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        let v = x.applying(EighVectors())
        return v.mT.matmul(t).matmul(v).diagonalPart()
    }
}

/// The orthonormal eigenvectors `V` (columns, each up to sign) of each symmetric matrix, in the
/// order of ``EighValues``. Mirrors the second output of `torch.linalg.eigh`. Derivatives assume
/// distinct eigenvalues and are meaningful only for losses that do not depend on the signs.
public struct EighVectors: UnaryOperator {
    /// The op's name in the registry and in messages, `"eigh.eigenvectors"`.
    public static let name = "eigh.eigenvectors"
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        mustSucceed("eigh") { () throws(LinearAlgebraError) in try x.eigh().eigenvectors }
    }
    /// `Fᵢⱼ = 1/(λⱼ − λᵢ)` off the diagonal, 0 on it.
    @inlinable static func f<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        let lam = x.applying(EighValues())
        let n = lam.shape[lam.rank - 1]
        let eye = Tensor<S>.eye(n)
        let diff = lam.unsqueezed(axis: -2) - lam.unsqueezed(axis: -1) + Variable(eye)   // 1 on the diagonal
        return diff.reciprocal() * Variable(1 - eye)
    }
    /// `Ā = V·(F ∘ (Vᵀ·V̄))·Vᵀ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        y.matmul(EighVectors.f(x) * y.mT.matmul(ct)).matmul(y.mT)
    }
    /// `V̇ = V·(F ∘ (Vᵀ·Ȧ·V))`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        y.matmul(EighVectors.f(x) * y.mT.matmul(t).matmul(y))
    }
}

extension Variable {
    /// Eigenvalues (ascending) and eigenvectors of each symmetric matrix, both differentiable.
    /// Mirrors `torch.linalg.eigh`.
    /// - Throws: ``LinearAlgebraError/didNotConverge(op:)`` (rare).
    @inlinable public func eigh() throws(LinearAlgebraError) -> (eigenvalues: Variable, eigenvectors: Variable) {
        let (values, vectors) = try value.eigh()
        return (applying(EighValues(), value: values), applying(EighVectors(), value: vectors))
    }
}
