import ComplexModule
import RealModule

/// Complex tensors: parts, arithmetic, matrix products and inverses, built on the real kernels.
extension Tensor where Scalar: TensorComplex {
    /// A complex tensor `real + i·imaginary` from two real tensors of the same shape.
    /// Mirrors `torch.complex(real, imag)`.
    @inlinable public init(real: Tensor<Scalar.RealPart>, imaginary: Tensor<Scalar.RealPart>) {
        self = real.zipWith(imaginary, op: "complex") { Scalar($0, $1) }
    }

    /// The real part of every element. Mirrors `torch.real` (a copy here, not a view).
    @inlinable public var real: Tensor<Scalar.RealPart> { map { $0.real } }
    /// The imaginary part of every element. Mirrors `torch.imag` (a copy here, not a view).
    @inlinable public var imaginary: Tensor<Scalar.RealPart> { map { $0.imaginary } }
    /// `|z| = √(re² + im²)` elementwise. Mirrors `torch.abs` on complex tensors.
    @inlinable public func magnitude() -> Tensor<Scalar.RealPart> { map { $0.length } }
    /// The complex conjugate elementwise. Mirrors `torch.conj` (materialized).
    @inlinable public func conjugated() -> Tensor { map { $0.conjugate } }

    /// Elementwise sum with broadcasting.
    @inlinable public static func + (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, op: "add") { $0 + $1 } }
    /// Elementwise difference with broadcasting.
    @inlinable public static func - (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, op: "sub") { $0 - $1 } }
    /// Elementwise product with broadcasting.
    @inlinable public static func * (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, op: "mul") { $0 * $1 } }
    /// Elementwise quotient with broadcasting.
    @inlinable public static func / (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, op: "div") { $0 / $1 } }

    /// Complex matrix product with `torch.matmul`'s rules (vectors, batches, broadcasting):
    /// `(A + iB)(C + iD) = (AC − BD) + i(AD + BC)`, four real GEMMs.
    @inlinable public func matmul(_ other: Tensor) -> Tensor {
        let a = real, b = imaginary, c = other.real, d = other.imaginary
        return Tensor(real: a.matmul(c) - b.matmul(d), imaginary: a.matmul(d) + b.matmul(c))
    }

    /// The matrix transpose (last two axes swapped, no conjugation). A view. Mirrors `x.mT`.
    /// Use ``conjugated()`` as well for the conjugate transpose `x.mH`.
    @inlinable public func transposedMatrix() -> Tensor { transposed() }

    /// The inverse of each complex square matrix. Mirrors `torch.linalg.inv` on complex input.
    ///
    /// Computed through the real `2n×2n` embedding `X + iY ↦ [[X, −Y], [Y, X]]`, whose inverse is
    /// the embedding of `(X + iY)⁻¹`: one real LU of twice the size (about 8× the work of a
    /// complex LU, ample for the small matrices eigenvector checks need).
    ///
    /// - Returns: `[..., n, n]`, batched.
    /// - Throws: ``LinearAlgebraError/singular(op:pivot:)`` if a matrix is singular (the pivot
    ///   refers to the `2n×2n` embedding).
    /// - Precondition: `self` has shape `[..., n, n]`.
    @inlinable public func inverse() throws(LinearAlgebraError) -> Tensor {
        precondition(rank >= 2 && _shape[rank - 1] == _shape[rank - 2],
                     "inverse: expected square matrices of shape [..., n, n], got shape \(_shape)")
        let n = _shape[rank - 1], batch = Array(_shape.dropLast(2))
        let batchCount = Shape.count(batch)
        let src = contiguous
        let embedded = Tensor<Scalar.RealPart>(shape: batch + [2 * n, 2 * n]) { out in
            let o = out.baseAddress!
            let s = src.storage.base + src._offset
            for b in 0..<batchCount {
                let e = o + b * 4 * n * n, m = s + b * n * n
                for i in 0..<n {
                    for j in 0..<n {
                        let z = m[i * n + j]
                        (e + i * 2 * n + j).initialize(to: z.real)              // X
                        (e + i * 2 * n + n + j).initialize(to: -z.imaginary)    // −Y
                        (e + (n + i) * 2 * n + j).initialize(to: z.imaginary)   // Y
                        (e + (n + i) * 2 * n + n + j).initialize(to: z.real)    // X
                    }
                }
            }
        }
        let inv = try embedded.inverse()
        return Tensor(shape: _shape) { out in
            let o = out.baseAddress!
            let e = inv.storage.base
            for b in 0..<batchCount {
                let blk = e + b * 4 * n * n
                for i in 0..<n {
                    for j in 0..<n {
                        (o + b * n * n + i * n + j).initialize(to: Scalar(blk[i * 2 * n + j], blk[(n + i) * 2 * n + j]))
                    }
                }
            }
        }
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// This real tensor as a complex one with zero imaginary parts. Mirrors `x.to(torch.complex128)`.
    @inlinable public func complex() -> Tensor<Complex<Scalar>> { map { Complex($0, 0) } }
}
