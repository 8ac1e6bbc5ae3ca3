import Testing
import NablaLayers
import _NablaTestSupport

@Suite("Transformer against PyTorch")
struct TransformerTorchTests {
    @Test func encoderDecoderAgainstTorch() throws {
        let model = Transformer<Double>(dModel: 8, numHeads: 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 10, dropout: 0)
        let torchNames = Set(TorchReference.cases["transformer"]!.keys.filter { $0.hasPrefix("state.") }.map { String($0.dropFirst(6)) })
        #expect(Set(model.stateDict().names) == torchNames && torchNames.contains("decoder.layers.0.multihead_attn.in_proj_weight"))
        #expect(model.stateDict().names.first == "encoder.layers.0.self_attn.in_proj_weight"
                && model.stateDict().names.last == "decoder.norm.bias")
        try checkCaseAgainstTorch("transformer", model) { v in
            let padding = AttentionMask<Double>.disallowed(referenceMask("transformer", "mask.key_padding"))
            return ["output": model(v["input"]!, v["target"]!, targetMask: .additive(TorchReference.tensor("transformer", "mask.target")),
                                    sourceKeyPaddingMask: padding, memoryKeyPaddingMask: padding)]
        }
    }

    @Test func pyTorchsParameterCountAndInitialization() {
        var g = PhiloxGenerator(seed: 51)
        // sum(p.numel() for p in nn.Transformer(d_model=16, nhead=4, num_encoder_layers=2, num_decoder_layers=3,
        // dim_feedforward=32).parameters()) with PyTorch 2.15.
        let model = Transformer<Float>(dModel: 16, numHeads: 4, numEncoderLayers: 2, numDecoderLayers: 3, dimFeedforward: 32, using: &g)
        #expect(model.parameterCount == 14544)
        // Matrices re-drawn per layer from Xavier-uniform (bound √(6/(16 + 32)) for linear1); biases as the layers made them.
        let (a, b) = (model.encoder.layers[0], model.encoder.layers[1])
        #expect(a.linear1.weight.value != b.linear1.weight.value && a.linear1.bias!.value == b.linear1.bias!.value)
        #expect(a.linear1.weight.value.abs().max().scalar <= (6.0 / 48).squareRoot() && a.linear1.weight.value.abs().max().scalar > 0.3)
        #expect(a.selfAttention.inProjectionBias!.value.scalars.allSatisfy { $0 == 0 })
        #expect(model.decoder.norm != nil && model.encoder.norm != nil && model.decoder.numLayers == 3)
        let x = Variable(Tensor<Float>.randomNormal([5, 2, 16], using: &g)), y = Variable(Tensor<Float>.randomNormal([3, 2, 16], using: &g))
        #expect(model(x, y).shape == [3, 2, 16])
        model.eval()
        #expect(model(x, y, targetIsCausal: true).value == model(x, y, targetMask: .causal(queries: 3, keys: 3)).value)
    }

    @Test func gradientsInDouble() {
        var g = PhiloxGenerator(seed: 52)
        let model = Transformer<Double>(dModel: 4, numHeads: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 5, dropout: 0,
                                        batchFirst: true, normFirst: true, using: &g)
        for (_, p) in model.namedParameters { p.value = p.value + Tensor.randomNormal(p.shape, using: &g) * 0.3 }
        let x: Tensor<Double> = Tensor.randomNormal([2, 3, 4], using: &g)
        let toTarget: Tensor<Double> = Tensor.randomNormal([4, 4], using: &g)
        // The target is a function of the source, so the input derivative runs through the encoder and the decoder.
        checkModuleGradients(model, input: x) { m, v in [m(v, v.matmul(toTarget), targetIsCausal: true)] }
    }
}
