/// An optimizer's state in PyTorch's `state_dict()` layout, flattened: tensors under
/// `state.<index>.<key>` (`state.0.exp_avg`, `state.0.step`, …) and hyper-parameters under
/// `param_groups.<group>.<key>` (`param_groups.0.lr`, and `param_groups.0.params.<k>` holding the
/// index of the group's k-th parameter). Parameters are numbered across groups in order, as PyTorch
/// does. A checkpoint stores the tensors and the numbers as they are.
public struct OptimizerStateDictionary<Scalar: TensorFloatingPoint> {
    /// The per-parameter state: buffers, and `step` and other scalar state as rank-0 tensors.
    public var tensors: [String: Tensor<Scalar>]
    /// The groups' hyper-parameters and parameter indices.
    public var hyperparameters: [String: Double]

    /// A state dictionary from its two halves.
    public init(tensors: [String: Tensor<Scalar>] = [:], hyperparameters: [String: Double] = [:]) {
        self.tensors = tensors
        self.hyperparameters = hyperparameters
    }
}

extension Optimizer {
    /// The state and hyper-parameters under PyTorch's keys (`optimizer.state_dict()`).
    public func stateDictionary() -> OptimizerStateDictionary<Scalar> {
        var out = OptimizerStateDictionary<Scalar>()
        var index = 0
        for (g, group) in parameterGroups.enumerated() {
            for (k, v) in group.options { out.hyperparameters["param_groups.\(g).\(k)"] = v }
            for (k, p) in group.parameters.enumerated() {
                out.hyperparameters["param_groups.\(g).params.\(k)"] = Double(index)
                for (key, t) in state[ObjectIdentifier(p)]?.named ?? [:] { out.tensors["state.\(index).\(key)"] = t }
                index += 1
            }
        }
        return out
    }

    /// Restores state saved by ``stateDictionary()`` from an optimizer over parameters of the same
    /// shapes in the same groups (`optimizer.load_state_dict`). Hyper-parameters are replaced.
    /// - Throws: ``OptimizerError/stateDictionaryMismatch(_:)`` when the groups, the parameter
    ///   counts or a buffer's shape do not fit.
    public func load(stateDictionary dict: OptimizerStateDictionary<Scalar>) throws {
        let parameters = allParameters
        var options = [[String: Double]](repeating: [:], count: parameterGroups.count)
        var counts = [Int](repeating: 0, count: parameterGroups.count)
        for (key, value) in dict.hyperparameters {
            let parts = key.split(separator: ".", maxSplits: 2).map(String.init)
            guard parts.count == 3, parts[0] == "param_groups", let g = Int(parts[1]) else {
                throw OptimizerError.stateDictionaryMismatch("unexpected key \(key)")
            }
            guard g >= 0 && g < parameterGroups.count else {
                throw OptimizerError.stateDictionaryMismatch("group \(g) of a dictionary for more groups than \(parameterGroups.count)")
            }
            if parts[2].hasPrefix("params.") { counts[g] += 1 } else { options[g][parts[2]] = value }
        }
        for (g, group) in parameterGroups.enumerated() where counts[g] != group.parameters.count {
            throw OptimizerError.stateDictionaryMismatch(
                "group \(g) has \(group.parameters.count) parameters, the dictionary \(counts[g])")
        }
        var newState: [ObjectIdentifier: ParameterState<Scalar>] = [:]
        for (key, tensor) in dict.tensors {
            let parts = key.split(separator: ".", maxSplits: 2).map(String.init)
            guard parts.count == 3, parts[0] == "state", let i = Int(parts[1]), i >= 0, i < parameters.count else {
                throw OptimizerError.stateDictionaryMismatch("unexpected key \(key)")
            }
            let p = parameters[i], name = parts[2]
            let st = newState[ObjectIdentifier(p)] ?? ParameterState<Scalar>()
            newState[ObjectIdentifier(p)] = st
            if name == "step" {
                st.step = Double(tensor.scalar)
            } else if tensor.rank == 0 && p.value.rank != 0 {
                st.scalars[name] = Double(tensor.scalar)
            } else {
                guard tensor.shape == p.shape || (name.hasPrefix("old_") || name == "d" || name == "prev_flat_grad") else {
                    throw OptimizerError.stateDictionaryMismatch("\(key) has shape \(tensor.shape), the parameter \(p.shape)")
                }
                st.buffers[name] = tensor
            }
        }
        for g in parameterGroups.indices { parameterGroups[g].options = options[g] }
        state = newState
    }
}
