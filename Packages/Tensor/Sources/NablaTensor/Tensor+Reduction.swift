/// Reductions along any set of axes, with PyTorch semantics.
///
/// `axes: nil` reduces everything. `keepingDims: true` keeps reduced axes with size 1, so the
/// result broadcasts against the input (torch's `keepdim=True`).
extension Tensor {
    /// The layout a reduction works on: the input as a dense `[outer, reduced, inner]` block.
    @usableFromInline struct ReductionPlan {
        @usableFromInline var input: Tensor
        @usableFromInline var outer: Int
        @usableFromInline var reduced: Int
        @usableFromInline var inner: Int
        @usableFromInline var resultShape: [Int]
        @inlinable init(input: Tensor, outer: Int, reduced: Int, inner: Int, resultShape: [Int]) {
            self.input = input
            self.outer = outer
            self.reduced = reduced
            self.inner = inner
            self.resultShape = resultShape
        }
    }

    /// Plans a reduction over `axes`: a contiguous run of axes reduces in place; any other set is
    /// first permuted to the end (one copy).
    @inlinable func reductionPlan(_ axes: [Int]?, keepingDims: Bool, op: StaticString) -> ReductionPlan {
        let ax = axes.map { Shape.normalizeAxes($0, rank: rank, op: op) } ?? Array(0..<rank)
        var kept = _shape
        for a in ax { kept[a] = 1 }
        let resultShape = keepingDims ? kept : (0..<rank).filter { !ax.contains($0) }.map { _shape[$0] }
        if ax.isEmpty {
            return ReductionPlan(input: contiguous, outer: count, reduced: 1, inner: 1, resultShape: resultShape)
        }
        let isBlock = ax.last! - ax.first! + 1 == ax.count
        if isBlock {
            let outer = Shape.count(Array(_shape[..<ax.first!]))
            let red = Shape.count(ax.map { _shape[$0] })
            let inner = Shape.count(Array(_shape[(ax.last! + 1)...]))
            return ReductionPlan(input: contiguous, outer: outer, reduced: red, inner: inner, resultShape: resultShape)
        }
        let keptAxes = (0..<rank).filter { !ax.contains($0) }
        let moved = permuted(keptAxes + ax).contiguous
        let red = Shape.count(ax.map { _shape[$0] })
        return ReductionPlan(input: moved, outer: red == 0 ? 0 : count / Swift.max(red, 1), reduced: red, inner: 1,
                             resultShape: resultShape)
    }

    /// A general reduction: folds each reduced run with `combine`, starting from `initial`.
    @inlinable public func reduce<R: TensorScalar>(
        axes: [Int]? = nil, keepingDims: Bool = false, op: StaticString = "reduce",
        initial: R, _ combine: (R, Scalar) -> R) -> Tensor<R> {
        let p = reductionPlan(axes, keepingDims: keepingDims, op: op)
        let outer = p.outer == 0 && p.reduced == 0 ? Shape.count(p.resultShape) : p.outer
        return Tensor<R>(shape: p.resultShape) { out in
            let o = out.baseAddress!
            let x = p.input.storage.base + p.input._offset
            let (r, inner) = (p.reduced, p.inner)
            for i in 0..<outer {
                for j in 0..<inner {
                    var acc = initial
                    var idx = i * r * inner + j
                    for _ in 0..<r { acc = combine(acc, x[idx]); idx += inner }
                    (o + i * inner + j).initialize(to: acc)
                }
            }
        }
    }
}

extension Tensor where Scalar: TensorNumeric {
    /// Sum of elements over `axes` (all when `nil`). Mirrors `torch.sum`.
    ///
    /// Runs with eight independent accumulators along contiguous rows, and row-wise vector adds
    /// when reducing an outer axis, so both layouts vectorize.
    @inlinable public func sum(axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        let p = reductionPlan(axes, keepingDims: keepingDims, op: "sum")
        let n = Shape.count(p.resultShape)
        return Tensor(shape: p.resultShape) { out in
            let o = out.baseAddress!
            o.initialize(repeating: .zero, count: n)
            guard p.reduced > 0 else { return }
            let x = UnsafePointer(p.input.storage.base + p.input._offset)
            let (r, inner) = (p.reduced, p.inner)
            if inner == 1 {
                Parallel.forRanges(p.outer, minimumChunk: Swift.max(1, Parallel.minimumChunk / r)) { rows in
                    for i in rows { o[i] = Tensor.sumRun(x + i * r, r) }
                }
            } else {
                for i in 0..<p.outer {
                    let dst = o + i * inner
                    for k in 0..<r {
                        let src = x + (i * r + k) * inner
                        for j in 0..<inner { dst[j] += src[j] }
                    }
                }
            }
        }
    }

    /// Sums `n` contiguous elements with eight accumulators (vectorizes; pairwise-like accuracy).
    @inlinable static func sumRun(_ x: UnsafePointer<Scalar>, _ n: Int) -> Scalar {
        var a0 = Scalar.zero, a1 = Scalar.zero, a2 = Scalar.zero, a3 = Scalar.zero
        var a4 = Scalar.zero, a5 = Scalar.zero, a6 = Scalar.zero, a7 = Scalar.zero
        var i = 0
        while i + 8 <= n {
            a0 += x[i]; a1 += x[i + 1]; a2 += x[i + 2]; a3 += x[i + 3]
            a4 += x[i + 4]; a5 += x[i + 5]; a6 += x[i + 6]; a7 += x[i + 7]
            i += 8
        }
        while i < n { a0 += x[i]; i += 1 }
        return ((a0 + a4) + (a1 + a5)) + ((a2 + a6) + (a3 + a7))
    }

    /// Sum over one axis.
    @inlinable public func sum(axis: Int, keepingDims: Bool = false) -> Tensor { sum(axes: [axis], keepingDims: keepingDims) }

    /// Product of elements. Mirrors `torch.prod`.
    @inlinable public func product(axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        reduce(axes: axes, keepingDims: keepingDims, op: "prod", initial: Scalar.one) { $0 * $1 }
    }

    /// Largest element; NaN wins, as in PyTorch. Mirrors `torch.amax`.
    @inlinable public func max(axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        precondition(count > 0, "max: empty tensor of shape \(shape)")
        return reduce(axes: axes, keepingDims: keepingDims, op: "max", initial: Scalar.lowest) { a, x in
            x > a || x != x ? x : a
        }
    }
    /// Largest element along one axis.
    @inlinable public func max(axis: Int, keepingDims: Bool = false) -> Tensor { max(axes: [axis], keepingDims: keepingDims) }

    /// Smallest element; NaN wins, as in PyTorch. Mirrors `torch.amin`.
    @inlinable public func min(axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        precondition(count > 0, "min: empty tensor of shape \(shape)")
        return reduce(axes: axes, keepingDims: keepingDims, op: "min", initial: Scalar.highest) { a, x in
            x < a || x != x ? x : a
        }
    }
    /// Smallest element along one axis.
    @inlinable public func min(axis: Int, keepingDims: Bool = false) -> Tensor { min(axes: [axis], keepingDims: keepingDims) }

    /// Index of the largest element along `axis` (the first on ties), or of the flattened tensor
    /// when `axis` is `nil`. Mirrors `torch.argmax`.
    @inlinable public func argmax(axis: Int? = nil, keepingDims: Bool = false) -> Tensor<Int> {
        argExtreme(axis: axis, keepingDims: keepingDims, op: "argmax") { $0 > $1 }
    }

    /// Index of the smallest element along `axis` (the first on ties). Mirrors `torch.argmin`.
    @inlinable public func argmin(axis: Int? = nil, keepingDims: Bool = false) -> Tensor<Int> {
        argExtreme(axis: axis, keepingDims: keepingDims, op: "argmin") { $0 < $1 }
    }

    @inlinable func argExtreme(axis: Int?, keepingDims: Bool, op: StaticString,
                               _ better: (Scalar, Scalar) -> Bool) -> Tensor<Int> {
        precondition(count > 0, "\(op): empty tensor of shape \(shape)")
        guard let axis else {
            let flat = flattened()
            return flat.argExtreme(axis: 0, keepingDims: false, op: op, better)
                .reshaped(keepingDims ? [Int](repeating: 1, count: rank) : [])
        }
        let p = reductionPlan([axis], keepingDims: keepingDims, op: op)
        return Tensor<Int>(shape: p.resultShape) { out in
            let x = p.input.storage.base + p.input._offset
            for i in 0..<p.outer {
                for j in 0..<p.inner {
                    var best = x[i * p.reduced * p.inner + j], bi = 0
                    for k in 1..<Swift.max(p.reduced, 1) {
                        let v = x[(i * p.reduced + k) * p.inner + j]
                        if better(v, best) || (v != v && best == best) { best = v; bi = k }
                    }
                    (out.baseAddress! + i * p.inner + j).initialize(to: bi)
                }
            }
        }
    }

    /// Running sum along `axis`. Mirrors `torch.cumsum`.
    @inlinable public func cumulativeSum(axis: Int) -> Tensor {
        let a = Shape.normalizeAxis(axis, rank: rank, op: "cumsum")
        let c = contiguous
        let outer = Shape.count(Array(_shape[..<a])), r = _shape[a], inner = Shape.count(Array(_shape[(a + 1)...]))
        return Tensor(shape: _shape) { out in
            let x = c.storage.base + c._offset
            let o = out.baseAddress!
            for i in 0..<outer {
                for j in 0..<inner {
                    var acc = Scalar.zero
                    for k in 0..<r {
                        let idx = (i * r + k) * inner + j
                        acc += x[idx]
                        (o + idx).initialize(to: acc)
                    }
                }
            }
        }
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// Arithmetic mean. Mirrors `torch.mean`.
    @inlinable public func mean(axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        let n = reducedCount(axes, op: "mean")
        return sum(axes: axes, keepingDims: keepingDims) / Scalar(n)
    }
    /// Mean along one axis.
    @inlinable public func mean(axis: Int, keepingDims: Bool = false) -> Tensor { mean(axes: [axis], keepingDims: keepingDims) }

    /// Variance `Σ(x − mean)² / (N − correction)`. The default `correction: 1` is the unbiased
    /// sample variance, as in `torch.var`; use `0` for the population variance (NumPy's default).
    @inlinable public func variance(axes: [Int]? = nil, correction: Int = 1, keepingDims: Bool = false) -> Tensor {
        let n = reducedCount(axes, op: "var")
        let centered = self - mean(axes: axes, keepingDims: true)
        return (centered * centered).sum(axes: axes, keepingDims: keepingDims) / Scalar(Swift.max(n - correction, 0))
    }
    /// Variance along one axis.
    @inlinable public func variance(axis: Int, correction: Int = 1, keepingDims: Bool = false) -> Tensor {
        variance(axes: [axis], correction: correction, keepingDims: keepingDims)
    }

    /// Standard deviation, `√variance`. Mirrors `torch.std`.
    @inlinable public func standardDeviation(axes: [Int]? = nil, correction: Int = 1, keepingDims: Bool = false) -> Tensor {
        variance(axes: axes, correction: correction, keepingDims: keepingDims).sqrt()
    }
    /// Standard deviation along one axis.
    @inlinable public func standardDeviation(axis: Int, correction: Int = 1, keepingDims: Bool = false) -> Tensor {
        standardDeviation(axes: [axis], correction: correction, keepingDims: keepingDims)
    }

    /// `log Σ exp(x)`, computed stably by subtracting the maximum first. Mirrors `torch.logsumexp`.
    @inlinable public func logSumExp(axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        let m = max(axes: axes, keepingDims: true).map { $0.isFinite ? $0 : 0 }
        let s = (self - m).exp().sum(axes: axes, keepingDims: true).log() + m
        return keepingDims ? s : s.reshaped(reductionPlan(axes, keepingDims: false, op: "logsumexp").resultShape)
    }
    /// `log Σ exp(x)` along one axis.
    @inlinable public func logSumExp(axis: Int, keepingDims: Bool = false) -> Tensor {
        logSumExp(axes: [axis], keepingDims: keepingDims)
    }

    /// The number of elements each output of a reduction over `axes` combines.
    @inlinable func reducedCount(_ axes: [Int]?, op: StaticString) -> Int {
        guard let axes else { return count }
        return Shape.normalizeAxes(axes, rank: rank, op: op).reduce(1) { $0 * _shape[$1] }
    }
}
