import NablaTensor

/// Sum over `axes` (all when `nil`). Mirrors `torch.sum(x, dim, keepdim)`.
public struct Sum: UnaryOperator {
    /// The op's name in the registry and in messages, `"sum"`.
    public static let name = "sum"
    /// The reduced axes (`nil`: all).
    public let axes: [Int]?
    /// Whether reduced axes stay with size 1.
    public let keepingDims: Bool
    /// Batching rule: the reduced axes move past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        let axes = Batching.shifted(axes, rank: x.rank - 1, op: "sum")
        return axes.isEmpty ? x : x.applying(Sum(axes: axes, keepingDims: keepingDims))
    }
    /// Creates the op with the given attributes.
    @inlinable public init(axes: [Int]?, keepingDims: Bool) {
        self.axes = axes
        self.keepingDims = keepingDims
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        x.sum(axes: axes, keepingDims: keepingDims)
    }
    /// `x̄ = ȳ` broadcast back over the reduced axes.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.reshaped(keptShape(x.shape, axes)).expanded(to: x.shape)
    }
    /// `ẏ = Σ ẋ` over the same axes.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

/// `shape` with the reduced `axes` (all when `nil`) set to 1.
@inlinable func keptShape(_ shape: [Int], _ axes: [Int]?) -> [Int] {
    guard let axes else { return [Int](repeating: 1, count: shape.count) }
    var s = shape
    for a in Shape.normalizeAxes(axes, rank: shape.count, op: "sum") { s[a] = 1 }
    return s
}

extension Variable {
    /// Sum over `axes` (all when `nil`). Mirrors `torch.sum`.
    @inlinable public func sum(axes: [Int]? = nil, keepingDims: Bool = false) -> Variable {
        applying(Sum(axes: axes, keepingDims: keepingDims))
    }
    /// Sum over one axis. Mirrors `torch.sum(x, dim)`.
    @inlinable public func sum(axis: Int, keepingDims: Bool = false) -> Variable { sum(axes: [axis], keepingDims: keepingDims) }
}
