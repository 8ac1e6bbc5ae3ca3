import NablaTensor

/// The adjoint of ``AvgPool2D``: spreads each `[N, C, oH, oW]` element, divided by its window's
/// divisor, over its window of an `[N, C, H, W]` result (PyTorch's `avg_pool2d_backward`).
/// Linear: its VJP is the pooling, and its JVP is itself.
public struct AvgPool2DAdjoint: UnaryOperator {
    /// The op's name in the registry and in messages, `"avgPool2dAdjoint"`.
    public static let name = "avgPool2dAdjoint"
    /// The windows and their divisors.
    public let windows: AveragePool2DWindows
    /// Creates the op with the given windows.
    @inlinable public init(_ windows: AveragePool2DWindows) { self.windows = windows }
    /// Batching rule: the batch folds into the images' axis `N` (one pooling call).
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        Batching.foldingIntoImages(x) { $0.applying(self) }
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.avgPool2dAdjoint(windows: windows) }
    /// `x̄` is the pooled `ȳ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.applying(AvgPool2D(windows))
    }
    /// `ẏ` is the spread `ẋ`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}
