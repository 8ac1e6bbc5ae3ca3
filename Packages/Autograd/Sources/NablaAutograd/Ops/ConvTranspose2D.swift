import NablaTensor

/// 2-D transposed convolution: the adjoint of ``Conv2D`` with the same geometry w.r.t. its input,
/// mapping `[N, O, oH, oW]` with a weight `[O, C/groups, kH, kW]` to `[N, C, H, W]`. Mirrors
/// `torch.nn.functional.conv_transpose2d` (whose weight `[in, out/groups, kH, kW]` is this layout)
/// and `torch.nn.grad.conv2d_input`.
public struct ConvTranspose2D: BinaryOperator {
    /// The op's name in the registry and in messages, `"convTranspose2d"`.
    public static let name = "convTranspose2d"
    /// The geometry of the convolution this op is the adjoint of (its `inputSize` is this op's output size).
    public let geometry: Conv2DGeometry
    /// Creates the op with the given geometry.
    @inlinable public init(_ geometry: Conv2DGeometry) { self.geometry = geometry }
    /// Batching rule. Batched inputs, shared weights: the batch folds into `N`. Batched weights: the
    /// batch folds into the channels and the groups (`B·groups` groups), one grouped transposed
    /// convolution (shared inputs are copied along the batch).
    @inlinable public func batched<S: TensorFloatingPoint>(_ z: Variable<S>, _ w: Variable<S>,
                                                           batchedA: Bool, batchedB: Bool) -> Variable<S> {
        guard batchedB else { return Batching.foldingIntoImages(z) { Variable.applying(self, $0, w) } }
        let size = w.shape[0]
        let zs = Batching.foldingIntoChannels(Batching.materialized(z, batchedA, size: size))
        let y = Variable.applying(ConvTranspose2D(Batching.grouped(geometry, size: size)), zs, Batching.foldingWeights(w))
        return Batching.unfoldingChannels(y, size: size)
    }
    /// The value, computed on plain tensors (one GEMM per image and group, then col2im).
    @inlinable public func forward<S: TensorFloatingPoint>(_ z: Tensor<S>, _ w: Tensor<S>) -> Tensor<S> {
        z.conv2dInputGradient(w, geometry: geometry)
    }
    /// `z̄ = conv2d(ȳ, w)`, `w̄ = conv2d_weight(ȳ, z)` (the adjoint of an adjoint is the convolution).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ z: Variable<S>, _ w: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        (needA ? Variable.applying(Conv2D(geometry), ct, w) : nil,
         needB ? Variable.applying(Conv2DWeightGradient(geometry), ct, z) : nil)
    }
    /// `ẏ = convT(ż, w) + convT(z, ẇ)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ z: Variable<S>, _ w: Variable<S>, _ y: Variable<S>,
                                                       _ dz: Variable<S>?, _ dw: Variable<S>?) -> Variable<S> {
        sumOfTangents(dz.map { Variable.applying(self, $0, w) }, dw.map { Variable.applying(self, z, $0) }, shape: y.shape)
    }
    /// The cotangents on plain tensors: the convolution and weight-gradient kernels directly.
    @inlinable public func vjpValue<S: TensorFloatingPoint>(_ z: Tensor<S>, _ w: Tensor<S>, _ y: Tensor<S>, _ ct: Tensor<S>,
                                                            needA: Bool, needB: Bool) -> (Tensor<S>?, Tensor<S>?) {
        (needA ? ct.conv2d(w, geometry: geometry) : nil, needB ? ct.conv2dWeightGradient(z, geometry: geometry) : nil)
    }
}

extension Variable {
    /// 2-D transposed convolution of this `[N, C, H, W]` input with `weight` `[C, O/groups, kH, kW]`,
    /// plus an optional `bias` `[O]`: output size `(H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1`.
    /// Mirrors `torch.nn.functional.conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups, dilation)`.
    ///
    /// - Precondition: the shapes match (the message names the op and both shapes) and
    ///   `outputPadding` is smaller than the stride or the dilation.
    @inlinable public func convTranspose2d(_ weight: Variable, bias: Variable? = nil, stride: Size2D = 1, padding: Size2D = 0,
                                           outputPadding: Size2D = 0, dilation: Size2D = 1, groups: Int = 1) -> Variable {
        let g = Conv2DGeometry.convTranspose2d(input: shape, weight: weight.shape, bias: bias?.shape, stride: stride, padding: padding,
                                               outputPadding: outputPadding, dilation: dilation, groups: groups, op: "convTranspose2d")
        let y = Variable.applying(ConvTranspose2D(g), self, weight)
        guard let bias else { return y }
        return y + bias.reshaped([1, bias.count, 1, 1])
    }
}
