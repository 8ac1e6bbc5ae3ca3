import NablaTensor
import NablaAutograd

/// Batch normalization over the channel axis 1 of `[N, C, …]` inputs, shared by ``BatchNorm1d``
/// and ``BatchNorm2d``. Mirrors `torch.nn.modules.batchnorm._BatchNorm`.
///
/// In training it normalizes with the batch's mean and biased variance and updates the running
/// statistics: `running = (1 − momentum)·running + momentum·batch`, with the *unbiased* batch
/// variance, and counts `num_batches_tracked`; with `momentum: nil` the running statistics are
/// the cumulative average (`factor = 1/num_batches_tracked`). In evaluation it normalizes with
/// the running statistics. Buffers: `running_mean`, `running_var` (floating) and
/// `num_batches_tracked` (`Int64`, shape `[]`), absent when `trackRunningStatistics` is false.
public class BatchNorm<Scalar: TensorFloatingPoint>: Layer {
    /// The scale `γ`, `[numFeatures]` (ones), or `nil` when not affine.
    public let weight: Parameter<Scalar>?
    /// The shift `β`, `[numFeatures]` (zeros), or `nil` when not affine.
    public let bias: Parameter<Scalar>?
    /// The running mean, `[numFeatures]` (zeros), or `nil` when statistics are not tracked.
    public let runningMean: Buffer<Scalar>?
    /// The running (unbiased) variance, `[numFeatures]` (ones), or `nil`.
    public let runningVariance: Buffer<Scalar>?
    /// The number of batches seen in training (`Int64`, shape `[]`), or `nil`.
    public let batchesTracked: Buffer<Scalar>?
    /// The number of channels.
    public let numFeatures: Int
    /// Added to the variance before the square root.
    public let eps: Scalar
    /// The weight of the newest batch in the running statistics; `nil` for a cumulative average.
    public let momentum: Scalar?
    /// Whether the layer normalizes with batch statistics (training) or running ones (evaluation).
    public var isTraining = true
    /// The ranks of input this layer accepts.
    let ranks: [Int]
    let name: String

    init(name: String, ranks: [Int], numFeatures: Int, eps: Scalar, momentum: Scalar?, affine: Bool,
         trackRunningStatistics: Bool) {
        precondition(numFeatures > 0, "\(name): numFeatures must be positive")
        self.name = name
        self.ranks = ranks
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        weight = affine ? Parameter(Tensor.ones([numFeatures])) : nil
        bias = affine ? Parameter(Tensor.zeros([numFeatures])) : nil
        if trackRunningStatistics {
            runningMean = Buffer(Tensor<Scalar>.zeros([numFeatures]))
            runningVariance = Buffer(Tensor<Scalar>.ones([numFeatures]))
            batchesTracked = Buffer(Tensor<Int64>(0))
        } else {
            runningMean = nil; runningVariance = nil; batchesTracked = nil
        }
    }

    /// `weight` and `bias` when affine.
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    /// `running_mean`, `running_var` and `num_batches_tracked` when statistics are tracked.
    public var namedLocalBuffers: [(name: String, buffer: Buffer<Scalar>)] {
        guard let runningMean, let runningVariance, let batchesTracked else { return [] }
        return [("running_mean", runningMean), ("running_var", runningVariance), ("num_batches_tracked", batchesTracked)]
    }

    /// The normalized input, scaled and shifted per channel.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        precondition(ranks.contains(x.rank) && x.shape[1] == numFeatures,
                     "\(name): expected input of rank \(ranks) with \(numFeatures) channels on axis 1, got \(x.shape)")
        let axes = [0] + Array(2..<x.rank)
        var channelShape = [Int](repeating: 1, count: x.rank)
        channelShape[1] = numFeatures
        let normalized: Variable<Scalar>
        if isTraining || runningMean == nil {
            let n = x.count / numFeatures
            precondition(n > 1 || !isTraining, "\(name): expected more than 1 value per channel when training, got input \(x.shape)")
            let mean = x.mean(axes: axes, keepingDims: true)
            let centered = x - mean
            let variance = centered.squared().mean(axes: axes, keepingDims: true)
            normalized = centered * (variance + eps).rsqrt()
            if isTraining, let runningMean, let runningVariance, let batchesTracked {
                let count = batchesTracked.integers.scalar + 1
                batchesTracked.integers = Tensor(count)
                let factor = momentum ?? 1 / Scalar(count)
                let unbiased = variance.value.reshaped([numFeatures]) * (Scalar(n) / Scalar(Swift.max(n - 1, 1)))
                runningMean.tensor = runningMean.tensor * (1 - factor) + mean.value.reshaped([numFeatures]) * factor
                runningVariance.tensor = runningVariance.tensor * (1 - factor) + unbiased * factor
            }
        } else {
            let mean = runningMean!.tensor.reshaped(channelShape)
            let scale = (runningVariance!.tensor + eps).sqrt().reciprocal().reshaped(channelShape)
            normalized = (x - mean) * scale
        }
        guard let weight, let bias else { return normalized }
        return normalized * weight.variable.reshaped(channelShape) + bias.variable.reshaped(channelShape)
    }
}

/// Batch normalization of `[N, C]` or `[N, C, L]` inputs. Mirrors `torch.nn.BatchNorm1d`.
public final class BatchNorm1d<Scalar: TensorFloatingPoint>: BatchNorm<Scalar> {
    /// A batch norm over `numFeatures` channels, with PyTorch's defaults.
    public init(_ numFeatures: Int, eps: Scalar = 1e-5, momentum: Scalar? = 0.1, affine: Bool = true,
                trackRunningStatistics: Bool = true) {
        super.init(name: "BatchNorm1d", ranks: [2, 3], numFeatures: numFeatures, eps: eps, momentum: momentum,
                   affine: affine, trackRunningStatistics: trackRunningStatistics)
    }
}

/// Batch normalization of `[N, C, H, W]` inputs. Mirrors `torch.nn.BatchNorm2d`.
public final class BatchNorm2d<Scalar: TensorFloatingPoint>: BatchNorm<Scalar> {
    /// A batch norm over `numFeatures` channels, with PyTorch's defaults.
    public init(_ numFeatures: Int, eps: Scalar = 1e-5, momentum: Scalar? = 0.1, affine: Bool = true,
                trackRunningStatistics: Bool = true) {
        super.init(name: "BatchNorm2d", ranks: [4], numFeatures: numFeatures, eps: eps, momentum: momentum,
                   affine: affine, trackRunningStatistics: trackRunningStatistics)
    }
}

/// Normalization over the last axes of each sample, with a learned elementwise scale and shift.
/// Mirrors `torch.nn.LayerNorm(normalized_shape, eps, elementwise_affine, bias)`: `weight` ones,
/// `bias` zeros, both of shape `normalizedShape`; biased variance.
public final class LayerNorm<Scalar: TensorFloatingPoint>: Layer {
    /// The trailing shape normalized over.
    public let normalizedShape: [Int]
    /// Added to the variance.
    public let eps: Scalar
    /// The scale, or `nil` without an elementwise affine transform.
    public let weight: Parameter<Scalar>?
    /// The shift, or `nil`.
    public let bias: Parameter<Scalar>?

    /// A layer norm over trailing axes of shape `normalizedShape`.
    public init(_ normalizedShape: [Int], eps: Scalar = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = elementwiseAffine ? Parameter(Tensor.ones(normalizedShape)) : nil
        self.bias = elementwiseAffine && bias ? Parameter(Tensor.zeros(normalizedShape)) : nil
    }

    /// A layer norm over the last axis of size `features`.
    public convenience init(_ features: Int, eps: Scalar = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        self.init([features], eps: eps, elementwiseAffine: elementwiseAffine, bias: bias)
    }

    /// `weight` and `bias` when present.
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] {
        [("weight", weight), ("bias", bias)].compactMap { n, p in p.map { (n, $0) } }
    }

    /// `(x − mean)/√(var + eps)·weight + bias` over the trailing axes.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        let k = normalizedShape.count
        precondition(x.rank >= k && Array(x.shape.suffix(k)) == normalizedShape,
                     "LayerNorm: expected input [..., \(normalizedShape)], got \(x.shape)")
        let axes = Array((x.rank - k)..<x.rank)
        let centered = x - x.mean(axes: axes, keepingDims: true)
        var y = centered * (centered.squared().mean(axes: axes, keepingDims: true) + eps).rsqrt()
        if let weight { y = y * weight.variable }
        if let bias { y = y + bias.variable }
        return y
    }
}

/// Normalization over groups of channels of each sample. Mirrors `torch.nn.GroupNorm(num_groups,
/// num_channels, eps, affine)`: inputs `[N, C, …]`, per-channel `weight` (ones) and `bias` (zeros).
public final class GroupNorm<Scalar: TensorFloatingPoint>: Layer {
    /// The number of groups (divides the channel count).
    public let groupCount: Int
    /// The number of channels.
    public let channelCount: Int
    /// Added to the variance.
    public let eps: Scalar
    /// The per-channel scale, or `nil` when not affine.
    public let weight: Parameter<Scalar>?
    /// The per-channel shift, or `nil`.
    public let bias: Parameter<Scalar>?

    /// A group norm of `channels` channels in `groups` groups.
    public init(groups: Int, channels: Int, eps: Scalar = 1e-5, affine: Bool = true) {
        precondition(groups > 0 && channels % groups == 0, "GroupNorm: \(channels) channels do not split into \(groups) groups")
        groupCount = groups
        channelCount = channels
        self.eps = eps
        weight = affine ? Parameter(Tensor.ones([channels])) : nil
        bias = affine ? Parameter(Tensor.zeros([channels])) : nil
    }

    /// `weight` and `bias` when affine.
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    /// Each group of channels of each sample normalized, then scaled and shifted per channel.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        precondition(x.rank >= 2 && x.shape[1] == channelCount, "GroupNorm: expected input [N, \(channelCount), ...], got \(x.shape)")
        let g = x.reshaped([x.shape[0], groupCount, -1])
        let centered = g - g.mean(axis: 2, keepingDims: true)
        let y = (centered * (centered.squared().mean(axis: 2, keepingDims: true) + eps).rsqrt()).reshaped(x.shape)
        guard let weight, let bias else { return y }
        var channelShape = [Int](repeating: 1, count: x.rank)
        channelShape[1] = channelCount
        return y * weight.variable.reshaped(channelShape) + bias.variable.reshaped(channelShape)
    }
}
