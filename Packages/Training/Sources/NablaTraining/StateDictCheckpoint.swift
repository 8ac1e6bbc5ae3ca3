import NablaTensor
import NablaSerialization
import NablaLayers

extension Checkpoint {
    /// A checkpoint of a model's state dict: one tensor per entry under its PyTorch key (with
    /// `prefix` in front), in the state dict's order; `int64` buffers stay `int64`. Saved as
    /// `.safetensors`, it loads into PyTorch with `model.load_state_dict(load_file(path))`.
    ///
    /// ```swift
    /// try Checkpoint(stateDict: model.stateDict()).save(to: "model.safetensors")
    /// ```
    public init<Scalar: TensorFloatingPoint>(stateDict: StateDict<Scalar>, prefix: String = "",
                                             metadata: [String: JSONValue] = [:]) {
        self.init()
        for (name, entry) in stateDict {
            switch entry {
            case .floating(let t): self[prefix + name] = AnyTensor(t)
            case .integer(let t): self[prefix + name] = AnyTensor(t)
            }
        }
        self.metadata = metadata
    }

    /// The entries under `prefix` (removed from the names) as a state dict of `Scalar`:
    /// floating-point tensors converted with `casting`, integer tensors as `int64`.
    ///
    /// - Parameters:
    ///   - type: the model's scalar type.
    ///   - prefix: only names starting with it are taken; it is removed.
    ///   - casting: how floating-point tensors of another precision convert. The default,
    ///     `.allowRounding`, rounds as PyTorch's `load_state_dict` copies do (a `float64` file
    ///     into a `Float` model) but refuses values that would overflow.
    /// - Throws: `SerializationError` for a tensor that cannot convert.
    public func stateDict<Scalar: TensorFloatingPoint>(as type: Scalar.Type = Scalar.self, prefix: String = "",
                                                       casting: CastingPolicy = .allowRounding) throws -> StateDict<Scalar> {
        var dict = StateDict<Scalar>()
        for (name, t) in tensors where name.hasPrefix(prefix) {
            let key = String(name.dropFirst(prefix.count))
            do {
                if t.elementType.isFloatingPoint {
                    dict[key] = .floating(try t.tensor(as: Scalar.self, casting: casting))
                } else {
                    dict[key] = .integer(try t.tensor(as: Int64.self, casting: .lossless))
                }
            } catch let e as SerializationError {
                throw SerializationError.inTensor(name: name, e)
            }
        }
        return dict
    }
}

extension Module {
    /// Loads a checkpoint's tensors as this model's state dict (`model.load_state_dict`): a
    /// PyTorch `state_dict()` saved with `safetensors.torch.save_file` loads with no renaming.
    ///
    /// ```swift
    /// try model.load(checkpoint: try Checkpoint(contentsOf: "torch-model.safetensors"))
    /// ```
    ///
    /// - Parameters:
    ///   - checkpoint: tensors under PyTorch's dotted keys.
    ///   - strict: as in `load(stateDict:strict:)`: missing or unexpected names are errors.
    ///   - casting: how floating-point tensors of another precision convert.
    /// - Returns: the skipped names (empty when strict).
    /// - Throws: `SerializationError` for a tensor that cannot convert, `StateDictError` for
    ///   names or shapes that do not fit; nothing is loaded when it throws.
    @discardableResult
    public func load(checkpoint: Checkpoint, strict: Bool = true, casting: CastingPolicy = .allowRounding) throws -> LoadReport {
        try load(stateDict: try checkpoint.stateDict(as: Scalar.self, casting: casting), strict: strict)
    }

    /// Loads the weights file at `path` (`.safetensors`, `.nabla`, `.npz`; by extension) as
    /// ``load(checkpoint:strict:casting:)`` does.
    /// - Returns: the skipped names (empty when strict).
    /// - Throws: reading errors, conversion errors and `StateDictError`.
    @discardableResult
    public func load(contentsOf path: String, strict: Bool = true, casting: CastingPolicy = .allowRounding) throws -> LoadReport {
        try load(checkpoint: try Checkpoint(contentsOf: path), strict: strict, casting: casting)
    }

    /// Saves the model's parameters and buffers alone (`torch.save(model.state_dict())`), in the
    /// format of the extension: `.safetensors` for PyTorch, `.nabla` for Nabla's own.
    /// - Throws: writing errors.
    public func saveWeights(to path: String) throws {
        try Checkpoint(stateDict: stateDict()).save(to: path)
    }
}
