import Foundation
import NablaTensor
import NablaAutograd
import NablaLayers
import NablaOptimizers
import NablaData
import NablaPlot

/// Universal approximation (001_95bae65057cf9e0b.txt): one hidden layer of ReLU units,
/// f̂(x) = Σⱼ vⱼ·relu(wⱼx + bⱼ) + c, fitting the course's curve f(x) = −sin(x/5) + cos(x)
/// (`Generators.sineTarget`) on [−5, 5], with the error falling as the width grows.
///
/// Trained: for each width n, `Linear(1, n)`, `ReLU`, `Linear(n, 1)` on the input u = x/5 (see
/// `trainedApproximator`: PyTorch's init with the kinks spread over the data), full-batch `Adam`
/// (lr 1e-2) for `steps` steps on the mean squared error at 200 evenly spaced points of [−5, 5],
/// `restarts` times (seeds 31, 32, …), keeping the restart with the lowest training error: the
/// theorem says a good fit exists, not that gradient descent finds it from every start. The error
/// reported is the mean squared error on 1001 evenly spaced points (judged between the training
/// points too).
///
/// Constructed: the same architecture with its weights set by hand to the piecewise-linear
/// interpolant of f at n + 1 equally spaced knots kⱼ (hidden unit j is relu(x − kⱼ), output weight
/// the change of slope at kⱼ, bias f(k₀)). This is the theorem's construction: its error is the
/// linear-interpolation error, O(n⁻⁴) in mean square, and it equals NumPy's `np.interp`.
public struct UniversalApproximationResult: Sendable {
    /// The hidden widths.
    public var widths: [Int]
    /// Mean squared error of the trained network on the 1001-point grid, per width.
    public var trainedError: [Double]
    /// Mean squared error of the trained network on its 200 training points, per width.
    public var trainingError: [Double]
    /// Mean squared error of the hand-built interpolating network on the grid, per width.
    public var constructedError: [Double]
    /// The figures `universal-approximation-fits.svg` and `universal-approximation-error.svg`.
    public var figures: [(name: String, svg: String)]
}

/// A one-hidden-layer ReLU network of width `n` on u = x/5 that is exactly the piecewise-linear
/// interpolant of `f` at `n + 1` equally spaced knots of [−5, 5].
func interpolatingNetwork(width n: Int, _ f: (Double) -> Double) -> Sequential<Double> {
    let knots: [Double] = linspace(-5, 5, n + 1)               // in x; the network sees u = x/5
    let values: [Double] = knots.map(f)
    var slopes: [Double] = []
    for j in 0..<n { slopes.append((values[j + 1] - values[j]) / (knots[j + 1] - knots[j])) }
    var changes: [Double] = [slopes[0]]                         // the change of slope at each knot
    for j in 1..<n { changes.append(slopes[j] - slopes[j - 1]) }
    var g = PhiloxGenerator(seed: 0)                            // every weight is overwritten below
    let hidden = Linear<Double>(1, n, using: &g), output = Linear<Double>(n, 1, using: &g)
    hidden.weight.value = Tensor(shape: [n, 1], scalars: [Double](repeating: 5, count: n))   // relu(5u − kⱼ) = relu(x − kⱼ)
    hidden.bias!.value = Tensor(knots.prefix(n).map { -$0 })
    output.weight.value = Tensor(shape: [1, n], scalars: changes)
    output.bias!.value = Tensor([values[0]])
    return Sequential<Double>(hidden, ReLU<Double>(), output)
}

/// One hidden layer of `width` ReLU units on u = x/5, trained by full-batch Adam (lr 1e-2) for
/// `steps` steps on the mean squared error. Weights from `PhiloxGenerator(seed: seed)` (PyTorch's
/// init); then each hidden bias is set to −wⱼ·kⱼ so that unit j's kink sits at kⱼ, the kⱼ evenly
/// spaced inside (−1, 1): with PyTorch's biases half the kinks fall outside the data, where a unit
/// is linear over every point and its kink gets no gradient to move in.
func trainedApproximator(width n: Int, seed: UInt64, steps: Int, u: Tensor<Double>, y: Tensor<Double>) throws -> Sequential<Double> {
    var g = PhiloxGenerator(seed: seed)
    let hidden = Linear<Double>(1, n, using: &g)
    let model = Sequential<Double>(hidden, ReLU(), Linear(n, 1, using: &g))
    let kinks = linspace(-1, 1, n + 2)[1...n]
    hidden.bias!.value = Tensor(zip(hidden.weight.value.scalars, kinks).map { -$0 * $1 })
    let adam = try Adam(model, learningRate: 1e-2)
    for _ in 0..<steps {
        adam.zeroGradients()
        mseLoss(model(u), y).backward()
        adam.step()
    }
    return model
}

/// Fits every width; see ``UniversalApproximationResult``.
/// - Throws: only if the optimizer rejects its (fixed, valid) hyper-parameters.
public func universalApproximation(widths: [Int] = [1, 2, 4, 8, 16, 32, 64], steps: Int = 3000,
                                   restarts: Int = 4) throws -> UniversalApproximationResult {
    let f = Generators.sineTarget
    let xTrain = linspace(-5, 5, 200), xGrid = linspace(-5, 5, 1001)
    let u = Tensor(shape: [200, 1], scalars: xTrain.map { $0 / 5 }), y = Tensor(shape: [200, 1], scalars: xTrain.map(f))
    let uGrid = Tensor(shape: [1001, 1], scalars: xGrid.map { $0 / 5 }), yGrid = Tensor(shape: [1001, 1], scalars: xGrid.map(f))

    var trained: [Double] = [], training: [Double] = [], constructed: [Double] = [], fits: [(Int, [Double])] = []
    for n in widths {
        var best: (training: Double, model: Sequential<Double>)?
        for restart in 0..<restarts {
            let model = try trainedApproximator(width: n, seed: 31 + UInt64(restart), steps: steps, u: u, y: y)
            let error = mseLoss(model(u), y).value.scalar
            if best == nil || error < best!.training { best = (error, model) }
        }
        let prediction = best!.model(uGrid).value
        trained.append(mse(prediction.scalars, yGrid.scalars))
        training.append(best!.training)
        constructed.append(mse(interpolatingNetwork(width: n, f)(uGrid).value.scalars, yGrid.scalars))
        fits.append((n, prediction.scalars))
    }

    var fig = Figure(title: "One hidden layer of n ReLU units fitting f(x) = −sin(x/5) + cos(x)", xLabel: "x", yLabel: "f(x)")
    fig.line(x: xGrid, y: xGrid.map(f), label: "f(x)", color: Color(hex: 0x000000), width: 3)
    for (k, fit) in fits.enumerated() where [2, 4, 8, 32].contains(fit.0) {
        fig.line(x: xGrid, y: fit.1, label: "n = \(fit.0)", color: Color.palette[k % 10], width: 1.5, dashed: fit.0 < 8)
    }
    var fig2 = Figure(title: "Mean squared error against the width", xLabel: "log₂ n (hidden units)", yLabel: "log₁₀ MSE")
    let lw = widths.map { log2(Double($0)) }
    fig2.line(x: lw, y: trained.map(log10), label: "trained (Adam, \(steps) steps, best of \(restarts))", color: Color.palette[0])
    fig2.scatter(x: lw, y: trained.map(log10), color: Color.palette[0])
    fig2.line(x: lw, y: constructed.map(log10), label: "constructed: linear interpolant, n + 1 knots",
              color: Color.palette[1], dashed: true)
    fig2.scatter(x: lw, y: constructed.map(log10), color: Color.palette[1])
    return UniversalApproximationResult(widths: widths, trainedError: trained, trainingError: training, constructedError: constructed,
                                        figures: [("universal-approximation-fits.svg", fig.svg()),
                                                  ("universal-approximation-error.svg", fig2.svg())])
}

extension UniversalApproximationResult {
    /// The printed summary.
    public var output: ExampleOutput {
        var lines = ["width   trained MSE (grid)   trained MSE (200 points)   constructed MSE (interpolant)"]
        for (k, n) in widths.enumerated() {
            lines.append(String(format: "%5d   %18.6e   %24.6e   %29.6e", n, trainedError[k], trainingError[k], constructedError[k]))
        }
        return ExampleOutput(lines: lines, figures: figures)
    }
}
