// 2-D max and average pooling on `[N, C, H, W]` tensors, with PyTorch's output sizes, padding and
// gradient routing, on raw buffers and in parallel over the N·C planes.

/// The windows of a 2-D max pooling: spatial sizes of input, kernel and output, stride, padding
/// (both sides) and dilation. Mirrors the arguments of `torch.nn.functional.max_pool2d`.
public struct MaxPool2DGeometry: Sendable, Hashable {
    /// The input's spatial size `(H, W)`.
    public var inputSize: Size2D
    /// The window's size in taps.
    public var kernelSize: Size2D
    /// The output's spatial size.
    public var outputSize: Size2D
    /// The step between windows.
    public var stride: Size2D
    /// The implicit `-inf` padding on both sides of each axis.
    public var padding: Size2D
    /// The spacing between taps.
    public var dilation: Size2D

    /// The geometry of `F.max_pool2d(x, kernelSize, stride, padding, dilation, ceil_mode)` on an input of
    /// spatial size `inputSize`; `stride` defaults to the kernel size. Stops with a message naming `op`
    /// for non-positive sizes, padding over half the kernel, or an empty output.
    @inlinable public init(inputSize: Size2D, kernelSize: Size2D, stride: Size2D?, padding: Size2D, dilation: Size2D,
                           ceilMode: Bool, op: String = "maxPool2d") {
        let s = stride ?? kernelSize
        self.inputSize = inputSize
        self.kernelSize = kernelSize
        self.stride = s
        self.padding = padding
        self.dilation = dilation
        self.outputSize = Size2D(
            poolOutputSize(inputSize.height, kernelSize.height, s.height, padding.height, dilation.height, ceilMode, op),
            poolOutputSize(inputSize.width, kernelSize.width, s.width, padding.width, dilation.width, ceilMode, op))
    }
}

/// PyTorch's pooling output size along one axis (`pooling_output_shape`): `⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1`
/// (or `⌈⌉` in ceil mode, dropping a last window that would start in the right padding).
@inlinable func poolOutputSize(_ n: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int, _ ceilMode: Bool, _ op: String) -> Int {
    precondition(k > 0 && s > 0 && d > 0, "\(op): kernel size, stride and dilation must be positive, got \(k), \(s), \(d)")
    precondition(p >= 0 && p <= k / 2, "\(op): padding should be at most half of the kernel size, got padding \(p) and kernel size \(k)")
    let span = d * (k - 1) + 1
    var out = (n + 2 * p - span + (ceilMode ? s - 1 : 0)) / s + 1
    if ceilMode && (out - 1) * s >= n + p { out -= 1 }
    precondition(n + 2 * p >= span && out > 0, "\(op): input of size \(n) (padding \(p)) is smaller than the window \(span)")
    return out
}

/// The windows of an average pooling, each axis's independently: window `i` covers input indices
/// `start[i]..<end[i]` and its sum is divided by `rowDivisor[oh]·columnDivisor[ow]`. Both
/// `F.avg_pool2d` (with its padding and `count_include_pad` rules) and `F.adaptive_avg_pool2d` are of this form.
public struct AveragePool2DWindows: Sendable, Hashable {
    /// The input's spatial size `(H, W)`.
    public var inputSize: Size2D
    /// The output's spatial size.
    public var outputSize: Size2D
    /// The first input row of each output row's window.
    public var rowStart: [Int]
    /// One past the last input row of each output row's window.
    public var rowEnd: [Int]
    /// Each output row's share of the divisor.
    public var rowDivisor: [Int]
    /// The first input column of each output column's window.
    public var columnStart: [Int]
    /// One past the last input column of each output column's window.
    public var columnEnd: [Int]
    /// Each output column's share of the divisor.
    public var columnDivisor: [Int]

    /// The windows of `F.avg_pool2d(x, kernelSize, stride, padding, ceil_mode, count_include_pad)` on an
    /// input of spatial size `inputSize` (`stride` defaults to the kernel size). With
    /// `countIncludePad`, the divisor counts the zeros of the padding (but not a window's part beyond it).
    @inlinable public static func average(inputSize: Size2D, kernelSize: Size2D, stride: Size2D?, padding: Size2D,
                                          ceilMode: Bool, countIncludePad: Bool, op: String = "avgPool2d") -> AveragePool2DWindows {
        let s = stride ?? kernelSize
        func axis(_ n: Int, _ k: Int, _ s: Int, _ p: Int) -> ([Int], [Int], [Int]) {
            let out = poolOutputSize(n, k, s, p, 1, ceilMode, op)
            var starts = [Int](), ends = [Int](), divisors = [Int]()
            for i in 0..<out {
                var start = i * s - p
                var end = Swift.min(start + k, n + p)
                let padded = end - start
                start = Swift.max(start, 0)
                end = Swift.min(end, n)
                starts.append(start)
                ends.append(Swift.max(end, start))
                divisors.append(countIncludePad ? padded : Swift.max(end - start, 1))
            }
            return (starts, ends, divisors)
        }
        let r = axis(inputSize.height, kernelSize.height, s.height, padding.height)
        let c = axis(inputSize.width, kernelSize.width, s.width, padding.width)
        return AveragePool2DWindows(inputSize: inputSize, outputSize: Size2D(r.0.count, c.0.count),
                                    rowStart: r.0, rowEnd: r.1, rowDivisor: r.2, columnStart: c.0, columnEnd: c.1, columnDivisor: c.2)
    }

    /// The windows of `F.adaptive_avg_pool2d(x, outputSize)` on an input of spatial size `inputSize`:
    /// window `i` of an axis of `n` inputs and `m` outputs covers `⌊i·n/m⌋ ..< ⌈(i + 1)·n/m⌉`.
    @inlinable public static func adaptive(inputSize: Size2D, outputSize: Size2D, op: String = "adaptiveAvgPool2d") -> AveragePool2DWindows {
        precondition(outputSize.height > 0 && outputSize.width > 0, "\(op): output size must be positive, got \(outputSize)")
        precondition(inputSize.height > 0 && inputSize.width > 0, "\(op): input spatial size must be positive, got \(inputSize)")
        func axis(_ n: Int, _ m: Int) -> ([Int], [Int], [Int]) {
            let starts = (0..<m).map { $0 * n / m }
            let ends = (0..<m).map { (($0 + 1) * n + m - 1) / m }
            return (starts, ends, zip(starts, ends).map { $1 - $0 })
        }
        let r = axis(inputSize.height, outputSize.height), c = axis(inputSize.width, outputSize.width)
        return AveragePool2DWindows(inputSize: inputSize, outputSize: outputSize, rowStart: r.0, rowEnd: r.1, rowDivisor: r.2,
                                    columnStart: c.0, columnEnd: c.1, columnDivisor: c.2)
    }

    /// A set of windows from all its parts (no checks).
    @inlinable public init(inputSize: Size2D, outputSize: Size2D, rowStart: [Int], rowEnd: [Int], rowDivisor: [Int],
                           columnStart: [Int], columnEnd: [Int], columnDivisor: [Int]) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.rowStart = rowStart
        self.rowEnd = rowEnd
        self.rowDivisor = rowDivisor
        self.columnStart = columnStart
        self.columnEnd = columnEnd
        self.columnDivisor = columnDivisor
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// Runs `body` over ranges of the `planes` image planes, on all cores when `work` is large.
    @inlinable static func _forPlanes(_ planes: Int, work: Int, _ body: (Range<Int>) -> Void) {
        Parallel.forRanges(planes, minimumChunk: Swift.max(1, Parallel.minimumChunk * planes / Swift.max(work, 1)), body)
    }

    /// Checks that this tensor is `[N, C, H, W]` (or `[C, H, W]`), naming `op`.
    @inlinable func checkPoolInput(_ op: String) {
        precondition(rank == 4, "\(op): expected an input of shape [N, C, H, W], got shape \(shape)")
    }

    /// The input-plane index (`h·W + w`) of the largest element of each window, the first on ties,
    /// NaN winning (PyTorch's `return_indices`), and the maximum, for this `[N, C, H, W]` tensor.
    @inlinable func _maxPool2d(_ g: MaxPool2DGeometry, values: Bool, indices: Bool) -> (Tensor, Tensor<Int>?) {
        checkPoolInput("maxPool2d")
        let n = _shape[0], c = _shape[1], h = g.inputSize.height, w = g.inputSize.width
        precondition(_shape[2] == h && _shape[3] == w, "maxPool2d: input of shape \(shape) for a pooling geometry of input size \(g.inputSize)")
        let oh = g.outputSize.height, ow = g.outputSize.width, planes = n * c
        let outShape = [n, c, oh, ow]
        let y = Tensor(storage: TensorStorage(uninitializedCount: values ? planes * oh * ow : 0), shape: values ? outShape : [0],
                       strides: values ? Shape.contiguousStrides(outShape) : [1], offset: 0)
        let idx = Tensor<Int>(storage: TensorStorage(uninitializedCount: indices ? planes * oh * ow : 0), shape: indices ? outShape : [0],
                              strides: indices ? Shape.contiguousStrides(outShape) : [1], offset: 0)
        let x = contiguous
        let xb = UnsafePointer(x.storage.base + x._offset), yb = y.storage.base, ib = idx.storage.base
        let kh = g.kernelSize.height, kw = g.kernelSize.width, sh = g.stride.height, sw = g.stride.width
        let ph = g.padding.height, pw = g.padding.width, dh = g.dilation.height, dw = g.dilation.width
        withExtendedLifetime(x) {
            Tensor._forPlanes(planes, work: planes * oh * ow * kh * kw) { range in
                for p in range {
                    let plane = xb + p * h * w
                    for y0 in 0..<oh {
                        var ih0 = y0 * sh - ph
                        while ih0 < 0 { ih0 += dh }
                        let ihEnd = Swift.min(y0 * sh - ph + (kh - 1) * dh + 1, h)
                        for x0 in 0..<ow {
                            var iw0 = x0 * sw - pw
                            while iw0 < 0 { iw0 += dw }
                            let iwEnd = Swift.min(x0 * sw - pw + (kw - 1) * dw + 1, w)
                            var best = -Scalar.infinity, bi = ih0 &* w &+ iw0
                            var ih = ih0
                            while ih < ihEnd {
                                var iw = iw0
                                let line = ih &* w
                                while iw < iwEnd {
                                    // Branch-free selects: on random data a branch here mispredicts half the time.
                                    let v = plane[line &+ iw]
                                    let wins = (v > best) || (v != v)
                                    best = wins ? v : best
                                    bi = wins ? line &+ iw : bi
                                    iw &+= dw
                                }
                                ih &+= dh
                            }
                            let o = (p * oh + y0) * ow + x0
                            if values { yb[o] = best }
                            if indices { ib[o] = bi }
                        }
                    }
                }
            }
        }
        return (y, indices ? idx : nil)
    }

    /// Max pooling with an explicit geometry: `[N, C, oH, oW]`. The building block of `maxPool2d`.
    @inlinable public func maxPool2d(geometry: MaxPool2DGeometry) -> Tensor { _maxPool2d(geometry, values: true, indices: false).0 }

    /// The position (`h·W + w` within its plane) of each window's maximum, the first on ties, as
    /// `F.max_pool2d(..., return_indices=True)` returns it.
    @inlinable public func maxPool2dIndices(geometry: MaxPool2DGeometry) -> Tensor<Int> { _maxPool2d(geometry, values: false, indices: true).1! }

    /// The gradient of max pooling w.r.t. this `[N, C, H, W]` input, for output gradient `outputGradient`:
    /// each window's gradient goes to its maximum (the first on ties), overlapping windows adding up.
    /// Mirrors `max_pool2d`'s backward in PyTorch.
    @inlinable public func maxPool2dGradient(_ outputGradient: Tensor, geometry g: MaxPool2DGeometry) -> Tensor {
        let idx = maxPool2dIndices(geometry: g)
        let n = _shape[0], c = _shape[1], hw = g.inputSize.height * g.inputSize.width
        let ohw = g.outputSize.height * g.outputSize.width, planes = n * c
        precondition(outputGradient.shape == [n, c, g.outputSize.height, g.outputSize.width],
                     "maxPool2d: output gradient of shape \(outputGradient.shape) for an input of shape \(shape)")
        let dy = outputGradient.contiguous
        let dx = Tensor(zeroedShape: _shape)
        let dyb = UnsafePointer(dy.storage.base + dy._offset), ib = UnsafePointer(idx.storage.base), dxb = dx.storage.base
        withExtendedLifetime((dy, idx)) {
            Tensor._forPlanes(planes, work: planes * ohw * 4) { range in
                for p in range {
                    let d = dxb + p * hw, o = p * ohw
                    for j in 0..<ohw { d[ib[o + j]] += dyb[o + j] }
                }
            }
        }
        return dx
    }

    /// 2-D max pooling of this `[N, C, H, W]` tensor: the largest element of each window (NaN
    /// propagates; padding never wins). Mirrors `torch.nn.functional.max_pool2d`
    /// (`stride` defaults to `kernelSize`).
    ///
    /// - Precondition: sizes are positive, `padding ≤ kernelSize/2`, and the output is not empty.
    @inlinable public func maxPool2d(kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, dilation: Size2D = 1,
                                     ceilMode: Bool = false) -> Tensor {
        checkPoolInput("maxPool2d")
        return maxPool2d(geometry: MaxPool2DGeometry(inputSize: Size2D(_shape[2], _shape[3]), kernelSize: kernelSize, stride: stride,
                                                     padding: padding, dilation: dilation, ceilMode: ceilMode))
    }

    /// Average pooling with explicit windows (see ``AveragePool2DWindows``): `[N, C, oH, oW]`.
    @inlinable public func avgPool2d(windows g: AveragePool2DWindows) -> Tensor {
        checkPoolInput("avgPool2d")
        let n = _shape[0], c = _shape[1], h = g.inputSize.height, w = g.inputSize.width
        precondition(_shape[2] == h && _shape[3] == w, "avgPool2d: input of shape \(shape) for pooling windows of input size \(g.inputSize)")
        let oh = g.outputSize.height, ow = g.outputSize.width, planes = n * c
        let x = contiguous
        let y = Tensor(storage: TensorStorage(uninitializedCount: planes * oh * ow), shape: [n, c, oh, ow],
                       strides: Shape.contiguousStrides([n, c, oh, ow]), offset: 0)
        let xb = UnsafePointer(x.storage.base + x._offset), yb = y.storage.base
        g.rowStart.withUnsafeBufferPointer { rs in g.rowEnd.withUnsafeBufferPointer { re in g.rowDivisor.withUnsafeBufferPointer { rd in
        g.columnStart.withUnsafeBufferPointer { cs in g.columnEnd.withUnsafeBufferPointer { ce in g.columnDivisor.withUnsafeBufferPointer { cd in
            withExtendedLifetime(x) {
                Tensor._forPlanes(planes, work: x.count) { range in
                    for p in range {
                        let plane = xb + p * h * w
                        for y0 in 0..<oh {
                            for x0 in 0..<ow {
                                var s: Scalar = 0
                                for ih in rs[y0]..<re[y0] {
                                    let line = plane + ih * w
                                    for iw in cs[x0]..<ce[x0] { s += line[iw] }
                                }
                                yb[(p * oh + y0) * ow + x0] = s / Scalar(rd[y0] * cd[x0])
                            }
                        }
                    }
                }
            }
        }}}}}}
        return y
    }

    /// The adjoint of ``avgPool2d(windows:)``: this `[N, C, oH, oW]` output gradient spread evenly over
    /// each window (divided by its divisor), giving `[N, C, H, W]`. Linear, as the pooling is.
    @inlinable public func avgPool2dAdjoint(windows g: AveragePool2DWindows) -> Tensor {
        checkPoolInput("avgPool2d")
        let n = _shape[0], c = _shape[1], h = g.inputSize.height, w = g.inputSize.width
        let oh = g.outputSize.height, ow = g.outputSize.width, planes = n * c
        precondition(_shape[2] == oh && _shape[3] == ow, "avgPool2d: output gradient of shape \(shape) for pooling windows of output size \(g.outputSize)")
        let dy = contiguous
        let dx = Tensor(zeroedShape: [n, c, h, w])
        let dyb = UnsafePointer(dy.storage.base + dy._offset), dxb = dx.storage.base
        g.rowStart.withUnsafeBufferPointer { rs in g.rowEnd.withUnsafeBufferPointer { re in g.rowDivisor.withUnsafeBufferPointer { rd in
        g.columnStart.withUnsafeBufferPointer { cs in g.columnEnd.withUnsafeBufferPointer { ce in g.columnDivisor.withUnsafeBufferPointer { cd in
            withExtendedLifetime(dy) {
                Tensor._forPlanes(planes, work: planes * h * w) { range in
                    for p in range {
                        let plane = dxb + p * h * w
                        for y0 in 0..<oh {
                            for x0 in 0..<ow {
                                let v = dyb[(p * oh + y0) * ow + x0] / Scalar(rd[y0] * cd[x0])
                                for ih in rs[y0]..<re[y0] {
                                    let line = plane + ih * w
                                    for iw in cs[x0]..<ce[x0] { line[iw] += v }
                                }
                            }
                        }
                    }
                }
            }
        }}}}}}
        return dx
    }

    /// 2-D average pooling of this `[N, C, H, W]` tensor. Mirrors `torch.nn.functional.avg_pool2d`
    /// (`stride` defaults to `kernelSize`; with `countIncludePad` the padding's zeros count in the divisor).
    @inlinable public func avgPool2d(kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, ceilMode: Bool = false,
                                     countIncludePad: Bool = true) -> Tensor {
        checkPoolInput("avgPool2d")
        return avgPool2d(windows: .average(inputSize: Size2D(_shape[2], _shape[3]), kernelSize: kernelSize, stride: stride,
                                           padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad))
    }

    /// Adaptive average pooling of this `[N, C, H, W]` tensor to spatial size `outputSize`.
    /// Mirrors `torch.nn.functional.adaptive_avg_pool2d`.
    @inlinable public func adaptiveAvgPool2d(_ outputSize: Size2D) -> Tensor {
        checkPoolInput("adaptiveAvgPool2d")
        return avgPool2d(windows: .adaptive(inputSize: Size2D(_shape[2], _shape[3]), outputSize: outputSize))
    }
}
