import Testing
import Foundation
import NablaLayers
import _NablaTestSupport

/// `perSampleGradients(of:inputs:targets:_:)` against `torch.func` and against a loop over samples.
@Suite struct PerSampleGradientTests {
    /// Fills the parameters, in `namedParameters` order, with `0.3·sin(0.7t + 0.1)` over a running
    /// element index `t` (as `scripts/per_sample_gradients_reference.py` does).
    static func fill(_ model: some Module<Double>) {
        var t = 0
        for (_, p) in model.namedParameters {
            p.value = Tensor(shape: p.shape, scalars: (0..<p.count).map { k in 0.3 * Foundation.sin(0.7 * Double(t + k) + 0.1) })
            t += p.count
        }
    }

    static func mse(_ m: Sequential<Double>, _ x: Variable<Double>, _ y: Variable<Double>) -> Variable<Double> {
        (m(x) - y).squared().mean()
    }

    static func crossEntropy(_ m: Sequential<Double>, _ x: Variable<Double>, _ y: Variable<Double>) -> Variable<Double> {
        -(m(x).logSoftmax(axis: 1) * y).sum()
    }

    /// The largest absolute difference between the per-sample gradients and the gradients of each
    /// sample alone (a batch of one), computed with `gradient(of:)` in a loop.
    static func worstAgainstLoop(_ model: Sequential<Double>, _ x: Tensor<Double>, _ y: Tensor<Double>,
                                 _ loss: (Sequential<Double>, Variable<Double>, Variable<Double>) -> Variable<Double>,
                                 _ grads: [String: Tensor<Double>]) -> Double {
        var worst = 0.0
        for i in 0..<x.shape[0] {
            let alone = gradient(of: model) { m in
                loss(m, Variable(x[i].unsqueezed(axis: 0)), Variable(y[i].unsqueezed(axis: 0)))
            }
            #expect(Set(alone.keys) == Set(grads.keys))
            for (n, g) in alone { worst = Swift.max(worst, maxAbsDifference(grads[n]![i], g)) }
        }
        return worst
    }

    static func expectTorch(_ grads: [String: Tensor<Double>], _ reference: [String: (shape: [Int], values: [Double])]) {
        #expect(Set(grads.keys) == Set(reference.keys))
        for (n, r) in reference {
            let g = grads[n]!
            #expect(g.shape == r.shape, "\(n)")
            #expect(allClose(g, Tensor(shape: r.shape, scalars: r.values), rtol: 1e-12, atol: 1e-14), "\(n): \(g) vs \(r.values)")
        }
    }

    @Test func mlpMatchesTorchFunc() throws {
        let model = Sequential<Double>(Linear(5, 4), Tanh(), Linear(4, 3))
        Self.fill(model)
        let x = Tensor<Double>(shape: [4, 5], scalars: (0..<20).map { Foundation.cos(0.37 * Double($0)) })
        let y = Tensor<Double>(shape: [4, 3], scalars: (0..<12).map { Foundation.sin(0.23 * Double($0)) })
        let grads = try perSampleGradients(of: model, inputs: x, targets: y, Self.mse)
        Self.expectTorch(grads, TorchPerSampleReference.mlp)
        // The model's own gradients are not touched.
        #expect(model.parameters.allSatisfy { $0.gradient == nil })
    }

    @Test func cnnMatchesTorchFunc() throws {
        let model = Sequential<Double>(Conv2d(2, 3, kernelSize: 3, padding: 1), Tanh(), Flatten(), LayerNorm(48), Linear(48, 2))
        Self.fill(model)
        let x = Tensor<Double>(shape: [3, 2, 4, 4], scalars: (0..<96).map { Foundation.cos(0.37 * Double($0)) })
        let y = Tensor<Double>([[1, 0], [0, 1], [1, 0]])
        let grads = try perSampleGradients(of: model, inputs: x, targets: y, Self.crossEntropy)
        Self.expectTorch(grads, TorchPerSampleReference.cnn)
    }

    @Test func mlpAtBatch64EqualsTheLoopOverSamples() throws {
        var g = PhiloxGenerator(seed: 3)
        let model = Sequential<Double>(Linear(10, 32, using: &g), ReLU(), Linear(32, 16, using: &g), GELU(), Linear(16, 4, using: &g))
        let x = Tensor<Double>.randomNormal([64, 10], using: &g), y = Tensor<Double>.randomNormal([64, 4], using: &g)
        let grads = try perSampleGradients(of: model, inputs: x, targets: y, Self.mse)
        #expect(grads["0.weight"]!.shape == [64, 32, 10] && grads["4.bias"]!.shape == [64, 4])
        let worst = Self.worstAgainstLoop(model, x, y, Self.mse, grads)
        #expect(worst <= 1e-12, "worst |Δ| = \(worst)")
    }

    @Test func cnnAtBatch16EqualsTheLoopOverSamples() throws {
        var g = PhiloxGenerator(seed: 4)
        let model = Sequential<Double>(
            Conv2d(1, 4, kernelSize: 3, using: &g), SiLU(), Conv2d(4, 2, kernelSize: 3, stride: 2, padding: 1, using: &g),
            Flatten(), LayerNorm(18), Linear(18, 3, using: &g))
        let x = Tensor<Double>.randomNormal([16, 1, 7, 7], using: &g)
        let labels = (0..<16).map { $0 % 3 }
        let y = Tensor<Double>(shape: [16, 3], scalars: labels.flatMap { l in (0..<3).map { $0 == l ? 1.0 : 0 } })
        let grads = try perSampleGradients(of: model, inputs: x, targets: y, Self.crossEntropy)
        #expect(grads["0.weight"]!.shape == [16, 4, 1, 3, 3] && grads["4.weight"]!.shape == [16, 18])
        let worst = Self.worstAgainstLoop(model, x, y, Self.crossEntropy, grads)
        #expect(worst <= 1e-12, "worst |Δ| = \(worst)")
    }

    @Test func frozenParametersAreLeftOut() throws {
        let model = Sequential<Double>(Linear(3, 2), Linear(2, 1))
        model.layers[0].freeze()
        let x = Tensor<Double>.randomNormal([5, 3], seed: 1), y = Tensor<Double>.randomNormal([5, 1], seed: 2)
        let grads = try perSampleGradients(of: model, inputs: x, targets: y, Self.mse)
        #expect(Set(grads.keys) == ["1.weight", "1.bias"])
        #expect(Self.worstAgainstLoop(model, x, y, Self.mse, grads) <= 1e-12)
    }

    @Test func batchNormInTrainingIsRefusedAndEvaluationWorks() throws {
        let model = Sequential<Double>(Linear(3, 4), BatchNorm1d(4), ReLU(), Linear(4, 1))
        let x = Tensor<Double>.randomNormal([6, 3], seed: 3), y = Tensor<Double>.randomNormal([6, 1], seed: 4)
        #expect(throws: PerSampleGradientError.batchNormInTraining(module: "1")) {
            try perSampleGradients(of: model, inputs: x, targets: y, Self.mse)
        }
        #expect(PerSampleGradientError.batchNormInTraining(module: "1").localizedDescription.contains("module '1' is batch norm in training mode"))
        model.eval()
        let grads = try perSampleGradients(of: model, inputs: x, targets: y, Self.mse)
        #expect(grads.count == 6)
        #expect(Self.worstAgainstLoop(model, x, y, Self.mse, grads) <= 1e-12)
    }

    @Test func badBatchesAreRefused() {
        let model = Sequential<Double>(Linear(3, 1))
        #expect(throws: PerSampleGradientError.batchSizeMismatch(inputs: [4, 3], targets: [5, 1])) {
            try perSampleGradients(of: model, inputs: .zeros([4, 3]), targets: .zeros([5, 1]), Self.mse)
        }
        #expect(throws: PerSampleGradientError.emptyBatch(inputs: [0, 3])) {
            try perSampleGradients(of: model, inputs: .zeros([0, 3]), targets: .zeros([0, 1]), Self.mse)
        }
    }

    @Test func dropoutGivesEachSampleItsOwnStream() throws {
        // With dropout, sample i's gradient is that of the sample alone with the layer's generator
        // replaced by stream i, and does not depend on the batch size.
        var g = PhiloxGenerator(seed: 8)
        let drop = Dropout<Double>(p: 0.4, generator: PhiloxGenerator(seed: 99))
        let model = Sequential<Double>(Linear(6, 12, using: &g), ReLU(), drop, Linear(12, 2, using: &g))
        let x = Tensor<Double>.randomNormal([16, 6], using: &g), y = Tensor<Double>.randomNormal([16, 2], using: &g)
        let start = drop.generator
        let g16 = try perSampleGradients(of: model, inputs: x, targets: y, Self.mse)
        let after16 = drop.generator
        drop.generator = start
        let g5 = try perSampleGradients(of: model, inputs: x[0..<5], targets: y[0..<5], Self.mse)
        #expect(drop.generator == after16)
        for (n, t) in g5 { #expect(t == g16[n]![0..<5], "\(n)") }
        var worst = 0.0
        for i in 0..<16 {
            drop.generator = start.stream(i)
            let alone = gradient(of: model) { m in Self.mse(m, Variable(x[i].unsqueezed(axis: 0)), Variable(y[i].unsqueezed(axis: 0))) }
            for (n, t) in alone { worst = Swift.max(worst, maxAbsDifference(g16[n]![i], t)) }
        }
        #expect(worst <= 1e-12, "worst |Δ| = \(worst)")
        // The masks differ between samples: some first-layer weight gradient rows are zero for one
        // sample and not for another.
        #expect(g16["0.weight"]![0] != g16["0.weight"]![1])
    }

    @Test func dropoutUnderVMapFollowsTheStreamRule() {
        let drop = Dropout<Double>(p: 0.5, generator: PhiloxGenerator(seed: 1))
        let x = Tensor<Double>.randomNormal([8, 10], seed: 5)
        let start = drop.generator
        let y = vmap(at: x) { drop($0) }
        for i in 0..<8 {
            let d = Dropout<Double>(p: 0.5, generator: start.stream(i))
            #expect(y[i] == d(Variable(x[i])).value, "row \(i)")
        }
        // Evaluation mode passes the batch through.
        drop.eval()
        #expect(vmap(at: x) { drop($0) } == x)
    }
}

/// Activations whose masks come from the input's value, under `vmap`.
@Suite struct ActivationVMapTests {
    @Test(arguments: ["leakyReLU", "elu", "softplus"])
    func perSampleGradientsEqualTheLoop(_ name: String) throws {
        var g = PhiloxGenerator(seed: 12)
        let act: any Layer<Double> = switch name {
        case "leakyReLU": LeakyReLU(negativeSlope: 0.1)
        case "elu": ELU(alpha: 0.7)
        default: Softplus(beta: 2, threshold: 1)
        }
        let model = Sequential<Double>(Linear(4, 8, using: &g), act, Linear(8, 2, using: &g))
        let x = Tensor<Double>.randomNormal([12, 4], using: &g), y = Tensor<Double>.randomNormal([12, 2], using: &g)
        let grads = try perSampleGradients(of: model, inputs: x, targets: y, PerSampleGradientTests.mse)
        #expect(PerSampleGradientTests.worstAgainstLoop(model, x, y, PerSampleGradientTests.mse, grads) <= 1e-12)
        let direct = vmap(at: x) { model($0) }
        #expect(maxAbsDifference(direct, model(x).value) <= 1e-14)
    }

    @Test func lossesWithValueMasksUnderVMap() {
        // Per-sample losses by vmap equal the unreduced loss (reduction .none, summed per row).
        let x = Tensor<Double>.randomNormal([6, 5], seed: 30), t = Tensor<Double>.randomNormal([5], seed: 31)
        let v = Tensor<Double>.randomUniform([6, 5], in: -0.5..<1, seed: 32)
        let rows = Tensor<Double>.ones([6, 1]) * t
        let smooth = vmap(at: x) { smoothL1Loss($0, t, beta: 0.8, reduction: .sum) }
        #expect(maxAbsDifference(smooth, smoothL1Loss(Variable(x), rows, beta: 0.8, reduction: .none).value.sum(axis: 1)) <= 1e-14)
        let huber = vmap(at: x) { huberLoss($0, t, delta: 0.6, reduction: .sum) }
        #expect(maxAbsDifference(huber, huberLoss(Variable(x), rows, delta: 0.6, reduction: .none).value.sum(axis: 1)) <= 1e-14)
        let nll = vmap({ a in [gaussianNLLLoss(a[0], t, variance: a[1], reduction: .sum)] }, inAxes: [0, 0])([Variable(x), Variable(v)])[0].value
        #expect(maxAbsDifference(nll, gaussianNLLLoss(Variable(x), rows, variance: Variable(v), reduction: .none).value.sum(axis: 1)) <= 1e-14)
    }

    @Test func embeddingLooksUpEachElementsOwnIndicesUnderVMap() throws {
        // A batch of 4 index rows (whole numbers in a Double tensor, as in a Sequential): vmap of
        // embed-then-sum equals the loop over rows, values and per-sample gradients of the table.
        var g = PhiloxGenerator(seed: 40)
        let model = Sequential<Double>(Embedding(6, 3, using: &g), Flatten(), Linear(6, 1, using: &g))
        let x = Tensor<Double>(shape: [4, 2], scalars: [0, 5, 2, 2, 4, 1, 3, 0])
        let y = Tensor<Double>(shape: [4, 1], scalars: [0.5, -1, 2, 0.25])
        let direct = vmap(at: x) { model($0.reshaped([1, 2])).reshaped([1]) }
        for i in 0..<4 {
            #expect(maxAbsDifference(direct[i], model(Variable(x[i].reshaped([1, 2]))).value.reshaped([1])) <= 1e-15)
        }
        let grads = try perSampleGradients(of: model, inputs: x, targets: y, PerSampleGradientTests.mse)
        #expect(grads["0.weight"]?.shape == [4, 6, 3])
        #expect(PerSampleGradientTests.worstAgainstLoop(model, x, y, PerSampleGradientTests.mse, grads) <= 1e-12)
        // Only the looked-up rows get a gradient: sample 0 uses rows 0 and 5.
        let rowNorms = (0..<6).map { r in grads["0.weight"]![0][r].squared().sum().scalar }
        #expect(rowNorms[1] == 0 && rowNorms[2] == 0 && rowNorms[3] == 0 && rowNorms[4] == 0 && rowNorms[0] > 0 && rowNorms[5] > 0)
    }
}
