import NablaTensor

/// The cross-entropy of logits `[N, C]` against class indices, summed or averaged over the rows, as
/// one primitive. Mirrors `F.cross_entropy(x, t, reduction="mean" | "sum")` without weights,
/// ignored indices or smoothing (NablaLayers' `crossEntropy` takes this path when those are unset).
///
/// Forward and backward are one pass each (`Tensor.softmaxCrossEntropy(labels:mean:)`), where
/// log-softmax, gather, negation and the reduction record five nodes.
public struct SoftmaxCrossEntropy: UnaryOperator {
    /// The op's name in the registry and in messages, `"softmaxCrossEntropy"`.
    public static let name = "softmaxCrossEntropy"
    /// The class of each row.
    public let labels: Tensor<Int>
    /// Whether the rows' losses are averaged (else summed).
    public let mean: Bool
    /// The softmax the forward computed, for the first-order backward (PyTorch saves it too).
    @usableFromInline let saved: SavedProbabilities
    /// The loss against `labels`, averaged over the rows when `mean`.
    @inlinable public init(labels: Tensor<Int>, mean: Bool) {
        self.labels = labels
        self.mean = mean
        saved = SavedProbabilities()
    }

    /// The value, computed on plain tensors (the softmax is kept for the backward).
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        let (loss, p) = x.softmaxCrossEntropyAndProbabilities(labels: labels, mean: mean)
        saved.box = SavedSoftmax(probabilities: p, logits: x)
        return loss
    }

    /// `x̄ = (softmax(x) − onehot(t))·ȳ`, over N when averaged.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ cotangent: Variable<S>) -> Variable<S> {
        (x.softmax(axis: 1) - Variable(oneHot(S.self, x.shape))) * (mean ? cotangent / S(x.shape[0]) : cotangent)
    }

    /// One pass on plain tensors (first order).
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: Tensor<S>) -> Tensor<S> {
        // A class cast (not a cast from `Any` to a generic struct, which costs a runtime lookup).
        if let box = saved.box as? SavedSoftmax<S>, box.logits.isSameView(as: x) {
            return Tensor.softmaxCrossEntropyBackward(probabilities: box.probabilities, labels: labels, mean: mean,
                                                      scale: cotangent.scalar)
        }
        return x.softmaxCrossEntropyBackward(labels: labels, mean: mean, scale: cotangent.scalar)
    }

    /// `ẏ = Σ (softmax(x) − onehot(t))·ẋ`, over N when averaged.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ tangent: Variable<S>) -> Variable<S> {
        let s = ((x.softmax(axis: 1) - Variable(oneHot(S.self, x.shape))) * tangent).sum()
        return mean ? s / S(x.shape[0]) : s
    }

    /// Batching rule: `x` is `[B, N, C]`; `−Σ log softmax(x)·onehot(t)` per element, with ops that
    /// batch.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        let picked = (x.logSoftmax(axis: 2) * Variable(oneHot(S.self, Array(x.shape.dropFirst())))).sum(axes: [1, 2])
        return mean ? -picked / S(x.shape[1]) : -picked
    }

    /// `1[j = tᵢ]` as a `[N, C]` tensor.
    @inlinable func oneHot<S: TensorFloatingPoint>(_: S.Type, _ shape: [Int]) -> Tensor<S> {
        var h = [S](repeating: 0, count: shape[0] * shape[1])
        for (i, t) in labels.scalars.enumerated() { h[i * shape[1] + t] = 1 }
        return Tensor(shape: shape, scalars: h)
    }
}

extension Variable {
    /// The cross-entropy of logits `self` (`[N, C]`) against class indices `labels` (`[N]`, each in
    /// `0..<C`), averaged over the rows when `mean` (else summed), as one recorded op
    /// (``SoftmaxCrossEntropy``). Mirrors `F.cross_entropy` without weights or smoothing.
    @inlinable public func softmaxCrossEntropy(labels: Tensor<Int>, mean: Bool = true) -> Variable {
        precondition(rank == 2 && labels.rank == 1 && labels.shape[0] == shape[0],
                     "softmaxCrossEntropy: logits \(shape) and labels \(labels.shape) (expected [N, C] and [N])")
        return applying(SoftmaxCrossEntropy(labels: labels, mean: mean))
    }
}

/// The softmax a ``SoftmaxCrossEntropy`` forward computed, kept for its backward.
public final class SavedProbabilities: @unchecked Sendable {
    /// The softmax and its logits, a `SavedSoftmax` of the op's scalar type.
    @usableFromInline var box: AnyObject?
    /// Nothing saved yet.
    @inlinable public init() {}
}

/// The `[N, C]` softmax a ``SoftmaxCrossEntropy`` forward computed, and the logits it came from.
@usableFromInline final class SavedSoftmax<S: TensorFloatingPoint>: @unchecked Sendable {
    /// The softmax of each row.
    @usableFromInline let probabilities: Tensor<S>
    /// The logits (the backward uses the softmax only for the same view, `Tensor.isSameView(as:)`).
    @usableFromInline let logits: Tensor<S>
    /// Keeps `probabilities`, computed from `logits`.
    @inlinable init(probabilities: Tensor<S>, logits: Tensor<S>) {
        self.probabilities = probabilities
        self.logits = logits
    }
}
