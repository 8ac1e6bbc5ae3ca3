import NablaTensor

/// The view selected by basic indices (integers, ranges, strided slices, new axes, ellipsis).
/// Mirrors `x[i, 1:3, ..., None]` in PyTorch.
public struct Slice: UnaryOperator {
    /// The op's name in the registry and in messages, `"slice"`.
    public static let name = "slice"
    /// The indices, as for `Tensor.subscript(indices:)`.
    public let indices: [TensorIndex]
    /// Creates the op with the given attributes.
    @inlinable public init(_ indices: [TensorIndex]) { self.indices = indices }
    /// Batching rule: a full slice of the batch axis goes first.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(Slice([.all] + indices)) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x[indices: indices] }
    /// `x̄` is zero except at the selected elements, which get `ȳ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.applying(SliceAdjoint(indices, shape: x.shape))
    }
    /// `ẏ = ẋ[indices]`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

/// Writes its input into the elements `indices` select of zeros of `shape`: the adjoint of ``Slice``.
public struct SliceAdjoint: UnaryOperator {
    /// The op's name in the registry and in messages, `"sliceAdjoint"`.
    public static let name = "sliceAdjoint"
    /// The indices.
    public let indices: [TensorIndex]
    /// The full shape.
    public let shape: [Int]
    /// Batching rule: a full slice of the batch axis goes first.
    @inlinable public func batched<S: TensorFloatingPoint>(_ ct: Variable<S>) -> Variable<S> {
        ct.applying(SliceAdjoint([.all] + indices, shape: [ct.shape[0]] + shape))
    }
    /// Creates the op.
    @inlinable public init(_ indices: [TensorIndex], shape: [Int]) {
        self.indices = indices
        self.shape = shape
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        var z = Tensor<S>.zeros(shape)
        z[indices: indices] = x
        return z
    }
    /// `x̄ = ȳ[indices]`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.applying(Slice(indices))
    }
    /// Linear: the tangent is placed the same way.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

extension Variable {
    /// The view selected by `indices`. Mirrors `x[…]` in PyTorch: `x[0..<2, .all, 3]`.
    @inlinable public subscript(_ indices: any TensorIndexConvertible...) -> Variable {
        applying(Slice(indices.map { $0.tensorIndex }))
    }
    /// The view selected by an array of indices.
    @inlinable public subscript(indices indices: [TensorIndex]) -> Variable { applying(Slice(indices)) }
    /// Pieces of `sizes` along `axis`. Mirrors `torch.split(x, sizes, dim)`.
    @inlinable public func split(sizes: [Int], axis: Int = 0) -> [Variable] {
        let a = Shape.normalizeAxis(axis, rank: rank, op: "split")
        precondition(sizes.reduce(0, +) == shape[a], "split: sizes \(sizes) do not add up to \(shape[a]) (axis \(axis) of shape \(shape))")
        var start = 0
        return sizes.map { n in
            var idx = [TensorIndex](repeating: .all, count: a)
            idx.append((start..<(start + n)).tensorIndex)
            start += n
            return self[indices: idx]
        }
    }
    /// Reverses the order of elements along `axes`. Mirrors `torch.flip`.
    @inlinable public func flipped(axes: [Int]) -> Variable {
        let ax = Shape.normalizeAxes(axes, rank: rank, op: "flip")
        return self[indices: (0..<rank).map { ax.contains($0) ? .stride(by: -1) : .all }]
    }
}
