import NablaTensor
import NablaAutograd

/// A mask over attention scores `[…, L, S]` (broadcasting against them), in one of the forms PyTorch
/// accepts. PyTorch gives boolean masks opposite meanings in different places, so the two boolean
/// forms are named for what `true` means:
///
/// - `F.scaled_dot_product_attention(attn_mask=bool)`: `true` = may attend → ``allowed(_:)``.
/// - `nn.MultiheadAttention`'s and `nn.TransformerEncoderLayer`'s boolean `attn_mask` and
///   `key_padding_mask`: `true` = masked out → ``disallowed(_:)``.
/// - A floating mask is added to the scores in both → ``additive(_:)``.
///
/// A query whose every key is masked gets NaN weights, as in PyTorch.
public enum AttentionMask<Scalar: TensorFloatingPoint> {
    /// `true` where a query may attend to a key.
    case allowed(Tensor<Bool>)
    /// `true` where a query may *not* attend to a key (a padding position, a future step).
    case disallowed(Tensor<Bool>)
    /// Added to the scores before the softmax (`−∞` masks out).
    case additive(Tensor<Scalar>)

    /// The mask as a tensor added to the scores: `0` where allowed, `−∞` where not.
    public var additiveTensor: Tensor<Scalar> {
        switch self {
        case .allowed(let m): m.map { $0 ? Scalar(0) : -Scalar.infinity }
        case .disallowed(let m): m.map { $0 ? -Scalar.infinity : Scalar(0) }
        case .additive(let m): m
        }
    }

    /// The causal mask of `queries × keys` scores: query `i` attends to keys `0...i` (the upper
    /// triangle above the diagonal is masked), as `is_causal=True` builds it.
    public static func causal(queries: Int, keys: Int) -> AttentionMask {
        .allowed(Tensor(shape: [queries, keys], scalars: (0..<(queries * keys)).map { $0 % keys <= $0 / keys }))
    }
}

/// `softmax(q·kᵀ·scale + mask)`, the attention weights `[…, L, S]`, and the attended values
/// `weights·v`: the part of ``scaledDotProductAttention(_:_:_:mask:isCausal:scale:)`` that
/// ``MultiheadAttention`` also returns.
func attentionWeightsAndValues<S: TensorFloatingPoint>(query: Variable<S>, key: Variable<S>, value: Variable<S>, mask: Tensor<S>?,
                                                       isCausal: Bool, scale: S?, dropout: Dropout<S>? = nil)
    -> (output: Variable<S>, weights: Variable<S>) {
    let (l, s, e) = (query.shape[query.rank - 2], key.shape[key.rank - 2], query.shape[query.rank - 1])
    var scores = query.matmul(key.transposed()) * (scale ?? S(1 / Double(e).squareRoot()))
    if isCausal { scores = scores + AttentionMask<S>.causal(queries: l, keys: s).additiveTensor }
    if let mask { scores = scores + mask }
    var weights = scores.softmax(axis: -1)
    if let dropout { weights = dropout(weights) }
    return (weights.matmul(value), weights)
}

/// Attention of queries `[…, L, E]` over keys `[…, S, E]` and values `[…, S, Eᵥ]`:
/// `softmax(q·kᵀ/√E + mask)·v`, leading axes broadcasting. Mirrors
/// `torch.nn.functional.scaled_dot_product_attention(query, key, value, attn_mask, dropout_p=0,
/// is_causal, scale)`; note that a boolean mask there means "may attend", ``AttentionMask/allowed(_:)``.
///
/// ```swift
/// let y = scaledDotProductAttention(q, k, v, isCausal: true)   // [N, heads, L, Eᵥ]
/// ```
///
/// - Parameters:
///   - query: `[…, L, E]`.
///   - key: `[…, S, E]`.
///   - value: `[…, S, Eᵥ]`.
///   - mask: broadcasts against the scores `[…, L, S]`.
///   - isCausal: masks keys after each query (the upper triangle), as `is_causal=True`.
///   - scale: the factor of the scores; `1/√E` when `nil`.
public func scaledDotProductAttention<S: TensorFloatingPoint>(_ query: Variable<S>, _ key: Variable<S>, _ value: Variable<S>,
                                                              mask: AttentionMask<S>? = nil, isCausal: Bool = false,
                                                              scale: S? = nil) -> Variable<S> {
    precondition(query.rank >= 2 && key.rank >= 2 && value.rank >= 2 && query.shape.last == key.shape.last
                 && key.shape[key.rank - 2] == value.shape[value.rank - 2],
                 "scaledDotProductAttention: expected query [..., L, E], key [..., S, E], value [..., S, Ev], got \(query.shape), \(key.shape), \(value.shape)")
    return attentionWeightsAndValues(query: query, key: key, value: value, mask: mask?.additiveTensor, isCausal: isCausal, scale: scale).output
}

/// Multi-head attention: queries, keys and values projected to `embedDim` features, split into
/// `numHeads` heads of `embedDim/numHeads` features, each head's
/// ``scaledDotProductAttention(_:_:_:mask:isCausal:scale:)``, the heads concatenated and
/// projected by `out_proj`. Mirrors `torch.nn.MultiheadAttention(embed_dim, num_heads, dropout,
/// bias, add_bias_kv, add_zero_attn, kdim, vdim, batch_first)`.
///
/// Parameters, with PyTorch's names, order and initialization:
/// - keys and values of `embedDim` features (`kdim`, `vdim` `nil` or equal to it): `in_proj_weight`
///   `[3·embedDim, embedDim]`, the query, key and value projections stacked (Xavier-uniform);
/// - otherwise `q_proj_weight` `[embedDim, embedDim]`, `k_proj_weight` `[embedDim, kdim]` and
///   `v_proj_weight` `[embedDim, vdim]` (each Xavier-uniform);
/// - `in_proj_bias` `[3·embedDim]` (zeros) unless `bias: false`;
/// - with `addBiasKV`, `bias_k` and `bias_v` `[1, 1, embedDim]` (Xavier-normal), appended to the
///   projected keys and values as one more key;
/// - the child `out_proj`, a ``Linear`` whose bias starts at zero.
///
/// `addZeroAttention` appends a key and value of zeros to every head after the projection, as
/// `add_zero_attn=True` does; masks get an allowed column for each appended key.
///
/// ```swift
/// let mha = MultiheadAttention<Float>(embedDim: 64, numHeads: 8, batchFirst: true)
/// let (y, weights) = mha(x, x, x, keyPaddingMask: .disallowed(padding))   // y [N, L, 64], weights [N, L, L]
/// let cross = MultiheadAttention<Float>(embedDim: 64, numHeads: 8, kdim: 32, vdim: 16)   // q_proj_weight, k_proj_weight, …
/// ```
public final class MultiheadAttention<Scalar: TensorFloatingPoint>: Module {
    /// The model width `E`.
    public let embedDim: Int
    /// The number of features of each key (`kdim`; `embedDim` unless given).
    public let kdim: Int
    /// The number of features of each value (`vdim`; `embedDim` unless given).
    public let vdim: Int
    /// The number of heads (divides `embedDim`).
    public let numHeads: Int
    /// The dropout probability on the attention weights, in training.
    public let dropout: Scalar
    /// Whether inputs and outputs are `[N, L, E]` rather than `[L, N, E]`.
    public let batchFirst: Bool
    /// Whether a key and value of zeros are appended to every head (`add_zero_attn`).
    public let addZeroAttention: Bool
    /// The stacked query, key and value projection weights, `[3·embedDim, embedDim]`, when keys and
    /// values have `embedDim` features; `nil` otherwise (see ``queryProjectionWeight``).
    public let inProjectionWeight: Parameter<Scalar>?
    /// `q_proj_weight`, `[embedDim, embedDim]`, when ``kdim`` or ``vdim`` differs from `embedDim`; else `nil`.
    public let queryProjectionWeight: Parameter<Scalar>?
    /// `k_proj_weight`, `[embedDim, kdim]`, when ``kdim`` or ``vdim`` differs from `embedDim`; else `nil`.
    public let keyProjectionWeight: Parameter<Scalar>?
    /// `v_proj_weight`, `[embedDim, vdim]`, when ``kdim`` or ``vdim`` differs from `embedDim`; else `nil`.
    public let valueProjectionWeight: Parameter<Scalar>?
    /// The stacked projection biases, `[3·embedDim]`, or `nil` with `bias: false`.
    public let inProjectionBias: Parameter<Scalar>?
    /// `bias_k`, `[1, 1, embedDim]`, appended to the projected keys (with `addBiasKV`); else `nil`.
    public let keyBias: Parameter<Scalar>?
    /// `bias_v`, `[1, 1, embedDim]`, appended to the projected values (with `addBiasKV`); else `nil`.
    public let valueBias: Parameter<Scalar>?
    /// The output projection (`out_proj`).
    public let outProjection: Linear<Scalar>
    /// Whether dropout on the attention weights is active.
    public var isTraining = true
    let dropoutLayer: Dropout<Scalar>

    /// Multi-head attention with weights drawn from `generator`, in PyTorch's order. Keys have
    /// `kdim` features and values `vdim` (`embedDim` when `nil`); `addBiasKV` adds the learned
    /// `bias_k`, `bias_v` (`add_bias_kv`) and `addZeroAttention` a zero key and value per head
    /// (`add_zero_attn`).
    /// - Precondition: `numHeads` divides `embedDim`; `kdim` and `vdim` are positive.
    public init<G: PhiloxProtocol>(embedDim: Int, numHeads: Int, dropout: Scalar = 0, bias: Bool = true, addBiasKV: Bool = false,
                                   addZeroAttention: Bool = false, kdim: Int? = nil, vdim: Int? = nil, batchFirst: Bool = false,
                                   using generator: inout G) {
        precondition(embedDim > 0 && numHeads > 0 && embedDim % numHeads == 0,
                     "MultiheadAttention: embedDim \(embedDim) must be divisible by numHeads \(numHeads)")
        precondition((kdim ?? 1) > 0 && (vdim ?? 1) > 0,
                     "MultiheadAttention: kdim and vdim must be positive, got \(String(describing: kdim)), \(String(describing: vdim))")
        self.embedDim = embedDim; self.numHeads = numHeads; self.dropout = dropout; self.batchFirst = batchFirst
        self.kdim = kdim ?? embedDim; self.vdim = vdim ?? embedDim; self.addZeroAttention = addZeroAttention
        if self.kdim == embedDim && self.vdim == embedDim {
            inProjectionWeight = Parameter(Initializer.xavierUniform([3 * embedDim, embedDim], using: &generator))
            (queryProjectionWeight, keyProjectionWeight, valueProjectionWeight) = (nil, nil, nil)
        } else {
            inProjectionWeight = nil
            queryProjectionWeight = Parameter(Initializer.xavierUniform([embedDim, embedDim], using: &generator))
            keyProjectionWeight = Parameter(Initializer.xavierUniform([embedDim, self.kdim], using: &generator))
            valueProjectionWeight = Parameter(Initializer.xavierUniform([embedDim, self.vdim], using: &generator))
        }
        inProjectionBias = bias ? Parameter(Tensor.zeros([3 * embedDim])) : nil
        outProjection = Linear(embedDim, embedDim, bias: bias, using: &generator)
        outProjection.bias?.value = Tensor.zeros([embedDim])
        if addBiasKV {
            keyBias = Parameter(Initializer.xavierNormal([1, 1, embedDim], using: &generator))
            valueBias = Parameter(Initializer.xavierNormal([1, 1, embedDim], using: &generator))
        } else {
            (keyBias, valueBias) = (nil, nil)
        }
        dropoutLayer = Dropout(p: dropout)
    }

    /// Multi-head attention with weights drawn from the default generator.
    public convenience init(embedDim: Int, numHeads: Int, dropout: Scalar = 0, bias: Bool = true, addBiasKV: Bool = false,
                            addZeroAttention: Bool = false, kdim: Int? = nil, vdim: Int? = nil, batchFirst: Bool = false) {
        var g = DefaultGenerator()
        self.init(embedDim: embedDim, numHeads: numHeads, dropout: dropout, bias: bias, addBiasKV: addBiasKV,
                  addZeroAttention: addZeroAttention, kdim: kdim, vdim: vdim, batchFirst: batchFirst, using: &g)
    }

    /// In PyTorch's order: `in_proj_weight` (or `q_proj_weight`, `k_proj_weight`, `v_proj_weight`),
    /// `in_proj_bias`, `bias_k`, `bias_v`, each when present.
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] {
        let named: [(String, Parameter<Scalar>?)] = [
            ("in_proj_weight", inProjectionWeight), ("q_proj_weight", queryProjectionWeight), ("k_proj_weight", keyProjectionWeight),
            ("v_proj_weight", valueProjectionWeight), ("in_proj_bias", inProjectionBias), ("bias_k", keyBias), ("bias_v", valueBias)]
        return named.compactMap { n, p in p.map { (n, $0) } }
    }

    /// `out_proj`.
    public var namedChildren: [(name: String, module: any Module<Scalar>)] { [("out_proj", outProjection)] }

    /// The attention output and, when `needWeights`, the attention weights. Mirrors
    /// `mha(query, key, value, key_padding_mask, need_weights, attn_mask, average_attn_weights, is_causal)`.
    ///
    /// - Parameters:
    ///   - query: `[L, N, E]` (`[N, L, E]` batch first, or unbatched `[L, E]`).
    ///   - key: `[S, N, kdim]` (likewise).
    ///   - value: `[S, N, vdim]` (likewise).
    ///   - keyPaddingMask: over `[N, S]` (`[S]` unbatched): PyTorch's boolean mask is ``AttentionMask/disallowed(_:)``.
    ///   - needWeights: whether to return the attention weights.
    ///   - attentionMask: `[L, S]` or `[N·numHeads, L, S]`, added after the key padding mask.
    ///   - averageAttentionWeights: the weights averaged over heads, `[N, L, S′]`; else `[N, numHeads, L, S′]`,
    ///     where `S′` counts the keys ``keyBias`` and ``addZeroAttention`` append.
    ///   - isCausal: applies the causal mask `[L, S]` when `attentionMask` is `nil` (in PyTorch a hint
    ///     that `attn_mask` is causal).
    /// - Returns: the output, shaped like `query`, and the weights (`nil` unless `needWeights`),
    ///   after dropout as in PyTorch.
    public func callAsFunction(_ query: Variable<Scalar>, _ key: Variable<Scalar>, _ value: Variable<Scalar>,
                               keyPaddingMask: AttentionMask<Scalar>? = nil, needWeights: Bool = true,
                               attentionMask: AttentionMask<Scalar>? = nil, averageAttentionWeights: Bool = true,
                               isCausal: Bool = false) -> (output: Variable<Scalar>, weights: Variable<Scalar>?) {
        let e = embedDim, heads = numHeads, d = embedDim / numHeads
        precondition(query.rank == key.rank && key.rank == value.rank && (query.rank == 2 || query.rank == 3),
                     "MultiheadAttention: expected query, key and value all of rank 3 (or all rank 2, unbatched), got \(query.shape), \(key.shape), \(value.shape)")
        let unbatched = query.rank == 2
        // To [N, L, E].
        func batchMajor(_ x: Variable<Scalar>) -> Variable<Scalar> {
            unbatched ? x.unsqueezed(axis: 0) : (batchFirst ? x : x.transposed(0, 1))
        }
        let q = batchMajor(query), k = batchMajor(key), v = batchMajor(value)
        let (n, l, s) = (q.shape[0], q.shape[1], k.shape[1])
        precondition(q.shape[2] == e && k.shape[2] == kdim && v.shape[2] == vdim && k.shape[0] == n && v.shape[0] == n && v.shape[1] == s,
                     "MultiheadAttention: expected query, key and value features \(e), \(kdim), \(vdim) and matching batch and key/value lengths, got \(query.shape), \(key.shape), \(value.shape)")
        let w = inProjectionWeight.map { $0.variable.split(count: 3, axis: 0) }
            ?? [queryProjectionWeight!.variable, keyProjectionWeight!.variable, valueProjectionWeight!.variable]
        let b = inProjectionBias?.variable.split(count: 3, axis: 0)
        func project(_ x: Variable<Scalar>, _ i: Int) -> Variable<Scalar> {
            let y = x.matmul(w[i].transposed())
            return b.map { y + $0[i] } ?? y   // [N, length, E]
        }
        func splitHeads(_ x: Variable<Scalar>) -> Variable<Scalar> {
            x.reshaped([n, x.shape[1], heads, d]).transposed(1, 2)   // [N, heads, length, d]
        }
        // One additive mask over [N, heads, L, S] (key padding, then the attention mask).
        var mask: Tensor<Scalar>? = nil
        if let keyPaddingMask {
            let m = keyPaddingMask.additiveTensor
            precondition(m.shape == [n, s] || (unbatched && m.shape == [s]),
                         "MultiheadAttention: expected keyPaddingMask [\(n), \(s)], got \(m.shape)")
            mask = m.reshaped([n, 1, 1, s])
        }
        let causal = isCausal && attentionMask == nil
        if let attentionMask = attentionMask ?? (causal ? AttentionMask.causal(queries: l, keys: s) : nil) {
            var m = attentionMask.additiveTensor
            precondition(m.shape == [l, s] || m.shape == [n * heads, l, s],
                         "MultiheadAttention: expected attentionMask [\(l), \(s)] or [\(n * heads), \(l), \(s)], got \(m.shape)")
            if m.rank == 3 { m = m.reshaped([n, heads, l, s]) }
            mask = mask.map { $0 + m } ?? m
        }
        var keys = project(k, 1), values = project(v, 2)
        // Each appended key is allowed: one more zero column in the mask.
        func allowAppendedKey(_ m: Tensor<Scalar>?) -> Tensor<Scalar>? { m?.padded([(before: 0, after: 1)], value: 0) }
        if let keyBias, let valueBias {
            keys = concatenate([keys, keyBias.variable + Tensor<Scalar>.zeros([n, 1, e])], axis: 1)
            values = concatenate([values, valueBias.variable + Tensor<Scalar>.zeros([n, 1, e])], axis: 1)
            mask = allowAppendedKey(mask)
        }
        keys = splitHeads(keys); values = splitHeads(values)
        if addZeroAttention {
            let zeros = Variable(Tensor<Scalar>.zeros([n, heads, 1, d]))
            keys = concatenate([keys, zeros], axis: 2)
            values = concatenate([values, zeros], axis: 2)
            mask = allowAppendedKey(mask)
        }
        let (attended, weights) = attentionWeightsAndValues(
            query: splitHeads(project(q, 0)), key: keys, value: values, mask: mask, isCausal: false, scale: nil,
            dropout: isTraining && dropout > 0 ? { dropoutLayer.isTraining = true; return dropoutLayer }() : nil)
        var output = outProjection(attended.transposed(1, 2).reshaped([n, l, e]))
        output = unbatched ? output.squeezed(axes: [0]) : (batchFirst ? output : output.transposed(0, 1))
        guard needWeights else { return (output, nil) }
        var ws = averageAttentionWeights ? weights.mean(axis: 1) : weights
        if unbatched { ws = ws.squeezed(axes: [0]) }
        return (output, ws)
    }
}

/// The activation of a ``TransformerEncoderLayer``'s feed-forward block.
public enum TransformerActivation: Sendable, Equatable {
    /// `relu` (PyTorch's default).
    case relu
    /// `gelu` (exact).
    case gelu
}

/// A transformer encoder layer: self-attention and a feed-forward block, each with a residual
/// connection and layer norm. Mirrors `torch.nn.TransformerEncoderLayer(d_model, nhead,
/// dim_feedforward=2048, dropout=0.1, activation, layer_norm_eps=1e-5, batch_first=False,
/// norm_first=False, bias=True)`:
///
///     post-norm: x = norm1(x + dropout1(self_attn(x))); x = norm2(x + dropout2(ff(x)))
///     pre-norm:  x = x + dropout1(self_attn(norm1(x))); x = x + dropout2(ff(norm2(x)))
///     ff(x) = linear2(dropout(activation(linear1(x))))
///
/// Children, as in PyTorch's state dict: `self_attn` (``MultiheadAttention``), `linear1`,
/// `dropout`, `linear2`, `norm1`, `norm2`, `dropout1`, `dropout2`. Dropout is active in training
/// (use ``Module/eval()`` or `dropout: 0` for deterministic outputs).
public final class TransformerEncoderLayer<Scalar: TensorFloatingPoint>: Layer {
    /// The self-attention block.
    public let selfAttention: MultiheadAttention<Scalar>
    /// The feed-forward block's first linear map, `dModel → dimFeedforward`.
    public let linear1: Linear<Scalar>
    /// The dropout inside the feed-forward block.
    public let dropout: Dropout<Scalar>
    /// The feed-forward block's second linear map, `dimFeedforward → dModel`.
    public let linear2: Linear<Scalar>
    /// The layer norm of the attention block.
    public let norm1: LayerNorm<Scalar>
    /// The layer norm of the feed-forward block.
    public let norm2: LayerNorm<Scalar>
    /// The dropout on the attention block's output.
    public let dropout1: Dropout<Scalar>
    /// The dropout on the feed-forward block's output.
    public let dropout2: Dropout<Scalar>
    /// The feed-forward activation.
    public let activation: TransformerActivation
    /// Whether the layer norms come before each block (pre-norm) rather than after the residual sum.
    public let normFirst: Bool

    /// An encoder layer with weights drawn from `generator`, with PyTorch's defaults.
    public init<G: PhiloxProtocol>(dModel: Int, numHeads: Int, dimFeedforward: Int = 2048, dropout: Scalar = 0.1,
                                   activation: TransformerActivation = .relu, layerNormEps: Scalar = 1e-5, batchFirst: Bool = false,
                                   normFirst: Bool = false, bias: Bool = true, using generator: inout G) {
        selfAttention = MultiheadAttention(embedDim: dModel, numHeads: numHeads, dropout: dropout, bias: bias, batchFirst: batchFirst,
                                           using: &generator)
        linear1 = Linear(dModel, dimFeedforward, bias: bias, using: &generator)
        self.dropout = Dropout(p: dropout)
        linear2 = Linear(dimFeedforward, dModel, bias: bias, using: &generator)
        norm1 = LayerNorm(dModel, eps: layerNormEps, bias: bias)
        norm2 = LayerNorm(dModel, eps: layerNormEps, bias: bias)
        dropout1 = Dropout(p: dropout)
        dropout2 = Dropout(p: dropout)
        self.activation = activation
        self.normFirst = normFirst
    }

    /// An encoder layer with weights drawn from the default generator.
    public convenience init(dModel: Int, numHeads: Int, dimFeedforward: Int = 2048, dropout: Scalar = 0.1,
                            activation: TransformerActivation = .relu, layerNormEps: Scalar = 1e-5, batchFirst: Bool = false,
                            normFirst: Bool = false, bias: Bool = true) {
        var g = DefaultGenerator()
        self.init(dModel: dModel, numHeads: numHeads, dimFeedforward: dimFeedforward, dropout: dropout, activation: activation,
                  layerNormEps: layerNormEps, batchFirst: batchFirst, normFirst: normFirst, bias: bias, using: &g)
    }

    /// `self_attn`, `linear1`, `dropout`, `linear2`, `norm1`, `norm2`, `dropout1`, `dropout2`.
    public var namedChildren: [(name: String, module: any Module<Scalar>)] {
        [("self_attn", selfAttention), ("linear1", linear1), ("dropout", dropout), ("linear2", linear2),
         ("norm1", norm1), ("norm2", norm2), ("dropout1", dropout1), ("dropout2", dropout2)]
    }

    /// The layer applied to `src` (`[L, N, dModel]`, `[N, L, dModel]` batch first, or `[L, dModel]`)
    /// without masks.
    public func callAsFunction(_ src: Variable<Scalar>) -> Variable<Scalar> { self(src, mask: nil) }

    /// The layer applied to `src` with an attention mask `[L, L]` (or `[N·heads, L, L]`) and a key
    /// padding mask `[N, L]`; PyTorch's boolean masks are ``AttentionMask/disallowed(_:)``.
    /// Mirrors `layer(src, src_mask, src_key_padding_mask, is_causal)`.
    public func callAsFunction(_ src: Variable<Scalar>, mask: AttentionMask<Scalar>?, keyPaddingMask: AttentionMask<Scalar>? = nil,
                               isCausal: Bool = false) -> Variable<Scalar> {
        func selfAttentionBlock(_ x: Variable<Scalar>) -> Variable<Scalar> {
            dropout1(selfAttention(x, x, x, keyPaddingMask: keyPaddingMask, needWeights: false, attentionMask: mask,
                                   isCausal: isCausal).output)
        }
        func feedForwardBlock(_ x: Variable<Scalar>) -> Variable<Scalar> {
            let h = linear1(x)
            return dropout2(linear2(dropout(activation == .relu ? h.relu() : gelu(h))))
        }
        if normFirst {
            let x = src + selfAttentionBlock(norm1(src))
            return x + feedForwardBlock(norm2(x))
        }
        let x = norm1(src + selfAttentionBlock(src))
        return norm2(x + feedForwardBlock(x))
    }
}
