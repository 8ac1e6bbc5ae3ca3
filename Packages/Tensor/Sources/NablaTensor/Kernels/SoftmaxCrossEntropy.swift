// Cross-entropy of logits against class indices, forward and backward each in one pass over the
// rows (plus one vectorized exp over the whole batch), where log-softmax, gather, negate, sum and
// divide are five ops and five buffers, and their backward as many again. The forward keeps the
// softmax it computes, so the backward is one multiply per element.

extension Tensor where Scalar: TensorFloatingPoint {
    /// `Σᵢ (log Σⱼ exp xᵢⱼ − xᵢ,ₜᵢ)`, divided by the number of rows when `mean`: the cross-entropy of
    /// logits `self` (`[N, C]`) against class indices `labels` (`[N]`, each in `0..<C`), with the
    /// log-sum-exp shifted by each row's maximum. Mirrors `F.cross_entropy(x, t, reduction=…)`
    /// without weights, ignored indices or smoothing. Returns a scalar tensor.
    @inlinable public func softmaxCrossEntropy(labels: Tensor<Int>, mean: Bool) -> Tensor {
        softmaxCrossEntropyAndProbabilities(labels: labels, mean: mean).loss
    }

    /// ``softmaxCrossEntropy(labels:mean:)`` and the softmax of each row (`[N, C]`), which
    /// ``softmaxCrossEntropyBackward(probabilities:labels:mean:scale:)`` turns into the gradient.
    ///
    /// PyTorch's arithmetic (`log_softmax` then `nll_loss`): each row is shifted by its maximum
    /// `m`, `sᵢ = Σⱼ exp(xᵢⱼ − m)`, and the row's loss is `log sᵢ − (xᵢ,ₜᵢ − m)`. As there, a NaN
    /// or a `+inf` in a row makes its loss and softmax NaN (`inf − inf`), a row of `-inf` too, and
    /// a `-inf` beside finite logits has probability 0.
    @inlinable public func softmaxCrossEntropyAndProbabilities(labels: Tensor<Int>, mean: Bool) -> (loss: Tensor, probabilities: Tensor) {
        let (n, c) = _checkCrossEntropyShapes(labels)
        if n == 0 { return (Tensor(mean ? Scalar.nan : 0), Tensor.zeros(_shape)) }
        let x = contiguous, t = labels.contiguous
        var total: Scalar = 0
        // Three passes over the rows with one vectorized exp (over the whole batch) and one
        // vectorized log (over the row sums) between them; the row sums and the shifted target
        // logits live in a temporary buffer (on the stack for small batches).
        let p = Tensor(shape: [n, c]) { out in
            withUnsafeTemporaryAllocation(of: Scalar.self, capacity: 2 * n) { tmp in
                withExtendedLifetime(x) { withExtendedLifetime(t) {
                    let px = x.storage.base + x._offset, pt = t.storage.base + t._offset
                    let pp = out.baseAddress!, sums = tmp.baseAddress!
                    // The row loops with C a constant for the common small class counts (unrolled).
                    switch c {
                    case 2: total = Self._softmaxCrossEntropyRows(px, pt, pp, sums, n: n, c: 2)
                    case 3: total = Self._softmaxCrossEntropyRows(px, pt, pp, sums, n: n, c: 3)
                    case 4: total = Self._softmaxCrossEntropyRows(px, pt, pp, sums, n: n, c: 4)
                    default: total = Self._softmaxCrossEntropyRows(px, pt, pp, sums, n: n, c: c)
                    }
                } }
            }
        }
        return (Tensor._scalar(mean ? total / Scalar(n) : total), p)
    }

    /// The rows of ``softmaxCrossEntropyAndProbabilities(labels:mean:)``: writes the softmax of
    /// the `[n, c]` logits `x` into `p` and returns the summed loss; `tmp` has room for `2n`
    /// scalars. Three passes over the rows, one vectorized exp (over the whole batch) and one
    /// vectorized log (over the row sums) between them. Inlined into each `c` it is called with.
    @inlinable @inline(__always)
    static func _softmaxCrossEntropyRows(_ x: UnsafeMutablePointer<Scalar>, _ labels: UnsafeMutablePointer<Int>,
                                         _ p: UnsafeMutablePointer<Scalar>, _ tmp: UnsafeMutablePointer<Scalar>,
                                         n: Int, c: Int) -> Scalar {
        let sums = tmp, picked = tmp + n
        // 1. p ← x − m, and xᵢ,ₜᵢ − m. A NaN beside a larger value is skipped here, but its row
        //    comes out NaN all the same (exp(NaN) enters the sum), as PyTorch's does.
        for i in 0..<n {
            let row = x + i * c, dst = p + i * c, t = labels[i]
            precondition(t >= 0 && t < c, "softmaxCrossEntropy: label \(t) is outside 0..<\(c)")
            var m = row[0]
            for j in 1..<c { let v = row[j]; m = v > m ? v : m }
            for j in 0..<c { (dst + j).initialize(to: row[j] - m) }
            picked[i] = row[t] - m   // from x, not read back from the store just made
        }
        // 2. exp, in place.
        Scalar.apply(.exp, p, p, count: n * c)
        // 3. sᵢ, and p ← exp(x − m) / sᵢ (times the reciprocal, as ATen's softmax does).
        for i in 0..<n {
            let row = p + i * c
            var s: Scalar = 0
            for j in 0..<c { s += row[j] }
            sums[i] = s
            let r = 1 / s
            for j in 0..<c { row[j] *= r }
        }
        // 4. log sᵢ, and Σ (log sᵢ − (xᵢ,ₜᵢ − m)).
        Scalar.apply(.log, sums, sums, count: n)
        var total: Scalar = 0
        for i in 0..<n { total += sums[i] - picked[i] }
        return total
    }

    /// A rank-0 tensor of `value`, without the temporary array `Tensor(_:)` builds.
    @inlinable static func _scalar(_ value: Scalar) -> Tensor {
        Tensor(shape: []) { $0.baseAddress!.initialize(to: value) }
    }

    /// The gradient of ``softmaxCrossEntropy(labels:mean:)`` at `self` for an output cotangent
    /// `scale`: `(softmax(xᵢ)ⱼ − 1[j = tᵢ])·scale`, divided by N when `mean`.
    @inlinable public func softmaxCrossEntropyBackward(labels: Tensor<Int>, mean: Bool, scale: Scalar) -> Tensor {
        let p = softmaxCrossEntropyAndProbabilities(labels: labels, mean: mean).probabilities
        return Tensor.softmaxCrossEntropyBackward(probabilities: p, labels: labels, mean: mean, scale: scale)
    }

    /// `(pᵢⱼ − 1[j = tᵢ])·scale`, divided by N when `mean`: the gradient of the cross-entropy from
    /// the softmax `probabilities` (`[N, C]`) its forward computed.
    @inlinable public static func softmaxCrossEntropyBackward(probabilities p: Tensor, labels: Tensor<Int>, mean: Bool,
                                                              scale: Scalar) -> Tensor {
        precondition(p.rank == 2 && labels.rank == 1 && labels._shape[0] == p._shape[0],
                     "softmaxCrossEntropyBackward: probabilities \(p.shape) and labels \(labels.shape)")
        let n = p._shape[0], c = p._shape[1]
        if n == 0 { return Tensor.zeros(p._shape) }
        let pc = p.contiguous, t = labels.contiguous
        let factor = mean ? scale / Scalar(n) : scale
        return Tensor(shape: [n, c]) { out in
            let d = out.baseAddress!
            withExtendedLifetime(pc) { withExtendedLifetime(t) {
                let pp = pc.storage.base + pc._offset, pt = t.storage.base + t._offset
                // The products in one vectorized pass, then each label's element written again
                // from `p` (not read back from `d`: a load just after a vector store to the same
                // place stalls on store forwarding).
                for k in 0..<(n * c) { (d + k).initialize(to: pp[k] * factor) }
                for i in 0..<n {
                    let k = i * c + pt[i]
                    d[k] = pp[k] * factor - factor
                }
            } }
        }
    }

    /// Whether `self` and `other` are the same view of the same buffer (storage, offset, shape and
    /// strides): then they hold the same values, since a write to a shared buffer copies it first.
    /// An op that saved a tensor in its forward checks with this that it is given the same one back.
    @inlinable public func isSameView(as other: Tensor) -> Bool {
        storage.object === other.storage.object && _offset == other._offset && _shape == other._shape
            && _strides == other._strides
    }

    /// `(N, C)` after checking that `self` is `[N, C]` (C ≥ 1) and `labels` `[N]` (the row pass
    /// checks that each label is in `0..<C`).
    @inlinable func _checkCrossEntropyShapes(_ labels: Tensor<Int>) -> (Int, Int) {
        precondition(rank == 2 && labels.rank == 1 && labels._shape[0] == _shape[0] && _shape[1] >= 1,
                     "softmaxCrossEntropy: logits \(shape) and labels \(labels.shape) (expected [N, C] and [N])")
        return (_shape[0], _shape[1])
    }
}

extension Tensor where Scalar == Int {
    /// Whether every entry is in `0..<classes` and none equals `excluded` (class indices a fused
    /// loss can take): one pass over the elements, without copying them out.
    @inlinable public func _allLabels(in classes: Int, excluding excluded: Int = -1) -> Bool {
        let t = contiguous
        return withExtendedLifetime(t) {
            let pt = t.storage.base + t._offset
            let limit = UInt(bitPattern: classes)
            for i in 0..<t.count where UInt(bitPattern: pt[i]) >= limit || pt[i] == excluded { return false }
            return true
        }
    }
}
