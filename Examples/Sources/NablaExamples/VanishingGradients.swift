import Foundation
import NablaTensor
import NablaAutograd
import NablaLayers
import NablaData
import NablaPlot

/// Vanishing gradients: the per-layer back-propagated gradients of a deep sigmoid network beside
/// the same network with ReLU (the Glorot & Bengio (2010) histograms shown in
/// 001_95bae65057cf9e0b.txt), and the seed's number σ′(10) = e¹⁰/(e¹⁰ + 1)².
///
/// Network: 2 → `hidden` × `depth` hidden layers → 3, `Linear` layers with PyTorch's default
/// initialization (Philox seed 11; the same weights for both activations), on the 3-class spiral
/// (`Generators.spiral()`, 300 points), loss the mean cross-entropy at initialization.
public struct VanishingGradientsResult: Sendable {
    /// σ′(10) = σ(10)(1 − σ(10)) from NablaAutograd's derivative of `sigmoid`.
    public var sigmoidDerivativeAt10: Double
    /// The closed form e¹⁰/(e¹⁰ + 1)².
    public var sigmoidDerivativeAt10ClosedForm: Double
    /// The Frobenius norm of each hidden layer's weight gradient, input side first, sigmoid network.
    public var sigmoidLayerNorms: [Double]
    /// The same for the ReLU network.
    public var reluLayerNorms: [Double]
    /// The figures `vanishing-gradients-sigmoid.svg`, `vanishing-gradients-relu.svg` (normalized
    /// histograms of each layer's weight-gradient entries) and `vanishing-gradients-norms.svg`.
    public var figures: [(name: String, svg: String)]
}

/// Builds both networks and back-propagates once; see ``VanishingGradientsResult``.
public func vanishingGradients(depth: Int = 5, hidden: Int = 50) -> VanishingGradientsResult {
    let d = gradient(at: Tensor<Double>(10)) { x in x.sigmoid() }.scalars[0]
    let e10 = exp(10.0)
    let closed = e10 / ((e10 + 1) * (e10 + 1))

    let data = Generators.spiral()
    let x = data.points
    let labels = Tensor<Int>(data.labels.scalars.map { Int($0) })
    func gradients(relu: Bool) -> [[Double]] {
        var g = PhiloxGenerator(seed: 11)
        var layers: [any Layer<Double>] = []
        var width = 2
        for _ in 0..<depth {
            layers.append(Linear<Double>(width, hidden, using: &g))
            layers.append(relu ? ReLU<Double>() as any Layer<Double> : Sigmoid<Double>())
            width = hidden
        }
        layers.append(Linear<Double>(width, 3, using: &g))
        let model = Sequential<Double>(layers)
        let (_, grads) = valueWithGradient(of: model) { m in crossEntropy(m(Variable(x)), labels) }
        return (0..<depth).map { grads["\(2 * $0).weight"]!.scalars }
    }
    let gs = gradients(relu: false), gr = gradients(relu: true)
    func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    func histogramFigure(_ grads: [[Double]], _ name: String) -> Figure {
        var fig = Figure(title: "Back-propagated gradients, \(name) network (\(depth) × \(hidden))",
                         xLabel: "weight gradient (× 10⁻³)", yLabel: "density")
        for (k, v) in grads.enumerated() {
            fig.histogram(v.map { $0 * 1e3 }, bins: 60, range: -1...1, density: true, label: "layer \(k + 1)", opacity: 0.35)
        }
        return fig
    }
    var fig3 = Figure(title: "Gradient norm per layer", xLabel: "hidden layer (1 = nearest the input)", yLabel: "log₁₀ ‖∂L/∂W‖")
    let ks = (1...depth).map(Double.init)
    fig3.line(x: ks, y: gs.map { log10(norm($0)) }, label: "sigmoid")
    fig3.line(x: ks, y: gr.map { log10(norm($0)) }, label: "ReLU")
    return VanishingGradientsResult(sigmoidDerivativeAt10: d, sigmoidDerivativeAt10ClosedForm: closed,
                                    sigmoidLayerNorms: gs.map(norm), reluLayerNorms: gr.map(norm),
                                    figures: [("vanishing-gradients-sigmoid.svg", histogramFigure(gs, "sigmoid").svg()),
                                              ("vanishing-gradients-relu.svg", histogramFigure(gr, "ReLU").svg()),
                                              ("vanishing-gradients-norms.svg", fig3.svg())])
}

extension VanishingGradientsResult {
    /// The printed summary.
    public var output: ExampleOutput {
        ExampleOutput(lines: [
            "σ′(10) = \(fmt(sigmoidDerivativeAt10, 10)) (autograd); e¹⁰/(e¹⁰ + 1)² = \(fmt(sigmoidDerivativeAt10ClosedForm, 10))",
            "‖∂L/∂W‖ per hidden layer, input side first:",
            "  sigmoid: " + sigmoidLayerNorms.map { fmt($0, 4) }.joined(separator: "  "),
            "  ReLU:    " + reluLayerNorms.map { fmt($0, 4) }.joined(separator: "  "),
            "  ratio first/last layer: sigmoid \(fmt(sigmoidLayerNorms.first! / sigmoidLayerNorms.last!, 3)), ReLU \(fmt(reluLayerNorms.first! / reluLayerNorms.last!, 3))",
        ], figures: figures)
    }
}
