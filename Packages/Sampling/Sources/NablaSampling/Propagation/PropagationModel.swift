/// What ``UncertaintyPropagation`` pushes a Gaussian through: a differentiable function of a
/// batch of inputs `[n, d] → [n, k]` (any Nabla function, or a NablaLayers `Module`, which is
/// callable this way), and, when it is a stack of ``MomentLayer``s, those layers for moment
/// matching.
public struct PropagationModel {
    /// f on a batch of rows, `[n, d] → [n, k]`.
    public let function: (Variable<Double>) -> Variable<Double>
    /// The layers, when the model is built from ``MomentLayer``s.
    public let layers: [MomentLayer]?

    /// A model from any differentiable function of `[n, d]` rows (moment matching unavailable).
    public init(_ function: @escaping (Variable<Double>) -> Variable<Double>) {
        self.function = function
        self.layers = nil
    }

    /// A model from layers, applied in order (moment matching available).
    public init(layers: [MomentLayer]) {
        self.layers = layers
        self.function = { x in layers.reduce(x) { $1($0) } }
    }

    /// A fully connected tanh network with the given layer `widths` (e.g. `[2, 100, 100, 1]`),
    /// weights 𝒩(0, 1/fan-in) and biases 𝒩(0, 0.1²) from `seed`; tanh between linear layers, none
    /// after the last.
    public static func tanhNetwork(widths: [Int], seed: UInt64 = 0) -> PropagationModel {
        precondition(widths.count >= 2, "tanhNetwork: need at least input and output widths")
        var g = PhiloxGenerator(seed: seed)
        var layers: [MomentLayer] = []
        for i in 0..<(widths.count - 1) {
            let w = Tensor<Double>.randomNormal([widths[i + 1], widths[i]], using: &g) / Double(widths[i]).squareRoot()
            let b = Tensor<Double>.randomNormal([widths[i + 1]], using: &g) * 0.1
            layers.append(.linear(weight: w, bias: b))
            if i < widths.count - 2 { layers.append(.tanh) }
        }
        return PropagationModel(layers: layers)
    }
}
