import NablaTensor
import NablaAutograd

/// A stack of ``TransformerEncoderLayer``s applied in order, with an optional final layer norm.
/// Mirrors `torch.nn.TransformerEncoder(encoder_layer, num_layers, norm=None)`: the layers are
/// the children `layers.0`, `layers.1`, … and the norm is `norm`, so a PyTorch encoder's
/// `state_dict` (`layers.0.self_attn.in_proj_weight`, …, `norm.weight`) loads unchanged.
///
/// ```swift
/// let layer = TransformerEncoderLayer<Float>(dModel: 64, numHeads: 8, dimFeedforward: 256, batchFirst: true)
/// let encoder = TransformerEncoder(layer, numLayers: 6, norm: LayerNorm(64))
/// let y = encoder(x, mask: nil, keyPaddingMask: .disallowed(padding))   // [N, L, 64]
/// ```
///
/// PyTorch's inference fast path (evaluation mode without gradients, batch first, padding at the
/// end of each sequence) runs on nested tensors and puts zeros at padded positions before the final
/// norm; Nabla computes those positions as PyTorch's reference path does. The outputs at unpadded
/// positions agree.
public final class TransformerEncoder<Scalar: TensorFloatingPoint>: Layer {
    /// The encoder layers, in order (`layers`).
    public let layers: ModuleList<TransformerEncoderLayer<Scalar>>
    /// The layer norm applied to the last layer's output (`norm`), if any.
    public let norm: LayerNorm<Scalar>?

    /// An encoder running these layers in order, then `norm` when given.
    /// - Precondition: `layers` is not empty.
    public init(layers: [TransformerEncoderLayer<Scalar>], norm: LayerNorm<Scalar>? = nil) {
        precondition(!layers.isEmpty, "TransformerEncoder: needs at least one layer")
        self.layers = ModuleList(layers)
        self.norm = norm
    }

    /// An encoder of `numLayers` copies of `encoderLayer`, as `nn.TransformerEncoder` deep-copies its
    /// `encoder_layer`: every copy has the same hyper-parameters and starts from the same parameter
    /// values (its own tensors), while its dropout layers draw from their own generators.
    /// - Precondition: `numLayers > 0`.
    public convenience init(_ encoderLayer: TransformerEncoderLayer<Scalar>, numLayers: Int, norm: LayerNorm<Scalar>? = nil) {
        precondition(numLayers > 0, "TransformerEncoder: numLayers must be positive, got \(numLayers)")
        self.init(layers: (0..<numLayers).map { _ in encoderLayer.copy() }, norm: norm)
    }

    /// The number of layers.
    public var numLayers: Int { layers.count }

    /// `layers` and, when present, `norm`.
    public var namedChildren: [(name: String, module: any Module<Scalar>)] {
        norm.map { [("layers", layers), ("norm", $0)] } ?? [("layers", layers)]
    }

    /// The encoder applied to `src` without masks.
    public func callAsFunction(_ src: Variable<Scalar>) -> Variable<Scalar> { self(src, mask: nil) }

    /// The encoder applied to `src` (`[L, N, dModel]`, `[N, L, dModel]` batch first, or `[L, dModel]`),
    /// every layer seeing the same attention mask (`[L, L]` or `[N·heads, L, L]`) and key padding
    /// mask (`[N, L]`); PyTorch's boolean masks are ``AttentionMask/disallowed(_:)``. Mirrors
    /// `encoder(src, mask, src_key_padding_mask, is_causal)`.
    public func callAsFunction(_ src: Variable<Scalar>, mask: AttentionMask<Scalar>?, keyPaddingMask: AttentionMask<Scalar>? = nil,
                               isCausal: Bool = false) -> Variable<Scalar> {
        var x = src
        for layer in layers { x = layer(x, mask: mask, keyPaddingMask: keyPaddingMask, isCausal: isCausal) }
        return norm.map { $0(x) } ?? x
    }
}

extension TransformerEncoderLayer {
    /// A layer with the same hyper-parameters, mode and parameter values (copied into new
    /// parameters, frozen ones staying frozen), whose dropout layers have generators of their own.
    func copy() -> TransformerEncoderLayer {
        let attention = selfAttention
        let layer = TransformerEncoderLayer(dModel: attention.embedDim, numHeads: attention.numHeads,
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
