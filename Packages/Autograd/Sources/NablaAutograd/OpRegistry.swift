import NablaTensor

/// A differentiable op as the registry knows it: a name, sample inputs in its valid domain, and a
/// way to apply it. ``checkGradients(of:at:eps:atol:rtol:checkSecondOrder:)`` and the
/// `nabla gradcheck` tool walk every registered op over its samples.
public protocol RegisteredOperator: Sendable {
    /// The unique name, e.g. `"mul"` or `"myorg.cube"`.
    var name: String { get }
    /// Input sets at which the op is smooth (Double; each set has one tensor per input).
    var samples: [[Tensor<Double>]] { get }
    /// Applies the op.
    func apply(_ inputs: [Variable<Double>]) -> Variable<Double>
}

/// A user-defined differentiable op: forward, VJP and JVP (``NaryOperator``) plus sample inputs.
/// Conform, then `OpRegistry.shared.register(MyOp())`; call it with `Variable.applying(MyOp(), inputs)`.
///
/// ```swift
/// struct Cube: DifferentiableOperator {
///     var name: String { "example.cube" }
///     var samples: [[Tensor<Double>]] { [[[0.5, -1.5]]] }
///     func forward<S>(_ x: [Tensor<S>]) -> Tensor<S> { x[0] * x[0] * x[0] }
///     func vjp<S>(_ x: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>, needed: [Bool]) -> [Variable<S>?] {
///         [ct * x[0].squared() * 3]
///     }
///     func jvp<S>(_ x: [Variable<S>], _ y: Variable<S>, _ t: [Variable<S>?]) -> Variable<S> { t[0]! * x[0].squared() * 3 }
/// }
/// ```
public protocol DifferentiableOperator: NaryOperator, RegisteredOperator {}

extension DifferentiableOperator {
    /// Records the op (its node runs this type's `vjp`, and its `jvp` in forward mode).
    public func apply(_ inputs: [Variable<Double>]) -> Variable<Double> { Variable.applying(self, inputs) }
}

/// A registry entry built from a closure, used for the built-in ops.
public struct OpEntry: RegisteredOperator {
    /// The registry name.
    public let name: String
    /// Sample input sets in the op's valid domain.
    public let samples: [[Tensor<Double>]]
    @usableFromInline let body: @Sendable ([Variable<Double>]) -> Variable<Double>
    /// An entry named `name` that applies `body` to sample inputs `samples`.
    public init(_ name: String, samples: [[Tensor<Double>]], _ body: @escaping @Sendable ([Variable<Double>]) -> Variable<Double>) {
        self.name = name
        self.samples = samples
        self.body = body
    }
    /// Applies the op to `inputs`.
    public func apply(_ inputs: [Variable<Double>]) -> Variable<Double> { body(inputs) }
}

/// The registry of differentiable ops, filled with the built-ins (``builtinOps``) and extended with
/// ``register(_:)``. Lookups of unknown names throw ``AutogradError/unknownOp(_:)``. Thread-safe.
public final class OpRegistry: @unchecked Sendable {
    /// The process-wide registry.
    public static let shared = OpRegistry(builtinOps)

    private var entries: [String: any RegisteredOperator] = [:]
    private var order: [String] = []
    private let lock = RegistryLock()

    /// A registry holding `ops`.
    public init(_ ops: [any RegisteredOperator] = []) { for op in ops { register(op) } }

    /// Adds `op`, replacing any op of the same name.
    public func register(_ op: any RegisteredOperator) {
        lock.withLock {
            if entries[op.name] == nil { order.append(op.name) }
            entries[op.name] = op
        }
    }

    /// The op named `name`.
    /// - Throws: ``AutogradError/unknownOp(_:)`` naming `name` if nothing is registered under it.
    public func op(named name: String) throws(AutogradError) -> any RegisteredOperator {
        guard let op = lock.withLock({ entries[name] }) else { throw AutogradError.unknownOp(name) }
        return op
    }

    /// Every registered op, in registration order.
    public var all: [any RegisteredOperator] { lock.withLock { order.map { entries[$0]! } } }

    /// Every registered name, in registration order.
    public var names: [String] { lock.withLock { order } }
}

/// A mutex without Foundation (Dispatch's serial queue).
import Dispatch
private final class RegistryLock: @unchecked Sendable {
    private let queue = DispatchQueue(label: "nabla.autograd.registry")
    func withLock<R>(_ body: () throws -> R) rethrows -> R { try queue.sync(execute: body) }
}
