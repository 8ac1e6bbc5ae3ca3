import Foundation
import NablaTensor

/// A model's parameters and buffers by their dotted PyTorch names, in the module's order.
/// Mirrors the ordered dictionary `module.state_dict()` returns.
///
/// Floating-point entries are ``StateTensor/floating(_:)``; PyTorch's `int64` buffers
/// (`num_batches_tracked`) are ``StateTensor/integer(_:)``, so a state dict saved as safetensors
/// round-trips with PyTorch exactly.
public struct StateDict<Scalar: TensorFloatingPoint>: Equatable, Sendable, Sequence {
    /// The names in order.
    public private(set) var names: [String] = []
    private var storage: [String: StateTensor<Scalar>] = [:]

    /// An empty state dict.
    public init() {}

    /// A state dict of these entries, in this order (a later duplicate replaces an earlier one).
    public init(_ entries: [(String, StateTensor<Scalar>)]) {
        for (n, t) in entries { self[n] = t }
    }

    /// A state dict of floating-point tensors, in sorted name order.
    public init(_ tensors: [String: Tensor<Scalar>]) {
        for n in tensors.keys.sorted() { self[n] = .floating(tensors[n]!) }
    }

    /// The entry named `name`; assigning `nil` removes it, assigning a new name appends it.
    public subscript(name: String) -> StateTensor<Scalar>? {
        get { storage[name] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if storage.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// The number of entries.
    public var count: Int { names.count }

    /// The floating-point entries, in order (integer ones left out).
    public var floatingTensors: [(name: String, tensor: Tensor<Scalar>)] {
        names.compactMap { n in storage[n]!.floating.map { (n, $0) } }
    }

    /// Iterates over `(name, tensor)` in order.
    public func makeIterator() -> IndexingIterator<[(name: String, tensor: StateTensor<Scalar>)]> {
        names.map { ($0, storage[$0]!) }.makeIterator()
    }

    /// Equal when the names, their order and every tensor are equal.
    public static func == (a: StateDict, b: StateDict) -> Bool { a.names == b.names && a.storage == b.storage }
}

/// Why ``Module/load(stateDict:strict:)`` refused a state dict. Nothing was loaded.
public struct StateDictError: Error, LocalizedError, Equatable, Sendable, CustomStringConvertible {
    /// An entry whose shape or element type differs from the model's.
    public struct Mismatch: Equatable, Sendable {
        /// The dotted name.
        public var name: String
        /// The model's shape.
        public var expectedShape: [Int]
        /// The state dict's shape.
        public var shape: [Int]
        /// The model's element type (`Float`, `Double`, `Int64`).
        public var expectedKind: String
        /// The state dict's element type.
        public var kind: String
    }
    /// Names the model has but the state dict lacks (reported only when strict).
    public var missing: [String]
    /// Names the state dict has but the model lacks (reported only when strict).
    public var unexpected: [String]
    /// Entries present in both whose shape or element type differs (always reported).
    public var mismatched: [Mismatch]

    /// One line per problem, as PyTorch's `Error(s) in loading state_dict`.
    public var description: String {
        var lines = ["Error(s) in loading state dict:"]
        if !missing.isEmpty { lines.append("missing keys: " + missing.joined(separator: ", ")) }
        if !unexpected.isEmpty { lines.append("unexpected keys: " + unexpected.joined(separator: ", ")) }
        for m in mismatched {
            lines.append("size mismatch for \(m.name): copying a \(m.kind) tensor of shape \(m.shape), the model has \(m.expectedKind) of shape \(m.expectedShape)")
        }
        return lines.joined(separator: "\n")
    }

    /// The same as ``description``.
    public var errorDescription: String? { description }
}

/// What a non-strict ``Module/load(stateDict:strict:)`` skipped.
public struct LoadReport: Equatable, Sendable {
    /// Names the model has but the state dict lacked: left unchanged.
    public var missing: [String]
    /// Names the state dict had but the model lacks: ignored.
    public var unexpected: [String]
    /// A report of these names.
    public init(missing: [String], unexpected: [String]) { self.missing = missing; self.unexpected = unexpected }
}

extension Module {
    /// The parameters and buffers by dotted name, parameters of each module before its buffers,
    /// in PyTorch's `state_dict()` order. The tensors are values: later training does not change them.
    public func stateDict() -> StateDict<Scalar> {
        var d = StateDict<Scalar>()
        visit(prefix: "") { prefix, m in
            for (n, p) in m.namedLocalParameters where d[prefix + n] == nil { d[prefix + n] = .floating(p.value) }
            for (n, b) in m.namedLocalBuffers where d[prefix + n] == nil { d[prefix + n] = b.value }
        }
        return d
    }

    /// Every parameter and buffer the state dict holds under the same name, checked first and then
    /// assigned in place (parameters keep their identity, so an optimizer holding them sees the new
    /// values). Mirrors `module.load_state_dict(state_dict, strict=)`.
    ///
    /// - Parameters:
    ///   - stateDict: tensors by dotted name, as ``stateDict()`` or PyTorch's `state_dict()` gives.
    ///   - strict: when true (the default), a name the model has that the state dict lacks, or the
    ///     other way round, is an error; when false such names are skipped and reported.
    /// - Returns: the skipped names (empty when strict).
    /// - Throws: ``StateDictError`` listing every missing, unexpected and mis-shaped (or
    ///   mis-typed) entry; when it throws, nothing was assigned.
    @discardableResult
    public func load(stateDict: StateDict<Scalar>, strict: Bool = true) throws(StateDictError) -> LoadReport {
        var targets: [(name: String, assign: (StateTensor<Scalar>) -> Void)] = []
        var mismatched: [StateDictError.Mismatch] = []
        var missing: [String] = []
        var known = Set<String>()
        func check(_ name: String, _ current: StateTensor<Scalar>, _ assign: @escaping (StateTensor<Scalar>) -> Void) {
            guard known.insert(name).inserted else { return }
            guard let given = stateDict[name] else { missing.append(name); return }
            if given.shape != current.shape || given.kind != current.kind {
                mismatched.append(.init(name: name, expectedShape: current.shape, shape: given.shape,
                                        expectedKind: current.kind, kind: given.kind))
            } else {
                targets.append((name, assign))
            }
        }
        visit(prefix: "") { prefix, m in
            for (n, p) in m.namedLocalParameters {
                check(prefix + n, .floating(p.value)) { p.value = $0.floating! }
            }
            for (n, b) in m.namedLocalBuffers {
                check(prefix + n, b.value) { b.value = $0 }
            }
        }
        let unexpected = stateDict.names.filter { !known.contains($0) }
        if !mismatched.isEmpty || (strict && !(missing.isEmpty && unexpected.isEmpty)) {
            throw StateDictError(missing: strict ? missing : [], unexpected: strict ? unexpected : [], mismatched: mismatched)
        }
        for (name, assign) in targets { assign(stateDict[name]!) }
        return LoadReport(missing: missing, unexpected: unexpected)
    }
}
