import Testing
import NablaLayers
import _NablaTestSupport

@Suite("Attention against PyTorch")
struct AttentionTorchTests {
    @Test func scaledDotProductAttentionMatchesTorch() throws {
        try checkCaseAgainstTorch("sdpa_bool_mask", Optional<Linear<Double>>.none) { v in
            ["output": scaledDotProductAttention(v["query"]!, v["key"]!, v["value"]!,
                                                 mask: .allowed(referenceMask("sdpa_bool_mask", "mask.attn")))]
        }
        try checkCaseAgainstTorch("sdpa_float_mask", Optional<Linear<Double>>.none) { v in
            ["output": scaledDotProductAttention(v["query"]!, v["key"]!, v["value"]!,
                                                 mask: .additive(TorchReference.tensor("sdpa_float_mask", "mask.attn")))]
        }
        try checkCaseAgainstTorch("sdpa_causal", Optional<Linear<Double>>.none) { v in
            ["output": scaledDotProductAttention(v["query"]!, v["key"]!, v["value"]!, isCausal: true)]
        }
    }

    @Test func multiheadAttention() throws {
        let mha = MultiheadAttention<Double>(embedDim: 8, numHeads: 2)
        #expect(mha.stateDict().names == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"])
        try checkCaseAgainstTorch("mha", mha) { v in
            let (y, w) = mha(v["query"]!, v["key"]!, v["value"]!,
                             keyPaddingMask: .disallowed(referenceMask("mha", "mask.key_padding")),
                             attentionMask: .additive(TorchReference.tensor("mha", "mask.attn")))
            return ["output": y, "weights": w]
        }
        let selfAttention = MultiheadAttention<Double>(embedDim: 6, numHeads: 3, bias: false, batchFirst: true)
        #expect(selfAttention.stateDict().names == ["in_proj_weight", "out_proj.weight"])
        try checkCaseAgainstTorch("mha_batch_first_self", selfAttention) { v in
            let x = v["input"]!
            let (y, w) = selfAttention(x, x, x, attentionMask: .disallowed(referenceMask("mha_batch_first_self", "mask.attn")),
                                       averageAttentionWeights: false)
            #expect(w?.shape == [2, 3, 4, 4])
            // The same causal mask through isCausal.
            #expect(allClose(selfAttention(x, x, x, isCausal: true).output.value, y.value))
            return ["output": y, "weights": w]
        }
    }

    @Test func multiheadAttentionWithKeyAndValueSizes() throws {
        let mha = MultiheadAttention<Double>(embedDim: 8, numHeads: 2, kdim: 3, vdim: 5)
        #expect(mha.inProjectionWeight == nil && mha.keyProjectionWeight?.shape == [8, 3] && mha.valueProjectionWeight?.shape == [8, 5])
        #expect(mha.stateDict().names == ["q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias",
                                          "out_proj.weight", "out_proj.bias"])
        try checkCaseAgainstTorch("mha_kdim_vdim", mha) { v in
            let (y, w) = mha(v["query"]!, v["key"]!, v["value"]!,
                             keyPaddingMask: .disallowed(referenceMask("mha_kdim_vdim", "mask.key_padding")),
                             attentionMask: .additive(TorchReference.tensor("mha_kdim_vdim", "mask.attn")))
            return ["output": y, "weights": w]
        }
        // add_bias_kv and add_zero_attn: two more keys, each allowed by both masks.
        let extra = MultiheadAttention<Double>(embedDim: 6, numHeads: 3, addBiasKV: true, addZeroAttention: true, kdim: 4, vdim: 4,
                                               batchFirst: true)
        #expect(extra.stateDict().names == ["q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k", "bias_v",
                                            "out_proj.weight", "out_proj.bias"])
        try checkCaseAgainstTorch("mha_bias_kv_zero_attn", extra) { v in
            let (y, w) = extra(v["query"]!, v["key"]!, v["value"]!,
                               keyPaddingMask: .disallowed(referenceMask("mha_bias_kv_zero_attn", "mask.key_padding")),
                               attentionMask: .disallowed(referenceMask("mha_bias_kv_zero_attn", "mask.attn")),
                               averageAttentionWeights: false)
            #expect(w?.shape == [2, 3, 4, 7])
            return ["output": y, "weights": w]
        }
        let unbatched = MultiheadAttention<Double>(embedDim: 8, numHeads: 2, addBiasKV: true)
        #expect(unbatched.stateDict().names == ["in_proj_weight", "in_proj_bias", "bias_k", "bias_v", "out_proj.weight", "out_proj.bias"])
        try checkCaseAgainstTorch("mha_bias_kv_unbatched", unbatched) { v in
            let (y, w) = unbatched(v["query"]!, v["key"]!, v["value"]!)
            #expect(w?.shape == [4, 4])
            return ["output": y, "weights": w]
        }
    }

    @Test func transformerEncoderLayer() throws {
        let layer = TransformerEncoderLayer<Double>(dModel: 8, numHeads: 2, dimFeedforward: 16, dropout: 0)
        #expect(layer.stateDict().names == ["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                                            "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight",
                                            "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"])
        try checkCaseAgainstTorch("transformer_encoder_layer", layer) { v in
            ["output": layer(v["input"]!, mask: .disallowed(referenceMask("transformer_encoder_layer", "mask.attn")))]
        }
        let preNorm = TransformerEncoderLayer<Double>(dModel: 8, numHeads: 4, dimFeedforward: 12, dropout: 0, activation: .gelu,
                                                      batchFirst: true, normFirst: true)
        try checkCaseAgainstTorch("transformer_encoder_layer_norm_first", preNorm) { v in
            ["output": preNorm(v["input"]!, mask: nil,
                               keyPaddingMask: .disallowed(referenceMask("transformer_encoder_layer_norm_first", "mask.key_padding")))]
        }
    }

    @Test func defaultsAndDropout() {
        var g = PhiloxGenerator(seed: 4)
        let layer = TransformerEncoderLayer<Double>(dModel: 8, numHeads: 2, using: &g)
        #expect(layer.linear1.outFeatures == 2048 && layer.dropout.p == 0.1 && layer.selfAttention.dropout == 0.1)
        #expect(layer.selfAttention.inProjectionBias!.value.scalars.allSatisfy { $0 == 0 })
        #expect(layer.selfAttention.outProjection.bias!.value.scalars.allSatisfy { $0 == 0 })
        let x = Tensor<Double>.randomNormal([5, 2, 8], using: &g)
        // Training drops; evaluation is deterministic.
        #expect(!allClose(layer(x).value, layer(x).value))
        layer.eval()
        #expect(allClose(layer(x).value, layer(x).value))
        #expect(layer(x).shape == [5, 2, 8])
    }

    @Test func gradientsInDouble() {
        var g = PhiloxGenerator(seed: 21)
        let x: Tensor<Double> = Tensor.randomNormal([3, 2, 4], using: &g)
        let mha = MultiheadAttention<Double>(embedDim: 4, numHeads: 2, using: &g)
        mha.inProjectionBias!.value = Tensor.randomNormal([12], using: &g)
        let padding = AttentionMask<Double>.disallowed(Tensor([[false, false, true], [false, false, false]]))
        checkModuleGradients(mha, input: x) { m, v in
            let r = m(v, v, v, keyPaddingMask: padding)
            return [r.output, r.weights!]
        }
        // kdim/vdim projections, bias_k/bias_v and the zero key: keys and values are functions of the input too.
        let cross = MultiheadAttention<Double>(embedDim: 4, numHeads: 2, addBiasKV: true, addZeroAttention: true, kdim: 3, vdim: 5,
                                               using: &g)
        cross.inProjectionBias!.value = Tensor.randomNormal([12], using: &g)
        let (toKeys, toValues): (Tensor<Double>, Tensor<Double>) = (Tensor.randomNormal([4, 3], using: &g), Tensor.randomNormal([4, 5], using: &g))
        checkModuleGradients(cross, input: x) { m, v in
            let r = m(v, v.matmul(toKeys).tanh(), v.matmul(toValues), keyPaddingMask: padding, averageAttentionWeights: false)
            return [r.output, r.weights!]
        }
        let layer = TransformerEncoderLayer<Double>(dModel: 4, numHeads: 2, dimFeedforward: 6, dropout: 0, activation: .gelu, using: &g)
        checkLayerGradients(layer, input: x, secondOrder: false)
        let q: Tensor<Double> = Tensor.randomNormal([2, 3, 4], using: &g)
        let report = checkGradients(of: { v in scaledDotProductAttention(v[0], v[1], v[2], isCausal: true) },
                                    at: [q, q * 0.5 + 0.3, q.transposed(1, 2).reshaped([2, 3, 4])])
        #expect(report.passed, "\(report)")
    }
}
