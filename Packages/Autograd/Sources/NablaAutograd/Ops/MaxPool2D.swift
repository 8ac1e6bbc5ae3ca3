import NablaTensor

/// 2-D max pooling of `[N, C, H, W]`. Mirrors `torch.nn.functional.max_pool2d`, gradient included:
/// each window's cotangent goes to its maximum, the first in row-major order on ties (overlapping
/// windows add up), as PyTorch routes it through the indices it saves.
public struct MaxPool2D: UnaryOperator {
    /// The op's name in the registry and in messages, `"maxPool2d"`.
    public static let name = "maxPool2d"
    /// Sizes, stride, padding and dilation of the windows.
    public let geometry: MaxPool2DGeometry
    /// Creates the op with the given geometry.
    @inlinable public init(_ geometry: MaxPool2DGeometry) { self.geometry = geometry }
    /// Batching rule: the batch folds into the images' axis `N` (one pooling call).
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        Batching.foldingIntoImages(x) { $0.applying(self) }
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.maxPool2d(geometry: geometry) }
    /// The winners' indices as `[N·C, oH·oW]` positions within `[N·C, H·W]` planes.
    @inlinable func planeIndices<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<Int> {
        let planes = x.shape[0] * x.shape[1]
        return x.maxPool2dIndices(geometry: geometry).reshaped([planes, geometry.outputSize.height * geometry.outputSize.width])
    }
    /// `x̄` is `ȳ` scattered (added) to each window's maximum: a recorded `scatterAdd`, linear in `ȳ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let planes = x.shape[0] * x.shape[1], hw = x.shape[2] * x.shape[3]
        return ct.reshaped([planes, ct.count / Swift.max(planes, 1)])
            .applying(ScatterAdd(indices: planeIndices(x.value), axis: 1, shape: [planes, hw])).reshaped(x.shape)
    }
    /// `ẏ` is `ẋ` at each window's maximum (a recorded `gather`).
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        let planes = x.shape[0] * x.shape[1], hw = x.shape[2] * x.shape[3]
        return t.reshaped([planes, hw]).gathering(indices: planeIndices(x.value), axis: 1).reshaped(y.shape)
    }
    /// The cotangent on plain tensors, in one pass over the windows.
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ y: Tensor<S>, _ ct: Tensor<S>) -> Tensor<S> {
        x.maxPool2dGradient(ct, geometry: geometry)
    }
}

extension Variable {
    /// 2-D max pooling of this `[N, C, H, W]` input (`stride` defaults to `kernelSize`; padding is
    /// `-inf`, so it never wins). Mirrors `torch.nn.functional.max_pool2d(x, kernel_size, stride,
    /// padding, dilation, ceil_mode)`; the gradient goes to the first maximum of each window.
    ///
    /// - Precondition: the input has rank 4, sizes are positive, `padding ≤ kernelSize/2`, and
    ///   the output is not empty (the message names the op and the sizes).
    @inlinable public func maxPool2d(kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, dilation: Size2D = 1,
                                     ceilMode: Bool = false) -> Variable {
        precondition(rank == 4, "maxPool2d: expected an input of shape [N, C, H, W], got shape \(shape)")
        return applying(MaxPool2D(MaxPool2DGeometry(inputSize: Size2D(shape[2], shape[3]), kernelSize: kernelSize, stride: stride,
                                                    padding: padding, dilation: dilation, ceilMode: ceilMode)))
    }
}
