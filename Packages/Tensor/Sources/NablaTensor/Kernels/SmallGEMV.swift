/// Matrix–vector products too small for BLAS threading to pay off.
///
/// OpenBLAS runs `?gemv` on every core once the matrix has more than about 9 000 elements; on a
/// busy machine the thread hand-off costs more than the product (a 100×100 `dgemv`, 10⁴
/// multiply-adds, took 5–10 µs threaded against 2 µs in this loop). Products up to
/// ``smallGEMVLimit`` elements run here on one core; larger ones go to BLAS.
@inlinable var smallGEMVLimit: Int { 65_536 }

/// A GEMM call `C = op(A)·op(B)` with one row or one column, seen as the matrix–vector product
/// `y = op(M)·x` that BLAS `?gemv` (or ``smallGEMV``) computes: for `n = 1`, `M` is `A` and `x` the
/// column of `op(B)`; for `m = 1`, `Cᵀ = op(B)ᵀ·op(A)ᵀ`, so `M` is `B` and `x` the row of `op(A)`.
@usableFromInline struct MatrixVectorProduct<T: BinaryFloatingPoint & SIMDScalar> {
    /// Whether `op(M) = Mᵀ`.
    @usableFromInline let transposed: Bool
    /// The stored matrix `M`: `rows×cols`, row-major, row stride `ld`.
    @usableFromInline let rows: Int, cols: Int, matrix: UnsafePointer<T>, ld: Int
    /// The vector and its stride.
    @usableFromInline let x: UnsafePointer<T>, incx: Int
    /// The stride of the result in `C`.
    @usableFromInline let incy: Int

    /// The product as a matrix–vector product, or `nil` when `C` has more than one row and column.
    @inlinable init?(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                     a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int, ldc: Int) {
        if n == 1 {
            transposed = transposeA
            (rows, cols) = transposeA ? (k, m) : (m, k)
            (matrix, ld, x, incx, incy) = (a, lda, b, transposeB ? 1 : ldb, ldc)
        } else if m == 1 {
            transposed = !transposeB
            (rows, cols) = transposeB ? (n, k) : (k, n)
            (matrix, ld, x, incx, incy) = (b, ldb, a, transposeA ? lda : 1, 1)
        } else {
            return nil
        }
    }

    /// Whether ``smallGEMV`` should run it (at most ``smallGEMVLimit`` matrix elements).
    @inlinable var isSmall: Bool { rows * cols <= smallGEMVLimit }

    /// `y ← alpha·op(M)·x + beta·y` with ``smallGEMV``.
    @inlinable func run(alpha: T, beta: T, y: UnsafeMutablePointer<T>) {
        smallGEMV(transposed: transposed, rows: rows, cols: cols, alpha: alpha, a: matrix, lda: ld,
                  x: x, incx: incx, beta: beta, y: y, incy: incy)
    }
}

/// `y ← alpha·op(A)·x + beta·y` for a row-major `rows×cols` matrix `A` with row stride `lda`:
/// `op(A) = A` (`x` has `cols` entries, `y` has `rows`) or `Aᵀ` when `transposed` (`x` has `rows`,
/// `y` has `cols`). Strides `incx`, `incy` are positive. `y` is not read when `beta` is zero, as in BLAS.
@inlinable
func smallGEMV<T: BinaryFloatingPoint & SIMDScalar>(
    transposed: Bool, rows: Int, cols: Int, alpha: T, a: UnsafePointer<T>, lda: Int,
    x: UnsafePointer<T>, incx: Int, beta: T, y: UnsafeMutablePointer<T>, incy: Int) {
    let xCount = transposed ? rows : cols, yCount = transposed ? cols : rows
    withUnsafeTemporaryAllocation(of: T.self, capacity: xCount + yCount) { scratch in
        let xs = scratch.baseAddress!, acc = xs + xCount
        for i in 0..<xCount { (xs + i).initialize(to: x[i * incx]) }
        if transposed {
            // acc = Aᵀx: add x[i]·(row i of A) for each row; the inner loop runs along a row.
            acc.initialize(repeating: 0, count: yCount)
            for i in 0..<rows {
                let xi = xs[i], row = a + i * lda
                for j in 0..<cols { acc[j] += xi * row[j] }
            }
        } else {
            // acc[i] = row i · x, with eight lanes of partial sums.
            for i in 0..<rows {
                let row = a + i * lda
                var lanes = SIMD8<T>()
                var j = 0
                while j + 8 <= cols {
                    lanes += UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<T>.self)
                        * UnsafeRawPointer(xs + j).loadUnaligned(as: SIMD8<T>.self)
                    j += 8
                }
                var s = lanes.sum()
                while j < cols { s += row[j] * xs[j]; j += 1 }
                (acc + i).initialize(to: s)
            }
        }
        if beta == 0 {
            for i in 0..<yCount { y[i * incy] = alpha * acc[i] }
        } else {
            for i in 0..<yCount { y[i * incy] = alpha * acc[i] + beta * y[i * incy] }
        }
        scratch.baseAddress!.deinitialize(count: xCount + yCount)
    }
}
