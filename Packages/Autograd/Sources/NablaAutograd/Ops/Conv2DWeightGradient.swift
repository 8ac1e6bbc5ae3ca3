import NablaTensor

/// The adjoint of ``Conv2D`` w.r.t. its weight: for an input `[N, C, H, W]` and an output
/// gradient `[N, O, oH, oW]`, the weight gradient `[O, C/groups, kH, kW]`, a correlation of the two
/// summed over the batch. Mirrors `torch.nn.grad.conv2d_weight`. A primitive so that convolution
/// VJPs can be differentiated again.
public struct Conv2DWeightGradient: BinaryOperator {
    /// The op's name in the registry and in messages, `"conv2dWeightGradient"`.
    public static let name = "conv2dWeightGradient"
    /// The geometry of the convolution.
    public let geometry: Conv2DGeometry
    /// Creates the op with the given geometry.
    @inlinable public init(_ geometry: Conv2DGeometry) { self.geometry = geometry }
    /// Batching rule: the batch folds into the channels and the groups (`B·groups` groups) of both
    /// operands (a shared one is copied along the batch), one grouped weight gradient whose output
    /// channels `[B·O, …]` unfold to `[B, O, …]`.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>, _ g: Variable<S>,
                                                           batchedA: Bool, batchedB: Bool) -> Variable<S> {
        let size = batchedA ? x.shape[0] : g.shape[0]
        let xs = Batching.foldingIntoChannels(Batching.materialized(x, batchedA, size: size))
        let gs = Batching.foldingIntoChannels(Batching.materialized(g, batchedB, size: size))
        let y = Variable.applying(Conv2DWeightGradient(Batching.grouped(geometry, size: size)), xs, gs)
        return y.reshaped([size, y.shape[0] / size] + y.shape[1...])
    }
    /// The value, computed on plain tensors (im2col and one GEMM per image and group).
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>, _ g: Tensor<S>) -> Tensor<S> {
        x.conv2dWeightGradient(g, geometry: geometry)
    }
    /// For a cotangent `W̄` of the weight gradient: `x̄ = conv_transpose2d(g, W̄)`, `ḡ = conv2d(x, W̄)`
    /// (the op is `⟨g, conv2d(x, ·)⟩`'s gradient, bilinear in `x` and `g`).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ g: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        (needA ? Variable.applying(ConvTranspose2D(geometry), g, ct) : nil,
         needB ? Variable.applying(Conv2D(geometry), x, ct) : nil)
    }
    /// `ẏ = op(ẋ, g) + op(x, ġ)`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ g: Variable<S>, _ y: Variable<S>,
                                                       _ dx: Variable<S>?, _ dg: Variable<S>?) -> Variable<S> {
        sumOfTangents(dx.map { Variable.applying(self, $0, g) }, dg.map { Variable.applying(self, x, $0) }, shape: y.shape)
    }
}
