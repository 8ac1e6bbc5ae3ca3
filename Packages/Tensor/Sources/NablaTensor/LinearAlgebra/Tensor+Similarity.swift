import RealModule

/// Distances, cosine similarity and angles between vectors.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The `p`-norm distance `d(x, y) = ‖x − y‖_p`, over all elements (`axis: nil`, like
    /// `torch.dist(x, y, p)`) or along one axis (like `torch.nn.functional.pairwise_distance`
    /// without its `eps`). Shapes broadcast.
    ///
    /// - Returns: rank 0 for `axis: nil`, else the broadcast shape without `axis`.
    /// - Precondition: the shapes broadcast.
    @inlinable public func distance(to other: Tensor, p: Scalar = 2, axis: Int? = nil) -> Tensor {
        let d = self - other
        return axis.map { d.norm(p: p, axis: $0) } ?? d.norm(p: p)
    }

    /// The cosine of the angle between vectors along `axis`:
    /// `cos ω = ⟨x, y⟩ / (max(‖x‖, ε)·max(‖y‖, ε))`, in `[−1, 1]` up to rounding.
    /// Mirrors `torch.nn.functional.cosine_similarity(x, y, dim=axis, eps=eps)`, except that the
    /// default axis is the last one (PyTorch's default is `dim=1`).
    ///
    /// Each norm is clamped to at least `eps` separately, as PyTorch does, so a zero vector gives 0.
    ///
    /// - Returns: the broadcast shape without `axis`.
    /// - Precondition: the shapes broadcast.
    @inlinable public func cosineSimilarity(_ other: Tensor, axis: Int = -1, eps: Scalar = 1e-8) -> Tensor {
        let dot = (self * other).sum(axis: axis)
        let nx = norm(axis: axis).clamped(min: eps), ny = other.norm(axis: axis).clamped(min: eps)
        return dot / (nx * ny)
    }

    /// The angle `ω = arccos(cos ω)` between vectors along `axis`, in radians in `[0, π]`
    /// (the cosine is clamped to `[−1, 1]` first, so rounding cannot produce NaN).
    /// NumPy/PyTorch have no single function; this is `arccos(cosine_similarity(x, y))`.
    ///
    /// - Returns: the broadcast shape without `axis`.
    @inlinable public func angle(with other: Tensor, axis: Int = -1) -> Tensor {
        cosineSimilarity(other, axis: axis, eps: .leastNormalMagnitude).map { Scalar.acos(Swift.min(Swift.max($0, -1), 1)) }
    }
}
