import NablaTensor

/// Convolution and pooling entries of ``builtinOps``: each op at default settings and with stride,
/// padding (explicit and `same`), dilation, groups, bias, `ceilMode` and `countIncludePad` variants,
/// on small random inputs (distinct values, so that every max-pooling window has one winner).
let convolutionBuiltins: [any RegisteredOperator] = {
    func n(_ shape: [Int], _ seed: UInt64) -> Tensor<Double> { Sample.normal(shape, seed) }
    return [
        OpEntry("conv2d", samples: [[n([2, 2, 5, 5], 101), n([3, 2, 3, 3], 102)]]) { $0[0].conv2d($0[1]) },
        OpEntry("conv2d.bias", samples: [[n([1, 2, 4, 5], 103), n([3, 2, 2, 3], 104), n([3], 105)]]) { $0[0].conv2d($0[1], bias: $0[2]) },
        OpEntry("conv2d.stride2.padding1", samples: [[n([1, 2, 5, 6], 106), n([2, 2, 3, 3], 107)]]) {
            $0[0].conv2d($0[1], stride: 2, padding: 1)
        },
        OpEntry("conv2d.dilation2", samples: [[n([1, 1, 6, 6], 108), n([2, 1, 2, 2], 109)]]) {
            $0[0].conv2d($0[1], stride: [1, 2], padding: [1, 0], dilation: 2)
        },
        OpEntry("conv2d.groups2", samples: [[n([1, 4, 4, 4], 110), n([4, 2, 3, 3], 111)]]) { $0[0].conv2d($0[1], padding: 1, groups: 2) },
        OpEntry("conv2d.same", samples: [[n([1, 2, 4, 5], 112), n([2, 2, 2, 3], 113)]]) { $0[0].conv2d($0[1], padding: .same) },
        OpEntry("conv2d.pointwise", samples: [[n([2, 3, 2, 3], 114), n([2, 3, 1, 1], 115)]]) { $0[0].conv2d($0[1]) },
        OpEntry("conv1d", samples: [[n([2, 2, 7], 116), n([3, 2, 3], 117), n([3], 118)]]) {
            $0[0].conv1d($0[1], bias: $0[2], stride: 2, padding: 1)
        },
        OpEntry("conv1d.dilation2.groups2", samples: [[n([1, 4, 8], 119), n([2, 2, 3], 120)]]) {
            $0[0].conv1d($0[1], dilation: 2, groups: 2)
        },
        OpEntry("convTranspose2d", samples: [[n([1, 2, 3, 3], 121), n([2, 3, 3, 3], 122)]]) {
            $0[0].convTranspose2d($0[1], stride: 2, padding: 1, outputPadding: 1)
        },
        OpEntry("convTranspose2d.groups2.dilation2", samples: [[n([1, 4, 3, 3], 123), n([4, 1, 2, 2], 124), n([2], 125)]]) {
            $0[0].convTranspose2d($0[1], bias: $0[2], stride: [1, 2], padding: [0, 1], dilation: 2, groups: 2)
        },
        OpEntry("conv2dWeightGradient", samples: [[n([2, 2, 5, 5], 126), n([2, 4, 3, 1], 127)]]) { v in
            let g = Conv2DGeometry.conv2d(input: [2, 2, 5, 5], weight: [4, 1, 2, 3], bias: nil, stride: [2, 1], padding: [1, 0],
                                          dilation: [1, 2], groups: 2, op: "conv2dWeightGradient")
            return Variable.applying(Conv2DWeightGradient(g), v[0], v[1])
        },
        OpEntry("maxPool2d", samples: [[n([2, 2, 4, 6], 130)]]) { $0[0].maxPool2d(kernelSize: 2) },
        OpEntry("maxPool2d.stride1.padding1", samples: [[n([1, 2, 5, 5], 131)]]) { $0[0].maxPool2d(kernelSize: 3, stride: 1, padding: 1) },
        OpEntry("maxPool2d.dilation2.ceilMode", samples: [[n([1, 2, 7, 6], 132)]]) {
            $0[0].maxPool2d(kernelSize: [2, 3], stride: 2, padding: [1, 0], dilation: 2, ceilMode: true)
        },
        OpEntry("avgPool2d", samples: [[n([2, 2, 4, 6], 133)]]) { $0[0].avgPool2d(kernelSize: 2) },
        OpEntry("avgPool2d.padding1.ceilMode", samples: [[n([1, 2, 5, 6], 134)]]) {
            $0[0].avgPool2d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true)
        },
        OpEntry("avgPool2d.excludePad", samples: [[n([1, 2, 5, 6], 135)]]) {
            $0[0].avgPool2d(kernelSize: [3, 2], stride: [2, 1], padding: 1, ceilMode: true, countIncludePad: false)
        },
        OpEntry("adaptiveAvgPool2d", samples: [[n([1, 2, 5, 7], 136)]]) { $0[0].adaptiveAvgPool2d([3, 4]) },
    ]
}()
