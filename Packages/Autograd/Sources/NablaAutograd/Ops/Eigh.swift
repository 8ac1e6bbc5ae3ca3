import NablaTensor

/// Eigenvalues and eigenvectors of one input as one value, kept by each output's op so that the
/// rules of one output reuse the other instead of calling `eigh` again.
@usableFromInline final class EighFactors<S: TensorFloatingPoint> {
    @usableFromInline let values: Tensor<S>, vectors: Tensor<S>
    @inlinable init(_ f: (eigenvalues: Tensor<S>, eigenvectors: Tensor<S>)) { (values, vectors) = f }

    /// Both outputs of `x`, recorded from `cache` when it holds `x`'s decomposition, else from a new `eigh`.
    @inlinable static func record(_ x: Variable<S>, cache: Any?) -> (values: Variable<S>, vectors: Variable<S>) {
        let f = cache as? EighFactors<S> ?? EighFactors(mustSucceed("eigh") { () throws(LinearAlgebraError) in try x.value.eigh() })
        return (x.applying(EighValues(cache: f), value: f.values), x.applying(EighVectors(cache: f), value: f.vectors))
    }
}

/// The ascending eigenvalues `λ` of each symmetric matrix `[..., n, n]` (lower triangle read).
/// Mirrors `torch.linalg.eigvalsh`.
public struct EighValues: UnaryOperator {
    /// The op's name in the registry and in messages, `"eigh.eigenvalues"`.
    public static let name = "eigh.eigenvalues"
    /// The eigen-decomposition of the input this op was recorded with (so that rules need no new
    /// `eigh`), if known.
    @usableFromInline let cache: Any?
    /// Creates the op.
    @inlinable public init() { cache = nil }
    /// The op recorded with the decomposition of its input.
    @inlinable init(cache: Any?) { self.cache = cache }
    /// Batching rule: the batched LAPACK path (leading axes are batch axes), computed afresh for the batch.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(Self(cache: nil)) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        mustSucceed("eigh") { () throws(LinearAlgebraError) in try x.eigh().eigenvalues }
    }
    /// `Ā = V·diag(λ̄)·Vᵀ`, with `V` the (differentiable) eigenvectors.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let v = EighFactors.record(x, cache: cache).vectors
        return v.matmul(Variable.diagonal(ct)).matmul(v.mT)
    }
    /// `λ̇ᵢ = vᵢᵀ·Ȧ·vᵢ`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        let v = EighFactors.record(x, cache: cache).vectors
        return v.mT.matmul(t).matmul(v).diagonalPart()
    }
}

/// The orthonormal eigenvectors `V` (columns, each up to sign) of each symmetric matrix, in the
/// order of ``EighValues``. Mirrors the second output of `torch.linalg.eigh`. Derivatives assume
/// distinct eigenvalues and are meaningful only for losses that do not depend on the signs.
public struct EighVectors: UnaryOperator {
    /// The op's name in the registry and in messages, `"eigh.eigenvectors"`.
    public static let name = "eigh.eigenvectors"
    /// The eigen-decomposition of the input this op was recorded with (so that rules need no new
    /// `eigh`), if known.
    @usableFromInline let cache: Any?
    /// Creates the op.
    @inlinable public init() { cache = nil }
    /// The op recorded with the decomposition of its input.
    @inlinable init(cache: Any?) { self.cache = cache }
    /// Batching rule: the batched LAPACK path (leading axes are batch axes), computed afresh for the batch.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(Self(cache: nil)) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        mustSucceed("eigh") { () throws(LinearAlgebraError) in try x.eigh().eigenvectors }
    }
    /// `Fᵢⱼ = 1/(λⱼ − λᵢ)` off the diagonal, 0 on it.
    @inlinable func f<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        let lam = EighFactors.record(x, cache: cache).values
        let n = lam.shape[lam.rank - 1]
        let eye = Tensor<S>.eye(n)
        let diff = lam.unsqueezed(axis: -2) - lam.unsqueezed(axis: -1) + Variable(eye)   // 1 on the diagonal
        return diff.reciprocal() * Variable(1 - eye)
    }
    /// `Ā = V·(F ∘ (Vᵀ·V̄))·Vᵀ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        y.matmul(f(x) * y.mT.matmul(ct)).matmul(y.mT)
    }
    /// `V̇ = V·(F ∘ (Vᵀ·Ȧ·V))`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        y.matmul(f(x) * y.mT.matmul(t).matmul(y))
    }
}

extension Variable {
    /// Eigenvalues (ascending) and eigenvectors of each symmetric matrix, both differentiable.
    /// Mirrors `torch.linalg.eigh`.
    /// - Throws: `LinearAlgebraError.didNotConverge(op:)` (rare).
    @inlinable public func eigh() throws(LinearAlgebraError) -> (eigenvalues: Variable, eigenvectors: Variable) {
        let f = EighFactors(try value.eigh())
        let (values, vectors) = EighFactors.record(self, cache: f)
        return (values, vectors)
    }
}
