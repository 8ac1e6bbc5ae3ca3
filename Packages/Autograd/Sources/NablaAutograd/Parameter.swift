import NablaTensor

/// A trainable tensor with identity: a layer's weight, a model's bias, a variational mean.
///
/// A `Parameter` is a reference type, so a model and an optimizer see the same one: the model reads
/// ``variable`` in its forward pass, ``Variable/backward(seed:createGraph:)`` accumulates into
/// ``gradient``, and the optimizer replaces ``value`` in place. Mirrors `torch.nn.Parameter`.
///
/// ```swift
/// let w = Parameter(Tensor<Double>([1, 2]))
/// let loss = (w.variable * w.variable).sum()
/// loss.backward()
/// w.gradient        // [2, 4]
/// w.value -= 0.1 * w.gradient!
/// w.zeroGradient()
/// ```
///
/// Parameters are not safe to update from two threads at once.
public final class Parameter<Scalar: TensorFloatingPoint>: @unchecked Sendable {
    /// The current value. Assigning keeps the parameter's identity (optimizers update it in place).
    @exclusivity(unchecked) public var value: Tensor<Scalar>
    /// Whether derivatives flow into this parameter (`requires_grad`). A frozen parameter's
    /// ``variable`` is a constant.
    @exclusivity(unchecked) public var requiresGradient: Bool
    /// The leaf that gradients of ``variable`` accumulate into, kept across forward passes.
    @usableFromInline let leaf: LeafNode<Scalar>

    /// A parameter holding `value`. Mirrors `torch.nn.Parameter(value, requires_grad=…)`.
    public init(_ value: Tensor<Scalar>, requiresGradient: Bool = true) {
        self.value = value
        self.requiresGradient = requiresGradient
        self.leaf = LeafNode(shape: value.shape)
    }

    /// The value as a differentiable leaf: what a forward pass computes with. Backward sweeps add
    /// into ``gradient``. A constant when ``requiresGradient`` is false. Inside
    /// ``withParameterValues(_:_:)`` that lists this parameter, the variable given there.
    ///
    /// - Precondition: ``value`` still has the shape the parameter was created with, or the
    ///   gradient was cleared since it changed.
    public var variable: Variable<Scalar> {
        if let s = ParameterSubstitution.current, let v = s.variable(for: self) { return v }
        guard requiresGradient else { return Variable(value) }
        if leaf.shape != value.shape {
            precondition(leaf.grad == nil,
                         "Parameter: value reshaped from \(leaf.shape) to \(value.shape) while a gradient is pending")
            return Variable(value, requiresGradient: true)
        }
        return Variable(value, node: leaf)
    }

    /// The gradient accumulated by backward sweeps since the last ``zeroGradient()``, or `nil`.
    /// Mirrors `parameter.grad`; settable (gradient clipping and accumulation write it).
    public var gradient: Tensor<Scalar>? {
        get { leaf.grad }
        set {
            if let g = newValue {
                precondition(g.shape == value.shape,
                             "Parameter: gradient of shape \(g.shape) for a value of shape \(value.shape)")
            }
            leaf.grad = newValue
        }
    }

    /// Clears the gradient. Mirrors `parameter.grad = None` (`zero_grad(set_to_none=True)`).
    public func zeroGradient() { leaf.grad = nil }

    /// The shape of the value.
    public var shape: [Int] { value.shape }
    /// The number of elements.
    public var count: Int { value.count }
}

extension Parameter: CustomStringConvertible {
    /// The value, marked as a parameter.
    public var description: String { "Parameter(\(value.description))" }
}

/// Anything that holds named parameters: a layer, a model, a variational family, a plain list.
///
/// Names are stable and dotted like PyTorch's state-dict keys (`layers.0.weight`). Optimizers,
/// gradient clipping and checkpoints see models only through this protocol, so they work with
/// anything that lists its parameters, not just layers.
public protocol ParameterContainer<Scalar> {
    /// The scalar type of the parameters.
    associatedtype Scalar: TensorFloatingPoint
    /// Every parameter with its dotted name, in a stable order (registration order, as PyTorch's
    /// `named_parameters()`), each parameter once.
    var namedParameters: [(name: String, parameter: Parameter<Scalar>)] { get }
}

extension ParameterContainer {
    /// The parameters in ``namedParameters`` order. Mirrors `module.parameters()`.
    public var parameters: [Parameter<Scalar>] { namedParameters.map(\.parameter) }

    /// Clears every parameter's gradient. Mirrors `module.zero_grad()`.
    public func zeroGradients() { for (_, p) in namedParameters { p.zeroGradient() } }
}

/// A plain dictionary of parameters is a container, named by its keys in sorted order.
extension Dictionary: ParameterContainer where Key == String, Value: ParameterProtocol {
    /// The scalar type of the parameters.
    public typealias Scalar = Value.Scalar
    /// The entries, sorted by name.
    public var namedParameters: [(name: String, parameter: Parameter<Value.Scalar>)] {
        keys.sorted().map { ($0, self[$0]!.asParameter) }
    }
}

/// An array of parameters is a container, named by position (`"0"`, `"1"`, …).
extension Array: ParameterContainer where Element: ParameterProtocol {
    /// The scalar type of the parameters.
    public typealias Scalar = Element.Scalar
    /// The elements, named by their index.
    public var namedParameters: [(name: String, parameter: Parameter<Element.Scalar>)] {
        enumerated().map { (String($0.offset), $0.element.asParameter) }
    }
}

/// What ``Parameter`` conforms to, so that collections of parameters can be containers.
public protocol ParameterProtocol {
    /// The scalar type.
    associatedtype Scalar: TensorFloatingPoint
    /// The parameter itself.
    var asParameter: Parameter<Scalar> { get }
}

extension Parameter: ParameterProtocol {
    /// The parameter itself.
    public var asParameter: Parameter<Scalar> { self }
}
