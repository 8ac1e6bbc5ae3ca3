import RealModule

/// Vector norms, `‖x‖_p`.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The vector `p`-norm over `axes` (all elements when `nil`), treating the tensor as a flat
    /// vector along them. Mirrors `torch.linalg.vector_norm(x, ord=p, dim=axes, keepdim=…)`.
    ///
    /// - `p = 2` (default): Euclidean `√(Σ xᵢ²) = √(xᵀx)`.
    /// - `p = 1`: Manhattan `Σ |xᵢ|`.
    /// - `p = ∞`: `max |xᵢ|`; `p = −∞`: `min |xᵢ|`.
    /// - `p = 0`: the number of non-zero elements (not a norm; PyTorch's convention).
    /// - any other `p`: `(Σ |xᵢ|ᵖ)^(1/p)` (a norm for `p ≥ 1`).
    ///
    /// The `p = 2` case sums squares directly, as PyTorch does, so it overflows for elements beyond
    /// `√greatestFiniteMagnitude`.
    ///
    /// - Returns: the reduced shape (rank 0 when reducing everything).
    /// - Precondition: `axes` are in range; `p = ±∞` needs a non-empty tensor.
    @inlinable public func norm(p: Scalar = 2, axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        switch p {
        case 2: return squared().sum(axes: axes, keepingDims: keepingDims).sqrt()
        case 1: return abs().sum(axes: axes, keepingDims: keepingDims)
        case .infinity: return abs().max(axes: axes, keepingDims: keepingDims)
        case -.infinity: return abs().min(axes: axes, keepingDims: keepingDims)
        case 0: return map { $0 == 0 ? 0 : 1 }.sum(axes: axes, keepingDims: keepingDims)
        default:
            let inverse = 1 / p
            return map { Scalar.power($0.magnitude, p) }.sum(axes: axes, keepingDims: keepingDims)
                .map { Scalar.power($0, inverse) }
        }
    }

    /// The vector `p`-norm along one axis. See ``norm(p:axes:keepingDims:)``.
    @inlinable public func norm(p: Scalar = 2, axis: Int, keepingDims: Bool = false) -> Tensor {
        norm(p: p, axes: [axis], keepingDims: keepingDims)
    }
}
