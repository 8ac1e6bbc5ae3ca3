import Testing
import NablaLayers
import _NablaTestSupport

/// Runs `layer` on case `name`: loads PyTorch's state dict, compares the output, and the gradients
/// of `sum(out · cot)` with respect to every parameter and the input.
func checkAgainstTorch(_ name: String, _ layer: some Layer<Double>, training: Bool = true,
                       tolerance: Double = 1e-12, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try layer.load(stateDict: TorchReference.stateDict(name))
    layer.train(training)
    let input = Variable(TorchReference.tensor(name, "input"), requiresGradient: true)
    let out = layer(input)
    let expected = TorchReference.tensor(name, "out")
    #expect(allClose(out.value, expected, rtol: tolerance, atol: tolerance), "\(name) forward: \(out.value) vs \(expected)", sourceLocation: sourceLocation)
    (out * TorchReference.tensor(name, "cot")).sum().backward()
    for (n, p) in layer.namedParameters {
        let g = TorchReference.tensor(name, "grad.\(n)")
        #expect(p.gradient.map { allClose($0, g, rtol: tolerance, atol: tolerance) } == true, "\(name) ∂/∂\(n): \(String(describing: p.gradient)) vs \(g)", sourceLocation: sourceLocation)
    }
    let gi = TorchReference.tensor(name, "grad.input")
    #expect(input.gradient.map { allClose($0, gi, rtol: tolerance, atol: tolerance) } == true, "\(name) ∂/∂input: \(String(describing: input.gradient)) vs \(gi)", sourceLocation: sourceLocation)
    layer.zeroGradients()
}

/// Checks `layer`'s derivatives in Double: with respect to the input through `checkGradients`
/// (first and second order), and with respect to every parameter element by central differences of
/// `sum(layer(x) · cot)` against what `backward()` accumulated.
func checkLayerGradients(_ layer: some Layer<Double>, input: Tensor<Double>, secondOrder: Bool = true,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    let report = checkGradients(of: { vs in layer(vs[0]) }, at: [input], checkSecondOrder: secondOrder)
    #expect(report.passed, "\(report)", sourceLocation: sourceLocation)
    let cot = Tensor<Double>.randomNormal(layer(input).shape, seed: 7)
    layer.zeroGradients()
    (layer(input) * cot).sum().backward()
    let eps = 1e-6
    for (name, p) in layer.namedParameters {
        let analytic = p.gradient ?? Tensor.zeros(p.shape)
        let original = p.value
        var numeric = [Double]()
        for i in 0..<p.count {
            var plus = original.scalars, minus = original.scalars
            plus[i] += eps; minus[i] -= eps
            p.value = Tensor(shape: p.shape, scalars: plus)
            let fp = withoutDerivative { (layer(input).value * cot).sum().scalar }
            p.value = Tensor(shape: p.shape, scalars: minus)
            let fm = withoutDerivative { (layer(input).value * cot).sum().scalar }
            numeric.append((fp - fm) / (2 * eps))
        }
        p.value = original
        #expect(allClose(analytic, Tensor(shape: p.shape, scalars: numeric), rtol: 1e-5, atol: 1e-6),
                "∂/∂\(name): \(analytic) vs numerical \(numeric)", sourceLocation: sourceLocation)
    }
    layer.zeroGradients()
}

@Suite("Layers against PyTorch")
struct LayerTorchTests {
    @Test func linear() throws {
        try checkAgainstTorch("linear", Linear<Double>(3, 4))
        try checkAgainstTorch("linear_nobias", Linear<Double>(3, 2, bias: false))
    }

    @Test func bilinear() throws {
        let layer = Bilinear<Double>(3, 2, 4)
        try layer.load(stateDict: TorchReference.stateDict("bilinear"))
        let a = Variable(TorchReference.tensor("bilinear", "input"), requiresGradient: true)
        let b = Variable(TorchReference.tensor("bilinear", "input1"), requiresGradient: true)
        let out = layer(a, b)
        #expect(allClose(out.value, TorchReference.tensor("bilinear", "out")))
        (out * TorchReference.tensor("bilinear", "cot")).sum().backward()
        #expect(allClose(layer.weight.gradient!, TorchReference.tensor("bilinear", "grad.weight")))
        #expect(allClose(layer.bias!.gradient!, TorchReference.tensor("bilinear", "grad.bias")))
        #expect(allClose(a.gradient!, TorchReference.tensor("bilinear", "grad.input")))
        #expect(allClose(b.gradient!, TorchReference.tensor("bilinear", "grad.input1")))
    }

    @Test func activations() throws {
        try checkAgainstTorch("relu", ReLU<Double>())
        try checkAgainstTorch("leaky_relu", LeakyReLU<Double>(negativeSlope: 0.1))
        try checkAgainstTorch("elu", ELU<Double>(alpha: 1.5))
        try checkAgainstTorch("gelu", GELU<Double>())
        try checkAgainstTorch("gelu_tanh", GELU<Double>(approximation: .tanh))
        try checkAgainstTorch("silu", SiLU<Double>())
        try checkAgainstTorch("sigmoid", Sigmoid<Double>())
        try checkAgainstTorch("tanh", Tanh<Double>())
        try checkAgainstTorch("softplus", Softplus<Double>(beta: 2, threshold: 3))
        try checkAgainstTorch("softmax", Softmax<Double>(axis: 1))
        try checkAgainstTorch("log_softmax", LogSoftmax<Double>(axis: 1))
    }

    @Test func shapeLayers() throws {
        try checkAgainstTorch("flatten", Flatten<Double>())
        let x = Variable(Tensor<Double>.zeros([2, 6, 5]))
        #expect(Unflatten<Double>(axis: 1, sizes: [2, -1])(x).shape == [2, 2, 3, 5])
        #expect(Flatten<Double>(startAxis: 0, endAxis: 1)(x).shape == [12, 5])
    }

    @Test func sequentialUsesPyTorchNames() throws {
        let model = Sequential<Double>(Linear(3, 4), ReLU(), Linear(4, 2))
        #expect(model.stateDict().names == ["0.weight", "0.bias", "2.weight", "2.bias"])
        try checkAgainstTorch("sequential", model)
    }

    @Test func normalization() throws {
        try checkAgainstTorch("layer_norm", LayerNorm<Double>(4))
        try checkAgainstTorch("layer_norm_2d", LayerNorm<Double>([3, 4]))
        try checkAgainstTorch("group_norm", GroupNorm<Double>(groups: 2, channels: 4))
    }

    @Test(arguments: [("batch_norm_1d", 1), ("batch_norm_1d_3d", 1), ("batch_norm_2d", 2)])
    func batchNormTrainThenEval(name: String, kind: Int) throws {
        let bn: BatchNorm<Double> = kind == 1
            ? BatchNorm1d(3, momentum: name == "batch_norm_1d_3d" ? nil : 0.1)
            : BatchNorm2d(3, momentum: 0.3)
        try checkAgainstTorch(name, bn, training: true)
        // The running statistics and the batch count after one training step, as in torch.
        let after = TorchReference.stateDict(name, prefix: "after.")
        for (n, b) in bn.namedLocalBuffers {
            switch b.value {
            case .floating(let t): #expect(allClose(t, after[n]!.floating!), "\(name) \(n)")
            case .integer(let t): #expect(t == after[n]!.integer!, "\(name) \(n)")
            }
        }
        #expect(bn.batchesTracked?.integers.scalar == 4)
        bn.eval()
        let evalOut = bn(TorchReference.tensor(name, "input"))
        #expect(allClose(evalOut.value, TorchReference.tensor(name, "eval_out")))
    }

    @Test func batchNormInEvalModeUsesRunningStatistics() throws {
        let bn = BatchNorm1d<Double>(3)
        try checkAgainstTorch("batch_norm_1d_eval", bn, training: false)
        #expect(bn.batchesTracked?.integers.scalar == 3)   // unchanged in eval
    }

    @Test func embeddingWithPadding() throws {
        let e = Embedding<Double>(5, 3, paddingIndex: 1)
        try e.load(stateDict: TorchReference.stateDict("embedding"))
        let idx = TorchReference.tensor("embedding", "input").map { Int($0) } as Tensor<Int>
        let out = e(idx)
        #expect(out.shape == [2, 3, 3])
        #expect(allClose(out.value, TorchReference.tensor("embedding", "out")))
        (out * TorchReference.tensor("embedding", "cot")).sum().backward()
        #expect(allClose(e.weight.gradient!, TorchReference.tensor("embedding", "grad.weight")))
        #expect(e.weight.gradient![indices: [.index(1)]].scalars == [0, 0, 0])
    }
}
