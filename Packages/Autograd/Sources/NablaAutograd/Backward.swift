import NablaTensor

/// The reverse sweep.
///
/// 1. A depth-first search from the output, with an explicit stack (deep graphs would overflow the
///    call stack), lists the reachable nodes in post-order: every node after all of its inputs.
///    While a node is finished it learns whether it is *needed*: it is a target, a gradient leaf
///    (torch-style ``Variable/backward(seed:createGraph:)``), or one of its inputs is needed.
/// 2. The output's cotangent is seeded, and the nodes are visited in reverse post-order (so each
///    node's cotangent is complete before it is used). Each needed node adds its inputs'
///    cotangents into them: ``Node/accumulate(_:)``, micrograd's `+=`.
/// 3. The bookkeeping fields are cleared.
///
/// Whether the sweep is itself recorded (for higher derivatives) is decided by the caller
/// (`recording`); a recorded sweep must run inside a context whose recording flag is on.
@usableFromInline enum Backward {
    /// Runs one reverse sweep from `output` seeded with `seed`.
    ///
    /// - Returns: the cotangent that reached each of `targets` (`nil` if the output does not
    ///   depend on it). When `intoLeaves` is set, cotangents reaching ``LeafNode``s are also added
    ///   to their `grad`.
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    @usableFromInline static func run<S>(from output: Node<S>, seed: Variable<S>, targets: [Node<S>],
                                         intoLeaves: Bool, recording: Bool) -> [Variable<S>?] {
        // `output` holds every node it depends on, so the search and the sweep keep unretained
        // references (no reference counting per node and edge). Nothing here changes the graph's
        // edges: rules only add nodes of their own when the sweep is recorded.
        for (k, t) in targets.enumerated() { t.targetIndex = k }
        var order: [Unmanaged<Node<S>>] = []
        var stack: [(node: Unmanaged<Node<S>>, next: Int)] = []
        // Room for a small graph up front (growing from empty reallocates at 1, 2, 4, 8…).
        order.reserveCapacity(16)
        stack.reserveCapacity(16)
        stack.append((Unmanaged.passUnretained(output), 0))
        output.visited = true
        while let (u, i) = stack.last {
            u._withUnsafeGuaranteedRef { n in
                if i < n.inputCount {
                    stack[stack.count - 1].next = i + 1
                    if let m = n.inputNode(i), m._withUnsafeGuaranteedRef({ !$0.visited }) {
                        m._withUnsafeGuaranteedRef { $0.visited = true }
                        stack.append((m, 0))
                    }
                } else {
                    stack.removeLast()
                    var need = n.targetIndex >= 0 || (intoLeaves && n is LeafNode<S>)
                    var j = 0
                    while !need && j < n.inputCount {
                        if let m = n.inputNode(j), m._withUnsafeGuaranteedRef({ $0.needed }) { need = true }
                        j += 1
                    }
                    n.needed = need
                    order.append(u)
                }
            }
        }
        var results = [Variable<S>?](repeating: nil, count: targets.count)
        let anomaly = Context.opsRecordPlainly ? nil : Context.current.anomaly
        if output.needed {
            output.pending = seed
            for u in order.reversed() {
                u._withUnsafeGuaranteedRef { n in
                    // Cleared as the node is reached: only nodes visited earlier (its consumers)
                    // read its flags, and nothing adds into its pending cotangent any more.
                    n.visited = false
                    guard n.needed else { return }
                    n.needed = false
                    guard let ct = n.pending.take() else { return }
                    if n.targetIndex >= 0 { results[n.targetIndex] = ct }
                    if let leaf = n as? LeafNode<S> {
                        // A leaf has no inputs (and `Node`'s empty `backward` would only destroy
                        // `ct`, unspecialized: a generic-metadata lookup per leaf).
                        if intoLeaves { leaf.grad = leaf.grad.map { $0 + ct.value } ?? ct.value }
                        return
                    }
                    n.backward(consume ct, recording: recording)
                    if let anomaly {
                        for j in 0..<n.inputCount {
                            guard let m = n.inputNode(j) else { continue }
                            m._withUnsafeGuaranteedRef { m in
                                if m.needed, let p = m.pending { anomaly.check(p.value, op: "backward of \(n.opName)") }
                            }
                        }
                    }
                }
            }
        }
        else {
            for u in order {
                u._withUnsafeGuaranteedRef { n in
                    n.visited = false
                    n.needed = false
                }
            }
        }
        for t in targets { t.targetIndex = -1 }
        return results
    }
}

extension Variable {
    /// Backpropagates from this value into every leaf created with `requiresGradient: true`,
    /// adding to their ``gradient`` (so gradients accumulate across calls until ``zeroGradient()``).
    /// Mirrors `tensor.backward(gradient, create_graph=)`.
    ///
    /// - Parameters:
    ///   - seed: the cotangent of this value; defaults to ones, which requires a one-element value
    ///     (a scalar loss), as in PyTorch.
    ///   - createGraph: record the sweep itself, so the result can be differentiated again.
    public func backward(seed: Tensor<Scalar>? = nil, createGraph: Bool = false) {
        precondition(seed != nil || count == 1,
                     "backward: output of shape \(shape) is not a scalar; pass a seed of that shape")
        guard let node else { return }
        let s = Variable(seed ?? Tensor.ones(shape))
        precondition(s.shape == shape, "backward: seed of shape \(s.shape) for an output of shape \(shape)")
        if createGraph {
            _ = Context.with({ $0.isRecording = true; $0.depth += 1 }) {
                Backward.run(from: node, seed: s, targets: [], intoLeaves: true, recording: true)
            }
        } else {
            // Not recorded: rules run on constants, which never consult the context.
            _ = Backward.run(from: node, seed: s, targets: [], intoLeaves: true, recording: false)
        }
    }
}
