import Testing
import NablaLayers
import _NablaTestSupport

/// Every layer's derivatives, numerically, in Double.
@Suite("Layer gradients (Double, central differences)")
struct GradientCheckTests {
    var g = PhiloxGenerator(seed: 42)
    // Away from kinks (ReLU at 0, smooth L1 at ±β).
    let x = Tensor<Double>([[-1.3, 0.4, 2.1, -0.7], [0.9, -2.2, 0.3, 1.6], [1.1, 0.6, -0.45, -1.9]])

    @Test mutating func linearAndBilinear() {
        checkLayerGradients(Linear<Double>(4, 3, using: &g), input: x)
        checkLayerGradients(Linear<Double>(4, 2, bias: false, using: &g), input: x)
        let bl = Bilinear<Double>(4, 4, 2, using: &g)
        let report = checkGradients(of: { v in bl(v[0], v[1]) }, at: [x, x * 0.5 + 0.1])
        #expect(report.passed, "\(report)")
    }

    @Test func activations() {
        let layers: [any Layer<Double>] = [ReLU(), LeakyReLU(negativeSlope: 0.2), ELU(alpha: 1.5), GELU(), GELU(approximation: .tanh),
                                           SiLU(), Sigmoid(), Tanh(), Softplus(beta: 2, threshold: 3), Softmax(axis: 1), LogSoftmax(axis: 0),
                                           Flatten(startAxis: 0), Unflatten(axis: 1, sizes: [2, 2]), Identity()]
        for layer in layers { checkLayerGradients(layer, input: x) }
    }

    @Test mutating func normalization() {
        let bn = BatchNorm1d<Double>(4)
        bn.weight!.value = Tensor.randomNormal([4], using: &g)
        bn.bias!.value = Tensor.randomNormal([4], using: &g)
        checkLayerGradients(bn, input: x)
        bn.eval()
        checkLayerGradients(bn, input: x)
        let bn2 = BatchNorm2d<Double>(2)
        checkLayerGradients(bn2, input: Tensor.randomNormal([2, 2, 2, 2], using: &g))
        let ln = LayerNorm<Double>(4)
        ln.weight!.value = Tensor.randomNormal([4], using: &g)
        checkLayerGradients(ln, input: x)
        let gn = GroupNorm<Double>(groups: 2, channels: 4)
        gn.bias!.value = Tensor.randomNormal([4], using: &g)
        checkLayerGradients(gn, input: x.reshaped([3, 4, 1]) * 1.5)
    }

    @Test mutating func sequentialMLP() {
        let model = Sequential<Double>(Linear(4, 5, using: &g), Tanh(), Linear(5, 3, using: &g), LogSoftmax())
        checkLayerGradients(model, input: x)
    }

    @Test mutating func embeddingWeightGradientByCentralDifferences() {
        // Indices as whole numbers in a Double tensor (what an Embedding in a Sequential sees);
        // only the parameter part of the check applies (indices have no derivative).
        let e = Embedding<Double>(5, 3, using: &g)
        let idx = Tensor<Int>([[0, 4, 2], [2, 2, 1]])
        let cot = Tensor<Double>.randomNormal([2, 3, 3], seed: 8)
        (e(idx) * cot).sum().backward()
        let analytic = e.weight.gradient!
        let original = e.weight.value
        var numeric = [Double]()
        for i in 0..<original.count {
            var plus = original.scalars, minus = original.scalars
            plus[i] += 1e-6; minus[i] -= 1e-6
            e.weight.value = Tensor(shape: original.shape, scalars: plus)
            let fp = (e(idx).value * cot).sum().scalar
            e.weight.value = Tensor(shape: original.shape, scalars: minus)
            let fm = (e(idx).value * cot).sum().scalar
            numeric.append((fp - fm) / 2e-6)
        }
        #expect(allClose(analytic, Tensor(shape: original.shape, scalars: numeric), rtol: 1e-6, atol: 1e-7))
    }

    @Test mutating func embeddingGradientCountsRows() {
        let e = Embedding<Double>(4, 2, using: &g)
        let out = e(Tensor<Int>([[0, 2], [2, 2]]))
        out.sum().backward()
        #expect(e.weight.gradient?.scalars == [1, 1, 0, 0, 3, 3, 0, 0])
    }

    @Test func losses() {
        let t = x * 0.5 - 0.2
        let probs = x.sigmoid()
        let labels = Tensor<Double>([[1, 0, 1, 1], [0, 0, 1, 0], [1, 1, 0, 0]])
        let signs = labels * 2 - 1
        let idx = Tensor<Int>([3, 0, 1])
        let w = Tensor<Double>([0.5, 2, 1, 1.5])
        let fs: [(String, ([Variable<Double>]) -> Variable<Double>)] = [
            ("mse", { mseLoss($0[0], t) }),
            ("l1", { l1Loss($0[0], t, reduction: .sum) }),
            ("smoothL1", { smoothL1Loss($0[0], t, beta: 0.37) }),
            ("huber", { huberLoss($0[0], t, delta: 0.7, reduction: .none) }),
            ("bce", { binaryCrossEntropy($0[0], labels, weight: w) }),
            ("bceLogits", { binaryCrossEntropyWithLogits($0[0], labels, posWeight: w) }),
            ("crossEntropy", { crossEntropy($0[0], idx, weight: w, labelSmoothing: 0.1) }),
            ("crossEntropyProbs", { crossEntropy($0[0], probabilities: probs / probs.sum(axis: 1, keepingDims: true), labelSmoothing: 0.2) }),
            ("nll", { nllLoss($0[0].logSoftmax(axis: 1), idx, ignoreIndex: 0) }),
            ("gaussianNLL", { gaussianNLLLoss($0[0], t, variance: $0[0].exp(), full: true) }),
            ("kl", { klDivergence($0[0].logSoftmax(axis: 1), probs / probs.sum(axis: 1, keepingDims: true), reduction: .batchMean) }),
            ("hinge", { hingeLoss($0[0], signs) }),
        ]
        for (name, f) in fs {
            let input = name == "bce" ? probs : x
            let report = checkGradients(of: f, at: [input])
            #expect(report.passed, "\(name): \(report)")
        }
    }
}
