import NablaTensor

/// Axes reordered: output axis `i` is input axis `axes[i]`. Mirrors `torch.permute`.
public struct Permute: UnaryOperator {
    /// The op's name in the registry and in messages, `"permute"`.
    public static let name = "permute"
    /// The permutation.
    public let axes: [Int]
    /// Batching rule: the batch axis stays first, the others move one place.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        x.applying(Permute([0] + axes.map { Shape.normalizeAxis($0, rank: x.rank - 1, op: "permute") + 1 }))
    }
    /// Creates the op.
    @inlinable public init(_ axes: [Int]) { self.axes = axes }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.permuted(axes) }
    /// `x̄ = ȳ` permuted by the inverse permutation.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        var inverse = [Int](repeating: 0, count: axes.count)
        for (i, a) in axes.enumerated() { inverse[a < 0 ? a + axes.count : a] = i }
        return ct.permuted(inverse)
    }
    /// `ẏ = ẋ` permuted.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.permuted(axes)
    }
}

extension Variable {
    /// Axes reordered. Mirrors `torch.permute`.
    @inlinable public func permuted(_ axes: [Int]) -> Variable { applying(Permute(axes)) }
    /// Axes reordered.
    @inlinable public func permuted(_ axes: Int...) -> Variable { permuted(axes) }
    /// Swaps two axes. Mirrors `torch.transpose(x, a, b)`.
    @inlinable public func transposed(_ a: Int, _ b: Int) -> Variable {
        var p = Array(0..<rank)
        p.swapAt(Shape.normalizeAxis(a, rank: rank, op: "transpose"), Shape.normalizeAxis(b, rank: rank, op: "transpose"))
        return permuted(p)
    }
    /// The matrix transpose (last two axes swapped; vectors unchanged). Mirrors `x.mT`.
    @inlinable public func transposed() -> Variable { rank < 2 ? self : transposed(-2, -1) }
    /// The matrix transpose.
    @inlinable public var T: Variable { transposed() }
}
