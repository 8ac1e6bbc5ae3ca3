import NablaTensor

/// The lower Cholesky factor `L` of each symmetric positive-definite matrix, `A = L·Lᵀ`.
/// Mirrors `torch.linalg.cholesky` (only the lower triangle of `A` is read).
public struct Cholesky: UnaryOperator {
    /// The op's name in the registry and in messages, `"cholesky"`.
    public static let name = "cholesky"
    /// Creates the op.
    @inlinable public init() {}
    /// Batching rule: the batched LAPACK path (leading axes are batch axes).
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(self) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        mustSucceed("cholesky") { () throws(LinearAlgebraError) in try x.cholesky() }
    }
    /// `Φ(X)`: the lower triangle of `X` with its diagonal halved.
    @inlinable static func phi<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        let n = x.shape[x.rank - 1]
        let mask = Tensor<S>(shape: [n, n], (0..<(n * n)).map { k in k / n > k % n ? 1 : (k / n == k % n ? 0.5 : 0) })
        return x * Variable(mask)
    }
    /// `Ā = ½(G + Gᵀ)` with `G = L⁻ᵀ·Φ(Lᵀ·L̄)·L⁻¹` (Murray 2016; PyTorch's `cholesky_backward`).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let linv = mustSucceed("cholesky (backward)") { () throws(LinearAlgebraError) in try y.inverse() }
        let g = linv.mT.matmul(Cholesky.phi(y.mT.matmul(ct))).matmul(linv)
        return (g + g.mT) * 0.5
    }
    /// `L̇ = L·Φ(L⁻¹·Ȧ·L⁻ᵀ)` (for a symmetric tangent; the tangent's lower triangle is used).
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        let linv = mustSucceed("cholesky (jvp)") { () throws(LinearAlgebraError) in try y.inverse() }
        let n = t.shape[t.rank - 1]
        // LAPACK reads the lower triangle: the tangent seen is tril(Ȧ) mirrored.
        let lower = Tensor<S>(shape: [n, n], (0..<(n * n)).map { k in k / n >= k % n ? 1 : 0 })
        let strict = Tensor<S>(shape: [n, n], (0..<(n * n)).map { k in k / n > k % n ? 1 : 0 })
        let sym = t * Variable(lower) + (t * Variable(strict)).mT
        return y.matmul(Cholesky.phi(linv.matmul(sym).matmul(linv.mT)))
    }
}

extension Variable {
    /// The lower Cholesky factor. Mirrors `torch.linalg.cholesky`.
    /// - Throws: `LinearAlgebraError.notPositiveDefinite(op:minor:)`.
    @inlinable public func cholesky() throws(LinearAlgebraError) -> Variable {
        applying(Cholesky(), value: try value.cholesky())
    }
}
