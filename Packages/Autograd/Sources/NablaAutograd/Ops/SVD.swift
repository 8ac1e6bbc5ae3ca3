import NablaTensor

/// The rules shared by the three outputs of the reduced SVD `A = U·diag(s)·Vᵀ` of a `[..., m, n]`
/// matrix (`k = min(m, n)`; `U` `[..., m, k]`, `s` `[..., k]` descending, `Vh = Vᵀ` `[..., k, n]`).
///
/// With `Ṗ = Uᵀ·Ȧ·V` and `Fᵢⱼ = 1/(sⱼ² − sᵢ²)` off the diagonal (0 on it), JAX's `svd_jvp_rule`:
///
/// - `ṡ = diag(Ṗ)`;
/// - `U̇ = U·(F ∘ (Ṗ·S + S·Ṗᵀ)) + (I − U·Uᵀ)·Ȧ·V·S⁻¹`;
/// - `V̇ = V·(F ∘ (S·Ṗ + Ṗᵀ·S)) + (I − V·Vᵀ)·Ȧᵀ·U·S⁻¹`.
///
/// Transposed (PyTorch's `svd_backward` for real matrices):
/// `Ā = U·(diag(s̄) + (F ∘ (X − Xᵀ))·S + S·(F ∘ (Y − Yᵀ)))·Vᵀ + (I − U·Uᵀ)·Ū·S⁻¹·Vᵀ + U·S⁻¹·V̄ᵀ·(I − V·Vᵀ)`
/// with `X = Uᵀ·Ū`, `Y = Vᵀ·V̄`. The `(I − UUᵀ)` terms vanish for square matrices.
///
/// The singular values' rule (`U·diag(s̄)·Vᵀ`) holds wherever they are distinct or not; the singular
/// vectors' rules need distinct singular values (`F`) and, for non-square matrices, nonzero ones
/// (`S⁻¹`): the same caveat as JAX and PyTorch. Singular vectors are defined up to a common sign
/// per pair, so only losses invariant under those signs (`U·Vh`, `U ∘ U`, projections) have a
/// meaningful derivative.
@usableFromInline enum SVDRules {
    /// `U`, `s`, `Vh` of `x`, recorded as three outputs of one LAPACK call, or of none when the
    /// op that asks was recorded with the factors of `x` (`cache`): rules then cost no new SVD.
    @inlinable static func factors<S: TensorFloatingPoint>(_ x: Variable<S>, cache: Any? = nil)
        -> (u: Variable<S>, s: Variable<S>, vh: Variable<S>) {
        let f: Factors<S>
        if let c = cache as? Factors<S> { f = c } else {
            f = Factors(mustSucceed("svd") { () throws(LinearAlgebraError) in try x.value.svd() })
        }
        return record(x, f)
    }

    /// The three factors as one value, kept by each output's op for its rules.
    @usableFromInline final class Factors<S: TensorFloatingPoint> {
        @usableFromInline let u: Tensor<S>, s: Tensor<S>, vh: Tensor<S>
        @inlinable init(_ f: (U: Tensor<S>, S: Tensor<S>, Vh: Tensor<S>)) { (u, s, vh) = f }
    }

    /// Records the three outputs of `x` from known factors.
    @inlinable static func record<S: TensorFloatingPoint>(_ x: Variable<S>, _ f: Factors<S>) -> (u: Variable<S>, s: Variable<S>, vh: Variable<S>) {
        (x.applying(SVDFactorU(cache: f), value: f.u), x.applying(SVDValues(cache: f), value: f.s),
         x.applying(SVDFactorVh(cache: f), value: f.vh))
    }

    /// `F`: `1/(sⱼ² − sᵢ²)` off the diagonal, 0 on it (infinite for repeated singular values).
    @inlinable static func f<S: TensorFloatingPoint>(_ s: Variable<S>) -> Variable<S> {
        let n = s.shape[s.rank - 1]
        let eye = Tensor<S>.eye(n)
        let sq = s.squared()
        let diff = sq.unsqueezed(axis: -2) - sq.unsqueezed(axis: -1) + Variable(eye)   // 1 on the diagonal
        return diff.reciprocal() * Variable(1 - eye)
    }

    /// `I − B·Bᵀ` applied on the left: `M − B·(Bᵀ·M)`.
    @inlinable static func complement<S: TensorFloatingPoint>(_ b: Variable<S>, _ m: Variable<S>) -> Variable<S> {
        m - b.matmul(b.mT.matmul(m))
    }

    /// `(ṡ, U̇, V̇h)` for the tangent `t`.
    @inlinable static func jvp<S: TensorFloatingPoint>(_ u: Variable<S>, _ s: Variable<S>, _ vh: Variable<S>, _ t: Variable<S>)
        -> (s: Variable<S>, u: Variable<S>, vh: Variable<S>) {
        let m = u.shape[u.rank - 2], n = vh.shape[vh.rank - 1], k = s.shape[s.rank - 1]
        let v = vh.mT
        let p = u.mT.matmul(t).matmul(v)
        let ds = p.diagonalPart()
        let f = f(s)
        let sRow = s.unsqueezed(axis: -2), sCol = s.unsqueezed(axis: -1)   // ·S on the right, S· on the left
        var du = u.matmul(f * (p * sRow + (p * sRow).mT))
        var dv = v.matmul(f * (sCol * p + (sCol * p).mT))
        if m > k { du = du + complement(u, t.matmul(v)) / sRow }
        if n > k { dv = dv + complement(v, t.mT.matmul(u)) / sRow }
        return (ds, du, dv.mT)
    }

    /// `Ā` for cotangents of `s`, `U` and `Vh` (each may be absent: zero).
    @inlinable static func vjp<S: TensorFloatingPoint>(_ u: Variable<S>, _ s: Variable<S>, _ vh: Variable<S>,
                                                       sBar: Variable<S>?, uBar: Variable<S>?, vhBar: Variable<S>?) -> Variable<S> {
        let m = u.shape[u.rank - 2], n = vh.shape[vh.rank - 1], k = s.shape[s.rank - 1]
        let v = vh.mT
        let sRow = s.unsqueezed(axis: -2), sCol = s.unsqueezed(axis: -1)
        var inner: Variable<S>? = sBar.map { Variable.diagonal($0) }
        func add(_ a: Variable<S>?, _ b: Variable<S>) -> Variable<S> { a.map { $0 + b } ?? b }
        var outer: Variable<S>? = nil
        if let ub = uBar {
            let x = u.mT.matmul(ub)
            inner = add(inner, (f(s) * (x - x.mT)) * sRow)
            if m > k { outer = add(outer, complement(u, ub / sRow).matmul(vh)) }
        }
        if let vb = vhBar?.mT {
            let y = v.mT.matmul(vb)
            inner = add(inner, sCol * (f(s) * (y - y.mT)))
            if n > k { outer = add(outer, u.matmul(complement(v, vb / sRow).mT)) }
        }
        guard let core = inner else { preconditionFailure("svd: vjp without a cotangent") }
        return add(outer, u.matmul(core).matmul(vh))
    }
}

/// The singular values `s` `[..., k]` (descending, `k = min(m, n)`) of each `[..., m, n]` matrix.
/// Mirrors `torch.linalg.svdvals`. `Ā = U·diag(s̄)·Vᵀ`, `ṡ = diag(Uᵀ·Ȧ·V)` (rules in `SVDRules`).
public struct SVDValues: UnaryOperator {
    /// The op's name in the registry and in messages, `"svd.S"`.
    public static let name = "svd.S"
    /// The factors of the input this op was recorded with (so that rules need no new SVD), if known.
    @usableFromInline let cache: Any?
    /// Creates the op.
    @inlinable public init() { cache = nil }
    /// The op recorded with the factors of its input.
    @inlinable init(cache: Any?) { self.cache = cache }
    /// Batching rule: the batched LAPACK path (leading axes are batch axes), computed afresh for the batch.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(Self(cache: nil)) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        mustSucceed("svd") { () throws(LinearAlgebraError) in try x.singularValues() }
    }
    /// `Ā = U·diag(s̄)·Vᵀ`, with `U` and `V` differentiable (for second derivatives).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let (u, _, vh) = SVDRules.factors(x, cache: cache)
        return u.matmul(Variable.diagonal(ct)).matmul(vh)
    }
    /// `ṡ = diag(Uᵀ·Ȧ·V)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        let (u, _, vh) = SVDRules.factors(x, cache: cache)
        return u.mT.matmul(t).matmul(vh.mT).diagonalPart()
    }
}

/// The left singular vectors `U` `[..., m, k]` (columns, each up to sign) of the reduced SVD.
/// Mirrors `torch.linalg.svd(A, full_matrices=False).U`. Derivatives need distinct (and, for
/// non-square matrices, nonzero) singular values; rules in `SVDRules`.
public struct SVDFactorU: UnaryOperator {
    /// The op's name in the registry and in messages, `"svd.U"`.
    public static let name = "svd.U"
    /// The factors of the input this op was recorded with (so that rules need no new SVD), if known.
    @usableFromInline let cache: Any?
    /// Creates the op.
    @inlinable public init() { cache = nil }
    /// The op recorded with the factors of its input.
    @inlinable init(cache: Any?) { self.cache = cache }
    /// Batching rule: the batched LAPACK path (leading axes are batch axes), computed afresh for the batch.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(Self(cache: nil)) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        mustSucceed("svd") { () throws(LinearAlgebraError) in try x.svd().U }
    }
    /// `Ā = U·(F ∘ (X − Xᵀ))·S·Vᵀ + (I − UUᵀ)·Ū·S⁻¹·Vᵀ`, `X = Uᵀ·Ū`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let (_, s, vh) = SVDRules.factors(x, cache: cache)
        return SVDRules.vjp(y, s, vh, sBar: nil, uBar: ct, vhBar: nil)
    }
    /// `U̇ = U·(F ∘ (Ṗ·S + S·Ṗᵀ)) + (I − UUᵀ)·Ȧ·V·S⁻¹`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        let (_, s, vh) = SVDRules.factors(x, cache: cache)
        return SVDRules.jvp(y, s, vh, t).u
    }
}

/// The right singular vectors as rows, `Vh = Vᵀ` `[..., k, n]` (each up to sign), of the reduced
/// SVD. Mirrors `torch.linalg.svd(A, full_matrices=False).Vh`. Derivatives need distinct (and,
/// for non-square matrices, nonzero) singular values; rules in `SVDRules`.
public struct SVDFactorVh: UnaryOperator {
    /// The op's name in the registry and in messages, `"svd.Vh"`.
    public static let name = "svd.Vh"
    /// The factors of the input this op was recorded with (so that rules need no new SVD), if known.
    @usableFromInline let cache: Any?
    /// Creates the op.
    @inlinable public init() { cache = nil }
    /// The op recorded with the factors of its input.
    @inlinable init(cache: Any?) { self.cache = cache }
    /// Batching rule: the batched LAPACK path (leading axes are batch axes), computed afresh for the batch.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(Self(cache: nil)) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        mustSucceed("svd") { () throws(LinearAlgebraError) in try x.svd().Vh }
    }
    /// `Ā = U·S·(F ∘ (Y − Yᵀ))·Vᵀ + U·S⁻¹·V̄ᵀ·(I − VVᵀ)`, `Y = Vᵀ·V̄`, `V̄ = V̄hᵀ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let (u, s, _) = SVDRules.factors(x, cache: cache)
        return SVDRules.vjp(u, s, y, sBar: nil, uBar: nil, vhBar: ct)
    }
    /// `V̇h = V̇ᵀ`, `V̇ = V·(F ∘ (S·Ṗ + Ṗᵀ·S)) + (I − VVᵀ)·Ȧᵀ·U·S⁻¹`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        let (u, s, _) = SVDRules.factors(x, cache: cache)
        return SVDRules.jvp(u, s, y, t).vh
    }
}

extension Variable {
    /// The reduced singular value decomposition `A = U·diag(S)·Vh` of each `[..., m, n]` matrix,
    /// all three factors differentiable. Mirrors `torch.linalg.svd(A, full_matrices=False)`.
    ///
    /// `S`'s derivative `U·diag(S̄)·Vh` holds everywhere the SVD is computed; `U`'s and `Vh`'s need
    /// distinct singular values (and nonzero ones for non-square `A`), as in JAX and PyTorch, and
    /// are meaningful only for losses invariant under the sign of each singular-vector pair.
    /// The full form (`full_matrices=True`) is not differentiable (as in PyTorch).
    ///
    /// - Returns: `U` `[..., m, k]`, `S` `[..., k]` descending, `Vh` `[..., k, n]`, `k = min(m, n)`.
    /// - Throws: `LinearAlgebraError.didNotConverge(op:)` if LAPACK's iteration fails.
    /// - Precondition: `fullMatrices` is `false` (the parameter is there so that calls read as
    ///   `Tensor.svd(fullMatrices:)` does).
    @inlinable public func svd(fullMatrices: Bool = false) throws(LinearAlgebraError) -> (U: Variable, S: Variable, Vh: Variable) {
        precondition(!fullMatrices, "svd: fullMatrices: true is not differentiable (as in PyTorch); use the reduced SVD, or Tensor.svd(fullMatrices: true) on the value")
        let f = SVDRules.Factors(try value.svd())
        let (u, s, vh) = SVDRules.record(self, f)
        return (u, s, vh)
    }

    /// The singular values of each matrix `[..., m, n]`, descending (`[..., min(m, n)]`), from LAPACK's
    /// SVD; differentiable with `Ā = U·diag(s̄)·Vᵀ` (second derivatives need distinct singular values).
    /// Mirrors `torch.linalg.svdvals`.
    /// - Throws: `LinearAlgebraError.didNotConverge(op:)` if LAPACK's iteration fails.
    @inlinable public func singularValues() throws(LinearAlgebraError) -> Variable {
        applying(SVDValues(), value: try value.singularValues())
    }
}
