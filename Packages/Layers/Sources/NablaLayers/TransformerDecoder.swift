import NablaTensor
import NablaAutograd

/// A stack of ``TransformerDecoderLayer``s applied in order, each attending to the same memory,
/// with an optional final layer norm. Mirrors `torch.nn.TransformerDecoder(decoder_layer,
/// num_layers, norm=None)`: the layers are the children `layers.0`, `layers.1`, … and the norm is
/// `norm`, so a PyTorch decoder's `state_dict` (`layers.0.multihead_attn.in_proj_weight`, …,
/// `norm.weight`) loads unchanged.
///
/// ```swift
/// let layer = TransformerDecoderLayer<Float>(dModel: 64, numHeads: 8, dimFeedforward: 256, batchFirst: true)
/// let decoder = TransformerDecoder(layer, numLayers: 6, norm: LayerNorm(64))
/// let y = decoder(target, memory: encoder(source), targetIsCausal: true)   // [N, T, 64]
/// ```
public final class TransformerDecoder<Scalar: TensorFloatingPoint>: Module {
    /// The decoder layers, in order (`layers`).
    public let layers: ModuleList<TransformerDecoderLayer<Scalar>>
    /// The layer norm applied to the last layer's output (`norm`), if any.
    public let norm: LayerNorm<Scalar>?

    /// A decoder running these layers in order, then `norm` when given.
    /// - Precondition: `layers` is not empty.
    public init(layers: [TransformerDecoderLayer<Scalar>], norm: LayerNorm<Scalar>? = nil) {
        precondition(!layers.isEmpty, "TransformerDecoder: needs at least one layer")
        self.layers = ModuleList(layers)
        self.norm = norm
    }

    /// A decoder of `numLayers` copies of `decoderLayer`, as `nn.TransformerDecoder` deep-copies its
    /// `decoder_layer`: every copy has the same hyper-parameters and starts from the same parameter
    /// values (its own tensors), while its dropout layers draw from their own generators.
    /// - Precondition: `numLayers > 0`.
    public convenience init(_ decoderLayer: TransformerDecoderLayer<Scalar>, numLayers: Int, norm: LayerNorm<Scalar>? = nil) {
        precondition(numLayers > 0, "TransformerDecoder: numLayers must be positive, got \(numLayers)")
        self.init(layers: (0..<numLayers).map { _ in decoderLayer.copy() }, norm: norm)
    }

    /// The number of layers.
    public var numLayers: Int { layers.count }

    /// `layers` and, when present, `norm`.
    public var namedChildren: [(name: String, module: any Module<Scalar>)] {
        norm.map { [("layers", layers), ("norm", $0)] } ?? [("layers", layers)]
    }

    /// The decoder applied to `target` attending to `memory`, every layer seeing the same masks
    /// (as in ``TransformerDecoderLayer/callAsFunction(_:memory:targetMask:memoryMask:targetKeyPaddingMask:memoryKeyPaddingMask:targetIsCausal:memoryIsCausal:)``),
    /// then `norm`. Mirrors `decoder(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
    /// memory_key_padding_mask, tgt_is_causal, memory_is_causal)`.
    public func callAsFunction(_ target: Variable<Scalar>, memory: Variable<Scalar>, targetMask: AttentionMask<Scalar>? = nil,
                               memoryMask: AttentionMask<Scalar>? = nil, targetKeyPaddingMask: AttentionMask<Scalar>? = nil,
                               memoryKeyPaddingMask: AttentionMask<Scalar>? = nil, targetIsCausal: Bool = false,
                               memoryIsCausal: Bool = false) -> Variable<Scalar> {
        var x = target
        for layer in layers {
            x = layer(x, memory: memory, targetMask: targetMask, memoryMask: memoryMask, targetKeyPaddingMask: targetKeyPaddingMask,
                      memoryKeyPaddingMask: memoryKeyPaddingMask, targetIsCausal: targetIsCausal, memoryIsCausal: memoryIsCausal)
        }
        return norm.map { $0(x) } ?? x
    }
}

extension TransformerDecoderLayer {
    /// A layer with the same hyper-parameters, mode and parameter values (copied into new
    /// parameters, frozen ones staying frozen), whose dropout layers have generators of their own.
    func copy() -> TransformerDecoderLayer {
        let attention = selfAttention
        let layer = TransformerDecoderLayer(dModel: attention.embedDim, numHeads: attention.numHeads,
                                            dimFeedforward: linear1.outFeatures, dropout: dropout.p, activation: activation,
                                            layerNormEps: norm1.eps, batchFirst: attention.batchFirst, normFirst: normFirst,
                                            bias: linear1.bias != nil)
        for ((_, target), (_, source)) in zip(layer.namedParameters, namedParameters) {
            target.value = source.value
            target.requiresGradient = source.requiresGradient
        }
        layer.train(isTraining)
        return layer
    }
}
