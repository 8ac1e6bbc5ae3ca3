import NablaTensor

/// Picks elements along `axis` by integer indices. Mirrors `torch.gather(x, axis, indices)`.
public struct Gather: UnaryOperator {
    /// The op's name in the registry and in messages, `"gather"`.
    public static let name = "gather"
    /// The indices (a constant).
    public let indices: Tensor<Int>
    /// The axis.
    public let axis: Int
    /// Creates the op with the given attributes.
    @inlinable public init(indices: Tensor<Int>, axis: Int) {
        self.indices = indices
        self.axis = axis
    }
    /// Batching rule: the indices are shared by every element and the axis moves past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        x.applying(Self(indices: Batching.sharedIndices(indices, x.shape[0], expand: true), axis: Shape.normalizeAxis(axis, rank: x.rank - 1, op: "gather") + 1))
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.gathering(indices: indices, axis: axis) }
    /// `x̄ = scatter_add(zeros, indices, ȳ)`: repeated indices accumulate.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.applying(ScatterAdd(indices: indices, axis: axis, shape: x.shape))
    }
    /// `ẏ = gather(ẋ)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

/// Adds its input into zeros of `shape` at `indices` along `axis`: the adjoint of ``Gather``.
/// Mirrors `torch.zeros(shape).scatter_add(axis, indices, x)`.
public struct ScatterAdd: UnaryOperator {
    /// The op's name in the registry and in messages, `"scatterAdd"`.
    public static let name = "scatterAdd"
    /// The indices (a constant).
    public let indices: Tensor<Int>
    /// The axis.
    public let axis: Int
    /// The result's shape.
    public let shape: [Int]
    /// Batching rule: the indices are shared by every element and the axis moves past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        x.applying(Self(indices: Batching.sharedIndices(indices, x.shape[0], expand: true),
                        axis: Shape.normalizeAxis(axis, rank: shape.count, op: "scatter") + 1, shape: [x.shape[0]] + shape))
    }
    /// Creates the op.
    @inlinable public init(indices: Tensor<Int>, axis: Int, shape: [Int]) {
        self.indices = indices
        self.axis = axis
        self.shape = shape
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        Tensor<S>.zeros(shape).scatteringAdd(indices: indices, values: x, axis: axis)
    }
    /// `x̄ = gather(ȳ)` (cut to the input's extent).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.applying(Gather(indices: indices, axis: axis)).padded(to: x.shape)
    }
    /// Linear: the tangent is scattered the same way.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

/// Whole slices along `axis` picked by a vector of indices. Mirrors `torch.index_select` (an embedding lookup).
public struct IndexSelect: UnaryOperator {
    /// The op's name in the registry and in messages, `"indexSelect"`.
    public static let name = "indexSelect"
    /// The indices, a vector (a constant).
    public let indices: Tensor<Int>
    /// The axis.
    public let axis: Int
    /// Creates the op with the given attributes.
    @inlinable public init(indices: Tensor<Int>, axis: Int) {
        self.indices = indices
        self.axis = axis
    }
    /// Batching rule: the indices are shared by every element and the axis moves past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        x.applying(Self(indices: indices, axis: Shape.normalizeAxis(axis, rank: x.rank - 1, op: "gather") + 1))
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.indexSelect(indices: indices, axis: axis) }
    /// `x̄ = index_add(zeros, indices, ȳ)`: repeated rows accumulate.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.applying(IndexAdd(indices: indices, axis: axis, shape: x.shape))
    }
    /// `ẏ = index_select(ẋ)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

/// Adds slices of its input into zeros of `shape` at `indices` along `axis`: the adjoint of ``IndexSelect``.
public struct IndexAdd: UnaryOperator {
    /// The op's name in the registry and in messages, `"indexAdd"`.
    public static let name = "indexAdd"
    /// The indices (a constant vector).
    public let indices: Tensor<Int>
    /// The axis.
    public let axis: Int
    /// The result's shape.
    public let shape: [Int]
    /// Batching rule: the indices are shared by every element and the axis moves past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        x.applying(Self(indices: indices,
                        axis: Shape.normalizeAxis(axis, rank: shape.count, op: "scatter") + 1, shape: [x.shape[0]] + shape))
    }
    /// Creates the op.
    @inlinable public init(indices: Tensor<Int>, axis: Int, shape: [Int]) {
        self.indices = indices
        self.axis = axis
        self.shape = shape
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        Tensor<S>.zeros(shape).indexAdding(indices: indices, values: x, axis: axis)
    }
    /// `x̄ = index_select(ȳ)`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.applying(IndexSelect(indices: indices, axis: axis))
    }
    /// Linear: the tangent is added the same way.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

extension Variable {
    /// Picks elements along `axis`. Mirrors `torch.gather(x, dim=axis, index=indices)`.
    @inlinable public func gathering(indices: Tensor<Int>, axis: Int) -> Variable { applying(Gather(indices: indices, axis: axis)) }
    /// Whole slices along `axis`. Mirrors `torch.index_select` (the gradient of an embedding lookup).
    @inlinable public func indexSelect(indices: Tensor<Int>, axis: Int) -> Variable { applying(IndexSelect(indices: indices, axis: axis)) }
    /// `self` plus `values` scattered at `indices` along `axis` (repeats accumulate).
    /// Mirrors `torch.scatter_add(x, axis, indices, values)`.
    @inlinable public func scatteringAdd(indices: Tensor<Int>, values: Variable, axis: Int) -> Variable {
        self + values.applying(ScatterAdd(indices: indices, axis: axis, shape: shape))
    }
    /// Zero-pads at the end of each axis up to `shape` (used where a gather read only a prefix).
    @inlinable func padded(to target: [Int]) -> Variable {
        if shape == target { return self }
        return padded(zip(shape, target).map { (before: 0, after: $1 - $0) }, value: 0)
    }
}
