import NablaAutograd

/// Parameters that share hyper-parameters: PyTorch's `param_groups` entry.
///
/// Hyper-parameters live in ``options`` under PyTorch's keys (`lr`, `weight_decay`, `momentum`,
/// `betas.0`, `betas.1`, `eps`, …; flags such as `nesterov` are 0 or 1). A group built with only
/// some keys takes the rest from the optimizer's defaults when the optimizer is created:
///
/// ```swift
/// let optimizer = try SGD(groups: [
///     ParameterGroup(backbone, learningRate: 1e-3),
///     ParameterGroup(head),                        // uses the optimizer's learning rate
/// ], learningRate: 1e-2, momentum: 0.9)
/// ```
public struct ParameterGroup<Scalar: TensorFloatingPoint> {
    /// The parameters, in order.
    public var parameters: [Parameter<Scalar>]
    /// The parameters' names, from the container they came from.
    public var parameterNames: [String]
    /// The hyper-parameters under PyTorch's keys.
    public var options: [String: Double]

    /// A group of every parameter of `container`, overriding the optimizer's defaults with
    /// `options` (PyTorch's keys).
    public init(_ container: some ParameterContainer<Scalar>, options: [String: Double] = [:]) {
        let named = container.namedParameters
        self.parameters = named.map(\.parameter)
        self.parameterNames = named.map(\.name)
        self.options = options
    }

    /// A group of every parameter of `container` with its own learning rate and weight decay
    /// (each `nil` to use the optimizer's), plus any other `options` under PyTorch's keys.
    public init(_ container: some ParameterContainer<Scalar>, learningRate: Double? = nil,
                weightDecay: Double? = nil, options: [String: Double] = [:]) {
        self.init(container, options: options)
        if let learningRate { self.options["lr"] = learningRate }
        if let weightDecay { self.options["weight_decay"] = weightDecay }
    }

    /// The learning rate (`lr`).
    public var learningRate: Double {
        get { options["lr"] ?? 0 }
        set { options["lr"] = newValue }
    }

    /// The weight decay (`weight_decay`), 0 when the optimizer has none.
    public var weightDecay: Double {
        get { options["weight_decay"] ?? 0 }
        set { options["weight_decay"] = newValue }
    }

    /// The hyper-parameter under PyTorch's `key`, or `nil`.
    public subscript(key: String) -> Double? {
        get { options[key] }
        set { options[key] = newValue }
    }

    /// Reads a required option (filled in from the defaults when the optimizer was created).
    @inlinable func value(_ key: String) -> Double { options[key] ?? 0 }
    /// Reads a flag option.
    @inlinable func flag(_ key: String) -> Bool { (options[key] ?? 0) != 0 }
}
