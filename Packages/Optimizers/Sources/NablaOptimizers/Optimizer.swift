import NablaAutograd

/// The state an optimizer keeps for one parameter: the step count and named buffers
/// (`exp_avg`, `momentum_buffer`, …) under PyTorch's keys.
///
/// A reference type, so an optimizer updates its buffers in place: each buffer is uniquely
/// referenced while the update runs, and its storage is reused step after step.
///
/// The buffers are kept in slots, each optimizer asking for its buffers by key and by the slot it
/// expects them in (`exp_avg` in 0, `exp_avg_sq` in 1, …), so that a step compares a key with the
/// one in its slot (equal small strings: one word comparison) instead of hashing it into a
/// dictionary twice; ``buffers`` presents them as a dictionary. Its fields skip the runtime's
/// exclusivity checks (an optimizer's step makes a few dozen accesses), as autograd's nodes do.
public final class ParameterState<Scalar: TensorFloatingPoint> {
    /// How many updates this parameter has had (PyTorch's `step`). Not every optimizer counts.
    @exclusivity(unchecked) public var step: Double?
    /// The key of each slot (`""` for an unused one).
    @exclusivity(unchecked) @usableFromInline var slotKeys: [String] = []
    /// The buffer in each slot (`nil` while an update has taken it out, or for an unused slot).
    @exclusivity(unchecked) @usableFromInline var slotBuffers: [Tensor<Scalar>?] = []
    /// Other scalar state under PyTorch's keys (`mu_product`, LBFGS's `n_iter`, …).
    @exclusivity(unchecked) public var scalars: [String: Double]

    /// Empty state.
    public init(step: Double? = nil, buffers: [String: Tensor<Scalar>] = [:], scalars: [String: Double] = [:]) {
        self.step = step
        self.scalars = scalars
        self.buffers = buffers
    }

    /// Buffers shaped like the parameter, under PyTorch's keys.
    public var buffers: [String: Tensor<Scalar>] {
        get {
            var out: [String: Tensor<Scalar>] = [:]
            for (key, buffer) in zip(slotKeys, slotBuffers) { if let buffer { out[key] = buffer } }
            return out
        }
        set {
            // Keys already in a slot keep it (an optimizer finds them there on its next step).
            for i in slotKeys.indices { slotBuffers[i] = slotKeys[i].isEmpty ? nil : newValue[slotKeys[i]] }
            for (key, buffer) in newValue where !slotKeys.contains(key) {
                slotKeys.append(key)
                slotBuffers.append(buffer)
            }
        }
    }

    /// Everything under PyTorch's keys; `step` and the scalars as rank-0 tensors.
    public var named: [String: Tensor<Scalar>] {
        var out = buffers
        if let step { out["step"] = Tensor(Scalar(step)) }
        for (k, v) in scalars { out[k] = Tensor(Scalar(v)) }
        return out
    }

    /// Removes and returns the buffer under `key`, which the optimizer keeps in `slot` (so it is
    /// uniquely referenced while updated), or a tensor of `fill` shaped like `shape` when there
    /// is none yet (`shape` is evaluated only then). Put it back with ``put(_:slot:_:)``.
    @inlinable func take(_ key: String, slot: Int, shape: @autoclosure () -> [Int], fill: Scalar = 0) -> Tensor<Scalar> {
        if slot < slotKeys.count && slotKeys[slot] == key, let buffer = slotBuffers[slot].take() { return buffer }
        return takeMoving(key, slot: slot, shape: shape(), fill: fill)
    }

    /// Calls `body` with the buffers under `first` and `second`, kept in slots 0 and 1 (created
    /// filled with `fill` in `shape` when missing), mutable in place: nothing is copied out or back.
    @inlinable func withSlots<R>(_ first: String, _ second: String, shape: @autoclosure () -> [Int], fill: Scalar = 0,
                                 _ body: (inout Tensor<Scalar>, inout Tensor<Scalar>) -> R) -> R {
        if !(slotKeys.count >= 2 && slotKeys[0] == first && slotKeys[1] == second) {
            place(first, slot: 0)
            place(second, slot: 1)
        }
        // Through the buffer's addressors: testing a slot for `nil` on the array itself copies it.
        return slotBuffers.withUnsafeMutableBufferPointer { b in
            if b[0] == nil { b[0] = Tensor(repeating: fill, shape: shape()) }
            if b[1] == nil { b[1] = Tensor(repeating: fill, shape: shape()) }
            return body(&b[0]!, &b[1]!)
        }
    }

    /// ``withSlots(_:_:shape:fill:_:)`` for three buffers, in slots 0, 1 and 2.
    @inlinable func withSlots<R>(_ first: String, _ second: String, _ third: String, shape: @autoclosure () -> [Int],
                                 fill: Scalar = 0,
                                 _ body: (inout Tensor<Scalar>, inout Tensor<Scalar>, inout Tensor<Scalar>) -> R) -> R {
        if !(slotKeys.count >= 3 && slotKeys[0] == first && slotKeys[1] == second && slotKeys[2] == third) {
            place(first, slot: 0)
            place(second, slot: 1)
            place(third, slot: 2)
        }
        return slotBuffers.withUnsafeMutableBufferPointer { b in
            for i in 0..<3 where b[i] == nil { b[i] = Tensor(repeating: fill, shape: shape()) }
            return body(&b[0]!, &b[1]!, &b[2]!)
        }
    }

    /// Whether there is a buffer under `key` (looked for in `slot` first).
    @inlinable func contains(_ key: String, slot: Int) -> Bool {
        if slot < slotKeys.count && slotKeys[slot] == key { return slotBuffers[slot] != nil }
        guard let j = slotKeys.firstIndex(of: key) else { return false }
        return slotBuffers[j] != nil
    }

    /// Stores `buffer` under `key` in `slot`.
    @inlinable func put(_ key: String, slot: Int, _ buffer: consuming Tensor<Scalar>) {
        if slot >= slotKeys.count || slotKeys[slot] != key { place(key, slot: slot) }
        slotBuffers[slot] = buffer
    }

    /// ``take(_:slot:shape:fill:)`` when `key` is not (or not yet) in `slot`.
    @usableFromInline func takeMoving(_ key: String, slot: Int, shape: [Int], fill: Scalar) -> Tensor<Scalar> {
        place(key, slot: slot)
        return slotBuffers[slot].take() ?? Tensor(repeating: fill, shape: shape)
    }

    /// Moves `key` (and its buffer, if any) into `slot`; the slot's previous entry moves to the end.
    @usableFromInline func place(_ key: String, slot: Int) {
        while slotKeys.count <= slot {
            slotKeys.append("")
            slotBuffers.append(nil)
        }
        if slotKeys[slot] == key { return }
        if let j = slotKeys.firstIndex(of: key) {
            slotKeys.swapAt(j, slot)
            slotBuffers.swapAt(j, slot)
            return
        }
        if !slotKeys[slot].isEmpty {
            slotKeys.append(slotKeys[slot])
            slotBuffers.append(slotBuffers[slot])
        }
        slotKeys[slot] = key
        slotBuffers[slot] = nil
    }
}

/// An optimizer: updates the parameters of its groups in place from their gradients.
///
/// Every optimizer keeps ``parameterGroups`` (PyTorch's `param_groups`, each with its own learning
/// rate and hyper-parameters) and per-parameter ``state`` keyed by the parameter's identity.
/// ``step()`` applies one update to every parameter that has a gradient; parameters without one
/// are skipped, as in PyTorch.
///
/// ```swift
/// let optimizer = try Adam(model, learningRate: 1e-3)
/// for batch in batches {
///     optimizer.zeroGradients()
///     loss(model, batch).backward()
///     optimizer.step()
/// }
/// ```
public protocol Optimizer<Scalar>: AnyObject {
    /// The scalar type of the parameters.
    associatedtype Scalar: TensorFloatingPoint
    /// The parameter groups (PyTorch's `param_groups`). Schedulers change their learning rates.
    var parameterGroups: [ParameterGroup<Scalar>] { get set }
    /// The defaults a new group takes its missing options from (PyTorch's `defaults`).
    var defaults: [String: Double] { get }
    /// Per-parameter state, keyed by the parameter's identity.
    var state: [ObjectIdentifier: ParameterState<Scalar>] { get set }
    /// Throws if `options` holds an invalid hyper-parameter for this optimizer.
    func validate(_ options: [String: Double]) throws
    /// Applies one update to every parameter that has a gradient.
    func step()
}

extension Optimizer {
    /// Clears the gradient of every parameter (PyTorch's `zero_grad(set_to_none=True)`).
    /// Inlinable, so that it runs specialized for the optimizer's type (no generic metadata
    /// lookups per step).
    @inlinable public func zeroGradients() {
        for group in parameterGroups { for p in group.parameters { p.zeroGradient() } }
    }

    /// The learning rate of the first group; setting it sets every group's.
    public var learningRate: Double {
        get { parameterGroups.first?.learningRate ?? 0 }
        set { for i in parameterGroups.indices { parameterGroups[i].learningRate = newValue } }
    }

    /// Every parameter, group by group (the numbering of ``stateDictionary()``).
    public var allParameters: [Parameter<Scalar>] { parameterGroups.flatMap(\.parameters) }

    /// The state of `parameter` under PyTorch's keys (`step`, `exp_avg`, …); empty before its
    /// first update.
    public func state(for parameter: Parameter<Scalar>) -> [String: Tensor<Scalar>] {
        state[ObjectIdentifier(parameter)]?.named ?? [:]
    }

    /// Adds a group, filling its missing options from ``defaults`` (PyTorch's `add_param_group`).
    /// - Throws: ``OptimizerError`` for an invalid hyper-parameter or a parameter already in a group.
    public func addParameterGroup(_ group: ParameterGroup<Scalar>) throws {
        var group = group
        for (k, v) in defaults where group.options[k] == nil { group.options[k] = v }
        try validate(group.options)
        let seen = Set(allParameters.map(ObjectIdentifier.init))
        var mine = Set<ObjectIdentifier>()
        for p in group.parameters {
            let id = ObjectIdentifier(p)
            if seen.contains(id) || !mine.insert(id).inserted {
                throw OptimizerError.invalidArgument("some parameters appear in more than one parameter group")
            }
        }
        parameterGroups.append(group)
    }

    /// The state of `parameter`, created empty on first use.
    @inlinable func stateOf(_ parameter: Parameter<Scalar>) -> ParameterState<Scalar> {
        let id = ObjectIdentifier(parameter)
        if let s = state[id] { return s }
        let s = ParameterState<Scalar>()
        state[id] = s
        return s
    }

    /// Fills the groups from ``defaults`` and validates them; for initializers.
    func install(_ groups: [ParameterGroup<Scalar>]) throws {
        parameterGroups = []
        for g in groups { try addParameterGroup(g) }
    }
}

/// Optimizers of this module: the defaults and the validator in one place.
extension Optimizer {
    /// Flags stored as options.
    @inlinable static func flag(_ b: Bool) -> Double { b ? 1 : 0 }
}
