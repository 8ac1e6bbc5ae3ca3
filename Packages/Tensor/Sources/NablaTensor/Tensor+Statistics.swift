/// Sample statistics used throughout the seeds (data matrices have one sample per row).
extension Tensor where Scalar: TensorFloatingPoint {
    /// The covariance matrix of samples in the rows of a `[n, d]` matrix, `[d, d]`:
    /// `Σ (xᵢ − x̄)(xᵢ − x̄)ᵀ / (n − correction)`. Mirrors `torch.cov(x.T, correction=1)` and
    /// `numpy.cov(x, rowvar=False)`.
    @inlinable public func covariance(correction: Int = 1) -> Tensor {
        precondition(rank == 2, "covariance: expected a [samples, features] matrix, got shape \(shape)")
        let centered = self - mean(axis: 0, keepingDims: true)
        return centered.transposed().matmul(centered) / Scalar(Swift.max(_shape[0] - correction, 0))
    }
}
