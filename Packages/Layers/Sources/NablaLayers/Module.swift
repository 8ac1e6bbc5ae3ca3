import Foundation
import NablaTensor
import NablaAutograd

/// The mode of modules that do not store ``Module/isTraining`` themselves: by object identity,
/// with a weak reference so a freed module's entry is not mistaken for a new one at the same address.
final class ModeTable: @unchecked Sendable {
    static let shared = ModeTable()
    private final class Entry { weak var module: AnyObject?; var training: Bool
        init(_ m: AnyObject, _ t: Bool) { module = m; training = t } }
    private var entries: [ObjectIdentifier: Entry] = [:]
    private let lock = NSLock()

    func isTraining(_ m: AnyObject) -> Bool {
        lock.withLock {
            guard let e = entries[ObjectIdentifier(m)], e.module === m else { return true }
            return e.training
        }
    }

    func set(_ m: AnyObject, training: Bool) {
        lock.withLock {
            if entries.count > 64 && entries.count.isMultiple(of: 64) { entries = entries.filter { $0.value.module != nil } }
            entries[ObjectIdentifier(m)] = Entry(m, training)
        }
    }
}

/// A model or a part of one: it declares its parameters, buffers and child modules by name, and
/// everything else (dotted names, state dicts, train/eval mode, freezing, counting) follows.
///
/// Modules are reference types, so a model, its optimizer and the code that switches it to
/// evaluation mode all see the same object, as with `torch.nn.Module`. Nothing is discovered by
/// reflection: a module lists what it owns in ``namedLocalParameters``, ``namedLocalBuffers`` and
/// ``namedChildren``, with PyTorch's names, so that ``stateDict()`` keys (`layers.0.weight`,
/// `bn1.running_mean`) match a PyTorch `state_dict` of the same architecture one to one.
///
/// ```swift
/// final class MLP: Module, Layer {
///     typealias Scalar = Float       // names the scalar type (a generic model uses its parameter)
///     let fc1 = Linear<Float>(4, 8), fc2 = Linear<Float>(8, 2)
///     var namedChildren: [(name: String, module: any Module<Float>)] { [("fc1", fc1), ("fc2", fc2)] }
///     func callAsFunction(_ x: Variable<Float>) -> Variable<Float> { fc2(relu(fc1(x))) }
/// }
/// ```
///
/// A module conforms to `ParameterContainer`, so optimizers update any module's parameters in
/// place without knowing about layers.
public protocol Module<Scalar>: AnyObject, ParameterContainer {
    /// This module's own parameters (not its children's), with their local names (`weight`, `bias`,
    /// `weight_ih_l0`), in registration order. Defaults to none.
    var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] { get }
    /// This module's own buffers: state that is saved in the state dict but not trained
    /// (`running_mean`, `num_batches_tracked`). Defaults to none.
    var namedLocalBuffers: [(name: String, buffer: Buffer<Scalar>)] { get }
    /// The direct children with their names (`fc1`, or `0`, `1`, … in containers). Defaults to none.
    var namedChildren: [(name: String, module: any Module<Scalar>)] { get }
    /// Whether the module is in training mode (`module.training`). Modules whose forward pass
    /// depends on the mode (dropout, batch norm) store it; the default reads the first child and
    /// writes every child. Use ``train(_:)`` and ``eval()`` to switch a whole model.
    var isTraining: Bool { get set }
}

extension Module {
    /// No parameters of its own.
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] { [] }
    /// No buffers of its own.
    public var namedLocalBuffers: [(name: String, buffer: Buffer<Scalar>)] { [] }
    /// No children.
    public var namedChildren: [(name: String, module: any Module<Scalar>)] { [] }
    /// Kept for the module in a side table (modules whose forward pass depends on the mode store
    /// it themselves); training until set.
    public var isTraining: Bool {
        get { ModeTable.shared.isTraining(self) }
        set { ModeTable.shared.set(self, training: newValue) }
    }
}

// MARK: - Names

extension Module {
    /// Every parameter with its dotted name (`layers.0.weight`), depth first in registration order,
    /// each parameter once (a shared parameter keeps its first name). Mirrors `named_parameters()`.
    public var namedParameters: [(name: String, parameter: Parameter<Scalar>)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(name: String, parameter: Parameter<Scalar>)] = []
        visit(prefix: "") { prefix, m in
            for (n, p) in m.namedLocalParameters where seen.insert(ObjectIdentifier(p)).inserted {
                out.append((prefix + n, p))
            }
        }
        return out
    }

    /// Every buffer with its dotted name (`bn1.running_mean`), each once. Mirrors `named_buffers()`.
    public var namedBuffers: [(name: String, buffer: Buffer<Scalar>)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(name: String, buffer: Buffer<Scalar>)] = []
        visit(prefix: "") { prefix, m in
            for (n, b) in m.namedLocalBuffers where seen.insert(ObjectIdentifier(b)).inserted {
                out.append((prefix + n, b))
            }
        }
        return out
    }

    /// This module (named `""`) and every descendant with its dotted name, depth first, each once.
    /// Mirrors `named_modules()`.
    public var namedModules: [(name: String, module: any Module<Scalar>)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(name: String, module: any Module<Scalar>)] = []
        visit(prefix: "") { prefix, m in
            if seen.insert(ObjectIdentifier(m)).inserted { out.append((String(prefix.dropLast()), m)) }
        }
        return out
    }

    /// Calls `body` with each module's name prefix (`""`, `"fc1."`, …) and the module, depth first.
    func visit(prefix: String, _ body: (String, any Module<Scalar>) -> Void) {
        body(prefix, self)
        for (n, c) in namedChildren { c.visit(prefix: prefix + n + ".", body) }
    }

    /// The parameter named `name` (dotted), or `nil`.
    public func parameter(named name: String) -> Parameter<Scalar>? {
        namedParameters.first { $0.name == name }?.parameter
    }

    /// The number of parameter elements (shared parameters once). Mirrors
    /// `sum(p.numel() for p in model.parameters())`.
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.parameter.count } }

    /// The number of elements in parameters that are trained (not frozen).
    public var trainableParameterCount: Int {
        namedParameters.reduce(0) { $0 + ($1.parameter.requiresGradient ? $1.parameter.count : 0) }
    }
}

// MARK: - Modes and freezing

extension Module {
    /// Puts this module and every descendant in training mode (or evaluation mode when `mode` is
    /// false). Mirrors `module.train(mode)`.
    /// - Returns: the module, for chaining.
    @discardableResult public func train(_ mode: Bool = true) -> Self {
        isTraining = mode
        for (_, c) in namedChildren { c.train(mode) }
        return self
    }

    /// Puts this module and every descendant in evaluation mode: dropout passes inputs through and
    /// batch norm uses its running statistics. Mirrors `module.eval()`.
    /// - Returns: the module, for chaining.
    @discardableResult public func eval() -> Self { train(false) }

    /// Stops gradients for every parameter (`requires_grad_(False)`): they become constants in the
    /// forward pass, and optimizers and ``valueWithGradient(of:_:)`` skip them.
    public func freeze() { for (_, p) in namedParameters { p.requiresGradient = false } }

    /// Lets gradients flow into every parameter again (`requires_grad_(True)`).
    public func unfreeze() { for (_, p) in namedParameters { p.requiresGradient = true } }
}
