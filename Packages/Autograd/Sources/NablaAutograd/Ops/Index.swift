import NablaTensor

/// The slice at `index` along axis 0 (rank drops by one). Mirrors `x[i]` in PyTorch.
public struct Index: UnaryOperator {
    /// The op's name in the registry and in messages, `"index"`.
    public static let name = "index"
    /// The position along axis 0 (negative counts from the end).
    public let index: Int
    /// Creates the op with the given attributes.
    @inlinable public init(_ index: Int) { self.index = index }
    /// Batching rule: the index applies to axis 1.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(Slice([.all, .index(index)])) }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        precondition(x.rank >= 1, "index: cannot index a rank-0 tensor")
        let n = x.shape[0]
        let i = index < 0 ? index + n : index
        precondition(i >= 0 && i < n, "index: index \(index) is out of range for axis 0 of shape \(x.shape)")
        let inner = Array(x.shape.dropFirst())
        let m = Shape.count(inner)
        return x.withUnsafeBufferPointer { b in Tensor(shape: inner, scalars: Array(b[(i * m)..<(i * m + m)])) }
    }
    /// `x̄` is zero except slice `index`, which is `ȳ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.applying(IndexAdjoint(index: index, shape: x.shape))
    }
    /// `ẏ = ẋ[index]`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

/// Places a slice at `index` along axis 0 of zeros of `shape`: the adjoint (transpose) of ``Index``.
public struct IndexAdjoint: UnaryOperator {
    /// The op's name in the registry and in messages, `"indexAdjoint"`.
    public static let name = "indexAdjoint"
    /// The position along axis 0.
    public let index: Int
    /// The full shape.
    public let shape: [Int]
    /// Batching rule: the cotangent is placed on axis 1 (zeros around it).
    @inlinable public func batched<S: TensorFloatingPoint>(_ ct: Variable<S>) -> Variable<S> {
        ct.applying(SliceAdjoint([.all, .index(index)], shape: [ct.shape[0]] + shape))
    }
    /// Creates the op.
    @inlinable public init(index: Int, shape: [Int]) {
        self.index = index
        self.shape = shape
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        let i = index < 0 ? index + shape[0] : index
        let m = x.count
        var out = Tensor<S>.zeros(shape)
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for j in 0..<m { dst[i * m + j] = src[j] }
            }
        }
        return out
    }
    /// `x̄ = ȳ[index]`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.applying(Index(index))
    }
    /// Linear: `ẏ` places `ẋ` the same way.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

extension Variable {
    /// The slice at `i` along axis 0; `x[0]` of a vector is a rank-0 scalar. Mirrors `x[i]`.
    @inlinable public subscript(_ i: Int) -> Variable { applying(Index(i)) }
}
