import Testing
import NablaLayers
import _NablaTestSupport

@Suite("TransformerDecoder against PyTorch")
struct TransformerDecoderTorchTests {
    /// The state-dict keys scripts/torch_layers_reference.py stored for `name` (PyTorch's `state_dict()` names).
    func torchStateNames(_ name: String) -> Set<String> {
        Set(TorchReference.cases[name]!.keys.filter { $0.hasPrefix("state.") }.map { String($0.dropFirst("state.".count)) })
    }

    @Test func decoderLayer() throws {
        let layer = TransformerDecoderLayer<Double>(dModel: 8, numHeads: 2, dimFeedforward: 12, dropout: 0)
        #expect(layer.stateDict().names == [
            "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias", "multihead_attn.out_proj.weight",
            "multihead_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
            "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias", "norm3.weight", "norm3.bias"])
        #expect(Set(layer.stateDict().names) == torchStateNames("transformer_decoder_layer"))
        try checkCaseAgainstTorch("transformer_decoder_layer", layer) { v in
            ["output": layer(v["input"]!, memory: v["memory"]!,
                             targetMask: .disallowed(referenceMask("transformer_decoder_layer", "mask.attn")),
                             memoryKeyPaddingMask: .disallowed(referenceMask("transformer_decoder_layer", "mask.memory_key_padding")))]
        }
    }

    @Test func preNormDecoderWithFinalNorm() throws {
        let decoder = TransformerDecoder(TransformerDecoderLayer<Double>(dModel: 8, numHeads: 4, dimFeedforward: 6, dropout: 0,
                                                                         activation: .gelu, batchFirst: true, normFirst: true),
                                         numLayers: 2, norm: LayerNorm(8))
        #expect(decoder.numLayers == 2 && Set(decoder.stateDict().names) == torchStateNames("transformer_decoder"))
        try checkCaseAgainstTorch("transformer_decoder", decoder) { v in
            ["output": decoder(v["input"]!, memory: v["memory"]!,
                               targetMask: .disallowed(referenceMask("transformer_decoder", "mask.attn")),
                               memoryMask: .additive(TorchReference.tensor("transformer_decoder", "mask.memory")),
                               targetKeyPaddingMask: .disallowed(referenceMask("transformer_decoder", "mask.key_padding")))]
        }
        // targetIsCausal is the same causal mask.
        let (x, memory) = (Variable(TorchReference.tensor("transformer_decoder", "input")),
                           Variable(TorchReference.tensor("transformer_decoder", "memory")))
        #expect(allClose(decoder(x, memory: memory, targetIsCausal: true).value,
                         decoder(x, memory: memory, targetMask: .disallowed(referenceMask("transformer_decoder", "mask.attn"))).value,
                         rtol: 1e-14, atol: 1e-14))
    }

    @Test func copiesAndDropout() {
        var g = PhiloxGenerator(seed: 41)
        let layer = TransformerDecoderLayer<Double>(dModel: 4, numHeads: 2, dimFeedforward: 6, dropout: 0.3, using: &g)
        let decoder = TransformerDecoder(layer, numLayers: 2)
        #expect(decoder.norm == nil && decoder.layers[0].dropout3.p == 0.3)
        for ((name, p), (_, q)) in zip(decoder.layers[0].namedParameters, decoder.layers[1].namedParameters) {
            #expect(p !== q && p.value == q.value && p.value == layer.parameter(named: name)!.value, "\(name)")
        }
        let x = Variable(Tensor<Double>.randomNormal([3, 2, 4], using: &g)), memory = Variable(Tensor<Double>.randomNormal([5, 2, 4], using: &g))
        #expect(!allClose(decoder(x, memory: memory).value, decoder(x, memory: memory).value))
        decoder.eval()
        #expect(decoder(x, memory: memory).value == decoder(x, memory: memory).value)
    }

    @Test func gradientsInDouble() {
        var g = PhiloxGenerator(seed: 42)
        let decoder = TransformerDecoder(TransformerDecoderLayer<Double>(dModel: 4, numHeads: 2, dimFeedforward: 5, dropout: 0,
                                                                         activation: .gelu, using: &g),
                                         numLayers: 2, norm: LayerNorm(4))
        for (_, p) in decoder.namedParameters { p.value = p.value + Tensor.randomNormal(p.shape, using: &g) * 0.3 }
        let x: Tensor<Double> = Tensor.randomNormal([3, 2, 4], using: &g)
        let toMemory: Tensor<Double> = Tensor.randomNormal([4, 4], using: &g)
        let padding = AttentionMask<Double>.disallowed(Tensor([[false, false, true], [false, false, false]]))
        // The memory is a function of the input too, so its derivative is checked through both attentions.
        checkModuleGradients(decoder, input: x) { m, v in
            [m(v, memory: v.matmul(toMemory).tanh(), memoryKeyPaddingMask: padding, targetIsCausal: true)]
        }
    }
}
