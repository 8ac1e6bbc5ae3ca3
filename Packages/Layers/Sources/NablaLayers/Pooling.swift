import NablaTensor
import NablaAutograd

/// The maximum of each window of `[N, C, H, W]` inputs (or unbatched `[C, H, W]`). Mirrors
/// `torch.nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False)`: the
/// stride defaults to the kernel size, padding counts as −∞, and the gradient goes to the first
/// maximum of each window. (`return_indices` is not supported.)
public final class MaxPool2d<Scalar: TensorFloatingPoint>: Layer {
    /// The window size.
    public let kernelSize: Size2D
    /// The step between windows (the kernel size when created with `stride: nil`).
    public let stride: Size2D
    /// The implicit −∞ padding on both sides (at most half the kernel).
    public let padding: Size2D
    /// The spacing between window elements.
    public let dilation: Size2D
    /// Whether the output size rounds up (windows may start in the right/bottom padding).
    public let ceilMode: Bool

    /// A max-pooling layer with PyTorch's defaults.
    public init(kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, dilation: Size2D = 1, ceilMode: Bool = false) {
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize
        self.padding = padding; self.dilation = dilation; self.ceilMode = ceilMode
    }

    /// The pooled input.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        if x.rank == 3 { return self(x.unsqueezed(axis: 0)).squeezed(axes: [0]) }
        return x.maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }
}

/// The mean of each window of `[N, C, H, W]` inputs (or unbatched `[C, H, W]`). Mirrors
/// `torch.nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)`
/// (`divisor_override` is not supported).
public final class AvgPool2d<Scalar: TensorFloatingPoint>: Layer {
    /// The window size.
    public let kernelSize: Size2D
    /// The step between windows (the kernel size when created with `stride: nil`).
    public let stride: Size2D
    /// The implicit zero padding on both sides (at most half the kernel).
    public let padding: Size2D
    /// Whether the output size rounds up.
    public let ceilMode: Bool
    /// Whether padding zeros count in each window's divisor.
    public let countIncludePad: Bool

    /// An average-pooling layer with PyTorch's defaults.
    public init(kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, ceilMode: Bool = false, countIncludePad: Bool = true) {
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize
        self.padding = padding; self.ceilMode = ceilMode; self.countIncludePad = countIncludePad
    }

    /// The pooled input.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        if x.rank == 3 { return self(x.unsqueezed(axis: 0)).squeezed(axes: [0]) }
        return x.avgPool2d(kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad)
    }
}

/// Average pooling to a fixed spatial output size, whatever the input's: output `i` of an axis of
/// `n` inputs and `m` outputs averages inputs `⌊i·n/m⌋ ..< ⌈(i + 1)·n/m⌉`. Mirrors
/// `torch.nn.AdaptiveAvgPool2d(output_size)`; a `nil` size keeps that axis's input size, as `None` does.
public final class AdaptiveAvgPool2d<Scalar: TensorFloatingPoint>: Layer {
    /// The output height, or `nil` for the input's.
    public let outputHeight: Int?
    /// The output width, or `nil` for the input's.
    public let outputWidth: Int?

    /// Pools to `outputSize` (`AdaptiveAvgPool2d(1)` is global average pooling).
    public init(_ outputSize: Size2D) { outputHeight = outputSize.height; outputWidth = outputSize.width }
    /// Pools to `height × width`, `nil` keeping the input's size on that axis (`output_size=(None, 7)`).
    public init(height: Int?, width: Int?) { outputHeight = height; outputWidth = width }

    /// The pooled input, `[N, C, outputHeight, outputWidth]`.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        if x.rank == 3 { return self(x.unsqueezed(axis: 0)).squeezed(axes: [0]) }
        precondition(x.rank == 4, "AdaptiveAvgPool2d: expected an input [N, C, H, W] or [C, H, W], got \(x.shape)")
        return x.adaptiveAvgPool2d(Size2D(outputHeight ?? x.shape[2], outputWidth ?? x.shape[3]))
    }
}
