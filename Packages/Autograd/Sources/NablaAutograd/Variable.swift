import NablaTensor

/// A tensor that records how it was computed, so that derivatives of it can be taken.
///
/// A `Variable` is a value (`Tensor<Scalar>`) plus an optional reference to the ``Node`` that
/// produced it. Constants have no node; every op applied to a variable with a node records a new
/// node holding the op's inputs and rules. Reverse mode walks those nodes backwards from an output
/// (`gradient(at:of:)`); forward mode carries a tangent on each node as it is created
/// (`jvp(at:tangent:of:)`). Mirrors a `torch.Tensor` with `requires_grad`, or a JAX tracer.
///
/// ```swift
/// let g = gradient(at: Tensor<Double>([2, 3])) { x in (x[0] * x[1]).log() }   // [0.5, 0.333…]
/// ```
public struct Variable<Scalar: TensorFloatingPoint> {
    /// The value. Inside `vmap` a batched variable's value holds the whole
    /// batch, its batch axes leading (outermost `vmap` first); ``shape`` is that of one element.
    public let value: Tensor<Scalar>
    /// The node that produced this value, or `nil` for a constant (set to `nil` only when a graph is freed).
    @usableFromInline var node: Node<Scalar>?
    /// The `vmap` levels this value is batched over (`nil` outside `vmap`, the common case): `value`
    /// then holds one leading axis per level, outermost first, before the per-example axes.
    @usableFromInline var batch: BatchTag?

    /// A variable backed by `node` (used by op recording).
    @inlinable init(_ value: Tensor<Scalar>, node: Node<Scalar>?) {
        self.value = value
        self.node = node
        self.batch = nil
    }

    /// A variable backed by `node`, batched over the levels of `batch`.
    @inlinable init(_ value: Tensor<Scalar>, node: Node<Scalar>?, batch: BatchTag?) {
        self.value = value
        self.node = node
        self.batch = batch
    }

    /// A constant: derivatives do not flow into it. Mirrors `torch.tensor(x)` (`requires_grad=False`).
    @inlinable public init(_ value: Tensor<Scalar>) {
        self.value = value
        self.node = nil
        self.batch = nil
    }

    /// A leaf whose gradient is accumulated by ``backward(seed:createGraph:)`` into ``gradient``, across calls.
    /// Mirrors `torch.tensor(x, requires_grad=True)`.
    @inlinable public init(_ value: Tensor<Scalar>, requiresGradient: Bool) {
        self.value = value
        self.node = requiresGradient ? LeafNode(shape: value.shape) : nil
        self.batch = nil
    }

    /// A rank-0 constant.
    @inlinable public init(_ scalar: Scalar) { self.init(Tensor(scalar)) }

    /// The shape of the value. Inside `vmap` this is the shape of one batch
    /// element (the batch axes are hidden), like a JAX tracer's shape; ``value`` holds the whole batch.
    @inlinable public var shape: [Int] {
        guard let b = batch else { return value.shape }
        return Array(value.shape.dropFirst(b.levels.count))
    }
    /// The rank of the value (of one batch element inside `vmap`).
    @inlinable public var rank: Int { value.rank - (batch?.levels.count ?? 0) }
    /// The number of elements (of one batch element inside `vmap`).
    @inlinable public var count: Int { batch == nil ? value.count : shape.reduce(1, *) }
    /// The single element of a one-element variable (any rank), as a plain number with no
    /// derivative attached. Mirrors PyTorch's `item()`.
    ///
    /// ```swift
    /// let loss = (x * x).sum()
    /// print(loss.scalar)
    /// ```
    ///
    /// - Precondition: the variable has exactly one element (the message gives its shape).
    @inlinable public var scalar: Scalar { value.scalar }
    /// The elements in row-major order.
    @inlinable public var scalars: [Scalar] { value.scalars }

    /// Whether derivatives flow through this value (it has a node).
    @inlinable public var isDifferentiable: Bool { node != nil }

    /// The gradient accumulated into this leaf by ``backward(seed:createGraph:)``, or `nil` if none yet (or not a leaf).
    /// Mirrors `tensor.grad`.
    public var gradient: Tensor<Scalar>? { (node as? LeafNode<Scalar>)?.grad }

    /// Clears the accumulated gradient of a leaf. Mirrors `tensor.grad = None`.
    public func zeroGradient() { (node as? LeafNode<Scalar>)?.grad = nil }

    /// The same value, cut off from the graph: no derivative flows through it.
    /// Mirrors `tensor.detach()` and JAX's `stop_gradient`.
    @inlinable public func detached() -> Variable { Variable(value, node: nil, batch: batch) }

    /// The forward-mode tangent carried by this value inside `jvp(at:tangent:of:)`, if any.
    @inlinable public var tangent: Tensor<Scalar>? { node?.tangent?.value }

    /// Whether this value is batched by an enclosing `vmap` (its ``value``
    /// then holds the whole batch).
    @inlinable public var isBatched: Bool { batch != nil }
}

/// Variables cross tasks like tensors do; their graphs must still not be swept from two threads at once.
extension Variable: Sendable {}

extension Variable: CustomStringConvertible {
    /// The value, marked when differentiable.
    public var description: String {
        node == nil ? value.description : "\(value.description) (\(node!.opName))"
    }
}

/// Cuts `x` off from the graph, so no derivative flows through it. Mirrors `torch.Tensor.detach`.
@inlinable public func withoutDerivative<S: TensorFloatingPoint>(at x: Variable<S>) -> Variable<S> { x.detached() }
