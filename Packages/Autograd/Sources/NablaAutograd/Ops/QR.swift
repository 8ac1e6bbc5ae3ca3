import NablaTensor

/// The rules shared by the two outputs of the reduced QR factorization `A = Q·R` of a full-rank
/// `[..., m, n]` matrix with `m ≥ n` (`Q` `[..., m, n]` with orthonormal columns, `R` `[..., n, n]`
/// upper triangular with the signs LAPACK's Householder QR gives, which are locally constant).
///
/// With `C = Qᵀ·Ȧ·R⁻¹` and `Ω = tril(C, −1) − tril(C, −1)ᵀ` (skew):
/// `Q̇ = Q·(Ω − C) + Ȧ·R⁻¹`, `Ṙ = (C − Ω)·R` (JAX's `qr_jvp_rule`). Transposing,
/// with `G = R̄·Rᵀ − Qᵀ·Q̄` and `C̄ = triu(G) + triu(G, 1)ᵀ`: `Ā = (Q̄ + Q·C̄)·R⁻ᵀ`
/// (PyTorch's `linalg_qr_backward` for `m ≥ n`). Both need `R` invertible (full column rank).
@usableFromInline enum QRRules {
    /// `Q` and `R` of `x`, recorded as two outputs of one LAPACK call, or of none when the op that
    /// asks was recorded with the factors of `x` (`cache`).
    @inlinable static func factors<S: TensorFloatingPoint>(_ x: Variable<S>, cache: Any? = nil) -> (q: Variable<S>, r: Variable<S>) {
        let f = cache as? Factors<S> ?? Factors(x.value.qr())
        return (x.applying(QRFactorQ(cache: f), value: f.q), x.applying(QRFactorR(cache: f), value: f.r))
    }

    /// The two factors as one value, kept by each output's op for its rules.
    @usableFromInline final class Factors<S: TensorFloatingPoint> {
        @usableFromInline let q: Tensor<S>, r: Tensor<S>
        @inlinable init(_ f: (Q: Tensor<S>, R: Tensor<S>)) { (q, r) = f }
    }

    /// Stops unless the derivative is defined for this shape.
    @inlinable static func checkShape(_ shape: [Int]) {
        precondition(shape.count >= 2 && shape[shape.count - 2] >= shape[shape.count - 1],
                     "qr: derivatives need a [..., m, n] matrix with m >= n (reduced QR of a tall or square matrix), got shape \(shape)")
    }

    /// A `[n, n]` mask: 1 where `keep(row, column)`.
    @inlinable static func mask<S: TensorFloatingPoint>(_ n: Int, _ keep: (Int, Int) -> Bool) -> Variable<S> {
        Variable(Tensor<S>(shape: [n, n], (0..<(n * n)).map { k in keep(k / n, k % n) ? 1 : 0 }))
    }

    /// `B·R⁻¹` as a solve: `(R⁻ᵀ·Bᵀ)ᵀ`.
    @inlinable static func timesInverse<S: TensorFloatingPoint>(_ b: Variable<S>, _ r: Variable<S>) -> Variable<S> {
        Variable.applying(Solve(), r.mT, b.mT).mT
    }

    /// `B·R⁻ᵀ` as a solve: `(R⁻¹·Bᵀ)ᵀ`.
    @inlinable static func timesInverseTranspose<S: TensorFloatingPoint>(_ b: Variable<S>, _ r: Variable<S>) -> Variable<S> {
        Variable.applying(Solve(), r, b.mT).mT
    }

    /// `(Q̇, Ṙ)` for the tangent `t`.
    @inlinable static func jvp<S: TensorFloatingPoint>(_ q: Variable<S>, _ r: Variable<S>, _ t: Variable<S>)
        -> (q: Variable<S>, r: Variable<S>) {
        checkShape(t.shape)
        let n = r.shape[r.rank - 1]
        let tRinv = timesInverse(t, r)
        let c = q.mT.matmul(tRinv)
        let lower = c * mask(n) { $0 > $1 }
        let omegaMinusC = lower - lower.mT - c
        return (q.matmul(omegaMinusC) + tRinv, -omegaMinusC.matmul(r))
    }

    /// `Ā` for cotangents `Q̄` and `R̄` (either may be absent: zero).
    @inlinable static func vjp<S: TensorFloatingPoint>(_ q: Variable<S>, _ r: Variable<S>,
                                                       _ qBar: Variable<S>?, _ rBar: Variable<S>?) -> Variable<S> {
        checkShape(q.shape)
        let n = r.shape[r.rank - 1]
        var g: Variable<S>
        switch (qBar, rBar) {
        case let (qb?, rb?): g = rb.matmul(r.mT) - q.mT.matmul(qb)
        case let (qb?, nil): g = -q.mT.matmul(qb)
        case let (nil, rb?): g = rb.matmul(r.mT)
        case (nil, nil): preconditionFailure("qr: vjp without a cotangent")
        }
        let cBar = g * mask(n) { $0 <= $1 } + (g * mask(n) { $0 < $1 }).mT
        var z = q.matmul(cBar)
        if let qb = qBar { z = z + qb }
        return timesInverseTranspose(z, r)
    }
}

/// The orthonormal factor `Q` `[..., m, n]` of the reduced QR factorization of a full-rank
/// `[..., m, n]` matrix, `m ≥ n` (``Variable/qr()`` composes the wide case from it).
/// Mirrors `torch.linalg.qr(A).Q`. Rules in `QRRules`.
public struct QRFactorQ: UnaryOperator {
    /// The op's name in the registry and in messages, `"qr.Q"`.
    public static let name = "qr.Q"
    /// The factors of the input this op was recorded with (so that rules need no new QR), if known.
    @usableFromInline let cache: Any?
    /// Creates the op.
    @inlinable public init() { cache = nil }
    /// The op recorded with the factors of its input.
    @inlinable init(cache: Any?) { self.cache = cache }
    /// Batching rule: the batched LAPACK path (leading axes are batch axes), computed afresh for the batch.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(Self(cache: nil)) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.qr().Q }
    /// `Ā = Q̄·R⁻ᵀ + Q·C̄·R⁻ᵀ` with `R̄ = 0`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        QRRules.vjp(y, QRRules.factors(x, cache: cache).r, ct, nil)
    }
    /// `Q̇ = Q·(Ω − C) + Ȧ·R⁻¹`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        QRRules.jvp(y, QRRules.factors(x, cache: cache).r, t).q
    }
}

/// The upper-triangular factor `R` `[..., n, n]` of the reduced QR factorization of a full-rank
/// `[..., m, n]` matrix, `m ≥ n` (``Variable/qr()`` composes the wide case from it).
/// Mirrors `torch.linalg.qr(A).R`. Rules in `QRRules`.
public struct QRFactorR: UnaryOperator {
    /// The op's name in the registry and in messages, `"qr.R"`.
    public static let name = "qr.R"
    /// The factors of the input this op was recorded with (so that rules need no new QR), if known.
    @usableFromInline let cache: Any?
    /// Creates the op.
    @inlinable public init() { cache = nil }
    /// The op recorded with the factors of its input.
    @inlinable init(cache: Any?) { self.cache = cache }
    /// Batching rule: the batched LAPACK path (leading axes are batch axes), computed afresh for the batch.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(Self(cache: nil)) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.qr().R }
    /// `Ā = Q·C̄·R⁻ᵀ` with `Q̄ = 0`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        QRRules.vjp(QRRules.factors(x, cache: cache).q, y, nil, ct)
    }
    /// `Ṙ = (C − Ω)·R`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        QRRules.jvp(QRRules.factors(x, cache: cache).q, y, t).r
    }
}

extension Variable {
    /// The reduced QR factorization `A = Q·R` of each `[..., m, n]` matrix, both factors
    /// differentiable. Mirrors `torch.linalg.qr(A, mode='reduced')`.
    ///
    /// For `m ≥ n` the primitives ``QRFactorQ`` and ``QRFactorR`` apply (`A` must have full column
    /// rank). For a wide matrix `A = [X | Y]` with `X` the first `m` columns, Householder QR gives
    /// `Q, R₁ = qr(X)` and `R = [R₁ | Qᵀ·Y]`, composed here from the square case, so `X` must be
    /// invertible (PyTorch's condition for `m < n`).
    ///
    /// - Returns: `Q` `[..., m, k]` with orthonormal columns and `R` `[..., k, n]` upper
    ///   triangular, `k = min(m, n)`; the diagonal of `R` may be negative (LAPACK's signs, as NumPy).
    @inlinable public func qr() -> (Q: Variable, R: Variable) {
        precondition(rank >= 2, "qr: expected matrices [..., m, n], got shape \(shape)")
        let m = shape[rank - 2], n = shape[rank - 1]
        if m < n && m > 0 {
            let parts = split(sizes: [m, n - m], axis: -1)
            let (q, r1) = QRRules.factors(parts[0])
            return (q, concatenate([r1, q.mT.matmul(parts[1])], axis: -1))
        }
        let (q, r) = QRRules.factors(self)
        return (q, r)
    }
}
