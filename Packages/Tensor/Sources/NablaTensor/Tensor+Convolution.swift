import Dispatch

// Convolution as im2col (unfold) + one GEMM per image and group, on raw buffers. The three
// kernels below are the forward convolution and its two adjoints (w.r.t. the input: a transposed
// convolution; w.r.t. the weight: a correlation of the input with the output gradient). Each is
// linear in each argument, so the three are closed under differentiation (NablaAutograd's conv ops).

/// A pair of sizes for the two spatial axes (height, width), written as one integer for both
/// (`stride: 2`) or as a pair (`stride: [2, 1]`), like PyTorch's `int or tuple` arguments.
public struct Size2D: Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The size along the height (rows) axis.
    public var height: Int
    /// The size along the width (columns) axis.
    public var width: Int
    /// The pair `(height, width)`.
    @inlinable public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }
    /// The same size on both axes.
    @inlinable public init(_ both: Int) { self.init(both, both) }
    /// The same size on both axes, from an integer literal.
    @inlinable public init(integerLiteral value: Int) { self.init(value, value) }
    /// `[height, width]` (or `[both]`) from an array literal.
    @inlinable public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 1 || elements.count == 2,
                     "Size2D: expected 1 or 2 sizes, got \(elements.count) (\(elements))")
        self.init(elements[0], elements[elements.count - 1])
    }
    /// `(height, width)`.
    public var description: String { "(\(height), \(width))" }
}

/// The padding of a convolution: explicit sizes added on both sides of each spatial axis, or one
/// of PyTorch's string modes. Mirrors `padding=` of `torch.nn.functional.conv2d`.
public enum ConvolutionPadding: Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// Zeros added before and after each spatial axis (`padding=(h, w)`).
    case explicit(Size2D)
    /// `padding='valid'`: no padding.
    case valid
    /// `padding='same'`: the output has the input's spatial size (stride 1 only). When the total
    /// padding `dilation·(kernel − 1)` is odd, the extra zero goes after (bottom, right), as in PyTorch.
    case same
    /// The same padding on both axes, from an integer literal.
    @inlinable public init(integerLiteral value: Int) { self = .explicit(Size2D(value)) }
    /// `[height, width]` padding from an array literal.
    @inlinable public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 1 || elements.count == 2,
                     "ConvolutionPadding: expected 1 or 2 sizes, got \(elements.count) (\(elements))")
        self = .explicit(Size2D(elements[0], elements[elements.count - 1]))
    }
}

/// Everything a 2-D convolution kernel needs besides its tensors: spatial sizes of the input,
/// kernel and output, stride, the padding before each axis (top, left), dilation and groups.
///
/// The output size is stored rather than derived, so that the same geometry describes a
/// convolution (input → output), its transpose (output → input, which needs the input size
/// PyTorch's `output_padding` selects) and asymmetric `padding='same'`.
public struct Conv2DGeometry: Sendable, Hashable {
    /// The input's spatial size `(H, W)`.
    public var inputSize: Size2D
    /// The kernel's spatial size `(kH, kW)`.
    public var kernelSize: Size2D
    /// The output's spatial size `(oH, oW)`.
    public var outputSize: Size2D
    /// The step between windows.
    public var stride: Size2D
    /// The zeros before each axis (top, left); those after follow from the output size.
    public var padding: Size2D
    /// The spacing between kernel taps.
    public var dilation: Size2D
    /// The number of channel groups.
    public var groups: Int

    /// A geometry from all its parts (no checks; see ``convolution(inputSize:kernelSize:stride:padding:dilation:groups:op:)``).
    @inlinable public init(inputSize: Size2D, kernelSize: Size2D, outputSize: Size2D, stride: Size2D,
                           padding: Size2D, dilation: Size2D, groups: Int) {
        self.inputSize = inputSize
        self.kernelSize = kernelSize
        self.outputSize = outputSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    /// The geometry of a convolution of an input of spatial size `inputSize` with a kernel of
    /// `kernelSize`, with PyTorch's output size `⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1`.
    /// Stops with a message naming `op` for non-positive strides or dilations, negative padding,
    /// `same` with a stride other than 1, or a kernel larger than the padded input.
    @inlinable public static func convolution(inputSize: Size2D, kernelSize: Size2D, stride: Size2D,
                                              padding: ConvolutionPadding, dilation: Size2D, groups: Int,
                                              op: String) -> Conv2DGeometry {
        precondition(stride.height > 0 && stride.width > 0, "\(op): stride must be positive, got \(stride)")
        precondition(dilation.height > 0 && dilation.width > 0, "\(op): dilation must be positive, got \(dilation)")
        precondition(groups > 0, "\(op): groups must be positive, got \(groups)")
        func axis(_ n: Int, _ k: Int, _ s: Int, _ d: Int, _ p: ConvolutionPadding, _ pad: Int) -> (before: Int, out: Int) {
            let span = d * (k - 1) + 1
            switch p {
            case .same:
                precondition(s == 1, "\(op): padding 'same' needs stride 1, got stride \(stride)")
                return (d * (k - 1) / 2, n)   // torch: total d·(k − 1), half before, the extra zero after
            case .valid, .explicit:
                precondition(pad >= 0, "\(op): padding must be non-negative, got \(p)")
                precondition(n + 2 * pad >= span,
                             "\(op): kernel of size \(kernelSize) (dilation \(dilation)) is larger than the padded input of size \(inputSize) (padding \(pad))")
                return (pad, (n + 2 * pad - span) / s + 1)
            }
        }
        var ph = 0, pw = 0
        if case .explicit(let p) = padding { ph = p.height; pw = p.width }
        let h = axis(inputSize.height, kernelSize.height, stride.height, dilation.height, padding, ph)
        let w = axis(inputSize.width, kernelSize.width, stride.width, dilation.width, padding, pw)
        return Conv2DGeometry(inputSize: inputSize, kernelSize: kernelSize, outputSize: Size2D(h.out, w.out),
                              stride: stride, padding: Size2D(h.before, w.before), dilation: dilation, groups: groups)
    }

    /// The geometry of a transposed convolution (`F.conv_transpose2d`) of an input of spatial size
    /// `inputSize`: the convolution it is the adjoint of, whose input (this op's output) has size
    /// `(H − 1)s − 2p + d(k − 1) + outputPadding + 1`.
    @inlinable public static func transposedConvolution(inputSize: Size2D, kernelSize: Size2D, stride: Size2D,
                                                        padding: Size2D, outputPadding: Size2D, dilation: Size2D,
                                                        groups: Int, op: String) -> Conv2DGeometry {
        precondition(stride.height > 0 && stride.width > 0, "\(op): stride must be positive, got \(stride)")
        precondition(dilation.height > 0 && dilation.width > 0, "\(op): dilation must be positive, got \(dilation)")
        precondition(groups > 0, "\(op): groups must be positive, got \(groups)")
        precondition(padding.height >= 0 && padding.width >= 0, "\(op): padding must be non-negative, got \(padding)")
        precondition(outputPadding.height >= 0 && outputPadding.width >= 0
                     && (outputPadding.height < stride.height || outputPadding.height < dilation.height)
                     && (outputPadding.width < stride.width || outputPadding.width < dilation.width),
                     "\(op): output padding \(outputPadding) must be smaller than either stride \(stride) or dilation \(dilation)")
        func out(_ n: Int, _ k: Int, _ s: Int, _ p: Int, _ op: Int, _ d: Int) -> Int { (n - 1) * s - 2 * p + d * (k - 1) + op + 1 }
        let size = Size2D(out(inputSize.height, kernelSize.height, stride.height, padding.height, outputPadding.height, dilation.height),
                          out(inputSize.width, kernelSize.width, stride.width, padding.width, outputPadding.width, dilation.width))
        precondition(size.height > 0 && size.width > 0, "\(op): output size \(size) is not positive for an input of size \(inputSize)")
        return Conv2DGeometry(inputSize: size, kernelSize: kernelSize, outputSize: inputSize, stride: stride,
                              padding: padding, dilation: dilation, groups: groups)
    }

    /// Checks the shapes of a convolution (`F.conv2d`) of an input of shape `input` with a weight of
    /// shape `weight` (and a bias of shape `bias`), stopping with a message that names `op` and the
    /// shapes; returns the geometry.
    @inlinable public static func conv2d(input: [Int], weight: [Int], bias: [Int]?, stride: Size2D, padding: ConvolutionPadding,
                                         dilation: Size2D, groups: Int, op: String) -> Conv2DGeometry {
        precondition(input.count == 4 && weight.count == 4,
                     "\(op): expected input [N, C, H, W] and weight [O, C/groups, kH, kW], got shapes \(input) and \(weight)")
        precondition(groups > 0 && weight[0] % groups == 0 && weight[1] * groups == input[1],
                     "\(op): input of shape \(input) and weight of shape \(weight) do not match with groups = \(groups) (need C = weight.shape[1]·groups and O divisible by groups)")
        if let bias {
            precondition(bias == [weight[0]], "\(op): bias of shape \(bias) for weight of shape \(weight) (expected [\(weight[0])])")
        }
        return convolution(inputSize: Size2D(input[2], input[3]), kernelSize: Size2D(weight[2], weight[3]),
                           stride: stride, padding: padding, dilation: dilation, groups: groups, op: op)
    }

    /// Checks the shapes of a transposed convolution (`F.conv_transpose2d`) of an input of shape
    /// `input` with a weight of shape `weight` `[C, O/groups, kH, kW]` (and a bias of shape `bias`),
    /// stopping with a message that names `op` and the shapes; returns the geometry of the
    /// convolution it is the adjoint of.
    @inlinable public static func convTranspose2d(input: [Int], weight: [Int], bias: [Int]?, stride: Size2D, padding: Size2D,
                                                  outputPadding: Size2D, dilation: Size2D, groups: Int, op: String) -> Conv2DGeometry {
        precondition(input.count == 4 && weight.count == 4,
                     "\(op): expected input [N, C, H, W] and weight [C, O/groups, kH, kW], got shapes \(input) and \(weight)")
        precondition(groups > 0 && weight[0] == input[1] && input[1] % groups == 0,
                     "\(op): input of shape \(input) and weight of shape \(weight) do not match with groups = \(groups) (need weight.shape[0] = C, divisible by groups)")
        if let bias {
            precondition(bias == [weight[1] * groups],
                         "\(op): bias of shape \(bias) for weight of shape \(weight) (expected [\(weight[1] * groups)])")
        }
        return transposedConvolution(inputSize: Size2D(input[2], input[3]), kernelSize: Size2D(weight[2], weight[3]), stride: stride,
                                     padding: padding, outputPadding: outputPadding, dilation: dilation, groups: groups, op: op)
    }

    /// The number of kernel taps, `kH·kW`.
    @inlinable var kernelArea: Int { kernelSize.height * kernelSize.width }
}

// MARK: - Kernels

extension Tensor where Scalar: TensorFloatingPoint {
    /// The output columns `lo..<hi` whose kernel tap, at column offset `offset` (`kj·dilation − padding`),
    /// lands inside an input row of `inputWidth`: those with `x·stride + offset ∈ [0, inputWidth)`.
    /// Shared by ``_im2col(_:channels:_:_:rowStride:)`` and its adjoint, so both skip the same padding.
    @inlinable @inline(__always)
    static func _tapColumns(offset: Int, stride: Int, inputWidth w: Int, outputWidth ow: Int) -> (lo: Int, hi: Int) {
        let lo = Swift.min(ow, offset >= 0 ? 0 : (-offset + stride - 1) / stride)
        let hi = Swift.max(lo, Swift.min(ow, w - offset <= 0 ? 0 : (w - offset + stride - 1) / stride))
        return (lo, hi)
    }

    /// Copies `count` scalars from `src` to `dst` (not overlapping). Rows of im2col and of the
    /// side-by-side layout are 8 to 600 scalars long, and copied tens of thousands of times per
    /// step: a `memmove` call each cost more than the copy (9% of ConvBench's samples), so short
    /// rows are copied inline, 16 bytes at a time.
    @inlinable @inline(__always)
    static func _copyRow(_ dst: UnsafeMutablePointer<Scalar>, _ src: UnsafePointer<Scalar>, count: Int) {
        let bytes = count &* MemoryLayout<Scalar>.stride
        if bytes > 1024 {
            dst.update(from: src, count: count)
            return
        }
        let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src)
        var i = 0
        while i &+ 16 <= bytes {
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: i, as: SIMD4<UInt32>.self), toByteOffset: i, as: SIMD4<UInt32>.self)
            i &+= 16
        }
        while i &+ 4 <= bytes {
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: i, as: UInt32.self), toByteOffset: i, as: UInt32.self)
            i &+= 4
        }
        while i < bytes {
            d.storeBytes(of: s.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self)
            i &+= 1
        }
    }

    /// Unfolds one image's `channels` planes (dense `[channels, H, W]` at `src`) into the columns
    /// `[channels·kH·kW, oH·oW]` at `cols`, rows `ld` apart (im2col): row `(c, i, j)` holds the input under kernel tap
    /// `(i, j)` of channel `c` for every output position, zero where the tap falls in the padding.
    @inlinable @inline(__always)
    static func _im2col(_ src: UnsafePointer<Scalar>, channels: Int, _ g: Conv2DGeometry, _ cols: UnsafeMutablePointer<Scalar>, rowStride ld: Int) {
        let h = g.inputSize.height, w = g.inputSize.width, oh = g.outputSize.height, ow = g.outputSize.width
        let sh = g.stride.height, sw = g.stride.width, dh = g.dilation.height, dw = g.dilation.width
        var row = cols
        for c in 0..<channels {
            let plane = src + c * h * w
            for ki in 0..<g.kernelSize.height {
                for kj in 0..<g.kernelSize.width {
                    let offH = ki * dh - g.padding.height, offW = kj * dw - g.padding.width
                    let (lo, hi) = _tapColumns(offset: offW, stride: sw, inputWidth: w, outputWidth: ow)
                    for y in 0..<oh {
                        let ih = y * sh + offH
                        let dst = row + y * ow
                        if ih < 0 || ih >= h {
                            dst.update(repeating: 0, count: ow)
                            continue
                        }
                        let line = plane + ih * w + offW
                        if lo > 0 { dst.update(repeating: 0, count: lo) }
                        if sw == 1 {
                            Tensor._copyRow(dst + lo, line + lo, count: hi - lo)
                        } else {
                            for x in lo..<hi { dst[x] = line[x * sw] }
                        }
                        if hi < ow { (dst + hi).update(repeating: 0, count: ow - hi) }
                    }
                    row += ld
                }
            }
        }
    }

    /// Folds columns `[channels·kH·kW, oH·oW]` (rows `ld` apart) back into `channels` planes at `dst`, adding every
    /// column entry to the input element its tap reads (col2im, the adjoint of ``_im2col(_:channels:_:_:rowStride:)``).
    @inlinable @inline(__always)
    static func _col2imAdd(_ cols: UnsafePointer<Scalar>, channels: Int, _ g: Conv2DGeometry, _ dst: UnsafeMutablePointer<Scalar>, rowStride ld: Int) {
        let h = g.inputSize.height, w = g.inputSize.width, oh = g.outputSize.height, ow = g.outputSize.width
        let sh = g.stride.height, sw = g.stride.width, dh = g.dilation.height, dw = g.dilation.width
        var row = cols
        for c in 0..<channels {
            let plane = dst + c * h * w
            for ki in 0..<g.kernelSize.height {
                for kj in 0..<g.kernelSize.width {
                    let offH = ki * dh - g.padding.height, offW = kj * dw - g.padding.width
                    let (lo, hi) = _tapColumns(offset: offW, stride: sw, inputWidth: w, outputWidth: ow)
                    for y in 0..<oh {
                        let ih = y * sh + offH
                        if ih < 0 || ih >= h { continue }
                        let line = plane + ih * w + offW
                        let src = row + y * ow
                        if sw == 1 {
                            for x in lo..<hi { line[x] += src[x] }
                        } else {
                            for x in lo..<hi { line[x * sw] += src[x] }
                        }
                    }
                    row += ld
                }
            }
        }
    }

    /// How many chunks ``_parallelChunks(_:work:_:)`` cuts `count` images of `work` multiply–adds
    /// into: 1 below 200 000 or with one thread, else up to four per thread. Dispatch hands chunks to
    /// whichever thread is free, the caller included, so when the other core is busy the caller takes
    /// over the chunks a late worker has not started; with one chunk per thread it waited for the
    /// worker's whole half (LeNet's second convolution: 0.29 ms with the core free, 0.66–0.70 ms without).
    @inlinable static func _chunkCount(_ count: Int, work: Int) -> Int {
        work < 200_000 || Parallel.threadCount == 1 ? 1 : Swift.max(1, Swift.min(4 * Parallel.threadCount, count))
    }

    /// Runs `body(chunk, range)` over `chunks` contiguous ranges covering `0..<count` (see
    /// ``_chunkCount(_:work:)``), on all cores when `work` (multiply–adds) is large enough to pay for the
    /// dispatch, else inline as one chunk.
    @inlinable static func _parallelChunks(_ count: Int, work: Int, _ body: (Int, Range<Int>) -> Void) -> Int {
        let chunks = _chunkCount(count, work: work)
        if chunks <= 1 {
            body(0, 0..<count)
            return 1
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = c * count / chunks, hi = (c + 1) * count / chunks
                shared.value(c, lo..<hi)
            }
        }
        return chunks
    }

    /// How many images to unfold side by side for one GEMM: the columns of up to 256 Ki elements
    /// (1 MiB of Float), so that each GEMM is large but its operand stays in cache.
    @inlinable static func _subBatch(_ columnsPerImage: Int) -> Int { Swift.max(1, (1 << 18) / Swift.max(columnsPerImage, 1)) }

    /// Copies images `lo..<lo + b` of channels `c0..<c0 + m` of `[N, C, P]` at `src` to `[m, b·P]` at
    /// `dst` (side by side), or back when `inverse` (the GEMM layout of a sub-batch).
    @inlinable @inline(__always)
    static func _sideBySide(_ src: UnsafeMutablePointer<Scalar>, channels c: Int, c0: Int, m: Int, plane p: Int, lo: Int, b: Int,
                            _ dst: UnsafeMutablePointer<Scalar>, inverse: Bool) {
        for r in 0..<m {
            for j in 0..<b {
                let a = src + ((lo + j) * c + c0 + r) * p, t = dst + (r * b + j) * p
                if inverse { Tensor._copyRow(a, t, count: p) } else { Tensor._copyRow(t, a, count: p) }
            }
        }
    }

    /// The forward convolution on `[N, C, H, W]` (this tensor) with `weight` `[O, C/groups, kH, kW]`:
    /// `[N, O, oH, oW]`. Images are unfolded side by side in sub-batches, and each sub-batch and
    /// group is one GEMM `W_g · cols`; the batch is split across cores when large.
    /// The building block of `conv2d`; shapes are checked by the caller (``Conv2DGeometry/conv2d(input:weight:bias:stride:padding:dilation:groups:op:)``).
    @inlinable public func conv2d(_ weight: Tensor, geometry g: Conv2DGeometry) -> Tensor {
        let n = _shape[0], c = _shape[1], o = weight._shape[0]
        let groups = g.groups, cg = c / groups, og = o / groups, k = cg * g.kernelArea
        let hw = g.inputSize.height * g.inputSize.width, ohw = g.outputSize.height * g.outputSize.width
        let x = contiguous, w = weight.contiguous
        let y = Tensor(storage: TensorStorage(uninitializedCount: n * o * ohw), shape: [n, o, g.outputSize.height, g.outputSize.width],
                       offset: 0)
        if n * o * ohw == 0 { return y }
        if k == 0 {
            UnsafeMutableRawPointer(y.storage.base).initializeMemory(as: UInt8.self, repeating: 0, count: y.count * MemoryLayout<Scalar>.stride)
            return y
        }
        let xb = x.storage.base + x._offset, wb = UnsafePointer(w.storage.base + w._offset), yb = y.storage.base
        let sub = Tensor._subBatch(k * ohw)
        withExtendedLifetime((x, w)) {
            _ = Tensor._parallelChunks(n, work: n * o * k * ohw) { _, images in
                let b0 = Swift.min(sub, images.count)
                let cols = Tensor._allocateScratch(count: k * b0 * ohw), out = Tensor._allocateScratch(count: og * b0 * ohw)
                defer { Tensor._deallocateScratch(cols, count: k * b0 * ohw); Tensor._deallocateScratch(out, count: og * b0 * ohw) }
                var lo = images.lowerBound
                while lo < images.upperBound {
                    let b = Swift.min(b0, images.upperBound - lo), ld = b * ohw
                    for gi in 0..<groups {
                        for j in 0..<b {
                            Tensor._im2col(UnsafePointer(xb + ((lo + j) * c + gi * cg) * hw), channels: cg, g, cols + j * ohw, rowStride: ld)
                        }
                        Scalar.gemm(transposeA: false, transposeB: false, m: og, n: ld, k: k, alpha: 1,
                                    a: wb + gi * og * k, lda: k, b: cols, ldb: ld, beta: 0, c: out, ldc: ld)
                        Tensor._sideBySide(yb, channels: o, c0: gi * og, m: og, plane: ohw, lo: lo, b: b, out, inverse: true)
                    }
                    lo += b
                }
            }
        }
        return y
    }

    /// The adjoint of ``conv2d(_:geometry:)`` w.r.t. its input, applied to this `[N, O, oH, oW]`
    /// tensor: `[N, C, H, W]` with `C = weight.shape[1]·groups`. This is the transposed convolution
    /// (`F.conv_transpose2d`, `torch.nn.grad.conv2d_input`): per sub-batch and group one GEMM
    /// `W_gᵀ · ȳ` into columns, folded back with col2im.
    @inlinable public func conv2dInputGradient(_ weight: Tensor, geometry g: Conv2DGeometry) -> Tensor {
        let n = _shape[0], o = _shape[1], groups = g.groups, cg = weight._shape[1], c = cg * groups, og = o / groups
        let k = cg * g.kernelArea
        let hw = g.inputSize.height * g.inputSize.width, ohw = g.outputSize.height * g.outputSize.width
        let dy = contiguous, w = weight.contiguous
        let dx = Tensor(storage: TensorStorage(zeroedCount: n * c * hw), shape: [n, c, g.inputSize.height, g.inputSize.width],
                        offset: 0)
        if n * c * hw == 0 || og * ohw == 0 { return dx }
        let dyb = dy.storage.base + dy._offset, wb = UnsafePointer(w.storage.base + w._offset), dxb = dx.storage.base
        let sub = Tensor._subBatch(k * ohw)
        withExtendedLifetime((dy, w)) {
            _ = Tensor._parallelChunks(n, work: n * o * k * ohw) { _, images in
                let b0 = Swift.min(sub, images.count)
                let cols = Tensor._allocateScratch(count: k * b0 * ohw), grad = Tensor._allocateScratch(count: og * b0 * ohw)
                defer { Tensor._deallocateScratch(cols, count: k * b0 * ohw); Tensor._deallocateScratch(grad, count: og * b0 * ohw) }
                var lo = images.lowerBound
                while lo < images.upperBound {
                    let b = Swift.min(b0, images.upperBound - lo), ld = b * ohw
                    for gi in 0..<groups {
                        Tensor._sideBySide(dyb, channels: o, c0: gi * og, m: og, plane: ohw, lo: lo, b: b, grad, inverse: false)
                        Scalar.gemm(transposeA: true, transposeB: false, m: k, n: ld, k: og, alpha: 1,
                                    a: wb + gi * og * k, lda: k, b: grad, ldb: ld, beta: 0, c: cols, ldc: ld)
                        for j in 0..<b {
                            Tensor._col2imAdd(UnsafePointer(cols + j * ohw), channels: cg, g, dxb + ((lo + j) * c + gi * cg) * hw, rowStride: ld)
                        }
                    }
                    lo += b
                }
            }
        }
        return dx
    }

    /// The adjoint of ``conv2d(_:geometry:)`` w.r.t. its weight: for this input `[N, C, H, W]` and
    /// an output gradient `[N, O, oH, oW]`, the weight gradient `[O, C/groups, kH, kW]`
    /// (`torch.nn.grad.conv2d_weight`): per sub-batch and group one unfold and one GEMM
    /// `ȳ_g · colsᵀ`, accumulated over the batch (one partial sum per core).
    @inlinable public func conv2dWeightGradient(_ outputGradient: Tensor, geometry g: Conv2DGeometry) -> Tensor {
        let n = _shape[0], c = _shape[1], o = outputGradient._shape[1], groups = g.groups, cg = c / groups, og = o / groups
        let k = cg * g.kernelArea
        let hw = g.inputSize.height * g.inputSize.width, ohw = g.outputSize.height * g.outputSize.width
        let x = contiguous, dy = outputGradient.contiguous
        let shape = [o, cg, g.kernelSize.height, g.kernelSize.width]
        if n * ohw == 0 || o * k == 0 { return Tensor(zeroedShape: shape) }
        let xb = UnsafePointer(x.storage.base + x._offset), dyb = dy.storage.base + dy._offset
        let size = o * k
        let maxChunks = Tensor._chunkCount(n, work: n * o * k * ohw)
        let partials = UnsafeMutablePointer<Scalar>.allocate(capacity: maxChunks * size)
        defer { partials.deallocate() }
        // The GEMM's inner dimension is the sub-batch's `b·oH·oW` columns: kept within the GEMM kernel's
        // limit when one image's fit, so the product runs on the calling thread rather than handing a
        // 6×25 output over a 10⁴-long sum to OpenBLAS, whose threads then spin against the other core.
        var sub = Tensor._subBatch(k * ohw)
        if usesGEMMKernel(m: og, n: k, k: ohw) { sub = Swift.min(sub, Swift.max(1, gemmKernelMaxK / ohw)) }
        let chunks = withExtendedLifetime((x, dy)) {
            Tensor._parallelChunks(n, work: n * o * k * ohw) { chunk, images in
                let b0 = Swift.min(sub, images.count)
                let cols = Tensor._allocateScratch(count: k * b0 * ohw), grad = Tensor._allocateScratch(count: og * b0 * ohw)
                defer { Tensor._deallocateScratch(cols, count: k * b0 * ohw); Tensor._deallocateScratch(grad, count: og * b0 * ohw) }
                let acc = partials + chunk * size
                var lo = images.lowerBound
                while lo < images.upperBound {
                    let b = Swift.min(b0, images.upperBound - lo), ld = b * ohw
                    for gi in 0..<groups {
                        for j in 0..<b {
                            Tensor._im2col(xb + ((lo + j) * c + gi * cg) * hw, channels: cg, g, cols + j * ohw, rowStride: ld)
                        }
                        Tensor._sideBySide(dyb, channels: o, c0: gi * og, m: og, plane: ohw, lo: lo, b: b, grad, inverse: false)
                        Scalar.gemm(transposeA: false, transposeB: true, m: og, n: k, k: ld, alpha: 1,
                                    a: grad, lda: ld, b: cols, ldb: ld,
                                    beta: lo == images.lowerBound ? 0 : 1, c: acc + gi * og * k, ldc: k)
                    }
                    lo += b
                }
            }
        }
        return Tensor(shape: shape) { out in
            let r = out.baseAddress!
            r.update(from: partials, count: size)
            for ch in 1..<Swift.max(chunks, 1) {
                let p = partials + ch * size
                for e in 0..<size { r[e] += p[e] }
            }
        }
    }
}

// MARK: - The PyTorch-style functions

extension Tensor where Scalar: TensorFloatingPoint {
    /// Adds `bias[o]` to every element of channel `o` of this `[N, O, ...]` tensor, in place.
    @inlinable mutating func addChannelBias(_ bias: Tensor) {
        let n = _shape[0], o = _shape[1], plane = count / Swift.max(n * o, 1)
        let b = bias.contiguous
        withUnsafeMutableBufferPointer { buf in
            b.withUnsafeBufferPointer { bb in
                for i in 0..<n {
                    for ch in 0..<o {
                        let p = buf.baseAddress! + (i * o + ch) * plane, v = bb[ch]
                        for e in 0..<plane { p[e] += v }
                    }
                }
            }
        }
    }

    /// 2-D convolution (cross-correlation) of this `[N, C, H, W]` input with `weight`
    /// `[O, C/groups, kH, kW]` plus an optional `bias` `[O]`. Mirrors `torch.nn.functional.conv2d`.
    ///
    /// ```swift
    /// let y = x.conv2d(w, bias: b, stride: 2, padding: 1)   // x [8, 3, 32, 32], w [16, 3, 3, 3] → [8, 16, 16, 16]
    /// ```
    ///
    /// - Precondition: the shapes match (the message names both), strides and dilations are positive.
    @inlinable public func conv2d(_ weight: Tensor, bias: Tensor? = nil, stride: Size2D = 1, padding: ConvolutionPadding = 0,
                                  dilation: Size2D = 1, groups: Int = 1) -> Tensor {
        let g = Conv2DGeometry.conv2d(input: shape, weight: weight.shape, bias: bias?.shape, stride: stride, padding: padding,
                                      dilation: dilation, groups: groups, op: "conv2d")
        var y = conv2d(weight, geometry: g)
        if let bias { y.addChannelBias(bias) }
        return y
    }

    /// 1-D convolution of this `[N, C, L]` input with `weight` `[O, C/groups, k]` plus an optional
    /// `bias` `[O]`. Mirrors `torch.nn.functional.conv1d` (computed as a 2-D convolution of height 1).
    @inlinable public func conv1d(_ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: ConvolutionPadding = 0,
                                  dilation: Int = 1, groups: Int = 1) -> Tensor {
        precondition(rank == 3 && weight.rank == 3,
                     "conv1d: expected input [N, C, L] and weight [O, C/groups, k], got shapes \(shape) and \(weight.shape)")
        let y = unsqueezed(axis: 2).conv2d(weight.unsqueezed(axis: 2), bias: bias, stride: Size2D(1, stride),
                                          padding: padding.as1D, dilation: Size2D(1, dilation), groups: groups)
        return y.squeezed(axes: [2])
    }

    /// 2-D transposed convolution ("deconvolution") of this `[N, C, H, W]` input with `weight`
    /// `[C, O/groups, kH, kW]` plus an optional `bias` `[O]`: the adjoint of `conv2d` with the same
    /// stride, padding, dilation and groups, of output size `(H − 1)s − 2p + d(k − 1) + outputPadding + 1`.
    /// Mirrors `torch.nn.functional.conv_transpose2d`.
    @inlinable public func convTranspose2d(_ weight: Tensor, bias: Tensor? = nil, stride: Size2D = 1, padding: Size2D = 0,
                                           outputPadding: Size2D = 0, dilation: Size2D = 1, groups: Int = 1) -> Tensor {
        let g = Conv2DGeometry.convTranspose2d(input: shape, weight: weight.shape, bias: bias?.shape, stride: stride, padding: padding,
                                               outputPadding: outputPadding, dilation: dilation, groups: groups, op: "convTranspose2d")
        var y = conv2dInputGradient(weight, geometry: g)
        if let bias { y.addChannelBias(bias) }
        return y
    }
}

extension ConvolutionPadding {
    /// This padding for a 1-D convolution run as a 2-D one of height 1 (no padding on the height axis).
    @inlinable public var as1D: ConvolutionPadding {
        switch self {
        case .explicit(let p): return .explicit(Size2D(0, p.width))
        case .valid, .same: return self
        }
    }
}
