import NablaTensor
import NablaAutograd

/// A transformer decoder layer: self-attention over the target, attention from the target to the
/// encoder's output (`memory`) and a feed-forward block, each with a residual connection and layer
/// norm. Mirrors `torch.nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048,
/// dropout=0.1, activation, layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True)`:
///
///     post-norm: x = norm1(x + sa(x)); x = norm2(x + mha(x, memory)); x = norm3(x + ff(x))
///     pre-norm:  x = x + sa(norm1(x)); x = x + mha(norm2(x), memory); x = x + ff(norm3(x))
///     ff(x) = linear2(dropout(activation(linear1(x))))
///
/// with `dropout1`, `dropout2`, `dropout3` on the three blocks' outputs. Children, as in PyTorch's
/// state dict: `self_attn`, `multihead_attn` (both ``MultiheadAttention``), `linear1`, `dropout`,
/// `linear2`, `norm1`, `norm2`, `norm3`, `dropout1`, `dropout2`, `dropout3`.
///
/// ```swift
/// let layer = TransformerDecoderLayer<Float>(dModel: 64, numHeads: 8, dimFeedforward: 256, batchFirst: true)
/// let y = layer(target, memory: encoded, targetIsCausal: true)   // [N, T, 64]
/// ```
public final class TransformerDecoderLayer<Scalar: TensorFloatingPoint>: Module {
    /// The self-attention block over the target.
    public let selfAttention: MultiheadAttention<Scalar>
    /// The attention block from the target to the memory (`multihead_attn`).
    public let crossAttention: MultiheadAttention<Scalar>
    /// The feed-forward block's first linear map, `dModel → dimFeedforward`.
    public let linear1: Linear<Scalar>
    /// The dropout inside the feed-forward block.
    public let dropout: Dropout<Scalar>
    /// The feed-forward block's second linear map, `dimFeedforward → dModel`.
    public let linear2: Linear<Scalar>
    /// The layer norm of the self-attention block.
    public let norm1: LayerNorm<Scalar>
    /// The layer norm of the attention to the memory.
    public let norm2: LayerNorm<Scalar>
    /// The layer norm of the feed-forward block.
    public let norm3: LayerNorm<Scalar>
    /// The dropout on the self-attention block's output.
    public let dropout1: Dropout<Scalar>
    /// The dropout on the memory attention block's output.
    public let dropout2: Dropout<Scalar>
    /// The dropout on the feed-forward block's output.
    public let dropout3: Dropout<Scalar>
    /// The feed-forward activation.
    public let activation: TransformerActivation
    /// Whether the layer norms come before each block (pre-norm) rather than after the residual sum.
    public let normFirst: Bool

    /// A decoder layer with weights drawn from `generator` in PyTorch's order, with its defaults.
    public init<G: PhiloxProtocol>(dModel: Int, numHeads: Int, dimFeedforward: Int = 2048, dropout: Scalar = 0.1,
                                   activation: TransformerActivation = .relu, layerNormEps: Scalar = 1e-5, batchFirst: Bool = false,
                                   normFirst: Bool = false, bias: Bool = true, using generator: inout G) {
        selfAttention = MultiheadAttention(embedDim: dModel, numHeads: numHeads, dropout: dropout, bias: bias, batchFirst: batchFirst,
                                           using: &generator)
        crossAttention = MultiheadAttention(embedDim: dModel, numHeads: numHeads, dropout: dropout, bias: bias, batchFirst: batchFirst,
                                            using: &generator)
        linear1 = Linear(dModel, dimFeedforward, bias: bias, using: &generator)
        self.dropout = Dropout(p: dropout)
        linear2 = Linear(dimFeedforward, dModel, bias: bias, using: &generator)
        norm1 = LayerNorm(dModel, eps: layerNormEps, bias: bias)
        norm2 = LayerNorm(dModel, eps: layerNormEps, bias: bias)
        norm3 = LayerNorm(dModel, eps: layerNormEps, bias: bias)
        dropout1 = Dropout(p: dropout)
        dropout2 = Dropout(p: dropout)
        dropout3 = Dropout(p: dropout)
        self.activation = activation
        self.normFirst = normFirst
    }

    /// A decoder layer with weights drawn from the default generator.
    public convenience init(dModel: Int, numHeads: Int, dimFeedforward: Int = 2048, dropout: Scalar = 0.1,
                            activation: TransformerActivation = .relu, layerNormEps: Scalar = 1e-5, batchFirst: Bool = false,
                            normFirst: Bool = false, bias: Bool = true) {
        var g = DefaultGenerator()
        self.init(dModel: dModel, numHeads: numHeads, dimFeedforward: dimFeedforward, dropout: dropout, activation: activation,
                  layerNormEps: layerNormEps, batchFirst: batchFirst, normFirst: normFirst, bias: bias, using: &g)
    }

    /// `self_attn`, `multihead_attn`, `linear1`, `dropout`, `linear2`, `norm1`, `norm2`, `norm3`,
    /// `dropout1`, `dropout2`, `dropout3`.
    public var namedChildren: [(name: String, module: any Module<Scalar>)] {
        [("self_attn", selfAttention), ("multihead_attn", crossAttention), ("linear1", linear1), ("dropout", dropout),
         ("linear2", linear2), ("norm1", norm1), ("norm2", norm2), ("norm3", norm3), ("dropout1", dropout1),
         ("dropout2", dropout2), ("dropout3", dropout3)]
    }

    /// The layer applied to `target` (`[T, N, dModel]`, `[N, T, dModel]` batch first, or `[T, dModel]`)
    /// attending to `memory` (`[S, N, dModel]`, likewise). Mirrors `layer(tgt, memory, tgt_mask,
    /// memory_mask, tgt_key_padding_mask, memory_key_padding_mask, tgt_is_causal, memory_is_causal)`;
    /// PyTorch's boolean masks are ``AttentionMask/disallowed(_:)``.
    ///
    /// - Parameters:
    ///   - target: the decoder's input.
    ///   - memory: the encoder's output.
    ///   - targetMask: over the self-attention scores, `[T, T]` or `[N·heads, T, T]`.
    ///   - memoryMask: over the memory attention scores, `[T, S]` or `[N·heads, T, S]`.
    ///   - targetKeyPaddingMask: padded target positions, `[N, T]`.
    ///   - memoryKeyPaddingMask: padded memory positions, `[N, S]`.
    ///   - targetIsCausal: applies the causal mask to the self-attention when `targetMask` is `nil`.
    ///   - memoryIsCausal: applies the causal mask to the memory attention when `memoryMask` is `nil`.
    /// - Returns: the output, shaped like `target`.
    public func callAsFunction(_ target: Variable<Scalar>, memory: Variable<Scalar>, targetMask: AttentionMask<Scalar>? = nil,
                               memoryMask: AttentionMask<Scalar>? = nil, targetKeyPaddingMask: AttentionMask<Scalar>? = nil,
                               memoryKeyPaddingMask: AttentionMask<Scalar>? = nil, targetIsCausal: Bool = false,
                               memoryIsCausal: Bool = false) -> Variable<Scalar> {
        func selfAttentionBlock(_ x: Variable<Scalar>) -> Variable<Scalar> {
            dropout1(selfAttention(x, x, x, keyPaddingMask: targetKeyPaddingMask, needWeights: false, attentionMask: targetMask,
                                   isCausal: targetIsCausal).output)
        }
        func memoryAttentionBlock(_ x: Variable<Scalar>) -> Variable<Scalar> {
            dropout2(crossAttention(x, memory, memory, keyPaddingMask: memoryKeyPaddingMask, needWeights: false,
                                    attentionMask: memoryMask, isCausal: memoryIsCausal).output)
        }
        func feedForwardBlock(_ x: Variable<Scalar>) -> Variable<Scalar> {
            let h = linear1(x)
            return dropout3(linear2(dropout(activation == .relu ? h.relu() : gelu(h))))
        }
        if normFirst {
            var x = target + selfAttentionBlock(norm1(target))
            x = x + memoryAttentionBlock(norm2(x))
            return x + feedForwardBlock(norm3(x))
        }
        var x = norm1(target + selfAttentionBlock(target))
        x = norm2(x + memoryAttentionBlock(x))
        return norm3(x + feedForwardBlock(x))
    }
}
