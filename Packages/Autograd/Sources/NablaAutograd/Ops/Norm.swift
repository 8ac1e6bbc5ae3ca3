import NablaTensor

/// The Euclidean norm `‖x‖₂ = √Σx²` over `axes` (all when `nil`). Mirrors `torch.linalg.vector_norm`.
/// A primitive (not `sqrt(sum(x²))`) so that its gradient at 0 is 0, as in PyTorch, not NaN.
public struct EuclideanNorm: UnaryOperator {
    /// The op's name in the registry and in messages, `"norm"`.
    public static let name = "norm"
    /// The reduced axes (`nil`: all).
    public let axes: [Int]?
    /// Whether reduced axes stay with size 1.
    public let keepingDims: Bool
    /// Creates the op with the given attributes.
    @inlinable public init(axes: [Int]?, keepingDims: Bool) {
        self.axes = axes
        self.keepingDims = keepingDims
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> {
        x.squared().sum(axes: axes, keepingDims: keepingDims).sqrt()
    }
    /// Batching rule: the reduced axes move past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
        x.applying(EuclideanNorm(axes: Batching.shifted(axes, rank: x.rank - 1, op: "norm"), keepingDims: keepingDims))
    }
    /// `x / ‖x‖`, with 0 where the norm is 0.
    @inlinable func direction<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> {
        let kept = y.reshaped(keptShape(x.shape, axes))
        let safe = Variable.where(kept.value .== 0, Variable(Tensor<S>(1)), kept)
        return Variable.where((kept.value .== 0).expanded(to: x.shape), Variable(Tensor<S>(0)), x / safe)
    }
    /// `x̄ = ȳ·x/‖x‖` (0 where `‖x‖ = 0`).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.reshaped(keptShape(x.shape, axes)) * direction(x, y)
    }
    /// `ẏ = Σ ẋ·x/‖x‖`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        (t * direction(x, y)).sum(axes: axes, keepingDims: keepingDims)
    }
}

extension Variable {
    /// The vector `p`-norm over `axes` (all when `nil`): `(Σ|x|ᵖ)^(1/p)`; `p = ∞` is `max |x|`,
    /// `p = −∞` is `min |x|`, `p = 0` counts non-zero elements (a constant: derivative 0).
    /// Mirrors `torch.linalg.vector_norm(x, ord=p, dim=axes)`. `p = 2` is a primitive with gradient
    /// 0 at 0; `p = 1` and `±∞` compose `abs`; other `p` compose `pow`.
    @inlinable public func norm(p: Scalar = 2, axes: [Int]? = nil, keepingDims: Bool = false) -> Variable {
        switch p {
        case 2: return applying(EuclideanNorm(axes: axes, keepingDims: keepingDims))
        case 1: return abs().sum(axes: axes, keepingDims: keepingDims)
        case .infinity: return abs().max(axes: axes, keepingDims: keepingDims)
        case -.infinity: return abs().min(axes: axes, keepingDims: keepingDims)
        // The count of non-zero elements: piecewise constant, derivative 0 (as PyTorch).
        case 0: return Variable(value.norm(p: 0, axes: axes, keepingDims: keepingDims))
        default: return abs().pow(p).sum(axes: axes, keepingDims: keepingDims).pow(1 / p)
        }
    }
    /// The Frobenius norm of each matrix (the 2-norm over the last two axes).
    /// Mirrors `torch.linalg.matrix_norm(x, 'fro')`.
    @inlinable public func frobeniusNorm(keepingDims: Bool = false) -> Variable {
        norm(p: 2, axes: [-2, -1], keepingDims: keepingDims)
    }
}
