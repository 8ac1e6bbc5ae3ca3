import NablaTensor
import NablaAutograd

/// PyTorch's default initialization of a convolution: the weight from kaiming-uniform with
/// `a = √5` (bound `1/√fanIn`), the bias from `U(−1/√fanIn, 1/√fanIn)`, `fanIn` computed from
/// the weight's shape as `torch.nn.init._calculate_fan_in_and_fan_out` does.
func convolutionParameters<S: TensorFloatingPoint, G: PhiloxProtocol>(
    weightShape: [Int], biasCount: Int, bias: Bool, using generator: inout G) -> (Parameter<S>, Parameter<S>?) {
    let weight = Parameter<S>(Initializer.kaimingUniform(weightShape, nonlinearity: .leakyReLU(negativeSlope: 5.0.squareRoot()),
                                                         using: &generator))
    let b = S(1 / Double(Initializer.fans(weightShape).fanIn).squareRoot())
    return (weight, bias ? Parameter(Tensor.randomUniform([biasCount], in: -b..<b, using: &generator)) : nil)
}

/// 1-D convolution over `[N, C, L]` inputs (or unbatched `[C, L]`). Mirrors
/// `torch.nn.Conv1d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
/// padding_mode)`: `weight` of shape `[outChannels, inChannels/groups, kernelSize]`, `bias` of
/// shape `[outChannels]`, both initialized as PyTorch does (bound `1/√fanIn`, with
/// `fanIn = inChannels/groups · kernelSize`).
///
/// ```swift
/// let conv = Conv1d<Float>(4, 8, kernelSize: 3, padding: 1)   // [N, 4, L] → [N, 8, L]
/// let periodic = Conv1d<Float>(4, 8, kernelSize: 5, padding: .same, paddingMode: .circular)
/// ```
public final class Conv1d<Scalar: TensorFloatingPoint>: Layer {
    /// The weight, `[outChannels, inChannels/groups, kernelSize]`.
    public let weight: Parameter<Scalar>
    /// The bias, `[outChannels]`, or `nil` when created with `bias: false`.
    public let bias: Parameter<Scalar>?
    /// The step between windows.
    public let stride: Int
    /// The padding on both sides (or `.same`, `.valid`).
    public let padding: ConvolutionPadding
    /// What the padding is filled with.
    public let paddingMode: ConvolutionPaddingMode
    /// The spacing between kernel taps.
    public let dilation: Int
    /// The number of channel groups (`inChannels` and `outChannels` divide by it).
    public let groups: Int

    /// A 1-D convolution with weights drawn from `generator`.
    /// - Precondition: channel counts are positive and divisible by `groups`.
    public init<G: PhiloxProtocol>(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1,
                                   padding: ConvolutionPadding = 0, dilation: Int = 1, groups: Int = 1, bias: Bool = true,
                                   paddingMode: ConvolutionPaddingMode = .zeros, using generator: inout G) {
        precondition(inChannels > 0 && outChannels > 0 && groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                     "Conv1d: channels \(inChannels) → \(outChannels) must be positive and divisible by groups \(groups)")
        precondition(kernelSize > 0, "Conv1d: kernelSize must be positive, got \(kernelSize)")
        precondition(padding != .same || stride == 1, "Conv1d: padding 'same' needs stride 1, got stride \(stride)")
        (weight, self.bias) = convolutionParameters(weightShape: [outChannels, inChannels / groups, kernelSize],
                                                    biasCount: outChannels, bias: bias, using: &generator)
        self.stride = stride; self.padding = padding; self.dilation = dilation; self.groups = groups
        self.paddingMode = paddingMode
    }

    /// A 1-D convolution with weights drawn from the default generator.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1,
                            padding: ConvolutionPadding = 0, dilation: Int = 1, groups: Int = 1, bias: Bool = true,
                            paddingMode: ConvolutionPaddingMode = .zeros) {
        var g = DefaultGenerator()
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                  groups: groups, bias: bias, paddingMode: paddingMode, using: &g)
    }

    /// `weight` and, when present, `bias`.
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] {
        bias.map { [("weight", weight), ("bias", $0)] } ?? [("weight", weight)]
    }

    /// The convolution of `x`, `[N, C, L]` → `[N, outChannels, L′]` (or `[C, L]` → `[outChannels, L′]`).
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        if x.rank == 2 { return self(x.unsqueezed(axis: 0)).squeezed(axes: [0]) }
        guard let mode = paddingMode.tensorMode else {
            return x.conv1d(weight.variable, bias: bias?.variable, stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
        let pads = spatialPads(padding.as1D, kernel: Size2D(1, weight.shape[2]), dilation: Size2D(1, dilation))
        return x.padded([pads[1]], mode: mode)
            .conv1d(weight.variable, bias: bias?.variable, stride: stride, padding: .valid, dilation: dilation, groups: groups)
    }
}

/// 2-D convolution over `[N, C, H, W]` inputs (or unbatched `[C, H, W]`). Mirrors
/// `torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
/// padding_mode)`: `weight` of shape `[outChannels, inChannels/groups, kH, kW]`, `bias` of shape
/// `[outChannels]`, both initialized as PyTorch does (kaiming-uniform with `a = √5`, i.e. bound
/// `1/√fanIn` with `fanIn = inChannels/groups · kH · kW`).
///
/// ```swift
/// let conv = Conv2d<Float>(3, 16, kernelSize: 3, stride: 2, padding: 1)   // [N, 3, 32, 32] → [N, 16, 16, 16]
/// let mirrored = Conv2d<Float>(3, 16, kernelSize: 3, padding: 1, paddingMode: .reflect)
/// ```
public final class Conv2d<Scalar: TensorFloatingPoint>: Layer {
    /// The weight, `[outChannels, inChannels/groups, kH, kW]`.
    public let weight: Parameter<Scalar>
    /// The bias, `[outChannels]`, or `nil` when created with `bias: false`.
    public let bias: Parameter<Scalar>?
    /// The step between windows.
    public let stride: Size2D
    /// The padding on both sides of each spatial axis (or `.same`, `.valid`).
    public let padding: ConvolutionPadding
    /// What the padding is filled with.
    public let paddingMode: ConvolutionPaddingMode
    /// The spacing between kernel taps.
    public let dilation: Size2D
    /// The number of channel groups (`inChannels` and `outChannels` divide by it).
    public let groups: Int

    /// A 2-D convolution with weights drawn from `generator`.
    /// - Precondition: channel counts are positive and divisible by `groups`.
    public init<G: PhiloxProtocol>(_ inChannels: Int, _ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1,
                                   padding: ConvolutionPadding = 0, dilation: Size2D = 1, groups: Int = 1, bias: Bool = true,
                                   paddingMode: ConvolutionPaddingMode = .zeros, using generator: inout G) {
        precondition(inChannels > 0 && outChannels > 0 && groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                     "Conv2d: channels \(inChannels) → \(outChannels) must be positive and divisible by groups \(groups)")
        precondition(kernelSize.height > 0 && kernelSize.width > 0, "Conv2d: kernelSize must be positive, got \(kernelSize)")
        precondition(padding != .same || stride == 1, "Conv2d: padding 'same' needs stride 1, got stride \(stride)")
        (weight, self.bias) = convolutionParameters(
            weightShape: [outChannels, inChannels / groups, kernelSize.height, kernelSize.width],
            biasCount: outChannels, bias: bias, using: &generator)
        self.stride = stride; self.padding = padding; self.dilation = dilation; self.groups = groups
        self.paddingMode = paddingMode
    }

    /// A 2-D convolution with weights drawn from the default generator.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1,
                            padding: ConvolutionPadding = 0, dilation: Size2D = 1, groups: Int = 1, bias: Bool = true,
                            paddingMode: ConvolutionPaddingMode = .zeros) {
        var g = DefaultGenerator()
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                  groups: groups, bias: bias, paddingMode: paddingMode, using: &g)
    }

    /// The kernel's spatial size.
    public var kernelSize: Size2D { Size2D(weight.shape[2], weight.shape[3]) }

    /// `weight` and, when present, `bias`.
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] {
        bias.map { [("weight", weight), ("bias", $0)] } ?? [("weight", weight)]
    }

    /// The convolution of `x`, `[N, C, H, W]` → `[N, outChannels, H′, W′]` (or unbatched `[C, H, W]`).
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        if x.rank == 3 { return self(x.unsqueezed(axis: 0)).squeezed(axes: [0]) }
        guard let mode = paddingMode.tensorMode else {
            return x.conv2d(weight.variable, bias: bias?.variable, stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
        return x.padded(spatialPads(padding, kernel: kernelSize, dilation: dilation), mode: mode)
            .conv2d(weight.variable, bias: bias?.variable, stride: stride, padding: .valid, dilation: dilation, groups: groups)
    }
}

/// 2-D transposed convolution (the adjoint of ``Conv2d``, "deconvolution") over `[N, C, H, W]`
/// inputs. Mirrors `torch.nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride,
/// padding, output_padding, groups, bias, dilation)`: `weight` of shape
/// `[inChannels, outChannels/groups, kH, kW]`, `bias` of shape `[outChannels]`; output size
/// `(H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1`. Initialized as PyTorch
/// does, with `fanIn` taken from the weight's axis 1 (`outChannels/groups · kH · kW`).
public final class ConvTranspose2d<Scalar: TensorFloatingPoint>: Layer {
    /// The weight, `[inChannels, outChannels/groups, kH, kW]`.
    public let weight: Parameter<Scalar>
    /// The bias, `[outChannels]`, or `nil` when created with `bias: false`.
    public let bias: Parameter<Scalar>?
    /// The stride of the convolution this transposes.
    public let stride: Size2D
    /// The padding of the convolution this transposes (removed from the output).
    public let padding: Size2D
    /// Extra size added on one side of the output, to pick among the sizes a strided convolution maps to one.
    public let outputPadding: Size2D
    /// The spacing between kernel taps.
    public let dilation: Size2D
    /// The number of channel groups.
    public let groups: Int

    /// A transposed convolution with weights drawn from `generator`.
    /// - Precondition: channel counts are positive and divisible by `groups`.
    public init<G: PhiloxProtocol>(_ inChannels: Int, _ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1,
                                   padding: Size2D = 0, outputPadding: Size2D = 0, groups: Int = 1, bias: Bool = true,
                                   dilation: Size2D = 1, using generator: inout G) {
        precondition(inChannels > 0 && outChannels > 0 && groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                     "ConvTranspose2d: channels \(inChannels) → \(outChannels) must be positive and divisible by groups \(groups)")
        precondition(kernelSize.height > 0 && kernelSize.width > 0, "ConvTranspose2d: kernelSize must be positive, got \(kernelSize)")
        (weight, self.bias) = convolutionParameters(
            weightShape: [inChannels, outChannels / groups, kernelSize.height, kernelSize.width],
            biasCount: outChannels, bias: bias, using: &generator)
        self.stride = stride; self.padding = padding; self.outputPadding = outputPadding
        self.dilation = dilation; self.groups = groups
    }

    /// A transposed convolution with weights drawn from the default generator.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1,
                            padding: Size2D = 0, outputPadding: Size2D = 0, groups: Int = 1, bias: Bool = true,
                            dilation: Size2D = 1) {
        var g = DefaultGenerator()
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                  outputPadding: outputPadding, groups: groups, bias: bias, dilation: dilation, using: &g)
    }

    /// `weight` and, when present, `bias`.
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] {
        bias.map { [("weight", weight), ("bias", $0)] } ?? [("weight", weight)]
    }

    /// The transposed convolution of `x`, `[N, C, H, W]` → `[N, outChannels, H′, W′]` (or unbatched `[C, H, W]`).
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        if x.rank == 3 { return self(x.unsqueezed(axis: 0)).squeezed(axes: [0]) }
        return x.convTranspose2d(weight.variable, bias: bias?.variable, stride: stride, padding: padding,
                                 outputPadding: outputPadding, dilation: dilation, groups: groups)
    }
}
