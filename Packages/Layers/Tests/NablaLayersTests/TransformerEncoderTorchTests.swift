import Testing
import NablaLayers
import _NablaTestSupport

@Suite("TransformerEncoder against PyTorch")
struct TransformerEncoderTorchTests {
    /// The state-dict keys scripts/torch_layers_reference.py stored for `name` (PyTorch's `state_dict()` names).
    func torchStateNames(_ name: String) -> Set<String> {
        Set(TorchReference.cases[name]!.keys.filter { $0.hasPrefix("state.") }.map { String($0.dropFirst("state.".count)) })
    }

    @Test func encoderWithFinalNormAndMasks() throws {
        let encoder = TransformerEncoder(TransformerEncoderLayer<Double>(dModel: 8, numHeads: 2, dimFeedforward: 12, dropout: 0),
                                         numLayers: 2, norm: LayerNorm(8))
        let names = encoder.stateDict().names
        #expect(names.count == 26 && Set(names) == torchStateNames("transformer_encoder"))
        #expect(names.prefix(2) == ["layers.0.self_attn.in_proj_weight", "layers.0.self_attn.in_proj_bias"])
        #expect(names.suffix(2) == ["norm.weight", "norm.bias"])
        try checkCaseAgainstTorch("transformer_encoder", encoder) { v in
            ["output": encoder(v["input"]!, mask: .disallowed(referenceMask("transformer_encoder", "mask.attn")),
                               keyPaddingMask: .disallowed(referenceMask("transformer_encoder", "mask.key_padding")))]
        }
        // The same causal mask through isCausal.
        let x = TorchReference.tensor("transformer_encoder", "input")
        let masked = encoder(Variable(x), mask: .disallowed(referenceMask("transformer_encoder", "mask.attn")))
        #expect(allClose(encoder(Variable(x), mask: nil, isCausal: true).value, masked.value, rtol: 1e-14, atol: 1e-14))
    }

    @Test func preNormEncoderWithoutFinalNorm() throws {
        let encoder = TransformerEncoder(TransformerEncoderLayer<Double>(dModel: 8, numHeads: 4, dimFeedforward: 6, dropout: 0,
                                                                         activation: .gelu, batchFirst: true, normFirst: true),
                                         numLayers: 3)
        #expect(encoder.numLayers == 3 && encoder.norm == nil)
        #expect(Set(encoder.stateDict().names) == torchStateNames("transformer_encoder_norm_first"))
        try checkCaseAgainstTorch("transformer_encoder_norm_first", encoder) { v in
            ["output": encoder(v["input"]!, mask: nil,
                               keyPaddingMask: .disallowed(referenceMask("transformer_encoder_norm_first", "mask.key_padding")))]
        }
    }

    @Test func copiesStartEqualButAreIndependent() {
        var g = PhiloxGenerator(seed: 31)
        let layer = TransformerEncoderLayer<Double>(dModel: 4, numHeads: 2, dimFeedforward: 6, dropout: 0.2, batchFirst: true,
                                                    using: &g)
        layer.linear2.weight.requiresGradient = false
        let encoder = TransformerEncoder(layer, numLayers: 2)
        let a = encoder.layers[0], b = encoder.layers[1]
        for ((name, p), (_, q)) in zip(a.namedParameters, b.namedParameters) {
            #expect(p !== q && p.value == q.value, "\(name)")
            #expect(p.value == layer.parameter(named: name)!.value && p !== layer.parameter(named: name)!)
        }
        #expect(!a.linear2.weight.requiresGradient && a.linear1.weight.requiresGradient)
        #expect(a.normFirst == layer.normFirst && a.selfAttention.batchFirst && a.dropout.p == 0.2 && a.norm1.eps == 1e-5)
        a.linear1.weight.value = a.linear1.weight.value + 1
        #expect(b.linear1.weight.value == layer.linear1.weight.value)
        // Dropout is active in training and off in evaluation, in every layer.
        let x = Tensor<Double>.randomNormal([2, 3, 4], using: &g)
        #expect(!allClose(encoder(x).value, encoder(x).value))
        encoder.eval()
        #expect(!a.dropout.isTraining && !b.selfAttention.isTraining)
        #expect(encoder(x).value == encoder(x).value)
    }

    @Test func gradientsInDouble() {
        var g = PhiloxGenerator(seed: 32)
        let layer = TransformerEncoderLayer<Double>(dModel: 4, numHeads: 2, dimFeedforward: 5, dropout: 0, normFirst: true, using: &g)
        let encoder = TransformerEncoder(layer, numLayers: 2, norm: LayerNorm(4))
        // Distinct layers, so that a mix-up of the two would show.
        for (_, p) in encoder.namedParameters { p.value = p.value + Tensor.randomNormal(p.shape, using: &g) * 0.3 }
        let x: Tensor<Double> = Tensor.randomNormal([3, 2, 4], using: &g)
        checkLayerGradients(encoder, input: x, secondOrder: false)
        let padding = AttentionMask<Double>.disallowed(Tensor([[false, true, false], [false, false, false]]))
        checkModuleGradients(encoder, input: x) { m, v in [m(v, mask: nil, keyPaddingMask: padding, isCausal: true)] }
    }
}
