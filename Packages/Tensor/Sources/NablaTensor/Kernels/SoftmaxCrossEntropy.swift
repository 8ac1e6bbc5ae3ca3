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
    @inlinable public func softmaxCrossEntropyAndProbabilities(labels: Tensor<Int>, mean: Bool) -> (loss: Tensor, probabilities: Tensor) {
        let (n, c) = _checkCrossEntropyShapes(labels)
        if n == 0 { return (Tensor(mean ? Scalar.nan : 0), Tensor.zeros(_shape)) }
        let x = contiguous, t = labels.contiguous
        // p ← x − max, then exp(p) (one vectorized call), then p / Σ p row by row.
        let p = Tensor(shape: [n, c]) { _ in }
        var rowMax = [Scalar](repeating: 0, count: n), logSums = [Scalar](repeating: 0, count: n)
        let pp = p.storage.base
        withExtendedLifetime(x) {
            let px = x.storage.base + x._offset
            for i in 0..<n {
                let row = px + i * c
                var m = row[0]
                for j in 1..<c where row[j] > m || row[j].isNaN { m = row[j] }
                // An infinite maximum would give inf − inf; shift by 0 then (the sum is inf or 0).
                if !m.isFinite { m = 0 }
                rowMax[i] = m
                for j in 0..<c { (pp + i * c + j).initialize(to: row[j] - m) }
            }
        }
        Scalar.apply(.exp, pp, pp, count: n * c)
        for i in 0..<n {
            var s: Scalar = 0
            for j in 0..<c { s += pp[i * c + j] }
            logSums[i] = s
            for j in 0..<c { pp[i * c + j] = pp[i * c + j] / s }
        }
        logSums.withUnsafeMutableBufferPointer { Scalar.apply(.log, $0.baseAddress!, $0.baseAddress!, count: n) }
        var total: Scalar = 0
        withExtendedLifetime((x, t)) {
            let px = x.storage.base + x._offset, pt = t.storage.base + t._offset
            for i in 0..<n { total += rowMax[i] + logSums[i] - px[i * c + pt[i]] }
        }
        return (Tensor(mean ? total / Scalar(n) : total), p)
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
            withExtendedLifetime((pc, t)) {
                let pp = pc.storage.base + pc._offset, pt = t.storage.base + t._offset
                for i in 0..<(n * c) { (d + i).initialize(to: pp[i] * factor) }
                for i in 0..<n { d[i * c + pt[i]] -= factor }
            }
        }
    }

    /// Whether `self` and `other` are the same view of the same buffer (storage, offset, shape and
    /// strides): then they hold the same values, since a write to a shared buffer copies it first.
    /// An op that saved a tensor in its forward checks with this that it is given the same one back.
    @inlinable public func isSameView(as other: Tensor) -> Bool {
        storage.object === other.storage.object && _offset == other._offset && _shape == other._shape
            && _strides == other._strides
    }

    /// `(N, C)` after checking that `self` is `[N, C]` (C ≥ 1) and `labels` `[N]` with entries in `0..<C`.
    @inlinable func _checkCrossEntropyShapes(_ labels: Tensor<Int>) -> (Int, Int) {
        precondition(rank == 2 && labels.rank == 1 && labels._shape[0] == _shape[0] && _shape[1] >= 1,
                     "softmaxCrossEntropy: logits \(shape) and labels \(labels.shape) (expected [N, C] and [N])")
        let c = _shape[1]
        let t = labels.contiguous
        withExtendedLifetime(t) {
            let pt = t.storage.base + t._offset
            for i in 0..<t.count { precondition(pt[i] >= 0 && pt[i] < c, "softmaxCrossEntropy: label \(pt[i]) is outside 0..<\(c)") }
        }
        return (_shape[0], c)
    }
}
