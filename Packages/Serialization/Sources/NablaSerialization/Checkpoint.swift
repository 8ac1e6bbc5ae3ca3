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
///
/// Names are compared as UTF-8 bytes, as the file formats do: "é" as one scalar and "é" as "e" plus a
/// combining accent are two different tensors (Swift's `String ==` would call them equal).
public struct Checkpoint: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Tensor names in order.
    public private(set) var names: [String] = []
    private var storage: [NameKey: AnyTensor] = [:]
    /// Free-form metadata.
    public var metadata: [String: JSONValue] = [:]

    /// An empty checkpoint.
    public init() {}

    /// A checkpoint holding `tensors` in order, with `metadata`.
    /// - Precondition: names are unique.
    public init(_ tensors: [(String, AnyTensor)], metadata: [String: JSONValue] = [:]) {
        for (name, t) in tensors {
            precondition(storage[NameKey(name)] == nil, "Checkpoint: duplicate tensor name '\(name)'")
            self[name] = t
        }
        self.metadata = metadata
    }

    /// A checkpoint holding the tensors of a dictionary, in name order (a dictionary has no order of
    /// its own; sorting makes the saved file deterministic), with `metadata`.
    ///
    /// ```swift
    /// let ckpt = Checkpoint(["fc.weight": weight, "fc.bias": bias])   // Tensor<Float> values
    /// try ckpt.save(to: "model.nabla")
    /// ```
    public init<Scalar: TensorScalar>(_ tensors: [String: Tensor<Scalar>], metadata: [String: JSONValue] = [:]) {
        self.init(tensors.sorted { $0.key < $1.key }.map { ($0.key, AnyTensor($0.value)) }, metadata: metadata)
    }

    /// A checkpoint holding tensors of any dtypes from a dictionary, in name order, with `metadata`.
    ///
    /// ```swift
    /// let ckpt = Checkpoint(["w": AnyTensor(weight), "step_count": AnyTensor(counts)])
    /// ```
    public init(_ tensors: [String: AnyTensor], metadata: [String: JSONValue] = [:]) {
        self.init(tensors.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, metadata: metadata)
    }

    /// The tensor named `name`; setting `nil` removes it, setting a new name appends it.
    public subscript(name: String) -> AnyTensor? {
        get { storage[NameKey(name)] }
        set {
            let key = NameKey(name)
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { names.append(name) }
            } else if storage.removeValue(forKey: key) != nil {
                names.removeAll { $0.sameBytes(name) }
            }
        }
    }

    /// The tensors in order.
    public var tensors: [(name: String, tensor: AnyTensor)] { names.map { ($0, storage[NameKey($0)]!) } }

    /// The number of tensors.
    public var count: Int { names.count }

    /// The tensor `name` as a typed tensor (see ``AnyTensor/tensor(as:casting:)``).
    /// - Throws: ``SerializationError/unknownTensor(_:)`` or a cast error.
    public func tensor<Scalar: TensorScalar>(_ name: String, as type: Scalar.Type = Scalar.self,
                                             casting: CastingPolicy = .lossless) throws -> Tensor<Scalar> {
        guard let t = storage[NameKey(name)] else { throw SerializationError.unknownTensor(name) }
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
        for (name, t) in tensors where t.elementType.isFloatingPoint {
            do { out[name] = try t.converted(to: target, casting: casting) } catch let e as SerializationError {
                throw SerializationError.inTensor(name: name, e)
            }
        }
        return out
    }

    /// Structural equality (names compared as bytes, in order).
    public static func == (a: Checkpoint, b: Checkpoint) -> Bool {
        a.names.count == b.names.count && zip(a.names, b.names).allSatisfy { $0.sameBytes($1) }
            && a.storage == b.storage && a.metadata == b.metadata
    }

    /// One line per tensor (name, dtype, shape) and the metadata keys, e.g.
    /// `Checkpoint(2 tensors: fc.weight float32 [4, 3], fc.bias float32 [4]; metadata: step)`.
    public var description: String {
        let list = tensors.map { "\($0.name) \($0.tensor.elementType) \(shapeText($0.tensor.shape))" }
        var text = "Checkpoint(\(count) tensor\(count == 1 ? "" : "s")"
        if !list.isEmpty { text += ": " + list.joined(separator: ", ") }
        if !metadata.isEmpty { text += "; metadata: " + metadata.keys.sorted().joined(separator: ", ") }
        return text + ")"
    }

    /// One line per tensor with its byte size, then the metadata with values.
    public var debugDescription: String {
        var lines = ["Checkpoint: \(count) tensor\(count == 1 ? "" : "s")"]
        for (name, t) in tensors {
            lines.append("  \(name): \(t.elementType) \(shapeText(t.shape)) (\(t.bytes.count) bytes)")
        }
        if !metadata.isEmpty {
            lines.append("metadata:")
            for (k, v) in metadata.sorted(by: { $0.key < $1.key }) { lines.append("  \(k): \(v)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// A shape as `[2, 3]`.
func shapeText(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
