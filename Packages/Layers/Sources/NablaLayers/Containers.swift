import NablaTensor
import NablaAutograd

/// Layers applied one after another, named `0`, `1`, … as in PyTorch. Mirrors `torch.nn.Sequential`.
///
/// ```swift
/// let model = Sequential<Float>(Linear(4, 8), ReLU(), Linear(8, 2))
/// model.stateDict().names    // ["0.weight", "0.bias", "2.weight", "2.bias"]
/// ```
///
/// Each layer costs one dynamic call per forward pass.
public final class Sequential<Scalar: TensorFloatingPoint>: Layer {
    /// The layers in order.
    public private(set) var layers: [any Layer<Scalar>] { didSet { stages = Sequential.stages(of: layers) } }

    /// The layers as the forward pass runs them: a ``Linear`` directly followed by a ``ReLU`` is one
    /// stage, the ReLU applied in the GEMM's epilogue (same values, one op and one buffer instead
    /// of two each).
    private var stages: [Stage]

    /// One step of the forward pass.
    private enum Stage {
        case layer(any Layer<Scalar>)
        case linearReLU(Linear<Scalar>)
    }

    private static func stages(of layers: [any Layer<Scalar>]) -> [Stage] {
        var result: [Stage] = []
        var i = 0
        while i < layers.count {
            if i + 1 < layers.count, let linear = layers[i] as? Linear<Scalar>, layers[i + 1] is ReLU<Scalar> {
                result.append(.linearReLU(linear))
                i += 2
            } else {
                result.append(.layer(layers[i]))
                i += 1
            }
        }
        return result
    }

    /// A sequence of these layers.
    public init(_ layers: [any Layer<Scalar>]) {
        self.layers = layers
        stages = Sequential.stages(of: layers)
    }
    /// A sequence of these layers.
    public convenience init(_ layers: any Layer<Scalar>...) { self.init(layers) }

    /// Appends a layer (named by its position). Mirrors `Sequential.append`.
    public func append(_ layer: any Layer<Scalar>) { layers.append(layer) }

    /// The layer at `index`.
    public subscript(index: Int) -> any Layer<Scalar> { layers[index] }
    /// The number of layers.
    public var count: Int { layers.count }

    /// The layers, named `0`, `1`, ….
    public var namedChildren: [(name: String, module: any Module<Scalar>)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }

    /// Each layer applied to the previous one's output.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        var y = x
        for stage in stages {
            switch stage {
            case .layer(let layer): y = layer(y)
            case .linearReLU(let linear): y = linear(y, fusingReLU: true)
            }
        }
        return y
    }
}

/// A list of modules of one type, named `0`, `1`, …, that registers them as children without
/// calling them. Mirrors `torch.nn.ModuleList` (for modules of different types, use a list of a
/// common protocol such as ``Sequential``'s layers, or list them in the parent's ``Module/namedChildren``).
///
/// ```swift
/// let blocks = ModuleList((0..<3).map { _ in Linear<Float>(8, 8) })
/// var h = x
/// for block in blocks { h = relu(block(h)) }
/// ```
public final class ModuleList<Element: Module>: Module, RandomAccessCollection {
    /// The scalar type of the modules.
    public typealias Scalar = Element.Scalar
    /// The modules in order.
    public private(set) var modules: [Element]

    /// A list of these modules.
    public init(_ modules: [Element]) { self.modules = modules }

    /// Appends a module. Mirrors `ModuleList.append`.
    public func append(_ module: Element) { modules.append(module) }

    /// The first index (0).
    public var startIndex: Int { 0 }
    /// One past the last index.
    public var endIndex: Int { modules.count }
    /// The module at `index`.
    public subscript(index: Int) -> Element { modules[index] }

    /// The modules, named `0`, `1`, ….
    public var namedChildren: [(name: String, module: any Module<Scalar>)] {
        modules.enumerated().map { (String($0.offset), $0.element) }
    }
}
