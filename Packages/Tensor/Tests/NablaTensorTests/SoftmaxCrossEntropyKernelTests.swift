import Testing
@testable import NablaTensor

/// The cross-entropy kernels (`softmaxCrossEntropyAndProbabilities(labels:mean:)` and the backward
/// from the saved softmax) against PyTorch's `F.cross_entropy` and its gradient
/// (scripts/torch_small_step_reference.py): a training step's `[300, 3]` Float batch with rows at
/// scales up to 10⁶, rows with non-finite or huge logits, and every class-count path (1, 2, 4, 5).
@Suite("Softmax cross-entropy kernels")
struct SoftmaxCrossEntropyKernelTests {
    /// Loss and gradient of `x` against `t` through the kernels (a unit output cotangent).
    func lossAndGradient<S: TensorFloatingPoint>(_ x: Tensor<S>, _ t: Tensor<Int>, mean: Bool) -> (S, [S]) {
        let (loss, p) = x.softmaxCrossEntropyAndProbabilities(labels: t, mean: mean)
        let g = Tensor.softmaxCrossEntropyBackward(probabilities: p, labels: t, mean: mean, scale: 1)
        return (loss.scalar, g.scalars)
    }

    /// Equal, both NaN, or within `rtol` relative (the same infinity included).
    func close<S: TensorFloatingPoint>(_ a: S, _ e: S, rtol: S) -> Bool {
        (a.isNaN && e.isNaN) || a == e || (a - e).magnitude <= rtol * e.magnitude
    }

    /// x[i][j] = (((7i + 13j) mod 17) − 8)·scale[i mod 4], t[i] = 5i mod 3, in Float.
    @Test(arguments: [true, false]) func batchOfThreeHundredMatchesTorch(mean: Bool) {
        let scales: [Float] = [0.5, 3, 100, 1e6]
        let x = Tensor<Float>(shape: [300, 3], scalars: (0..<900).map { k in
            let (i, j) = (k / 3, k % 3)
            return Float((7 * i + 13 * j) % 17 - 8) * scales[i % 4]
        })
        let t = Tensor<Int>((0..<300).map { (5 * $0) % 3 })
        let (loss, grad) = lossAndGradient(x, t, mean: mean)
        // torch float32 (the rows' losses reach 1.6·10⁷: the sum's order shows in the last bits).
        let expectedLoss: Float = mean ? 1496814.625 : 449044384.0
        #expect(close(loss, expectedLoss, rtol: 1e-6), "\(loss) vs \(expectedLoss)")
        let first: [Float] = mean
            ? [-0.0033289252314716578, 0.0029321073088794947, 0.0003968176315538585, 6.265096558541851e-15, 3.849408088255117e-20, 0.0,
               0.0033333334140479565, -0.0033333334140479565, 0.0, -0.0033333334140479565, 0.0, 0.0033333334140479565,
               0.002889377763494849, 0.000391034729545936, -0.0032804126385599375, 3.84937868456928e-20, -2.0662943356342112e-08,
               2.048058966863664e-08, 0.0, 0.0, 0.0, 0.0033333334140479565, 0.0, -0.0033333334140479565]
            : [-0.9986775517463684, 0.8796321749687195, 0.11904528737068176, 1.8795288676126676e-12, 1.1548223864099742e-17, 0.0,
               1.0, -1.0, 0.0, -1.0, 0.0, 1.0, 0.8668133020401001, 0.11731041967868805, -0.9841237664222717, 1.1548136182954811e-17,
               -6.198883056640625e-06, 6.144176950328983e-06, 0.0, 0.0, 0.0, 1.0, 0.0, -1.0]
        let last: [Float] = mean
            ? [0.002889377763494849, -0.002942298771813512, 5.292078640195541e-05, -0.0033333334140479565, 3.849408088255117e-20,
               0.0033333334140479565, 0.0033333334140479565, 0.0, -0.0033333334140479565, 0.0, 0.0, 0.0]
            : [0.8668133020401001, -0.8826895952224731, 0.01587623544037342, -1.0, 1.1548223864099742e-17, 1.0, 1.0, 0.0, -1.0,
               0.0, 0.0, 0.0]
        // A probability near 1 is rounded to Float's spacing there (6·10⁻⁸) before 1 is subtracted,
        // in PyTorch too: the gradient at such a label is exact only to that spacing (times 1/N).
        let spacing = Float.ulpOfOne * (mean ? 1 / 300 : 1)
        for (k, e) in zip(Array(0..<24) + Array(888..<900), first + last) {
            #expect(close(grad[k], e, rtol: 1e-5) || abs(grad[k] - e) <= spacing, "gradient element \(k): \(grad[k]) vs \(e)")
        }
        // Every row's gradient sums to 0 (to rounding) and has −1/N·(1 − p) at its label.
        for i in 0..<300 { #expect(abs(grad[3 * i] + grad[3 * i + 1] + grad[3 * i + 2]) <= (mean ? 1e-9 : 3e-7)) }
    }

    /// One row at a time (mean over one row), torch float32: `+inf` or NaN anywhere makes the row
    /// NaN, a row of `-inf` too; `-inf` beside finite logits has probability 0.
    @Test func nonFiniteAndHugeLogitsMatchTorch() {
        let inf = Float.infinity, nan = Float.nan
        let cases: [(row: [Float], label: Int, loss: Float, grad: [Float])] = [
            ([inf, 0, 1], 0, nan, [nan, nan, nan]),
            ([inf, 0, 1], 1, nan, [nan, nan, nan]),
            ([-inf, 0, 1], 0, inf, [-1.0, 0.2689414322376251, 0.7310585975646973]),
            ([-inf, 0, 1], 1, 1.31326162815094, [0.0, -0.7310585975646973, 0.7310585975646973]),
            ([0, nan, 1], 2, nan, [nan, nan, nan]),
            ([1e30, -1e30, 0], 1, 2.0000000300949324e+30, [1.0, -1.0, 0.0]),
            ([-inf, -inf, -inf], 0, nan, [nan, nan, nan]),
            ([88, -88, 88], 2, 0.6931471824645996, [0.5, 0.0, -0.5]),
        ]
        for c in cases {
            let (loss, grad) = lossAndGradient(Tensor(shape: [1, 3], scalars: c.row), Tensor<Int>([c.label]), mean: true)
            #expect(close(loss, c.loss, rtol: 1e-6), "\(c.row), label \(c.label): loss \(loss) vs \(c.loss)")
            for (a, e) in zip(grad, c.grad) {
                #expect(close(a, e, rtol: 1e-6), "\(c.row), label \(c.label): gradient \(grad) vs \(c.grad)")
            }
        }
    }

    /// x[i][j] = 0.25·((3i + 5j) mod 11) − 1, t[i] = i mod C, summed, torch float64: the unrolled
    /// class counts 2 and 4, the general loop at 5, and a single class (loss 0, gradient 0).
    @Test func everyClassCountPathMatchesTorch() {
        let expected: [Int: (loss: Double, grad: [Double])] = [
            1: (0.0, [0.0, 0.0, 0.0]),
            2: (1.9552714406734983, [-0.7772998611746912, 0.7772998611746911, 0.22270013882530884, -0.22270013882530892,
                                     -0.18242552380635635, 0.18242552380635632]),
            4: (5.594537543233877, [-0.9484299996783795, 0.1799969874388731, 0.6282512174716182, 0.1401817947678882,
                                    0.1251967847915936, -0.5630202839057955, 0.09750335403371525, 0.34032014508048664,
                                    0.21185485662849077, 0.047271208087737784, -0.8350072717602512, 0.5758812070440227]),
            5: (6.186908907051313, [-0.9653725878522461, 0.12086154412504144, 0.421848239364802, 0.09412706520780142,
                                    0.3285357391546012, 0.1163608439917195, -0.5938607476491857, 0.09062191641960073,
                                    0.31630156776684903, 0.07057641947101645, 0.18773196285497992, 0.04188866293681076,
                                    -0.8537942003210097, 0.5103083832496405, 0.1138651912795786]),
        ]
        for c in [1, 2, 4, 5] {
            let values: [Double] = (0..<(3 * c)).map { k in
                let i = k / c, j = k % c
                return 0.25 * Double((3 * i + 5 * j) % 11) - 1
            }
            let x = Tensor<Double>(shape: [3, c], scalars: values)
            let (loss, grad) = lossAndGradient(x, Tensor<Int>((0..<3).map { $0 % c }), mean: false)
            let e = expected[c]!
            #expect(close(loss, e.loss, rtol: 1e-14), "\(c) classes: loss \(loss) vs \(e.loss)")
            #expect(grad.count == e.grad.count)
            for (a, b) in zip(grad, e.grad) { #expect(abs(a - b) <= 1e-15, "\(c) classes: gradient \(grad) vs \(e.grad)") }
        }
    }

    /// The label scan NablaLayers' `crossEntropy` uses to pick the fused path.
    @Test func labelScan() {
        let t = Tensor<Int>([0, 2, 1, 2])
        #expect(t._allLabels(in: 3))
        #expect(!t._allLabels(in: 2))
        #expect(!t._allLabels(in: 3, excluding: 1))
        #expect(!Tensor<Int>([0, -1])._allLabels(in: 3))
        #expect(Tensor<Int>(shape: [2, 2], scalars: [0, 1, 1, 0])[1]._allLabels(in: 2))
    }
}
