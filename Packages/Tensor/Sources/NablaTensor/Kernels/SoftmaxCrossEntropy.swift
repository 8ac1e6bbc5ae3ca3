// Cross-entropy of logits against class indices, forward and backward each in one pass over the
// rows (plus one vectorized exp over the whole batch), where log-softmax, gather, negate, sum and
// divide are five ops and five buffers, and their backward as many again.

extension Tensor where Scalar: TensorFloatingPoint {
    /// `Σᵢ (log Σⱼ exp xᵢⱼ − xᵢ,ₜᵢ)`, divided by the number of rows when `mean`: the cross-entropy of
    /// logits `self` (`[N, C]`) against class indices `labels` (`[N]`, each in `0..<C`), with the
    /// log-sum-exp shifted by each row's maximum. Mirrors `F.cross_entropy(x, t, reduction=…)`
    /// without weights, ignored indices or smoothing. Returns a scalar tensor.
    @inlinable public func softmaxCrossEntropy(labels: Tensor<Int>, mean: Bool) -> Tensor {
        let (n, c) = _checkCrossEntropyShapes(labels)
        if n == 0 { return Tensor(mean ? Scalar.nan : 0) }
        let (e, rowMax) = _shiftedExponentials()
        let x = contiguous, t = labels.contiguous
        var sums = [Scalar](repeating: 0, count: n)
        withExtendedLifetime(e) {
            let pe = e.storage.base
            for i in 0..<n {
                var s: Scalar = 0
                for j in 0..<c { s += pe[i * c + j] }
                sums[i] = s
            }
        }
        sums.withUnsafeMutableBufferPointer { Scalar.apply(.log, $0.baseAddress!, $0.baseAddress!, count: n) }
        var total: Scalar = 0
        withExtendedLifetime((x, t)) {
            let px = x.storage.base + x._offset, pt = t.storage.base + t._offset
            for i in 0..<n { total += rowMax[i] + sums[i] - px[i * c + pt[i]] }
        }
        return Tensor(mean ? total / Scalar(n) : total)
    }

    /// The gradient of ``softmaxCrossEntropy(labels:mean:)`` at `self` for an output cotangent
    /// `scale`: `(softmax(xᵢ)ⱼ − 1[j = tᵢ])·scale`, divided by N when `mean`.
    @inlinable public func softmaxCrossEntropyBackward(labels: Tensor<Int>, mean: Bool, scale: Scalar) -> Tensor {
        let (n, c) = _checkCrossEntropyShapes(labels)
        if n == 0 { return Tensor.zeros(_shape) }
        let (e, _) = _shiftedExponentials()
        let t = labels.contiguous
        let factor = mean ? scale / Scalar(n) : scale
        return Tensor(shape: [n, c]) { out in
            let d = out.baseAddress!
            withExtendedLifetime((t, e)) {
                let pt = t.storage.base + t._offset, pe = e.storage.base
                for i in 0..<n {
                    var s: Scalar = 0
                    for j in 0..<c { s += pe[i * c + j] }
                    for j in 0..<c { (d + i * c + j).initialize(to: (pe[i * c + j] / s) * factor) }
                    d[i * c + pt[i]] -= factor
                }
            }
        }
    }

    /// `(N, C)` after checking that `self` is `[N, C]` and `labels` `[N]` with entries in `0..<C`.
    @inlinable func _checkCrossEntropyShapes(_ labels: Tensor<Int>) -> (Int, Int) {
        precondition(rank == 2 && labels.rank == 1 && labels._shape[0] == _shape[0],
                     "softmaxCrossEntropy: logits \(shape) and labels \(labels.shape) (expected [N, C] and [N])")
        let c = _shape[1]
        for k in labels.scalars { precondition(k >= 0 && k < c, "softmaxCrossEntropy: label \(k) is outside 0..<\(c)") }
        return (_shape[0], c)
    }

    /// `exp(xᵢⱼ − maxⱼ xᵢⱼ)` as a dense `[N, C]` tensor (one vectorized exp) and the row maxima.
    @inlinable func _shiftedExponentials() -> (Tensor, [Scalar]) {
        let n = _shape[0], c = _shape[1]
        let x = contiguous
        var rowMax = [Scalar](repeating: 0, count: n)
        let shifted = Tensor(shape: [n, c]) { out in
            let d = out.baseAddress!
            withExtendedLifetime(x) {
                let px = x.storage.base + x._offset
                for i in 0..<n {
                    var m = px[i * c]
                    for j in 1..<Swift.max(c, 1) where px[i * c + j] > m || px[i * c + j].isNaN { m = px[i * c + j] }
                    // An infinite maximum would give inf − inf; shift by 0 then (the sum is inf or 0).
                    if !m.isFinite { m = 0 }
                    rowMax[i] = m
                    for j in 0..<c { (d + i * c + j).initialize(to: px[i * c + j] - m) }
                }
            }
        }
        return (shifted.exp(), rowMax)
    }
}
