import NablaTensor

/// 2-D convolution (cross-correlation) of `[N, C, H, W]` with a weight `[O, C/groups, kH, kW]`,
/// without bias. Mirrors `torch.nn.functional.conv2d` (see ``Variable/conv2d(_:bias:stride:padding:dilation:groups:)``).
///
/// Linear in each argument. Its two adjoints are primitives too, so the rules below are recorded
/// ops and the convolution is differentiable to any order: the input cotangent is a transposed
/// convolution (``ConvTranspose2D``), the weight cotangent a correlation (``Conv2DWeightGradient``).
public struct Conv2D: BinaryOperator {
    /// The op's name in the registry and in messages, `"conv2d"`.
    public static let name = "conv2d"
    /// Sizes, stride, padding, dilation and groups.
    public let geometry: Conv2DGeometry
    /// Creates the op with the given geometry.
    @inlinable public init(_ geometry: Conv2DGeometry) { self.geometry = geometry }
    /// Batching rule. Batched images, shared weights: the batch folds into `N` (one convolution).
    /// Batched weights: the batch folds into the channels and the groups (`B·groups` groups), one
    /// grouped convolution; shared images are then shared when `groups` is 1 (the weights' batch
    /// becomes output channels), copied otherwise.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>, _ w: Variable<S>,
                                                           batchedA: Bool, batchedB: Bool) -> Variable<S> {
        guard batchedB else { return Batching.foldingIntoImages(x) { Variable.applying(self, $0, w) } }
        let size = w.shape[0]
        if !batchedA && geometry.groups == 1 {
            let y = Variable.applying(self, x, Batching.foldingWeights(w))      // [N, B·O, H', W']
            return Batching.unfoldingChannels(y, size: size)
        }
        let xs = Batching.foldingIntoChannels(Batching.materialized(x, batchedA, size: size))
        let y = Variable.applying(Conv2D(Batching.grouped(geometry, size: size)), xs, Batching.foldingWeights(w))
        return Batching.unfoldingChannels(y, size: size)
    }
    /// The value, computed on plain tensors (im2col and one GEMM per image and group).
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>, _ w: Tensor<S>) -> Tensor<S> { x.conv2d(w, geometry: geometry) }
    /// `x̄ = conv_transpose2d(ȳ, w)`, `w̄ = conv2d_weight(x, ȳ)`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ w: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        (needA ? Variable.applying(ConvTranspose2D(geometry), ct, w) : nil,
         needB ? Variable.applying(Conv2DWeightGradient(geometry), x, ct) : nil)
    }
    /// `ẏ = conv2d(ẋ, w) + conv2d(x, ẇ)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ w: Variable<S>, _ y: Variable<S>,
                                                       _ dx: Variable<S>?, _ dw: Variable<S>?) -> Variable<S> {
        sumOfTangents(dx.map { Variable.applying(self, $0, w) }, dw.map { Variable.applying(self, x, $0) }, shape: y.shape)
    }
    /// The cotangents on plain tensors: the two adjoint kernels directly.
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ x: Tensor<S>, _ w: Tensor<S>, _ y: Tensor<S>, _ ct: Tensor<S>,
                                                            needA: Bool, needB: Bool) -> (Tensor<S>?, Tensor<S>?) {
        (needA ? ct.conv2dInputGradient(w, geometry: geometry) : nil, needB ? x.conv2dWeightGradient(ct, geometry: geometry) : nil)
    }
}

extension Variable {
    /// 2-D convolution of this `[N, C, H, W]` input with `weight` `[O, C/groups, kH, kW]`, plus an
    /// optional `bias` `[O]`. Mirrors `torch.nn.functional.conv2d(x, weight, bias, stride, padding, dilation, groups)`;
    /// `padding` is sizes (`1`, `[1, 2]`) or `.same` / `.valid`.
    ///
    /// ```swift
    /// let y = x.conv2d(w, bias: b, stride: 2, padding: 1)   // x [8, 3, 32, 32], w [16, 3, 3, 3] → [8, 16, 16, 16]
    /// ```
    ///
    /// - Precondition: the shapes match (the message names the op and both shapes), strides and
    ///   dilations are positive, `.same` only with stride 1.
    @inlinable public func conv2d(_ weight: Variable, bias: Variable? = nil, stride: Size2D = 1, padding: ConvolutionPadding = 0,
                                  dilation: Size2D = 1, groups: Int = 1) -> Variable {
        let g = Conv2DGeometry.conv2d(input: shape, weight: weight.shape, bias: bias?.shape, stride: stride, padding: padding,
                                      dilation: dilation, groups: groups, op: "conv2d")
        let y = Variable.applying(Conv2D(g), self, weight)
        guard let bias else { return y }
        return y + bias.reshaped([1, bias.count, 1, 1])
    }

    /// 1-D convolution of this `[N, C, L]` input with `weight` `[O, C/groups, k]`, plus an optional
    /// `bias` `[O]`. Mirrors `torch.nn.functional.conv1d` (computed as a 2-D convolution of height 1).
    ///
    /// - Precondition: the shapes match (the message names the op and both shapes).
    @inlinable public func conv1d(_ weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: ConvolutionPadding = 0,
                                  dilation: Int = 1, groups: Int = 1) -> Variable {
        precondition(rank == 3 && weight.rank == 3,
                     "conv1d: expected input [N, C, L] and weight [O, C/groups, k], got shapes \(shape) and \(weight.shape)")
        let x2 = reshaped([shape[0], shape[1], 1, shape[2]])
        let w2 = weight.reshaped([weight.shape[0], weight.shape[1], 1, weight.shape[2]])
        let g = Conv2DGeometry.conv2d(input: x2.shape, weight: w2.shape, bias: bias?.shape, stride: Size2D(1, stride),
                                      padding: padding.as1D, dilation: Size2D(1, dilation), groups: groups, op: "conv1d")
        let y = Variable.applying(Conv2D(g), x2, w2)
        let y1 = y.reshaped([y.shape[0], y.shape[1], y.shape[3]])
        guard let bias else { return y1 }
        return y1 + bias.reshaped([1, bias.count, 1])
    }
}
