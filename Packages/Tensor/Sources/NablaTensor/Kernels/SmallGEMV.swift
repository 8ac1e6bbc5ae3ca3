/// Matrix–vector products too small for BLAS threading to pay off.
///
/// OpenBLAS runs `?gemv` on every core once the matrix has more than about 9 000 elements; on a
/// busy machine the thread hand-off costs more than the product (a 100×100 `dgemv`, 10⁴
/// multiply-adds, took 5–10 µs threaded against 2 µs in this loop). Products up to
/// ``smallGEMVLimit`` elements run here on one core; larger ones go to BLAS.
@inlinable var smallGEMVLimit: Int { 65_536 }

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
