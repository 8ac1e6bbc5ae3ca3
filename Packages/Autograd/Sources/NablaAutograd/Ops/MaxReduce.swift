import NablaTensor

/// The largest (or smallest) element over `axes`. Mirrors `torch.amax` / `torch.amin`.
///
/// The derivative goes to one winner per reduced slice, the first in row-major order on ties
/// (the "max picks one winner"; `torch.amax` instead splits it evenly among ties).
public struct MaxReduce: UnaryOperator {
    /// The op's name in the registry and in messages, `"max"`.
    public static let name = "max"
    /// The reduced axes (`nil`: all).
    public let axes: [Int]?
    /// Whether reduced axes stay with size 1.
    public let keepingDims: Bool
    /// `true` for the minimum.
    public let isMinimum: Bool
    /// Batching rule: the reduced axes move past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        let axes = Batching.shifted(axes, rank: x.rank - 1, op: "max")
        return axes.isEmpty ? x : x.applying(MaxReduce(axes: axes, keepingDims: keepingDims, isMinimum: isMinimum))
    }
    /// Creates the op.
    @inlinable public init(axes: [Int]?, keepingDims: Bool, isMinimum: Bool = false) {
        self.axes = axes
        self.keepingDims = keepingDims
        self.isMinimum = isMinimum
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        isMinimum ? x.min(axes: axes, keepingDims: keepingDims) : x.max(axes: axes, keepingDims: keepingDims)
    }
    /// `x̄ = ȳ` at each slice's winner, 0 elsewhere.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.reshaped(keptShape(x.shape, axes)) * Variable(winnerMask(x.value))
    }
    /// `ẏ = ẋ` at each slice's winner.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        (t * Variable(winnerMask(x.value))).sum(axes: axes, keepingDims: keepingDims)
    }

    /// 1 at the first largest (smallest) element of every reduced slice, 0 elsewhere; NaN wins.
    @inlinable func winnerMask<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        let rank = x.rank
        let ax = axes.map { Shape.normalizeAxes($0, rank: rank, op: "max") } ?? Array(0..<rank)
        let kept = (0..<rank).filter { !ax.contains($0) }
        let perm = kept + ax
        let moved = x.permuted(perm).contiguous
        let r = Shape.count(ax.map { x.shape[$0] })
        let rows = r == 0 ? 0 : x.count / r
        let src = moved.scalars
        let minimum = isMinimum
        let mask = Tensor<S>(shape: moved.shape) { out in
            out.initialize(repeating: 0)
            for i in 0..<rows {
                var best = src[i * r], bi = 0
                for k in 1..<Swift.max(r, 1) {
                    let v = src[i * r + k]
                    if best.isNaN { break }
                    if v.isNaN || (minimum ? v < best : v > best) { best = v; bi = k }
                }
                out[i * r + bi] = 1
            }
        }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in perm.enumerated() { inverse[p] = i }
        return mask.permuted(inverse).contiguous
    }
}

extension Variable {
    /// Largest element over `axes` (all when `nil`); the gradient goes to one winner. Mirrors `torch.amax`.
    @inlinable public func max(axes: [Int]? = nil, keepingDims: Bool = false) -> Variable {
        applying(MaxReduce(axes: axes, keepingDims: keepingDims))
    }
    /// Largest element along one axis. Mirrors `torch.amax(x, dim)`.
    @inlinable public func max(axis: Int, keepingDims: Bool = false) -> Variable { max(axes: [axis], keepingDims: keepingDims) }
    /// Smallest element over `axes` (all when `nil`). Mirrors `torch.amin`.
    @inlinable public func min(axes: [Int]? = nil, keepingDims: Bool = false) -> Variable {
        applying(MaxReduce(axes: axes, keepingDims: keepingDims, isMinimum: true))
    }
    /// Smallest element along one axis. Mirrors `torch.amin(x, dim)`.
    @inlinable public func min(axis: Int, keepingDims: Bool = false) -> Variable { min(axes: [axis], keepingDims: keepingDims) }
}
