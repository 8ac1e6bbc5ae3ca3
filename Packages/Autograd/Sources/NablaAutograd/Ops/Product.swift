import NablaTensor

/// The product of elements over `axes` (all when `nil`). Mirrors `torch.prod`.
///
/// `∂y/∂xᵢ = Π_{j≠i} xⱼ`. Without zeros in the input that is `y/xᵢ` (one division); with zeros
/// (where `y/xᵢ` would be 0/0) the products of the others are formed directly, as PyTorch's
/// `prod_backward` does: the reduced axes are flattened to one of length `n`, and each of the `n`
/// rows of an `[…, n, n]` tensor holding the slice with a 1 in place of element `i` is multiplied
/// out (`O(n²)`, taken only when a zero is present).
public struct Product: UnaryOperator {
    /// The op's name in the registry and in messages, `"prod"`.
    public static let name = "prod"
    /// The reduced axes (`nil`: all).
    public let axes: [Int]?
    /// Whether reduced axes stay with size 1.
    public let keepingDims: Bool
    /// Batching rule: the reduced axes move past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        let axes = Batching.shifted(axes, rank: x.rank - 1, op: "prod")
        return axes.isEmpty ? x : x.applying(Product(axes: axes, keepingDims: keepingDims))
    }
    /// Creates the op.
    @inlinable public init(axes: [Int]?, keepingDims: Bool) {
        self.axes = axes
        self.keepingDims = keepingDims
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.product(axes: axes, keepingDims: keepingDims) }

    /// `Π_{j≠i} xⱼ` over the reduced axes, in `x`'s shape (differentiable).
    @inlinable func productOfOthers<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        let reduced = axes.map { Shape.normalizeAxes($0, rank: x.rank, op: "prod") } ?? Array(0..<x.rank)
        let kept = (0..<x.rank).filter { !reduced.contains($0) }
        let order = kept + reduced
        let moved = x.permuted(order)
        let n = reduced.reduce(1) { $0 * x.shape[$1] }
        let flat = moved.reshaped(kept.map { x.shape[$0] } + [n])
        // rows[..., i, j] = (i == j) ? 1 : x[..., j]
        let eye = Tensor<Bool>(shape: [n, n], (0..<(n * n)).map { $0 / n == $0 % n })
        let rows = Variable.where(eye, Variable(Tensor<S>.ones([n, n])), flat.unsqueezed(axis: -2))
        let others = rows.applying(Product(axes: [-1], keepingDims: false))   // [..., n]
        var inverse = [Int](repeating: 0, count: order.count)
        for (i, a) in order.enumerated() { inverse[a] = i }
        return others.reshaped(order.map { x.shape[$0] }).permuted(inverse)
    }

    /// `x̄ᵢ = ȳ·Π_{j≠i} xⱼ` (`ȳ·y/xᵢ` when no input is zero).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let kept = keptShape(x.shape, axes)
        if x.value.scalars.contains(0) { return ct.reshaped(kept) * productOfOthers(x) }
        return ct.reshaped(kept) * y.reshaped(kept) / x
    }
    /// `ẏ = Σᵢ ẋᵢ·Π_{j≠i} xⱼ` (`y·Σ ẋᵢ/xᵢ` when no input is zero).
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        if x.value.scalars.contains(0) { return (t * productOfOthers(x)).sum(axes: axes, keepingDims: keepingDims) }
        return y * (t / x).sum(axes: axes, keepingDims: keepingDims)
    }
}

extension Variable {
    /// Product over `axes` (all when `nil`), differentiable also at zeros. Mirrors `torch.prod`.
    @inlinable public func product(axes: [Int]? = nil, keepingDims: Bool = false) -> Variable {
        applying(Product(axes: axes, keepingDims: keepingDims))
    }
}
