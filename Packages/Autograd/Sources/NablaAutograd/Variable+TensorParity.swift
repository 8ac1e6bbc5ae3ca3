import NablaTensor

/// The remaining `Tensor` API on `Variable`, as composites of differentiable primitives (no rules of
/// their own): every overload a `Tensor` user reaches for has the same spelling here.
extension Variable {
    /// Reverses the order of elements along one axis. Mirrors `torch.flip(x, [axis])`.
    @inlinable public func flipped(axis: Int) -> Variable { flipped(axes: [axis]) }

    /// The tensor repeated `multiples[i]` times along each axis. Mirrors `torch.Tensor.repeat`.
    @inlinable public func tiled(_ multiples: Int...) -> Variable { tiled(multiples) }

    /// Sample variance along one axis with Bessel's `correction`. Mirrors `torch.var(x, axis)`.
    @inlinable public func variance(axis: Int, correction: Int = 1, keepingDims: Bool = false) -> Variable {
        variance(axes: [axis], correction: correction, keepingDims: keepingDims)
    }

    /// Standard deviation along one axis with Bessel's `correction`. Mirrors `torch.std(x, axis)`.
    @inlinable public func standardDeviation(axis: Int, correction: Int = 1, keepingDims: Bool = false) -> Variable {
        standardDeviation(axes: [axis], correction: correction, keepingDims: keepingDims)
    }

    /// The `p`-norm along one axis. Mirrors `torch.linalg.vector_norm(x, p, dim=axis)`.
    @inlinable public func norm(p: Scalar = 2, axis: Int, keepingDims: Bool = false) -> Variable {
        norm(p: p, axes: [axis], keepingDims: keepingDims)
    }

    /// Clamps from below: `max(x, lower)`; the gradient is 0 where clamped and at `lower` itself.
    /// Mirrors `torch.clamp(min:)`.
    @inlinable public func clamped(min lower: Scalar) -> Variable {
        elementwiseOnBatch { x in Variable.where(x.value.map { $0 > lower }, x, Variable(x.value.clamped(min: lower))) }
    }

    /// Clamps from above: `min(x, upper)`; the gradient is 0 where clamped and at `upper` itself.
    /// Mirrors `torch.clamp(max:)`.
    @inlinable public func clamped(max upper: Scalar) -> Variable {
        elementwiseOnBatch { x in Variable.where(x.value.map { $0 < upper }, x, Variable(x.value.clamped(max: upper))) }
    }

    /// `log(1 + eˣ)`, and `x` itself where `x > threshold` (derivative 1 there), as
    /// `torch.nn.functional.softplus(x, beta=1, threshold=threshold)`.
    @inlinable public func softplus(threshold: Scalar) -> Variable {
        elementwiseOnBatch { x in Variable.where(x.value.map { $0 > threshold }, x, x.softplus()) }
    }

    /// `pieces` slices of (nearly) equal size along `axis`, the first ones one longer when the axis
    /// does not divide evenly. Mirrors `numpy.array_split(x, pieces, axis)` (as `Tensor.split(count:axis:)`).
    /// - Precondition: `pieces > 0`.
    @inlinable public func split(count pieces: Int, axis: Int = 0) -> [Variable] {
        let a = Shape.normalizeAxis(axis, rank: rank, op: "split")
        precondition(pieces > 0, "split: count must be positive, got \(pieces)")
        let n = shape[a], base = n / pieces, extra = n % pieces
        return split(sizes: (0..<pieces).map { $0 < extra ? base + 1 : base }, axis: a)
    }

    /// At most `chunks` pieces of size `ceil(n / chunks)` along `axis` (the last may be shorter).
    /// Mirrors `torch.chunk(x, chunks, dim)`.
    /// - Precondition: `chunks > 0`.
    @inlinable public func chunked(_ chunks: Int, axis: Int = 0) -> [Variable] {
        let a = Shape.normalizeAxis(axis, rank: rank, op: "chunk")
        precondition(chunks > 0, "chunk: chunks must be positive, got \(chunks)")
        let n = shape[a]
        if n == 0 { return [self] }
        return split(size: (n + chunks - 1) / chunks, axis: a)
    }

    /// This tensor followed by `others` along `axis`. Mirrors `torch.cat([self] + others, axis)`.
    @inlinable public func concatenated(with others: Variable..., axis: Int = 0) -> Variable {
        concatenate([self] + others, axis: axis)
    }

    /// The matrix transpose (last two axes). Mirrors `x.mT`.
    @inlinable public func transposedMatrix() -> Variable { transposed() }

    /// Sums over broadcast axes down to `shape` (the adjoint of ``expanded(to:)``); the same as
    /// ``summed(to:)``, named as `Tensor.unbroadcast(to:)`.
    @inlinable public func unbroadcast(to shape: [Int]) -> Variable { summed(to: shape) }

    /// The elementwise function `function` (one of `exp log log1p expm1 sqrt sin cos tan tanh sigmoid erf`),
    /// differentiable. Mirrors `Tensor.applying(_:)`.
    @inlinable public func applying(_ function: UnaryFunction) -> Variable {
        switch function {
        case .exp: return exp()
        case .log: return log()
        case .log1p: return log1p()
        case .expm1: return expm1()
        case .sqrt: return sqrt()
        case .sin: return sin()
        case .cos: return cos()
        case .tan: return tan()
        case .tanh: return tanh()
        case .sigmoid: return sigmoid()
        case .erf: return erf()
        }
    }

    /// The covariance matrix `Σ(xᵢ − x̄)(xᵢ − x̄)ᵀ/(n − correction)` of samples in the rows of a
    /// `[n, d]` matrix, `[d, d]`. Mirrors `torch.cov(x.T, correction=correction)` / `numpy.cov(x, rowvar=False)`.
    /// - Precondition: rank 2.
    @inlinable public func covariance(correction: Int = 1) -> Variable {
        precondition(rank == 2, "covariance: expected a [samples, features] matrix, got shape \(shape)")
        let centered = self - mean(axis: 0, keepingDims: true)
        return centered.transposed().matmul(centered) / Scalar(Swift.max(shape[0] - correction, 0))
    }

    /// The angle `ω` between vectors along `axis`, in `[0, π]`, as `atan2(√(‖x‖²‖y‖² − ⟨x, y⟩²), ⟨x, y⟩)`
    /// (the same angle as `Tensor.angle(with:axis:)`'s `arccos` of the cosine, but with a finite
    /// derivative everywhere except at parallel vectors, where `ω′` is infinite). NumPy/PyTorch have no
    /// single function for it.
    @inlinable public func angle(with other: Variable, axis: Int = -1) -> Variable {
        let dot = (self * other).sum(axis: axis)
        let cross2 = (squared().sum(axis: axis) * other.squared().sum(axis: axis) - dot.squared()).relu()
        return cross2.sqrt().atan2(dot)
    }

    /// A matrix norm of each `[..., m, n]` matrix. Mirrors `torch.linalg.matrix_norm(x, ord)`:
    /// Frobenius (`'fro'`), nuclear (`'nuc'`, `Σσᵢ`), spectral (`2`, `σ_max`), max column sum
    /// (`1`, `max_j Σᵢ|aᵢⱼ|`) and max row sum (`inf`). The last two pass the whole gradient to one
    /// winning column or row, as `max` does; `|x|′(0) = 0`.
    /// - Precondition: rank ≥ 2.
    @inlinable public func matrixNorm(_ kind: MatrixNorm = .frobenius, keepingDims: Bool = false) -> Variable {
        precondition(rank >= 2, "matrixNorm: expected matrices [..., m, n], got shape \(shape)")
        let result: Variable
        switch kind {
        case .frobenius: result = norm(p: 2, axes: [-2, -1])
        case .maxColumnSum: result = abs().sum(axis: -2).max(axis: -1)
        case .maxRowSum: result = abs().sum(axis: -1).max(axis: -1)
        case .nuclear: result = mustSucceed("matrixNorm") { () throws(LinearAlgebraError) in try singularValues() }.sum(axis: -1)
        case .spectral:
            result = mustSucceed("matrixNorm") { () throws(LinearAlgebraError) in try singularValues() }.max(axis: -1)
        }
        return keepingDims ? result.unsqueezed(axis: -1).unsqueezed(axis: -1) : result
    }

    /// The tensor padded by mirroring, repeating or wrapping its own elements: one ``indexSelect(indices:axis:)``
    /// per padded axis (so the gradient adds each copy back to its source). Mirrors
    /// `torch.nn.functional.pad(x, …, mode=mode)`; `pads` align with the trailing axes as in
    /// `Tensor.padded(_:mode:)`.
    /// - Precondition: `pads.count ≤ rank`, pads non-negative, padded axes non-empty, and for
    ///   `.reflect` every pad shorter than its axis.
    @inlinable public func padded(_ pads: [(before: Int, after: Int)], mode: PaddingMode) -> Variable {
        precondition(pads.count <= rank, "pad: \(pads.count) pads for shape \(shape)")
        let lead = rank - pads.count
        var x = self
        for (i, p) in pads.enumerated() where p.before > 0 || p.after > 0 {
            let a = lead + i
            precondition(p.before >= 0 && p.after >= 0, "pad: negative pad \(p) for axis \(a) of shape \(shape)")
            x = x.indexSelect(indices: Tensor<Int>(mode.sourceIndices(before: p.before, after: p.after, axis: a, of: shape)),
                              axis: a)
        }
        return x
    }

    /// `self` with slice `p` of `values` added to slice `indices[p]` along `axis` (repeats accumulate).
    /// Mirrors `torch.index_add(x, axis, indices, values)`; the adjoint of ``indexSelect(indices:axis:)``.
    @inlinable public func indexAdding(indices: Tensor<Int>, values: Variable, axis: Int) -> Variable {
        self + values.applying(IndexAdd(indices: indices, axis: axis, shape: shape))
    }

    /// A copy with `values` written at the positions `indices` name along `axis`. Mirrors
    /// `torch.scatter(x, axis, indices, values)`. Where two positions name one element, the later
    /// (row-major) wins, as in `Tensor.scattering(indices:values:axis:)`, and only the winner
    /// receives the gradient; `x` receives none at overwritten elements.
    @inlinable public func scattering(indices: Tensor<Int>, values: Variable, axis: Int) -> Variable {
        // Elements of x that survive (1) or are overwritten (0).
        let keep = Tensor<Scalar>.ones(shape).scattering(indices: indices, values: Tensor<Scalar>.zeros(values.shape), axis: axis)
        // Which position of `values` wins its target: scatter each position's number (exact in
        // Double), read the targets back, and compare.
        let positions = Tensor<Double>(shape: values.shape, (0..<values.count).map { Double($0) })
        let readBack = Tensor<Double>.zeros(shape).scattering(indices: indices, values: positions, axis: axis)
            .gathering(indices: indices, axis: axis)
        let own = positions[indices: indices.shape.map { (0..<$0).tensorIndex }]
        let wins = readBack.zipWith(own, op: "scatter") { $0 == $1 ? Scalar.one : Scalar.zero }
            .padded(zip(indices.shape, values.shape).map { (before: 0, after: $1 - $0) }, value: 0)
        return self * Variable(keep) + (values * Variable(wins)).applying(ScatterAdd(indices: indices, axis: axis, shape: shape))
    }
}


/// Compound assignment, as on `Tensor`: each rebinds the variable to the differentiable result
/// (`a += b` is `a = a + b`; the old value stays in the graph), so it composes with derivatives.
extension Variable {
    /// `a = a + b` (broadcasting). Mirrors `a = a + b` in PyTorch (not the in-place `add_`).
    @inlinable public static func += (a: inout Variable, b: Variable) { a = a + b }
    /// `a = a − b` (broadcasting).
    @inlinable public static func -= (a: inout Variable, b: Variable) { a = a - b }
    /// `a = a·b` (broadcasting).
    @inlinable public static func *= (a: inout Variable, b: Variable) { a = a * b }
    /// `a = a / b` (broadcasting).
    @inlinable public static func /= (a: inout Variable, b: Variable) { a = a / b }
    /// `a = a + c`.
    @inlinable public static func += (a: inout Variable, c: Scalar) { a = a + c }
    /// `a = a − c`.
    @inlinable public static func -= (a: inout Variable, c: Scalar) { a = a - c }
    /// `a = a·c`.
    @inlinable public static func *= (a: inout Variable, c: Scalar) { a = a * c }
    /// `a = a / c`.
    @inlinable public static func /= (a: inout Variable, c: Scalar) { a = a / c }
}

/// Elementwise maximum of two variables (see ``Variable/maximum(_:)``). Mirrors `torch.maximum`.
@inlinable public func maximum<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>) -> Variable<S> { a.maximum(b) }

/// Elementwise minimum of two variables (see ``Variable/minimum(_:)``). Mirrors `torch.minimum`.
@inlinable public func minimum<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>) -> Variable<S> { a.minimum(b) }

/// `log(1 + eˣ)` elementwise (see ``Variable/softplus()``). Mirrors `torch.nn.functional.softplus`.
@inlinable public func softplus<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.softplus() }
