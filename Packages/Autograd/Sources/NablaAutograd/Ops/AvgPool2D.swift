import NablaTensor

/// 2-D average pooling of `[N, C, H, W]` over arbitrary per-axis windows: both
/// `torch.nn.functional.avg_pool2d` and `adaptive_avg_pool2d` (see `AveragePool2DWindows`).
/// Linear: its VJP is its adjoint ``AvgPool2DAdjoint``, and its JVP is itself.
public struct AvgPool2D: UnaryOperator {
    /// The op's name in the registry and in messages, `"avgPool2d"`.
    public static let name = "avgPool2d"
    /// The windows and their divisors.
    public let windows: AveragePool2DWindows
    /// Creates the op with the given windows.
    @inlinable public init(_ windows: AveragePool2DWindows) { self.windows = windows }
    /// Batching rule: the batch folds into the images' axis `N` (one pooling call).
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        Batching.foldingIntoImages(x) { $0.applying(self) }
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.avgPool2d(windows: windows) }
    /// `x̄` is each window's `ȳ / divisor` spread over the window.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.applying(AvgPool2DAdjoint(windows))
    }
    /// `ẏ` is the pooled `ẋ`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

extension Variable {
    /// 2-D average pooling of this `[N, C, H, W]` input (`stride` defaults to `kernelSize`). Mirrors
    /// `torch.nn.functional.avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad)`:
    /// with `countIncludePad` the padding's zeros count in each window's divisor.
    ///
    /// - Precondition: the input has rank 4, sizes are positive, `padding ≤ kernelSize/2`, and the
    ///   output is not empty.
    @inlinable public func avgPool2d(kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, ceilMode: Bool = false,
                                     countIncludePad: Bool = true) -> Variable {
        precondition(rank == 4, "avgPool2d: expected an input of shape [N, C, H, W], got shape \(shape)")
        return applying(AvgPool2D(.average(inputSize: Size2D(shape[2], shape[3]), kernelSize: kernelSize, stride: stride,
                                           padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad)))
    }

    /// Adaptive average pooling of this `[N, C, H, W]` input to spatial size `outputSize`: output
    /// `i` of an axis of `n` inputs and `m` outputs averages inputs `⌊i·n/m⌋ ..< ⌈(i + 1)·n/m⌉`.
    /// Mirrors `torch.nn.functional.adaptive_avg_pool2d`.
    ///
    /// - Precondition: the input has rank 4 and `outputSize` is positive.
    @inlinable public func adaptiveAvgPool2d(_ outputSize: Size2D) -> Variable {
        precondition(rank == 4, "adaptiveAvgPool2d: expected an input of shape [N, C, H, W], got shape \(shape)")
        return applying(AvgPool2D(.adaptive(inputSize: Size2D(shape[2], shape[3]), outputSize: outputSize)))
    }
}
