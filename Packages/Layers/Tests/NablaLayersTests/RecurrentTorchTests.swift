import Testing
import NablaLayers
import _NablaTestSupport

/// Runs a case written by `multi_case` in scripts/torch_layers_reference.py: loads the state dict
/// into `module` (when given), makes a variable of every floating input that is not a mask, runs
/// `body`, and compares each output `out.<k>`, then the gradients of `Σₖ sum(outₖ · cotₖ)` with
/// respect to every parameter and input.
func checkCaseAgainstTorch<M: Module<Double>>(_ name: String, _ module: M?, tolerance: Double = 1e-11,
                                              sourceLocation: SourceLocation = #_sourceLocation,
                                              _ body: ([String: Variable<Double>]) -> [String: Variable<Double>?]) throws {
    if let module { try module.load(stateDict: TorchReference.stateDict(name)) }
    var inputs: [String: Variable<Double>] = [:]
    for (k, t) in TorchReference.cases[name]! where !k.contains(".") && !k.hasPrefix("mask") {
        inputs[k] = Variable(t, requiresGradient: true)
    }
    let outs = body(inputs)
    var total: Variable<Double>? = nil
    for (k, out) in outs {
        guard let out else { continue }
        let expected = TorchReference.tensor(name, "out.\(k)")
        #expect(out.shape == expected.shape && allClose(out.value, expected, rtol: tolerance, atol: tolerance),
                "\(name) \(k): \(out.value) vs \(expected)", sourceLocation: sourceLocation)
        let term = (out * TorchReference.tensor(name, "cot.\(k)")).sum()
        total = total.map { $0 + term } ?? term
    }
    total!.backward()
    for (n, p) in module?.namedParameters ?? [] {
        let g = TorchReference.tensor(name, "grad.\(n)")
        #expect(p.gradient.map { allClose($0, g, rtol: tolerance, atol: tolerance) } == true,
                "\(name) ∂/∂\(n): \(String(describing: p.gradient)) vs \(g)", sourceLocation: sourceLocation)
    }
    for (k, v) in inputs {
        let g = TorchReference.tensor(name, "grad.\(k)")
        #expect(v.gradient.map { allClose($0, g, rtol: tolerance, atol: tolerance) } == true,
                "\(name) ∂/∂\(k): \(String(describing: v.gradient)) vs \(g)", sourceLocation: sourceLocation)
    }
    module?.zeroGradients()
}

/// A mask stored by the reference script (booleans as 0/1).
func referenceMask(_ name: String, _ key: String) -> Tensor<Bool> { TorchReference.tensor(name, key).map { $0 != 0 } }

@Suite("Recurrent layers against PyTorch")
struct RecurrentTorchTests {
    @Test func rnn() throws {
        let rnn = RNN<Double>(inputSize: 3, hiddenSize: 4, numLayers: 2)
        #expect(rnn.stateDict().names == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                                          "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"])
        try checkCaseAgainstTorch("rnn_tanh", rnn) { v in
            let (y, h) = rnn(v["input"]!, v["h0"]!)
            return ["output": y, "h": h]
        }
        let relu = RNN<Double>(inputSize: 3, hiddenSize: 4, nonlinearity: .relu, bias: false, batchFirst: true)
        try checkCaseAgainstTorch("rnn_relu_batch_first", relu) { v in
            let (y, h) = relu(v["input"]!)
            return ["output": y, "h": h]
        }
    }

    @Test func lstm() throws {
        let lstm = LSTM<Double>(inputSize: 3, hiddenSize: 4, numLayers: 2)
        #expect(lstm.weight(named: "weight_ih_l1")?.shape == [16, 4])
        try checkCaseAgainstTorch("lstm", lstm) { v in
            let (y, s) = lstm(v["input"]!, (v["h0"]!, v["c0"]!))
            return ["output": y, "h": s.hidden, "c": s.cell]
        }
        let bi = LSTM<Double>(inputSize: 3, hiddenSize: 4, batchFirst: true, bidirectional: true)
        #expect(bi.stateDict().names.contains("bias_hh_l0_reverse"))
        try checkCaseAgainstTorch("lstm_bidirectional", bi) { v in
            let (y, s) = bi(v["input"]!)
            return ["output": y, "h": s.hidden, "c": s.cell]
        }
        let unbatched = LSTM<Double>(inputSize: 3, hiddenSize: 2)
        try checkCaseAgainstTorch("lstm_unbatched", unbatched) { v in
            let (y, s) = unbatched(v["input"]!)
            return ["output": y, "h": s.hidden, "c": s.cell]
        }
    }

    @Test func lstmWithProjection() throws {
        let lstm = LSTM<Double>(inputSize: 3, hiddenSize: 5, numLayers: 2, projSize: 2)
        #expect(lstm.stateDict().names == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0",
                                           "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_hr_l1"])
        #expect(lstm.weight(named: "weight_hh_l0")?.shape == [20, 2] && lstm.weight(named: "weight_ih_l1")?.shape == [20, 2]
                && lstm.weight(named: "weight_hr_l1")?.shape == [2, 5] && lstm.outputHiddenSize == 2)
        try checkCaseAgainstTorch("lstm_proj", lstm) { v in
            let (y, s) = lstm(v["input"]!, (v["h0"]!, v["c0"]!))
            return ["output": y, "h": s.hidden, "c": s.cell]
        }
        let bi = LSTM<Double>(inputSize: 3, hiddenSize: 4, numLayers: 2, batchFirst: true, bidirectional: true, projSize: 3)
        #expect(bi.weight(named: "weight_hr_l1_reverse")?.shape == [3, 4] && bi.weight(named: "weight_ih_l1")?.shape == [16, 6])
        try checkCaseAgainstTorch("lstm_proj_bidirectional", bi) { v in
            let (y, s) = bi(v["input"]!)
            #expect(y.shape == [2, 4, 6] && s.hidden.shape == [4, 2, 3] && s.cell.shape == [4, 2, 4])
            return ["output": y, "h": s.hidden, "c": s.cell]
        }
    }

    @Test func gru() throws {
        let gru = GRU<Double>(inputSize: 3, hiddenSize: 4, numLayers: 2)
        try checkCaseAgainstTorch("gru", gru) { v in
            let (y, h) = gru(v["input"]!, v["h0"]!)
            return ["output": y, "h": h]
        }
        let bi = GRU<Double>(inputSize: 3, hiddenSize: 4, numLayers: 2, batchFirst: true, bidirectional: true)
        #expect(bi.weight(named: "weight_ih_l1_reverse")?.shape == [12, 8])
        try checkCaseAgainstTorch("gru_bidirectional", bi) { v in
            let (y, h) = bi(v["input"]!)
            return ["output": y, "h": h]
        }
    }

    @Test func defaultInitialization() {
        var g = PhiloxGenerator(seed: 5)
        let lstm = LSTM<Double>(inputSize: 5, hiddenSize: 16, numLayers: 2, using: &g)
        #expect(lstm.parameterCount == 4 * 16 * (5 + 16 + 2) + 4 * 16 * (16 + 16 + 2))
        for (_, p) in lstm.namedParameters { #expect(p.value.abs().max().scalar <= 0.25) }
    }

    @Test func gradientsInDouble() {
        var g = PhiloxGenerator(seed: 9)
        let x: Tensor<Double> = Tensor.randomNormal([4, 2, 3], using: &g)
        let rnn = RNN<Double>(inputSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true, using: &g)
        checkModuleGradients(rnn, input: x) { m, v in let r = m(v); return [r.output, r.hidden] }
        let lstm = LSTM<Double>(inputSize: 3, hiddenSize: 2, numLayers: 2, batchFirst: true, using: &g)
        checkModuleGradients(lstm, input: x) { m, v in let r = m(v); return [r.output, r.state.hidden, r.state.cell] }
        let projected = LSTM<Double>(inputSize: 3, hiddenSize: 3, numLayers: 2, bidirectional: true, projSize: 2, using: &g)
        checkModuleGradients(projected, input: x) { m, v in let r = m(v); return [r.output, r.state.hidden, r.state.cell] }
        let gru = GRU<Double>(inputSize: 3, hiddenSize: 3, bidirectional: true, using: &g)
        checkModuleGradients(gru, input: x) { m, v in let r = m(v); return [r.output, r.hidden] }
    }
}

extension Module {
    /// The parameter named `name`.
    func weight(named name: String) -> Parameter<Scalar>? { parameter(named: name) }
}

/// ``checkLayerGradients`` for modules with several outputs: the input derivative through
/// `checkGradients` (first order) on the concatenated flattened outputs, each parameter by central
/// differences.
func checkModuleGradients<M: Module<Double>>(_ module: M, input: Tensor<Double>, sourceLocation: SourceLocation = #_sourceLocation,
                                             _ f: @escaping (M, Variable<Double>) -> [Variable<Double>]) {
    let joined: (Variable<Double>) -> Variable<Double> = { v in concatenate(f(module, v).map { $0.reshaped([-1]) }) }
    let report = checkGradients(of: { vs in joined(vs[0]) }, at: [input], checkSecondOrder: false)
    #expect(report.passed, "\(report)", sourceLocation: sourceLocation)
    let cot = Tensor<Double>.randomNormal(joined(Variable(input)).shape, seed: 7)
    module.zeroGradients()
    (joined(Variable(input)) * cot).sum().backward()
    for (name, p) in module.namedParameters {
        let analytic = p.gradient ?? Tensor.zeros(p.shape)
        let original = p.value
        var numeric = [Double]()
        for i in 0..<p.count {
            var plus = original.scalars, minus = original.scalars
            plus[i] += 1e-6; minus[i] -= 1e-6
            p.value = Tensor(shape: p.shape, scalars: plus)
            let fp = withoutDerivative { (joined(Variable(input)).value * cot).sum().scalar }
            p.value = Tensor(shape: p.shape, scalars: minus)
            let fm = withoutDerivative { (joined(Variable(input)).value * cot).sum().scalar }
            numeric.append((fp - fm) / 2e-6)
        }
        p.value = original
        #expect(allClose(analytic, Tensor(shape: p.shape, scalars: numeric), rtol: 1e-5, atol: 1e-6),
                "∂/∂\(name): \(analytic) vs numerical \(numeric)", sourceLocation: sourceLocation)
    }
    module.zeroGradients()
}
