import Testing
import NablaLayers
import _NablaTestSupport

@Suite("Convolution and pooling layers against PyTorch")
struct ConvolutionTorchTests {
    @Test func conv1d() throws {
        let conv = Conv1d<Double>(4, 6, kernelSize: 3, stride: 2, padding: 1, groups: 2)
        #expect(conv.weight.shape == [6, 2, 3] && conv.stateDict().names == ["weight", "bias"])
        try checkAgainstTorch("conv1d", conv)
        try checkAgainstTorch("conv1d_same", Conv1d<Double>(3, 4, kernelSize: 4, padding: .same, dilation: 2, bias: false))
    }

    @Test func conv2d() throws {
        try checkAgainstTorch("conv2d", Conv2d<Double>(3, 5, kernelSize: 3))
        let conv = Conv2d<Double>(4, 6, kernelSize: [3, 2], stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2)
        #expect(conv.weight.shape == [6, 2, 3, 2] && conv.kernelSize == Size2D(3, 2))
        try checkAgainstTorch("conv2d_options", conv)
        try checkAgainstTorch("conv2d_unbatched", Conv2d<Double>(2, 3, kernelSize: 2, padding: .same))
    }

    @Test func paddingModes() throws {
        let reflect = Conv1d<Double>(3, 4, kernelSize: 3, stride: 2, padding: 2, paddingMode: .reflect)
        #expect(reflect.paddingMode == .reflect && reflect.stateDict().names == ["weight", "bias"])
        try checkAgainstTorch("conv1d_reflect", reflect)
        try checkAgainstTorch("conv1d_circular_same", Conv1d<Double>(2, 3, kernelSize: 4, padding: .same, dilation: 2, paddingMode: .circular))
        try checkAgainstTorch("conv2d_replicate", Conv2d<Double>(3, 4, kernelSize: [3, 2], padding: [1, 2], paddingMode: .replicate))
        try checkAgainstTorch("conv2d_reflect_same", Conv2d<Double>(2, 4, kernelSize: [2, 3], padding: .same, dilation: [2, 1], bias: false,
                                                                    paddingMode: .reflect))
        try checkAgainstTorch("conv2d_circular", Conv2d<Double>(4, 2, kernelSize: 3, stride: 2, padding: 1, groups: 2, paddingMode: .circular))
        // Zero padding through the mode is the kernel's own padding.
        var g = PhiloxGenerator(seed: 12)
        let x: Tensor<Double> = Tensor.randomNormal([1, 2, 4, 5], using: &g)
        let zeros = Conv2d<Double>(2, 3, kernelSize: 3, padding: 1, paddingMode: .zeros, using: &g)
        #expect(zeros(x).value == Variable(x).conv2d(Variable(zeros.weight.value), bias: Variable(zeros.bias!.value), padding: 1).value)
    }

    @Test func convTranspose2d() throws {
        let deconv = ConvTranspose2d<Double>(4, 6, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, groups: 2)
        #expect(deconv.weight.shape == [4, 3, 3, 3])
        try checkAgainstTorch("conv_transpose2d", deconv)
        try checkAgainstTorch("conv_transpose2d_dilated",
                              ConvTranspose2d<Double>(2, 3, kernelSize: [2, 3], stride: [1, 2], padding: [0, 1], bias: false, dilation: 2))
    }

    @Test func pooling() throws {
        try checkAgainstTorch("max_pool2d", MaxPool2d<Double>(kernelSize: 3, stride: 2, padding: 1))
        try checkAgainstTorch("max_pool2d_ceil", MaxPool2d<Double>(kernelSize: 2, dilation: 2, ceilMode: true))
        try checkAgainstTorch("avg_pool2d", AvgPool2d<Double>(kernelSize: 3, stride: 2, padding: 1, countIncludePad: false))
        try checkAgainstTorch("avg_pool2d_ceil", AvgPool2d<Double>(kernelSize: [2, 3], ceilMode: true))
        try checkAgainstTorch("adaptive_avg_pool2d", AdaptiveAvgPool2d<Double>([3, 2]))
        try checkAgainstTorch("adaptive_avg_pool2d_none", AdaptiveAvgPool2d<Double>(height: nil, width: 2))
    }

    @Test func defaultInitializationBounds() {
        var g = PhiloxGenerator(seed: 3)
        // fanIn = 8/2 · 3 · 3 = 36: weight and bias within 1/6.
        let conv = Conv2d<Double>(8, 4, kernelSize: 3, groups: 2, using: &g)
        #expect(conv.weight.value.abs().max().scalar <= 1.0 / 6 && conv.bias!.value.abs().max().scalar <= 1.0 / 6)
        #expect(conv.weight.value.abs().max().scalar > 0.12)
        // ConvTranspose2d's fanIn comes from weight axis 1: 6/1 · 2 · 2 = 24.
        let deconv = ConvTranspose2d<Double>(3, 6, kernelSize: 2, using: &g)
        #expect(deconv.weight.value.abs().max().scalar <= 1 / 24.0.squareRoot())
    }

    @Test mutating func gradientsInDouble() {
        var g = PhiloxGenerator(seed: 11)
        let x4: Tensor<Double> = Tensor.randomNormal([2, 4, 5, 5], using: &g)
        checkLayerGradients(Conv2d<Double>(4, 4, kernelSize: [3, 2], stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2, using: &g), input: x4)
        checkLayerGradients(Conv1d<Double>(4, 2, kernelSize: 3, padding: .same, using: &g), input: x4[0..<2, 0..<4, 0])
        checkLayerGradients(Conv2d<Double>(4, 2, kernelSize: [2, 3], padding: .same, paddingMode: .reflect, using: &g), input: x4)
        checkLayerGradients(Conv2d<Double>(4, 2, kernelSize: 3, stride: 2, padding: [2, 1], paddingMode: .circular, using: &g), input: x4)
        checkLayerGradients(Conv1d<Double>(4, 2, kernelSize: 3, padding: 2, paddingMode: .replicate, using: &g), input: x4[0..<2, 0..<4, 0])
        checkLayerGradients(ConvTranspose2d<Double>(4, 2, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, using: &g), input: x4)
        checkLayerGradients(MaxPool2d<Double>(kernelSize: 2, stride: 1, padding: 1), input: x4, secondOrder: false)
        checkLayerGradients(AvgPool2d<Double>(kernelSize: 3, stride: 2, padding: 1, countIncludePad: false), input: x4)
        checkLayerGradients(AdaptiveAvgPool2d<Double>([2, 3]), input: x4)
    }
}
