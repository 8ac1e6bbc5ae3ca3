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

    /// Folds element `v` at plane index `i` into a window's running maximum `best` at `index`: `v`
    /// wins when larger or NaN (PyTorch's `val > maxval || isnan(val)`), so the first maximum is
    /// kept on ties. Branch-free selects: on random data a branch here mispredicts half the time.
    @inlinable @inline(__always)
    static func _maxPoolSelect(_ v: Scalar, _ i: Int, _ best: inout Scalar, _ index: inout Int) {
        let wins = (v > best) || (v != v)
        best = wins ? v : best
        index = wins ? i : index
    }

    /// The 2×2 windows (stride 2) of two `Float` input rows `r0` and `r1`, four at a time: for the
    /// windows `0..<count` rounded down to a multiple of 4, calls `emit(window, maximum, tap)` with
    /// the tap `0…3` (row-major in the window) that ``_maxPoolSelect(_:_:_:_:)`` picks, taps
    /// compared in the same order with the same rule, so the result is the scalar loop's.
    /// Returns the number of windows done.
    @inlinable @inline(__always)
    static func _maxPool2x2Float(_ r0: UnsafeRawPointer, _ r1: UnsafeRawPointer, count: Int,
                                 _ emit: (Int, Float, Int) -> Void) -> Int {
        var x0 = 0
        while x0 &+ 4 <= count {
            let (best, tap) = _maxPool2x2Taps(r0.loadUnaligned(fromByteOffset: 8 &* x0, as: SIMD8<Float>.self),
                                              r1.loadUnaligned(fromByteOffset: 8 &* x0, as: SIMD8<Float>.self))
            for j in 0..<4 { emit(x0 &+ j, best[j], Int(tap[j])) }
            x0 &+= 4
        }
        return x0
    }

    /// Max pooling's gradient for `Float` 2×2 windows of stride 2 that tile the input exactly (even
    /// `H` and `W`, no padding or dilation; LeNet's), or nil for any other geometry. Every input
    /// element belongs to one window, so `dx` is written once, not zeroed then scattered into: four
    /// windows at a time, each tap gets `dy + 0` if it is the window's maximum (the tap
    /// ``_maxPool2x2Float(_:_:count:_:)`` picks) and `0` otherwise, which is `0 + dy` or `0` exactly
    /// as ``maxPool2dGradient(_:geometry:)``'s general pass leaves it.
    @inlinable func _maxPool2x2GradientTiled(_ dy: Tensor, _ g: MaxPool2DGeometry) -> Tensor? {
        let h = g.inputSize.height, w = g.inputSize.width, oh = g.outputSize.height, ow = g.outputSize.width
        guard g.kernelSize == Size2D(2) && g.stride == Size2D(2) && g.padding == Size2D(0) && g.dilation == Size2D(1)
              && 2 * oh == h && 2 * ow == w else { return nil }
        let planes = _shape[0] * _shape[1]
        let x = contiguous
        let dx = Tensor(storage: TensorStorage(uninitializedCount: planes * h * w), shape: _shape,
                        offset: 0)
        let xb = UnsafeRawPointer(x.storage.base + x._offset), dyb = UnsafeRawPointer(dy.storage.base + dy._offset)
        let dxb = UnsafeMutableRawPointer(dx.storage.base)
        let row = w * MemoryLayout<Scalar>.stride
        withExtendedLifetime((x, dy)) {
            Tensor._forPlanes(planes, work: planes * h * w / 8) { range in
                for p in range {
                    for y0 in 0..<oh {
                        let r0 = (p * h + 2 * y0) * row, o0 = (p * oh + y0) * ow * MemoryLayout<Scalar>.stride
                        var x0 = 0
                        while x0 + 4 <= ow {
                            let b = 8 * x0
                            let (_, tap) = Tensor._maxPool2x2Taps(xb.loadUnaligned(fromByteOffset: r0 + b, as: SIMD8<Float>.self),
                                                                  xb.loadUnaligned(fromByteOffset: r0 + row + b, as: SIMD8<Float>.self))
                            let d = dyb.loadUnaligned(fromByteOffset: o0 + 4 * x0, as: SIMD4<Float>.self) + 0, z = SIMD4<Float>()
                            var top = SIMD8<Float>(), bottom = SIMD8<Float>()
                            top.evenHalf = z.replacing(with: d, where: tap .== 0)
                            top.oddHalf = z.replacing(with: d, where: tap .== 1)
                            bottom.evenHalf = z.replacing(with: d, where: tap .== 2)
                            bottom.oddHalf = z.replacing(with: d, where: tap .== 3)
                            dxb.storeBytes(of: top, toByteOffset: r0 + b, as: SIMD8<Float>.self)
                            dxb.storeBytes(of: bottom, toByteOffset: r0 + row + b, as: SIMD8<Float>.self)
                            x0 += 4
                        }
                        while x0 < ow {
                            // Tap t (row-major in the window) at byte offset r0 + 8·x0 + 4·(t & 1) + row·(t >> 1).
                            @inline(__always) func at(_ t: Int) -> Int { r0 + 8 * x0 + 4 * (t & 1) + row * (t >> 1) }
                            var best = -Float.infinity, bi = 0
                            for t in 0..<4 { Tensor<Float>._maxPoolSelect(xb.load(fromByteOffset: at(t), as: Float.self), t, &best, &bi) }
                            let d = dyb.load(fromByteOffset: o0 + 4 * x0, as: Float.self) + 0
                            for t in 0..<4 { dxb.storeBytes(of: t == bi ? d : 0, toByteOffset: at(t), as: Float.self) }
                            x0 += 1
                        }
                    }
                }
            }
        }
        return dx
    }

    /// The maximum of each of four 2×2 windows whose rows are `v0` and `v1` (window `j` is lanes
    /// `2j, 2j + 1` of both) and the tap `0…3` (row-major) that wins under ``_maxPoolSelect(_:_:_:_:)``'s
    /// rule, the taps compared in the same order.
    @inlinable @inline(__always)
    static func _maxPool2x2Taps(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>) -> (SIMD4<Float>, SIMD4<Int32>) {
        var best = v0.evenHalf, tap = SIMD4<Int32>(repeating: 0)
        @inline(__always) func select(_ candidate: SIMD4<Float>, _ t: Int32) {
            let wins = (candidate .> best) .| (candidate .!= candidate)
            best.replace(with: candidate, where: wins)
            tap.replace(with: t, where: wins)
        }
        select(v0.oddHalf, 1)
        select(v1.evenHalf, 2)
        select(v1.oddHalf, 3)
        return (best, tap)
    }

    /// One pass over the windows of max pooling on this `[N, C, H, W]` tensor. For each window, the
    /// largest element (NaN winning, the first on ties) and its input-plane index `h·W + w`; writes
    /// the maximum to `values`, the index to `indices`, and adds the window's output gradient
    /// `gradient.dy[o]` to `gradient.dx` at the index (overlapping windows add up, in window order),
    /// each when given. Windows of 2×2 with stride 2, no padding and no dilation (LeNet's, the
    /// usual CNN's) take an unrolled loop; the others the general one.
    @inlinable func _maxPool2dPass(_ g: MaxPool2DGeometry, values: UnsafeMutablePointer<Scalar>?, indices: UnsafeMutablePointer<Int>?,
                                   gradient: (dy: UnsafePointer<Scalar>, dx: UnsafeMutablePointer<Scalar>)?) {
        checkPoolInput("maxPool2d")
        let n = _shape[0], c = _shape[1], h = g.inputSize.height, w = g.inputSize.width
        precondition(_shape[2] == h && _shape[3] == w, "maxPool2d: input of shape \(shape) for a pooling geometry of input size \(g.inputSize)")
        let oh = g.outputSize.height, ow = g.outputSize.width, planes = n * c
        let x = contiguous
        let xb = UnsafePointer(x.storage.base + x._offset)
        let kh = g.kernelSize.height, kw = g.kernelSize.width, sh = g.stride.height, sw = g.stride.width
        let ph = g.padding.height, pw = g.padding.width, dh = g.dilation.height, dw = g.dilation.width
        let unrolled = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1
        @inline(__always) func emit(_ p: Int, _ o: Int, _ best: Scalar, _ bi: Int) {
            if let values { values[o] = best }
            if let indices { indices[o] = bi }
            if let gradient { gradient.dx[p * h * w + bi] += gradient.dy[o] }
        }
        // The unrolled 2×2 path costs about an eighth of the general one per tap (LeNet's first pooling,
        // 221 Ki taps, takes 28 µs on one core): below 2·2¹⁵·8 taps it stays on the calling thread, where
        // handing half to a worker of a loaded machine cost 10× the work (ConvBench's per-kernel lines).
        let work = planes * oh * ow * kh * kw
        withExtendedLifetime(x) {
            Tensor._forPlanes(planes, work: unrolled && Scalar.self == Float.self ? work / 8 : work) { range in
                for p in range {
                    let plane = xb + p * h * w
                    if unrolled {
                        for y0 in 0..<oh {
                            let r0 = 2 &* y0 &* w, r1 = r0 &+ w, o0 = (p &* oh &+ y0) &* ow
                            var start = 0
                            if Scalar.self == Float.self {
                                start = Tensor._maxPool2x2Float(UnsafeRawPointer(plane + r0), UnsafeRawPointer(plane + r1), count: ow) {
                                    x0, best, tap in
                                    // Tap t of the window at column 2·x0 of rows r0, r0 + W: no branch (the taps are random).
                                    emit(p, o0 &+ x0, unsafeBitCast(best, to: Scalar.self), r0 &+ 2 &* x0 &+ (tap & 1) &+ (tap >> 1) &* w)
                                }
                            }
                            for x0 in start..<ow {
                                let i0 = r0 &+ 2 &* x0, i1 = r1 &+ 2 &* x0
                                var best = -Scalar.infinity, bi = i0
                                Tensor._maxPoolSelect(plane[i0], i0, &best, &bi)
                                Tensor._maxPoolSelect(plane[i0 &+ 1], i0 &+ 1, &best, &bi)
                                Tensor._maxPoolSelect(plane[i1], i1, &best, &bi)
                                Tensor._maxPoolSelect(plane[i1 &+ 1], i1 &+ 1, &best, &bi)
                                emit(p, o0 &+ x0, best, bi)
                            }
                        }
                        continue
                    }
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
                                    Tensor._maxPoolSelect(plane[line &+ iw], line &+ iw, &best, &bi)
                                    iw &+= dw
                                }
                                ih &+= dh
                            }
                            emit(p, (p * oh + y0) * ow + x0, best, bi)
                        }
                    }
                }
            }
        }
    }

    /// The shape `[N, C, oH, oW]` of max pooling's output for this input.
    @inlinable func _maxPool2dOutputShape(_ g: MaxPool2DGeometry) -> [Int] {
        checkPoolInput("maxPool2d")
        return [_shape[0], _shape[1], g.outputSize.height, g.outputSize.width]
    }

    /// Max pooling with an explicit geometry: `[N, C, oH, oW]`. The building block of `maxPool2d`.
    @inlinable public func maxPool2d(geometry: MaxPool2DGeometry) -> Tensor {
        let outShape = _maxPool2dOutputShape(geometry), count = outShape.reduce(1, *)
        let y = Tensor(storage: TensorStorage(uninitializedCount: count), shape: outShape,
                       offset: 0)
        _maxPool2dPass(geometry, values: y.storage.base, indices: nil, gradient: nil)
        return y
    }

    /// The position (`h·W + w` within its plane) of each window's maximum, the first on ties, as
    /// `F.max_pool2d(..., return_indices=True)` returns it.
    @inlinable public func maxPool2dIndices(geometry: MaxPool2DGeometry) -> Tensor<Int> {
        let outShape = _maxPool2dOutputShape(geometry), count = outShape.reduce(1, *)
        let idx = Tensor<Int>(storage: TensorStorage(uninitializedCount: count), shape: outShape,
                              offset: 0)
        _maxPool2dPass(geometry, values: nil, indices: idx.storage.base, gradient: nil)
        return idx
    }

    /// The gradient of max pooling w.r.t. this `[N, C, H, W]` input, for output gradient `outputGradient`:
    /// each window's gradient goes to its maximum (the first on ties), overlapping windows adding up.
    /// Mirrors `max_pool2d`'s backward in PyTorch. One pass: each window's maximum is found and its
    /// gradient added in place (no index tensor).
    @inlinable public func maxPool2dGradient(_ outputGradient: Tensor, geometry g: MaxPool2DGeometry) -> Tensor {
        let outShape = _maxPool2dOutputShape(g)
        precondition(outputGradient.shape == outShape,
                     "maxPool2d: output gradient of shape \(outputGradient.shape) for an input of shape \(shape)")
        let dy = outputGradient.contiguous
        if Scalar.self == Float.self, let dx = _maxPool2x2GradientTiled(dy, g) { return dx }
        let dx = Tensor(zeroedShape: _shape)
        withExtendedLifetime(dy) {
            _maxPool2dPass(g, values: nil, indices: nil, gradient: (UnsafePointer(dy.storage.base + dy._offset), dx.storage.base))
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
                       offset: 0)
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
