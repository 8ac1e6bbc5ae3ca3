import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

/// `((arange(n)·a) mod m − off) / div` reshaped to `shape`, as in `scripts/torch_conv_fastpath_reference.py`.
private func ramp(_ shape: [Int], _ a: Int, _ m: Int, _ off: Int, _ div: Double) -> Tensor<Double> {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { Double((($0 * a) % m) - off) / div })
}

/// The kernels' fast paths that LeNet-sized steps run through, against PyTorch (torch 2.x, float64,
/// `python3 scripts/torch_conv_fastpath_reference.py` prints the literals): the unrolled 2×2 max
/// pooling (ties, NaN and −∞: values, indices and the one-pass gradient) and a convolution weight
/// gradient whose sum over images runs in GEMM-kernel-sized pieces.
@Suite struct ConvolutionFastPathTests {
    // F.max_pool2d(x, 2) on a tie-rich ramp; (y * r).sum().backward() with r = ramp(y.shape, 3, 7, 3, 2)
    @Test func maxPool2dKernel2Ties() {
        let x = Variable(ramp([2, 3, 6, 8], 3, 5, 2, 1.0), requiresGradient: true)
        let y = x.maxPool2d(kernelSize: 2)
        #expect(y.value == Tensor<Double>(shape: [2, 3, 3, 4], scalars: [2.0, 2.0, 2.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 2.0]))
        (y * Variable(ramp(y.shape, 3, 7, 3, 2.0))).sum().backward()
        #expect(x.gradient! == Tensor<Double>(shape: [2, 3, 6, 8], scalars: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 1.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 1.5, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 1.5, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 1.5, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 1.5, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, -1.5, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0]))
    }

    // F.max_pool2d(x, 2, return_indices=True) with NaN (the last NaN of a window wins, as in torch) and −∞ windows.
    @Test func maxPool2dKernel2NaNAndInfinity() {
        var s = ramp([1, 1, 4, 6], 3, 5, 2, 1.0).scalars
        for i in [1, 6, 16] { s[i] = .nan }
        for i in [2, 3, 8, 9] { s[i] = -.infinity }
        let x = Tensor<Double>(shape: [1, 1, 4, 6], scalars: s)
        let y = x.maxPool2d(kernelSize: 2).scalars
        #expect(y[0].isNaN && y[5].isNaN)
        #expect(Array(y[1...4]) == [-.infinity, 1.0, 2.0, 1.0])
        #expect(x.maxPool2dIndices(geometry: MaxPool2DGeometry(inputSize: [4, 6], kernelSize: 2, stride: nil, padding: 0, dilation: 1,
                                                                ceilMode: false)).scalars == [6, 2, 11, 13, 21, 16])
        let xf = Tensor<Float>(shape: x.shape, scalars: s.map(Float.init)), yf = xf.maxPool2d(kernelSize: 2).scalars   // the SIMD path
        #expect(yf[0].isNaN && yf[5].isNaN && Array(yf[1...4]) == [-.infinity, 1.0, 2.0, 1.0])
        #expect(xf.maxPool2dIndices(geometry: MaxPool2DGeometry(inputSize: [4, 6], kernelSize: 2, stride: nil, padding: 0, dilation: 1,
                                                                 ceilMode: false)).scalars == [6, 2, 11, 13, 21, 16])
        let xfv = Variable(xf, requiresGradient: true), yfv = xfv.maxPool2d(kernelSize: 2)
        (yfv * Variable(Tensor<Float>(shape: yfv.shape, scalars: ramp(yfv.shape, 3, 7, 3, 2.0).scalars.map(Float.init)))).sum().backward()
        let xv = Variable(x, requiresGradient: true), yv = xv.maxPool2d(kernelSize: 2)
        (yv * Variable(ramp(yv.shape, 3, 7, 3, 2.0))).sum().backward()
        #expect(xfv.gradient!.scalars == xv.gradient!.scalars.map(Float.init))
        #expect(xv.gradient! == Tensor<Double>(shape: [1, 1, 4, 6], scalars: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, -0.5, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]))
    }

    // Float agrees with Double on the 2×2 path, forward and gradient (max pooling only selects).
    @Test func maxPool2dKernel2FloatMatchesDouble() {
        let xd = Tensor<Double>.randomNormal([4, 3, 10, 12], seed: 5)
        let xf = Tensor<Float>(shape: xd.shape, scalars: xd.scalars.map(Float.init))
        #expect(xf.maxPool2d(kernelSize: 2).scalars == xd.maxPool2d(kernelSize: 2).scalars.map(Float.init))
        // Output gradients with −0.0 entries: the winner gets 0 + (−0.0) = +0.0 on both paths (compared bit for bit).
        let gd = Tensor<Double>(shape: [4, 3, 5, 6], scalars: Tensor<Double>.randomNormal([4, 3, 5, 6], seed: 6).scalars.enumerated()
            .map { $0.offset % 7 == 0 ? -0.0 : $0.element })
        let gf = Tensor<Float>(shape: gd.shape, scalars: gd.scalars.map(Float.init))
        let geometry = MaxPool2DGeometry(inputSize: [10, 12], kernelSize: 2, stride: nil, padding: 0, dilation: 1, ceilMode: false)
        #expect(xf.maxPool2dGradient(gf, geometry: geometry).scalars.map(\.bitPattern)
                == xd.maxPool2dGradient(gd, geometry: geometry).scalars.map { Float($0).bitPattern })
    }

    // F.conv2d(x, w, b) on [32, 1, 26, 26]: the weight gradient sums 32·24·24 products per entry.
    @Test func conv2dWeightGradientLongSum() {
        let x = Variable(ramp([32, 1, 26, 26], 7, 11, 5, 4.0))
        let w = Variable(ramp([2, 1, 3, 3], 5, 13, 6, 3.0), requiresGradient: true), b = Variable(ramp([2], 1, 3, 1, 2.0), requiresGradient: true)
        let y = x.conv2d(w, bias: b)
        #expect(abs(y.value.sum().scalar - (-9216.666666666664)) < 1e-9)
        (y * Variable(ramp(y.shape, 3, 7, 3, 2.0))).sum().backward()
        #expect(allClose(w.gradient!, Tensor<Double>(shape: [2, 1, 3, 3], scalars: [-18.25, 13.875, -21.375, -14.875, 11.75, -0.125, 14.625, -11.0, 14.25, -12.375, 14.75, -4.875, 2.625, -14.25, 8.75, 14.875, -15.75, 25.125]), rtol: 1e-12, atol: 1e-12))
        #expect(allClose(b.gradient!, Tensor<Double>([-0.5, -1.0]), rtol: 1e-12, atol: 1e-12))
    }
}
