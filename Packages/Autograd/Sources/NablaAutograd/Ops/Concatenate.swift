import NablaTensor

/// Joins tensors along an existing axis. Mirrors `torch.cat(xs, dim=axis)`.
public struct Concatenate: NaryOperator {
    /// The op's name in the registry and in messages, `"concatenate"`.
    public var name: String { "concatenate" }
    /// The joining axis.
    public let axis: Int
    /// Creates the op with the given attributes.
    @inlinable public init(axis: Int) { self.axis = axis }
    /// Batching rule: unbatched inputs are copied along the batch; the axis moves past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ inputs: [Variable<S>], batched: [Bool]) -> Variable<S> {
        let size = zip(inputs, batched).first { $1 }!.0.shape[0]
        let xs = zip(inputs, batched).map { Batching.materialized($0, $1, size: size) }
        return Variable.applying(Concatenate(axis: Shape.normalizeAxis(axis, rank: xs[0].rank - 1, op: "concatenate") + 1), xs)
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ inputs: [Tensor<S>]) -> Tensor<S> {
        concatenate(inputs, axis: axis)
    }
    /// `x̄ᵢ` is the piece of `ȳ` where input `i` sits.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>,
                                                       needed: [Bool]) -> [Variable<S>?] {
        let a = Shape.normalizeAxis(axis, rank: y.rank, op: "concatenate")
        let pieces = ct.split(sizes: inputs.map { $0.shape[a] }, axis: a)
        return pieces.enumerated().map { needed[$0.offset] ? $0.element : nil }
    }
    /// `ẏ` joins the tangents (zeros where an input has none).
    @inlinable public func jvp<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Variable<S>,
                                                       _ tangents: [Variable<S>?]) -> Variable<S> {
        Variable.applying(self, zip(inputs, tangents).map { x, t in t ?? Variable(Tensor<S>.zeros(x.shape)) })
    }
}

/// Joins variables along an existing axis. Mirrors `torch.cat`.
@inlinable public func concatenate<S: TensorFloatingPoint>(_ xs: [Variable<S>], axis: Int = 0) -> Variable<S> {
    Variable.applying(Concatenate(axis: axis), xs)
}
