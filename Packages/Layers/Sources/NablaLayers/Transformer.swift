import NablaTensor
import NablaAutograd

/// The encoder–decoder transformer of "Attention Is All You Need": a ``TransformerEncoder`` over
/// the source, whose output (the memory) a ``TransformerDecoder`` attends to while it reads the
/// target. Mirrors `torch.nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6,
/// num_decoder_layers=6, dim_feedforward=2048, dropout=0.1, activation, custom_encoder,
/// custom_decoder, layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True)`.
///
/// Children, as in PyTorch's state dict: `encoder` (its layers and a final `norm`) and `decoder`
/// (likewise), so `encoder.layers.0.self_attn.in_proj_weight`, …, `decoder.norm.bias` load from a
/// PyTorch `state_dict` unchanged. As in PyTorch, every parameter of rank 2 or more is re-drawn
/// from Xavier-uniform after the layers are built; the biases keep their layers' initialization.
/// Embeddings and positional encodings are not part of it, as in PyTorch.
///
/// ```swift
/// let model = Transformer<Float>(dModel: 64, numHeads: 4, numEncoderLayers: 2, numDecoderLayers: 2, batchFirst: true)
/// let y = model(source, target, targetIsCausal: true)   // source [N, S, 64], target [N, T, 64] → [N, T, 64]
/// ```
public final class Transformer<Scalar: TensorFloatingPoint>: Module {
    /// The encoder (`encoder`).
    public let encoder: TransformerEncoder<Scalar>
    /// The decoder (`decoder`).
    public let decoder: TransformerDecoder<Scalar>

    /// A transformer with PyTorch's defaults, weights drawn from `generator`.
    /// - Precondition: `numHeads` divides `dModel`; the layer counts are positive.
    public init<G: PhiloxProtocol>(dModel: Int = 512, numHeads: Int = 8, numEncoderLayers: Int = 6, numDecoderLayers: Int = 6,
                                   dimFeedforward: Int = 2048, dropout: Scalar = 0.1, activation: TransformerActivation = .relu,
                                   layerNormEps: Scalar = 1e-5, batchFirst: Bool = false, normFirst: Bool = false, bias: Bool = true,
                                   using generator: inout G) {
        let encoderLayer = TransformerEncoderLayer(dModel: dModel, numHeads: numHeads, dimFeedforward: dimFeedforward, dropout: dropout,
                                                   activation: activation, layerNormEps: layerNormEps, batchFirst: batchFirst,
                                                   normFirst: normFirst, bias: bias, using: &generator)
        encoder = TransformerEncoder(encoderLayer, numLayers: numEncoderLayers, norm: LayerNorm(dModel, eps: layerNormEps, bias: bias))
        let decoderLayer = TransformerDecoderLayer(dModel: dModel, numHeads: numHeads, dimFeedforward: dimFeedforward, dropout: dropout,
                                                   activation: activation, layerNormEps: layerNormEps, batchFirst: batchFirst,
                                                   normFirst: normFirst, bias: bias, using: &generator)
        decoder = TransformerDecoder(decoderLayer, numLayers: numDecoderLayers, norm: LayerNorm(dModel, eps: layerNormEps, bias: bias))
        // torch.nn.Transformer._reset_parameters: Xavier-uniform for every parameter with more than one axis.
        for (_, p) in namedParameters where p.shape.count > 1 {
            p.value = Initializer.xavierUniform(p.shape, using: &generator)
        }
    }

    /// A transformer with PyTorch's defaults, weights drawn from the default generator.
    public convenience init(dModel: Int = 512, numHeads: Int = 8, numEncoderLayers: Int = 6, numDecoderLayers: Int = 6,
                            dimFeedforward: Int = 2048, dropout: Scalar = 0.1, activation: TransformerActivation = .relu,
                            layerNormEps: Scalar = 1e-5, batchFirst: Bool = false, normFirst: Bool = false, bias: Bool = true) {
        var g = DefaultGenerator()
        self.init(dModel: dModel, numHeads: numHeads, numEncoderLayers: numEncoderLayers, numDecoderLayers: numDecoderLayers,
                  dimFeedforward: dimFeedforward, dropout: dropout, activation: activation, layerNormEps: layerNormEps,
                  batchFirst: batchFirst, normFirst: normFirst, bias: bias, using: &g)
    }

    /// A transformer of this encoder and decoder (PyTorch's `custom_encoder`, `custom_decoder`),
    /// used as they are.
    public init(encoder: TransformerEncoder<Scalar>, decoder: TransformerDecoder<Scalar>) {
        self.encoder = encoder
        self.decoder = decoder
    }

    /// `encoder`, `decoder`.
    public var namedChildren: [(name: String, module: any Module<Scalar>)] { [("encoder", encoder), ("decoder", decoder)] }

    /// The decoder's output for `target` attending to the encoded `source`. Mirrors
    /// `model(src, tgt, src_mask, tgt_mask, memory_mask, src_key_padding_mask, tgt_key_padding_mask,
    /// memory_key_padding_mask, src_is_causal, tgt_is_causal, memory_is_causal)`; PyTorch's boolean
    /// masks are ``AttentionMask/disallowed(_:)``, and `generate_square_subsequent_mask(T)` is
    /// ``AttentionMask/causal(queries:keys:)`` (or `targetIsCausal: true`).
    ///
    /// - Parameters:
    ///   - source: `[S, N, E]` (`[N, S, E]` batch first, or unbatched `[S, E]`).
    ///   - target: `[T, N, E]` (likewise).
    ///   - sourceMask: over the encoder's self-attention scores, `[S, S]` or `[N·heads, S, S]`.
    ///   - targetMask: over the decoder's self-attention scores, `[T, T]` or `[N·heads, T, T]`.
    ///   - memoryMask: over the decoder's attention to the memory, `[T, S]` or `[N·heads, T, S]`.
    ///   - sourceKeyPaddingMask: padded source positions, `[N, S]`, in the encoder.
    ///   - targetKeyPaddingMask: padded target positions, `[N, T]`.
    ///   - memoryKeyPaddingMask: padded memory positions, `[N, S]`, in the decoder (usually the
    ///     source's padding; PyTorch does not pass it on by itself, and neither does this).
    ///   - sourceIsCausal: applies the causal mask in the encoder when `sourceMask` is `nil`.
    ///   - targetIsCausal: applies the causal mask in the decoder's self-attention when `targetMask` is `nil`.
    ///   - memoryIsCausal: applies the causal mask to the memory attention when `memoryMask` is `nil`.
    /// - Returns: `[T, N, E]` (shaped like `target`).
    public func callAsFunction(_ source: Variable<Scalar>, _ target: Variable<Scalar>, sourceMask: AttentionMask<Scalar>? = nil,
                               targetMask: AttentionMask<Scalar>? = nil, memoryMask: AttentionMask<Scalar>? = nil,
                               sourceKeyPaddingMask: AttentionMask<Scalar>? = nil, targetKeyPaddingMask: AttentionMask<Scalar>? = nil,
                               memoryKeyPaddingMask: AttentionMask<Scalar>? = nil, sourceIsCausal: Bool = false,
                               targetIsCausal: Bool = false, memoryIsCausal: Bool = false) -> Variable<Scalar> {
        let e = encoder.layers[0].selfAttention.embedDim
        precondition(source.rank == target.rank && source.shape.last == e && target.shape.last == e,
                     "Transformer: expected source and target of the same rank with \(e) features, got \(source.shape) and \(target.shape)")
        let batchAxis = encoder.layers[0].selfAttention.batchFirst ? 0 : 1
        precondition(source.rank == 2 || source.shape[batchAxis] == target.shape[batchAxis],
                     "Transformer: the batch sizes of source \(source.shape) and target \(target.shape) differ")
        let memory = encoder(source, mask: sourceMask, keyPaddingMask: sourceKeyPaddingMask, isCausal: sourceIsCausal)
        return decoder(target, memory: memory, targetMask: targetMask, memoryMask: memoryMask, targetKeyPaddingMask: targetKeyPaddingMask,
                       memoryKeyPaddingMask: memoryKeyPaddingMask, targetIsCausal: targetIsCausal, memoryIsCausal: memoryIsCausal)
    }
}
