import NablaTensor

// The three shapes of primitive op, JAX-style: each op is a small struct (its attributes, such as
// axes or an exponent, are its stored properties) with its forward, VJP and JVP next to each other.
// Rules are written with `Variable` ops, so a backward pass can itself be recorded (higher order).

/// A primitive of one tensor input. Conforming types live one per file in `Ops/`.
///
/// - `forward` computes the value on plain tensors.
/// - `vjp` maps the output cotangent `ȳ` to the input cotangent `x̄ = ȳ·∂y/∂x` (shape of `x`).
/// - `jvp` maps an input tangent `ẋ` to the output tangent `ẏ = ∂y/∂x·ẋ` (shape of `y`).
/// Both receive the input `x` and the output `y` (JAX's `defjvp2`), so rules such as `exp` reuse `y`.
public protocol UnaryOperator {
    /// The op's name in the registry and in messages, e.g. `"exp"`.
    static var name: String { get }
    /// The value.
    func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S>
    /// The input cotangent for output cotangent `cotangent`.
    func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ cotangent: Variable<S>) -> Variable<S>
    /// The output tangent for input tangent `tangent`.
    func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ tangent: Variable<S>) -> Variable<S>
    /// The VJP on plain tensors, used when the backward pass is not recorded (first order). The
    /// default runs ``vjp(_:_:_:)`` on constants; elementwise ops fuse it into one loop.
    func vjpValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: Tensor<S>) -> Tensor<S>
    /// ``vjpValue(_:_:_:)`` that replaces `cotangent` by the input cotangent, so that a rule may
    /// write it into the cotangent's own buffer (the reverse sweep hands each cotangent over to
    /// its rule). The default assigns ``vjpValue(_:_:_:)``'s result; elementwise ops update in place.
    func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>)
    /// Whether the rules (``vjp(_:_:_:)``, ``vjpValue(_:_:_:)``, ``formVJPValue(_:_:_:)``) read the
    /// output `y`. When false, a recorded node does not keep its output (three fewer references to
    /// retain and release per node) and the rules receive the input `x` in its place. Defaults to
    /// `true`; ops whose VJP needs only `x` (`sin`, `cos`) say `false`.
    static var vjpUsesOutput: Bool { get }
    /// The batching rule (`vmap`, JAX's `primitive_batchers`): `x` holds a batch
    /// on axis 0; returns the op applied to each element, its batch on axis 0, written with
    /// `Variable` ops (so it is differentiable). The default loops over the batch and says so once.
    func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S>
}

extension UnaryOperator {
    /// `true`: the node keeps the output for the rules.
    @inlinable public static var vjpUsesOutput: Bool { true }

    /// The loop fallback: the op once per batch element, stacked (a one-time warning names the op).
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        Batching.loop(Self.name, [x], [true]) { $0[0].applying(self) }
    }

    /// `vjp` on constants (nothing is recorded).
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: Tensor<S>) -> Tensor<S> {
        vjp(Variable(x), Variable(y), Variable(cotangent)).value
    }

    /// `cotangent = vjpValue(x, y, cotangent)`.
    @inlinable public func formVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>) {
        cotangent = vjpValue(x, y, cotangent)
    }
}

/// An elementwise primitive: its Jacobian is diagonal, so one rule, the derivative `f′(x)`, gives
/// both `vjp = ȳ·f′(x)` and `jvp = ẋ·f′(x)`.
public protocol ElementwiseOperator: UnaryOperator {
    /// `f′(x)` elementwise, written with differentiable ops on `x` and `y = f(x)`.
    func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S>
    /// `f′(x)` for one element, given `x` and `y = f(x)` (the fused first-order path).
    func scalarDerivative<S: TensorFloatingPoint>(_ x: S, _ y: S) -> S
}

extension ElementwiseOperator {
    /// Elementwise ops commute with batching: the op applied to the whole batch at once.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(self) }
    /// `ȳ·f′(x)`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ cotangent: Variable<S>) -> Variable<S> {
        cotangent * derivative(x, y)
    }
    /// `ẋ·f′(x)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ tangent: Variable<S>) -> Variable<S> {
        tangent * derivative(x, y)
    }
    /// `ȳ·f′(x)` in one pass over the three buffers (one allocation).
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: Tensor<S>) -> Tensor<S> {
        Tensor(shape: x.shape) { out in
            let o = out.baseAddress!
            x.withUnsafeBufferPointer { xb in
                y.withUnsafeBufferPointer { yb in
                    cotangent.withUnsafeBufferPointer { cb in
                        for i in 0..<xb.count { (o + i).initialize(to: cb[i] * scalarDerivative(xb[i], yb[i])) }
                    }
                }
            }
        }
    }
    /// `ȳ·f′(x)` written over `ȳ` in one pass when its buffer is dense and unshared (the reverse
    /// sweep's common case: every cotangent is handed to one rule), else into a copy of it first.
    /// The built-in elementwise ops implement ``UnaryOperator/formVJPValue(_:_:_:)`` with this; it
    /// is not the protocol's default, since a type that customizes ``UnaryOperator/vjpValue(_:_:_:)``
    /// would be bypassed by it.
    @inlinable public func formElementwiseVJPValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>,
                                                                           _ cotangent: inout Tensor<S>) {
        guard cotangent.shape == x.shape else { cotangent = vjpValue(x, y, cotangent); return }
        cotangent.withUnsafeMutableBufferPointer { cb in
            x.withUnsafeBufferPointer { xb in
                y.withUnsafeBufferPointer { yb in
                    let c = cb.baseAddress!
                    for i in 0..<xb.count { c[i] = c[i] * scalarDerivative(xb[i], yb[i]) }
                }
            }
        }
    }
}

extension ElementwiseOperator {
    /// ``formElementwiseVJPValue(_:_:_:)`` for a derivative computed from a vectorized kernel of
    /// `x`: `ȳ·derivative(kernel(x))` (`cos` for `sin`, `sin` for `cos`). The kernel runs over the
    /// whole buffer at once (`TensorFloatingPoint.apply`, the kernel `Tensor.cos()` uses), which
    /// is several times cheaper per element than the scalar libm call of ``scalarDerivative(_:_:)``.
    @inlinable public func formElementwiseVJPValue<S: TensorFloatingPoint>(
        _ x: Tensor<S>, _ y: Tensor<S>, _ cotangent: inout Tensor<S>, kernel: UnaryFunction, _ derivative: (S) -> S) {
        let n = x.count
        guard cotangent.shape == x.shape, n > 0 else { cotangent = vjpValue(x, y, cotangent); return }
        cotangent.withUnsafeMutableBufferPointer { cb in
            x.withUnsafeBufferPointer { xb in
                withUnsafeTemporaryAllocation(of: S.self, capacity: n) { k in
                    let c = cb.baseAddress!, k = k.baseAddress!
                    S.apply(kernel, xb.baseAddress!, k, count: n)
                    for i in 0..<n { c[i] = c[i] * derivative(k[i]) }
                }
            }
        }
    }
}

/// A primitive of two tensor inputs (which may broadcast against each other).
///
/// `vjp` returns the cotangent of each input already reduced to that input's shape (JAX's
/// `_unbroadcast`), and may skip an input whose gradient is not needed (`nil`).
/// `jvp` receives `nil` for an input without a tangent (a zero tangent, like JAX's `Zero`).
public protocol BinaryOperator {
    /// The op's name in the registry and in messages, e.g. `"mul"`.
    static var name: String { get }
    /// The value.
    func forward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S>
    /// The cotangents of `a` and `b` (each only if its flag is set).
    func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ cotangent: Variable<S>,
                                     needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?)
    /// The output tangent; `da` or `db` is `nil` when that input has no tangent.
    func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                     _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S>
    /// The VJP on plain tensors, used when the backward pass is not recorded (first order). The
    /// default runs ``vjp(_:_:_:_:needA:needB:)`` on constants; arithmetic ops compute it directly.
    func vjpValue<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>, _ y: Tensor<S>, _ cotangent: Tensor<S>,
                                          needA: Bool, needB: Bool) -> (Tensor<S>?, Tensor<S>?)
    /// Whether the rules (``vjp(_:_:_:_:needA:needB:)``, ``vjpValue(_:_:_:_:needA:needB:)``) read
    /// the output `y` (see ``UnaryOperator/vjpUsesOutput``); when false they receive `a` in its
    /// place. Defaults to `true`; `add`, `sub` and `mul` say `false`.
    static var vjpUsesOutput: Bool { get }
    /// The batching rule (see ``UnaryOperator/batched(_:)``): each operand holds a batch on axis 0
    /// when its flag is set (at least one is), and is one unbatched value otherwise; returns the
    /// output with its batch on axis 0. The default loops over the batch and says so once.
    func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, batchedA: Bool, batchedB: Bool) -> Variable<S>
}

extension BinaryOperator {
    /// `true`: the node keeps the output for the rules.
    @inlinable public static var vjpUsesOutput: Bool { true }

    /// The loop fallback: the op once per batch element, stacked (a one-time warning names the op).
    @inlinable public func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>,
                                                           batchedA: Bool, batchedB: Bool) -> Variable<S> {
        Batching.loop(Self.name, [a, b], [batchedA, batchedB]) { Variable.applying(self, $0[0], $0[1]) }
    }

    /// `vjp` on constants (nothing is recorded).
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>, _ y: Tensor<S>, _ cotangent: Tensor<S>,
                                                            needA: Bool, needB: Bool) -> (Tensor<S>?, Tensor<S>?) {
        let (ga, gb) = vjp(Variable(a), Variable(b), Variable(y), Variable(cotangent), needA: needA, needB: needB)
        return (ga?.value, gb?.value)
    }
}

/// A primitive of any number of inputs (custom ops, `einsum`, `concatenate`…).
public protocol NaryOperator {
    /// The op's name in the registry and in messages.
    var name: String { get }
    /// The value.
    func forward<S: TensorFloatingPoint>(_ inputs: [Tensor<S>]) -> Tensor<S>
    /// The cotangent of each input (`nil` for none, or where `needed[i]` is false).
    func vjp<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Variable<S>, _ cotangent: Variable<S>,
                                     needed: [Bool]) -> [Variable<S>?]
    /// The output tangent; `tangents[i]` is `nil` when input `i` has none.
    func jvp<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Variable<S>, _ tangents: [Variable<S>?]) -> Variable<S>
    /// The batching rule (see ``UnaryOperator/batched(_:)``): `inputs[i]` holds a batch on axis 0
    /// when `batched[i]` is set, and is one unbatched value otherwise; returns the output with its
    /// batch on axis 0. The default loops over the batch and says so once; a user op
    /// (``DifferentiableOperator``) supplies a rule by implementing this.
    func batched<S: TensorFloatingPoint>(_ inputs: [Variable<S>], batched: [Bool]) -> Variable<S>
    /// The first-order VJP on plain tensors (an unrecorded sweep, unbatched cotangent), reading
    /// the inputs' values in place: the cotangent of each input (`nil` where not needed), or `nil`
    /// to run ``vjp(_:_:_:needed:)`` on constants instead (the default).
    func vjpValue<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Tensor<S>, _ cotangent: Tensor<S>,
                                          needed: [Bool]) -> [Tensor<S>?]?
}

extension NaryOperator {
    /// No plain-tensor rule: the sweep runs ``vjp(_:_:_:needed:)`` on constants.
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ inputs: [Variable<S>], _ y: Tensor<S>, _ cotangent: Tensor<S>,
                                                            needed: [Bool]) -> [Tensor<S>?]? { nil }

    /// The loop fallback: the op once per batch element, stacked (a one-time warning names the op).
    @inlinable public func batched<S: TensorFloatingPoint>(_ inputs: [Variable<S>], batched: [Bool]) -> Variable<S> {
        Batching.loop(name, inputs, batched) { Variable.applying(self, $0) }
    }
}

// MARK: - Nodes for each shape of op

@usableFromInline final class UnaryNode<Op: UnaryOperator, S: TensorFloatingPoint>: Node<S>, @unchecked Sendable {
    @usableFromInline let op: Op
    /// The input's value. A recorded input is never batched (`applying` hands a batched one to the
    /// op's batching rule), so the input is this value and ``xNode``. Stored apart from the node and
    /// as a `let`, so that the rules borrow it instead of copying it out of the object (a retain and
    /// a release per reference it holds, per read).
    @usableFromInline let xValue: Tensor<S>
    /// The input's node (`nil` for a constant, and once the graph is freed).
    @exclusivity(unchecked) @usableFromInline var xNode: Node<S>?
    /// The output, kept only when the op's rules read it (``UnaryOperator/vjpUsesOutput``).
    @usableFromInline let y: Tensor<S>?
    /// The VJP step, created where the op was recorded so that it runs specialized (see ``Node``).
    @usableFromInline let rule: (UnaryNode, consuming Variable<S>, Bool) -> Void
    /// ``Node/releaseInputs(into:)``, specialized likewise (the override itself runs unspecialized).
    @usableFromInline let releaser: (UnaryNode, inout [Node<S>]) -> Void
    /// Records `op` applied to `x` (unbatched), whose value is `y`.
    @inlinable init(_ op: Op, _ x: consuming Variable<S>, _ y: borrowing Tensor<S>) {
        self.op = op
        self.xNode = x.node
        self.xValue = (consume x).value
        self.y = Op.vjpUsesOutput ? copy y : nil
        self.rule = { node, ct, recording in node.step(consume ct, recording) }
        self.releaser = { node, released in release(&node.xNode, into: &released) }
        super.init(shape: y.shape)
    }
    /// The input, as recorded.
    @inlinable var x: Variable<S> { Variable(xValue, node: xNode) }
    @usableFromInline override var opName: String { Op.name }
    @usableFromInline override var inputCount: Int { 1 }
    @usableFromInline override func inputNode(_ i: Int) -> Unmanaged<Node<S>>? { unretained(xNode) }
    @usableFromInline override func backward(_ cotangent: consuming Variable<S>, recording: Bool) {
        rule(self, consume cotangent, recording)
    }
    @inlinable func step(_ cotangent: consuming Variable<S>, _ recording: Bool) {
        guard let n = xNode, n.needed else { return }
        if recording {
            n.accumulate(op.vjp(x, y.map { Variable($0, node: self) } ?? Variable(xValue), cotangent))
        } else if cotangent.batch != nil {
            // A batch of cotangents (a batched Jacobian): the rule's `Variable` ops batch them.
            n.accumulate(op.vjp(Variable(xValue), Variable(y ?? xValue), cotangent))
        } else {
            var g = (consume cotangent).value
            // `y!` borrows the stored output (`if let y` would copy it: a retain/release pair per reference).
            if Op.vjpUsesOutput { op.formVJPValue(xValue, y!, &g) } else { op.formVJPValue(xValue, xValue, &g) }
            n.accumulate(value: consume g)
        }
    }
    @usableFromInline override func releaseInputs(into released: inout [Node<S>]) { releaser(self, &released) }
}

@usableFromInline final class BinaryNode<Op: BinaryOperator, S: TensorFloatingPoint>: Node<S>, @unchecked Sendable {
    @usableFromInline let op: Op
    /// The left operand's value (unbatched, as in ``UnaryNode``), borrowed by the rules.
    @usableFromInline let aValue: Tensor<S>
    /// The right operand's value.
    @usableFromInline let bValue: Tensor<S>
    /// The left operand's node (`nil` for a constant, and once the graph is freed).
    @exclusivity(unchecked) @usableFromInline var aNode: Node<S>?
    /// The right operand's node.
    @exclusivity(unchecked) @usableFromInline var bNode: Node<S>?
    /// The output, kept only when the op's rules read it (``BinaryOperator/vjpUsesOutput``).
    @usableFromInline let y: Tensor<S>?
    /// The VJP step, created where the op was recorded so that it runs specialized (see ``Node``).
    @usableFromInline let rule: (BinaryNode, consuming Variable<S>, Bool) -> Void
    /// ``Node/releaseInputs(into:)``, specialized likewise (the override itself runs unspecialized).
    @usableFromInline let releaser: (BinaryNode, inout [Node<S>]) -> Void
    /// Records `op` applied to `a` and to `b` (`bValue`, `bNode`), both unbatched, whose value is `y`.
    @inlinable init(_ op: Op, _ a: consuming Variable<S>, _ bValue: Tensor<S>, _ bNode: Node<S>?, _ y: borrowing Tensor<S>) {
        self.op = op
        self.aNode = a.node
        self.aValue = (consume a).value
        self.bNode = bNode
        self.bValue = bValue
        self.y = Op.vjpUsesOutput ? copy y : nil
        self.rule = { node, ct, recording in node.step(consume ct, recording) }
        self.releaser = { node, released in
            release(&node.aNode, into: &released)
            release(&node.bNode, into: &released)
        }
        super.init(shape: y.shape)
    }
    /// The left operand, as recorded.
    @inlinable var a: Variable<S> { Variable(aValue, node: aNode) }
    /// The right operand, as recorded.
    @inlinable var b: Variable<S> { Variable(bValue, node: bNode) }
    @usableFromInline override var opName: String { Op.name }
    @usableFromInline override var inputCount: Int { 2 }
    @usableFromInline override func inputNode(_ i: Int) -> Unmanaged<Node<S>>? { unretained(i == 0 ? aNode : bNode) }
    @usableFromInline override func backward(_ cotangent: consuming Variable<S>, recording: Bool) {
        rule(self, consume cotangent, recording)
    }
    @inlinable func step(_ cotangent: consuming Variable<S>, _ recording: Bool) {
        let needA = aNode?.needed ?? false, needB = bNode?.needed ?? false
        guard needA || needB else { return }
        if Op.self == Mul.self && !recording && cotangent.batch == nil
            && aValue.shape == cotangent.value.shape && bValue.shape == cotangent.value.shape {
            // A product without broadcasting, first order: b̄ += ȳ·a in one loop into b's pending
            // cotangent, then ā = ȳ·b written over ȳ (handed over, so usually unshared).
            if needB { bNode!.accumulate(product: cotangent.value, aValue) }
            if needA {
                var g = (consume cotangent).value
                if g.count >= Parallel.minimumChunk {
                    g *= bValue   // large: split across threads
                } else {
                    g.withUnsafeMutableBufferPointer { gb in
                        bValue.withUnsafeBufferPointer { bb in
                            let g = gb.baseAddress!, b = bb.baseAddress!
                            for i in 0..<gb.count { g[i] = g[i] * b[i] }
                        }
                    }
                }
                aNode!.accumulate(value: consume g)
            }
            return
        }
        if (Op.self == Add.self || Op.self == Sub.self) && !recording && cotangent.batch == nil
            && aValue.shape == cotangent.value.shape && bValue.shape == cotangent.value.shape {
            // A sum or difference without broadcasting, first order: b̄ = ±ȳ added into b's
            // pending cotangent, then ȳ itself handed over as ā (no copy, no temporary).
            if needB {
                if Op.self == Add.self { bNode!.accumulate(value: cotangent.value) } else { bNode!.accumulate(value: -cotangent.value) }
            }
            if needA { aNode!.accumulate(value: (consume cotangent).value) }
            return
        }
        if recording {
            let yv = y.map { Variable($0, node: self) } ?? Variable(aValue)
            let (ga, gb) = op.vjp(a, b, yv, cotangent, needA: needA, needB: needB)
            if needA, let ga { aNode!.accumulate(ga) }
            if needB, let gb { bNode!.accumulate(gb) }
        } else if cotangent.batch != nil {
            let (ga, gb) = op.vjp(Variable(aValue), Variable(bValue), Variable(y ?? aValue), cotangent,
                                  needA: needA, needB: needB)
            if needA, let ga { aNode!.accumulate(ga) }
            if needB, let gb { bNode!.accumulate(gb) }
        } else {
            let (ga, gb) = op.vjpValue(aValue, bValue, y ?? aValue, cotangent.value, needA: needA, needB: needB)
            if needA, let ga { aNode!.accumulate(value: ga) }
            if needB, let gb { bNode!.accumulate(value: gb) }
        }
    }
    @usableFromInline override func releaseInputs(into released: inout [Node<S>]) { releaser(self, &released) }
}

@usableFromInline final class NaryNode<Op: NaryOperator, S: TensorFloatingPoint>: Node<S>, @unchecked Sendable {
    /// The number of inputs, stored: the overrides below run unspecialized, and reading
    /// `inputs.count` there looks up `Variable<S>`'s generic metadata (and retains the array).
    @usableFromInline let storedInputCount: Int
    /// ``Node/inputNode(_:)``, created where the op was recorded so that it runs specialized.
    @usableFromInline let edge: (NaryNode, Int) -> Unmanaged<Node<S>>?
    /// ``Node/releaseInputs(into:)``, specialized likewise.
    @usableFromInline let releaser: (NaryNode, inout [Node<S>]) -> Void
    @usableFromInline let op: Op
    @exclusivity(unchecked) @usableFromInline var inputs: [Variable<S>]
    @usableFromInline let y: Tensor<S>
    /// The VJP step, created where the op was recorded so that it runs specialized (see ``Node``).
    @usableFromInline let rule: (NaryNode, consuming Variable<S>, Bool) -> Void
    @inlinable init(_ op: Op, _ inputs: [Variable<S>], _ y: Tensor<S>) {
        self.storedInputCount = inputs.count
        self.edge = { node, i in unretained(node.inputs[i].node) }
        self.releaser = { node, released in
            for i in node.inputs.indices { release(&node.inputs[i], into: &released) }
        }
        self.op = op
        self.inputs = inputs
        self.y = y
        self.rule = { node, ct, recording in node.step(consume ct, recording) }
        super.init(shape: y.shape)
    }
    @usableFromInline override var opName: String { op.name }
    @usableFromInline override var inputCount: Int { storedInputCount }
    @usableFromInline override func inputNode(_ i: Int) -> Unmanaged<Node<S>>? { edge(self, i) }
    @usableFromInline override func backward(_ cotangent: consuming Variable<S>, recording: Bool) {
        rule(self, consume cotangent, recording)
    }
    @inlinable func step(_ cotangent: consuming Variable<S>, _ recording: Bool) {
        let needed = inputs.map { $0.node?.needed ?? false }
        guard needed.contains(true) else { return }
        if !recording && cotangent.batch == nil,
           var gs = op.vjpValue(inputs, y, cotangent.value, needed: needed) {
            precondition(gs.count == inputs.count,
                         "\(op.name): vjpValue returned \(gs.count) cotangents for \(inputs.count) inputs")
            for i in 0..<inputs.count where needed[i] {
                // Moved out of the array (`take()`), not copied.
                if let g = gs[i].take() { inputs[i].node!.accumulate(value: g) }
            }
            return
        }
        let gs = recording
            ? op.vjp(inputs, Variable(y, node: self), cotangent, needed: needed)
            : op.vjp(inputs.map { Variable($0.value) }, Variable(y), cotangent.detached(), needed: needed)
        precondition(gs.count == inputs.count,
                     "\(op.name): vjp returned \(gs.count) cotangents for \(inputs.count) inputs")
        for i in 0..<inputs.count where needed[i] {
            if let g = gs[i] { inputs[i].node!.accumulate(g) }
        }
    }
    @usableFromInline override func releaseInputs(into released: inout [Node<S>]) { releaser(self, &released) }
}

// MARK: - Recording

extension Variable {
    /// Applies a unary primitive: computes the value, and records a node (with the forward tangent,
    /// if the input carries one) when the input is differentiable and recording is on.
    /// `consuming`: a chain `y = y.op()` hands `y` over to the node instead of copying it.
    @inlinable public consuming func applying<Op: UnaryOperator>(_ op: Op) -> Variable {
        if batch != nil { return Batching.apply(op, self) }
        let y = op.forward(value)
        return (consume self).applying(op, value: consume y)
    }

    /// Records `op` with its value `y` already computed (for ops whose forward can throw).
    /// Under `vmap` (a batched input) `y` is ignored and the op's batching rule runs instead.
    @inlinable public consuming func applying<Op: UnaryOperator>(_ op: Op, value y: consuming Tensor<Scalar>) -> Variable {
        if batch != nil { return Batching.apply(op, self) }
        guard node != nil else { return Variable(y) }
        var anomaly: AnomalyLog? = nil
        if !Context.opsRecordPlainly {
            let context = Context.recordingState()
            guard context.isRecording else { return Variable(y) }
            anomaly = context.anomaly
        }
        let hasTangent = node!.hasTangent
        let n = UnaryNode(op, consume self, y)
        if hasTangent { n.tangent = Self._tangent(op, n.x, y) }
        if let log = anomaly { log.check(y, op: Op.name) }
        // `y` is handed over (`consuming`), not copied (a retain/release pair per reference it holds).
        return Variable(consume y, node: n)
    }

    /// The forward-mode tangent of `op` at `x` (which carries a tangent), apart from the hot path.
    /// Tangents are computed on constants: forward mode is the outermost transform.
    @inlinable @inline(never)
    static func _tangent<Op: UnaryOperator>(_ op: Op, _ x: Variable, _ y: Tensor<Scalar>) -> Variable {
        op.jvp(Variable(x.value), Variable(y), x.node!.tangent!)
    }

    /// The forward-mode tangent of `op` at `a` and `b` (one of which carries a tangent).
    @inlinable @inline(never)
    static func _tangent<Op: BinaryOperator>(_ op: Op, _ a: Variable, _ b: Variable, _ y: Tensor<Scalar>) -> Variable {
        op.jvp(Variable(a.value), Variable(b.value), Variable(y), a.node?.tangent, b.node?.tangent)
    }

    /// Applies a binary primitive (see `applying(_:)`). `a` is `consuming`, as `self` is there.
    @inlinable public static func applying<Op: BinaryOperator>(_ op: Op, _ a: consuming Variable, _ b: Variable) -> Variable {
        if a.batch != nil || b.batch != nil { return Batching.apply(op, a, b) }
        let y = op.forward(a.value, b.value)
        return _record(op, consume a, b.value, b.node, value: consume y)
    }

    /// Records `op` with its value `y` already computed (for ops whose forward can throw).
    /// Under `vmap` (a batched input) `y` is ignored and the op's batching rule runs instead.
    @inlinable public static func applying<Op: BinaryOperator>(_ op: Op, _ a: consuming Variable, _ b: Variable,
                                                                value y: consuming Tensor<Scalar>) -> Variable {
        if a.batch != nil || b.batch != nil { return Batching.apply(op, a, b) }
        return _record(op, consume a, b.value, b.node, value: consume y)
    }

    /// Records `op` applied to the unbatched `a` and `b` (given as its value and node: the fields a
    /// node keeps, read one by one, so that they are retained directly rather than copied with `b`
    /// through the runtime's generic value witnesses).
    @inlinable static func _record<Op: BinaryOperator>(_ op: Op, _ a: consuming Variable, _ bValue: Tensor<Scalar>,
                                                       _ bNode: Node<Scalar>?, value y: consuming Tensor<Scalar>) -> Variable {
        guard a.node != nil || bNode != nil else { return Variable(y) }
        var anomaly: AnomalyLog? = nil
        if !Context.opsRecordPlainly {
            let context = Context.recordingState()
            guard context.isRecording else { return Variable(y) }
            anomaly = context.anomaly
        }
        let hasTangent = a.node?.hasTangent == true || bNode?.hasTangent == true
        let n = BinaryNode(op, consume a, bValue, bNode, y)
        if hasTangent { n.tangent = _tangent(op, n.a, n.b, y) }
        if let log = anomaly { log.check(y, op: Op.name) }
        return Variable(consume y, node: n)   // handed over, as in the unary `applying(_:value:)`
    }

    /// Applies a primitive of any number of inputs (see `applying(_:)`).
    @inlinable public static func applying<Op: NaryOperator>(_ op: Op, _ inputs: [Variable]) -> Variable {
        if inputs.contains(where: { $0.batch != nil }) { return Batching.apply(op, inputs) }
        return applying(op, inputs, value: op.forward(inputs.map { $0.value }))
    }

    /// Records `op` with its value `y` already computed from the inputs' values (an op that
    /// computes it without gathering them into an array). Under `vmap` (a batched input) `y` is
    /// ignored and the op's batching rule runs instead.
    @inlinable public static func applying<Op: NaryOperator>(_ op: Op, _ inputs: [Variable],
                                                            value y: Tensor<Scalar>) -> Variable {
        if inputs.contains(where: { $0.batch != nil }) { return Batching.apply(op, inputs) }
        guard inputs.contains(where: { $0.node != nil }) else { return Variable(y) }
        var anomaly: AnomalyLog? = nil
        if !Context.opsRecordPlainly {
            let context = Context.recordingState()
            guard context.isRecording else { return Variable(y) }
            anomaly = context.anomaly
        }
        let n = NaryNode(op, inputs, y)
        // The flag first: collecting the tangents copies an optional `Variable` per input.
        if inputs.contains(where: { $0.node?.hasTangent ?? false }) {
            let t = op.jvp(inputs.map { Variable($0.value) }, Variable(y), inputs.map { $0.node?.tangent })
            precondition(t.shape == y.shape, "\(op.name): jvp returned shape \(t.shape) for an output of shape \(y.shape)")
            n.tangent = t
        }
        if let log = anomaly { log.check(y, op: op.name) }
        return Variable(y, node: n)
    }
}
