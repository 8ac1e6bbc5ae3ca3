import NablaTensor

/// Named tensors of any dtype plus free-form metadata: what one checkpoint file holds.
///
/// Names keep their insertion order and use PyTorch's dotted keys (`layers.0.weight`,
/// `bn1.running_mean`, optimizer state such as `state.3.exp_avg`). Metadata is JSON (model
/// config, step, epoch, RNG state); formats that only store strings (safetensors) write non-string
/// values as JSON text.
///
/// ```swift
/// var ckpt = Checkpoint()
/// ckpt["fc.weight"] = AnyTensor(weight)
/// ckpt.metadata["step"] = .int(1000)
/// try ckpt.save(to: "model.nabla")                 // format chosen by extension, written atomically
/// let back = try Checkpoint(contentsOf: "model.nabla")
/// let w: Tensor<Float> = try back.tensor("fc.weight")
/// ```
public struct Checkpoint: Sendable, Equatable {
    /// Tensor names in order.
    public private(set) var names: [String] = []
    private var storage: [String: AnyTensor] = [:]
    /// Free-form metadata.
    public var metadata: [String: JSONValue] = [:]

    /// An empty checkpoint.
    public init() {}

    /// A checkpoint holding `tensors` in order, with `metadata`.
    /// - Precondition: names are unique.
    public init(_ tensors: [(String, AnyTensor)], metadata: [String: JSONValue] = [:]) {
        for (name, t) in tensors {
            precondition(storage[name] == nil, "Checkpoint: duplicate tensor name '\(name)'")
            self[name] = t
        }
        self.metadata = metadata
    }

    /// The tensor named `name`; setting `nil` removes it, setting a new name appends it.
    public subscript(name: String) -> AnyTensor? {
        get { storage[name] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if storage.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// The tensors in order.
    public var tensors: [(name: String, tensor: AnyTensor)] { names.map { ($0, storage[$0]!) } }

    /// The number of tensors.
    public var count: Int { names.count }

    /// The tensor `name` as a typed tensor (see ``AnyTensor/tensor(as:casting:)``).
    /// - Throws: ``SerializationError/unknownTensor(_:)`` or a cast error.
    public func tensor<Scalar: TensorScalar>(_ name: String, as type: Scalar.Type = Scalar.self,
                                             casting: CastingPolicy = .lossless) throws -> Tensor<Scalar> {
        guard let t = storage[name] else { throw SerializationError.unknownTensor(name) }
        return try t.tensor(as: Scalar.self, casting: casting)
    }

    /// Stores a typed tensor under `name`.
    public mutating func set<Scalar: TensorScalar>(_ name: String, _ tensor: Tensor<Scalar>) {
        self[name] = AnyTensor(tensor)
    }

    /// Every floating-point tensor converted to `target` (integer and bool tensors are kept).
    /// - Throws: cast errors (see ``AnyTensor/converted(to:casting:)``).
    public func converted(floatingPointTo target: ElementType, casting: CastingPolicy = .lossless) throws -> Checkpoint {
        var out = self
        for name in names where storage[name]!.elementType.isFloatingPoint {
            out[name] = try storage[name]!.converted(to: target, casting: casting)
        }
        return out
    }

    /// Structural equality.
    public static func == (a: Checkpoint, b: Checkpoint) -> Bool {
        a.names == b.names && a.storage == b.storage && a.metadata == b.metadata
    }
}
