import NablaTensor

/// One recorded op application: its inputs, what it saved, and its VJP.
///
/// A subclass per kind of op (`UnaryNode`, `BinaryNode`, `CustomNode`…) stores the op and
/// its input variables and overrides `backward(_:)`, which adds the cotangent of each needed
/// input into that input's node (micrograd's `+=`). The reverse sweep (`Backward`) only sets the
/// bookkeeping fields below; they are valid during one sweep and cleared after it.
///
/// Speed: the node classes are generic, and the runtime calls a generic class's methods in their
/// unspecialized form (every tensor op inside would then dispatch per element). So each node stores
/// its VJP step as a closure created in its `@inlinable` initializer, which is specialized where
/// the op is recorded; the closure captures nothing, so storing it allocates nothing.
///
/// Nodes are not safe to differentiate from two threads at once when graphs share nodes.
public class Node<Scalar: TensorFloatingPoint>: @unchecked Sendable {
    /// The shape of the value this node produced.
    public final let shape: [Int]
    /// The cotangent accumulated so far during a reverse sweep.
    @exclusivity(unchecked) @usableFromInline final var pending: Variable<Scalar>? = nil
    /// The forward-mode tangent of this node's value, inside ``jvp(at:tangent:of:)``.
    @inlinable final var tangent: Variable<Scalar>? {
        get { storedTangent }
        set { storedTangent = newValue; hasTangent = newValue != nil }
    }
    /// The storage of ``tangent``.
    @exclusivity(unchecked) @usableFromInline final var storedTangent: Variable<Scalar>? = nil
    /// Whether ``tangent`` is set. Recording an op tests this flag rather than `tangent != nil`,
    /// which may copy the optional `Variable` out of the node on every op.
    @exclusivity(unchecked) @usableFromInline final var hasTangent = false
    /// Sweep bookkeeping: visited by the current sweep's search.
    @exclusivity(unchecked) @usableFromInline final var visited = false
    /// Sweep bookkeeping: lies on a path from a target to the output.
    @exclusivity(unchecked) @usableFromInline final var needed = false
    /// Whether ``releaseInputs(into:)`` has already run, so that ``deinit`` has nothing left to free
    /// (the loop in `freeInputs(of:)` releases the inputs of every node it frees before dropping it).
    @exclusivity(unchecked) @usableFromInline final var inputsReleased = false
    /// Sweep bookkeeping: the position of this node among the sweep's targets, or -1.
    @exclusivity(unchecked) @usableFromInline final var targetIndex = -1

    @inlinable init(shape: [Int]) { self.shape = shape }

    /// The op's name, for messages (`"mul"`, `"leaf"`).
    public var opName: String { "leaf" }
    /// The number of inputs.
    @usableFromInline var inputCount: Int { 0 }
    /// The node of input `i`, or `nil` if that input is a constant. Unretained: this node keeps
    /// it alive (the sweep walks a graph its output holds, without reference-count traffic).
    @usableFromInline func inputNode(_ i: Int) -> Unmanaged<Node<Scalar>>? { nil }

    /// Adds the cotangent of every needed input, given this node's cotangent `cotangent`.
    /// `recording` tells whether the sweep is itself recorded (higher order): if not, rules run on
    /// constants, and elementwise rules take their fused one-loop path. The cotangent is handed
    /// over (`consuming`), so a first-order rule may write its result into the cotangent's own
    /// buffer when nothing else holds it.
    @usableFromInline func backward(_ cotangent: consuming Variable<Scalar>, recording: Bool) {}

    /// Drops this node's references to its inputs, appending each input node that nothing else
    /// references to `released`, so that ``deinit`` can free a long chain without recursion.
    @usableFromInline func releaseInputs(into released: inout [Node<Scalar>]) {}

    deinit {
        // Freeing a chain of 100 000 nodes recursively would overflow the stack: free it with a loop.
        // A node freed by that loop has no inputs left: skip the (unspecialized) call.
        if !inputsReleased { freeInputs(of: self) }
    }

    /// Adds `g` to this node's pending cotangent (the `+=` that makes a value used twice come out right).
    @inlinable final func accumulate(_ g: Variable<Scalar>) {
        if g.node == nil && g.batch == nil { accumulate(value: g.value); return }
        precondition(g.shape == shape,
                     "backward (\(opName)): gradient of shape \(g.value.shape) for a value of shape \(shape)")
        pending = pending.map { $0 + g } ?? g
    }

    /// Adds the elementwise product `a·b` of two constants of this node's shape (an unrecorded
    /// sweep's cotangent, such as `ȳ·x` for a product's operand) to the pending cotangent: in one
    /// loop into the pending buffer when there is one and nothing else shares it, without a
    /// temporary for the product. The sums are rounded as `pending + a * b` would be.
    @inlinable final func accumulate(product a: Tensor<Scalar>, _ b: Tensor<Scalar>) {
        precondition(a.shape == shape && b.shape == shape,
                     "backward (\(opName)): gradient of shape \(a.shape) for a value of shape \(shape)")
        guard let p = pending.take() else { pending = Variable(a * b); return }
        if p.node != nil || p.batch != nil { pending = p + Variable(a * b); return }
        var t = (consume p).value
        if t.count >= Parallel.minimumChunk {
            t += a * b   // large: the operators split the work across threads
            pending = Variable(t)
            return
        }
        t.withUnsafeMutableBufferPointer { tb in
            a.withUnsafeBufferPointer { ab in
                b.withUnsafeBufferPointer { bb in
                    let t = tb.baseAddress!, a = ab.baseAddress!, b = bb.baseAddress!
                    for i in 0..<tb.count { t[i] += a[i] * b[i] }
                }
            }
        }
        pending = Variable(t)
    }

    /// Adds the constant cotangent `g` (an unrecorded sweep's) to this node's pending cotangent,
    /// in place when the pending buffer is not shared.
    @inlinable final func accumulate(value g: consuming Tensor<Scalar>) {
        precondition(g.shape == shape,
                     "backward (\(opName)): gradient of shape \(g.shape) for a value of shape \(shape)")
        guard let p = pending.take() else { pending = Variable(consume g); return }
        if p.node != nil || p.batch != nil { pending = p + Variable(g); return }
        var t = (consume p).value   // so that the buffer is found unshared and added to in place
        if t.shape == g.shape && t.count < Parallel.minimumChunk {
            // One loop over small dense buffers (`+=` would also work, through its broadcasting
            // checks; it is kept for large ones, which it splits across threads).
            t.withUnsafeMutableBufferPointer { tb in
                g.withUnsafeBufferPointer { gb in
                    let t = tb.baseAddress!, g = gb.baseAddress!
                    for i in 0..<tb.count { t[i] += g[i] }
                }
            }
        } else {
            t += g
        }
        pending = Variable(t)
    }
}

/// A leaf created with `Variable(_:requiresGradient: true)`: ``Variable/backward(seed:createGraph:)`` accumulates into ``grad``.
public final class LeafNode<Scalar: TensorFloatingPoint>: Node<Scalar>, @unchecked Sendable {
    /// The accumulated gradient (`tensor.grad`).
    @exclusivity(unchecked) public final var grad: Tensor<Scalar>? = nil
    @inlinable override init(shape: [Int]) { super.init(shape: shape) }
}

/// The input of one differentiation transform: the identity on an outer variable, so a transform
/// nested inside another stays connected to it (and its sweep stops here).
@usableFromInline final class InputNode<Scalar: TensorFloatingPoint>: Node<Scalar>, @unchecked Sendable {
    @exclusivity(unchecked) @usableFromInline var x: Variable<Scalar>
    @inlinable init(_ x: Variable<Scalar>) {
        self.x = x
        super.init(shape: x.value.shape)
        tangent = x.node?.tangent
    }
    @usableFromInline override var opName: String { "input" }
    @usableFromInline override var inputCount: Int { 1 }
    @usableFromInline override func inputNode(_ i: Int) -> Unmanaged<Node<Scalar>>? { unretained(x.node) }
    @usableFromInline override func backward(_ cotangent: consuming Variable<Scalar>, recording: Bool) {
        if let n = x.node, n.needed { n.accumulate(cotangent) }
    }
    @usableFromInline override func releaseInputs(into released: inout [Node<Scalar>]) { release(&x, into: &released) }
}

extension Variable {
    /// A fresh differentiable input for a transform: connected to `self` if `self` is differentiable.
    /// Inside `vmap` the input is first batched over every enclosing `vmap` (see `expandingToLiveLevels`),
    /// so the transform's graph never mixes batch elements; the node holds the whole batch.
    @inlinable func makeInput() -> Variable {
        if Context.current.liveLevels.isEmpty && batch == nil { return Variable(value, node: InputNode(self)) }
        let x = expandingToLiveLevels()
        return Variable(x.value, node: InputNode(x), batch: x.batch)
    }
}

/// Releases `node`'s inputs and, iteratively, every input only they referenced (specialized, so
/// a deinit does not look up generic metadata for its worklist).
@_specialize(where S == Double)
@_specialize(where S == Float)
@usableFromInline func freeInputs<S>(of node: Node<S>) {
    var released: [Node<S>] = []
    node.releaseInputs(into: &released)
    while let n = released.popLast() {
        n.releaseInputs(into: &released)
        n.inputsReleased = true
    }
}

/// `node` as an unretained reference (see ``Node/inputNode(_:)``).
@inlinable @inline(__always) func unretained<S>(_ node: Node<S>?) -> Unmanaged<Node<S>>? {
    guard let node else { return nil }
    return Unmanaged.passUnretained(node)
}

/// Moves `node` out of the field and into `released` if nothing else references it.
@_specialize(where S == Double)
@_specialize(where S == Float)
@inlinable func release<S>(_ node: inout Node<S>?, into released: inout [Node<S>]) {
    guard var n = node else { return }
    node = nil
    if isKnownUniquelyReferenced(&n) { released.append(n) }
}

/// Moves `v`'s node out of `v` and into `released` if nothing else references it.
@_specialize(where S == Double)
@_specialize(where S == Float)
@inlinable func release<S>(_ v: inout Variable<S>, into released: inout [Node<S>]) {
    guard var n = v.node else { return }
    v.node = nil
    if isKnownUniquelyReferenced(&n) { released.append(n) }
}
