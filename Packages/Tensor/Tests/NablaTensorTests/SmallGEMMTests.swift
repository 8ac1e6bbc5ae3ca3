import Testing
import NablaTensor
import _NablaTestSupport

/// The AVX-512 GEMM kernels (`nabla_small_sgemm`/`dgemm`), when the CPU has AVX-512, against CBLAS
/// `?gemm` called directly, on every layout: both operands plain or transposed, k from 1 up,
/// sizes that are not multiples of the tile (8 rows) or of any vector width, C with a wider row
/// stride, alpha/beta, and the orientation switch (n narrow, m wide: computed as Cᵀ).
@Suite("Small matrix products")
struct SmallGEMMTests {
    /// (m, n, k): k = 1…3 as in a 2-input layer, odd sizes, the shapes of the 2-100-3 network's
    /// training step (300×2·2×100, 300×100·100×3, 3×300·300×100, 100×300·300×2, 300×3·3×100), one
    /// row or column, and k at the kernels' limit. Then every way the kernel splits the rows (blocks
    /// of 8, then 4, then 3, 2 or 1: m = 12, 15, 14, 13, 6, 3, 2, 1) and the columns (3 panels of 16
    /// at a time for 8 rows, 4 for fewer, the last group smaller: n = 49, 65, 130, 70), op(B) read
    /// in place with a partial last panel (m ≤ 4, or k·n small), and the dot products of n ≤ 4
    /// columns, 16 rows at a time, with m and k not multiples of 16 (33×4·40, 47×2·16, 300×1·37).
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (2, 3, 1), (7, 5, 2), (8, 16, 3), (9, 17, 3), (13, 1, 5), (1, 29, 4), (3, 3, 3),
        (300, 100, 2), (300, 3, 100), (3, 100, 300), (100, 2, 300), (300, 100, 3), (31, 33, 35),
        (64, 64, 64), (5, 40, 1024), (17, 9, 1),
        (12, 49, 7), (15, 65, 3), (14, 50, 2), (13, 130, 5), (6, 33, 20), (3, 70, 40), (2, 100, 300),
        (1, 100, 17), (33, 4, 40), (47, 2, 16), (300, 1, 37), (40, 130, 600),
    ]

    /// Operands of `m×k` and `k×n` (as stored: transposed ones are stored the other way round), with
    /// row strides wider than their rows, in `Scalar`.
    func check<S: TensorFloatingPoint>(_: S.Type, level: VectorLevel, tolerance: S) {
        var g = PhiloxGenerator(seed: 5)
        for (m, n, k) in Self.shapes {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                for (alpha, beta) in [(S(1), S(0)), (S(0.5), S(-2))] {
                    let (ar, ac) = ta ? (k, m) : (m, k), (br, bc) = tb ? (n, k) : (k, n)
                    let lda = ac + 3, ldb = bc + 1, ldc = n + 2
                    let a = Tensor<S>.randomNormal([ar * lda], using: &g).scalars
                    let b = Tensor<S>.randomNormal([br * ldb], using: &g).scalars
                    let c0 = Tensor<S>.randomNormal([m * ldc], using: &g).scalars
                    var expected = c0, actual = c0
                    blasGEMM(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                             b: b, ldb: ldb, beta: beta, c: &expected, ldc: ldc)
                    let done = _smallGEMM(level: level, transposeA: ta, transposeB: tb, m: m, n: n, k: k,
                                          alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &actual, ldc: ldc)
                    #expect(done, "\(level) \(m)×\(n)×\(k)")
                    // The padding between rows of C is never written.
                    for i in 0..<m { for j in n..<ldc { #expect(actual[i * ldc + j] == c0[i * ldc + j]) } }
                    // Sums of k products of N(0, 1) values, in another order than BLAS's: rounding
                    // differences grow with k (up to 1.5e-4 in Float at k = 1024, |C| ≈ 100); a wrong
                    // or missing term is off by O(1).
                    let scale = S(k) + 2
                    let worst = zip(actual, expected).map { ($0 - $1).magnitude }.max()!
                    #expect(worst <= tolerance * scale,
                            "\(level) \(S.self) \(m)×\(n)×\(k) ta \(ta) tb \(tb) alpha \(alpha): \(worst)")
                }
            }
        }
    }

    @Test func floatAtAVX512() {
        guard VectorLevel.supported.contains(.avx512) else { return }
        check(Float.self, level: .avx512, tolerance: 2e-6)
    }

    @Test func doubleAtAVX512() {
        guard VectorLevel.supported.contains(.avx512) else { return }
        check(Double.self, level: .avx512, tolerance: 4e-15)
    }

    /// Levels without the kernel (everything below AVX-512) and a k above the limit are refused,
    /// leaving C alone.
    @Test func refusesWhatItDoesNotHandle() {
        let a = [Float](repeating: 1, count: 2 * 2000), b = [Float](repeating: 1, count: 2000 * 2)
        var c: [Float] = [7, 7, 7, 7]
        for level in [VectorLevel.portable, .sse2, .avx2] {
            #expect(!_smallGEMM(level: level, transposeA: false, transposeB: false, m: 2, n: 2, k: 2, alpha: 1,
                                a: a, lda: 2, b: b, ldb: 2, beta: 0, c: &c, ldc: 2))
        }
        #expect(!_smallGEMM(level: VectorLevel.best, transposeA: false, transposeB: false, m: 2, n: 2, k: 2000,
                            alpha: 1, a: a, lda: 2000, b: b, ldb: 2, beta: 0, c: &c, ldc: 2))
        #expect(c == [7, 7, 7, 7])
    }

    /// Through `matmul` (the kernel at AVX-512, BLAS elsewhere): a product of the 2-100-3 network
    /// with a transposed view matches BLAS.
    @Test func matmulWithATransposedViewMatchesBLAS() {
        var g = PhiloxGenerator(seed: 9)
        let x = Tensor<Float>.randomNormal([300, 2], using: &g), w = Tensor<Float>.randomNormal([100, 2], using: &g)
        let y = x.matmul(w.transposed())
        var expected = [Float](repeating: 0, count: 300 * 100)
        blasGEMM(transposeA: false, transposeB: true, m: 300, n: 100, k: 2, alpha: 1, a: x.scalars, lda: 2,
                 b: w.scalars, ldb: 2, beta: 0, c: &expected, ldc: 100)
        #expect(zip(y.scalars, expected).allSatisfy { abs($0 - $1) <= 1e-5 })
    }

    /// Products large enough to be cut across threads (by columns, and by rows when n < 128), and
    /// ones with k above the kernel's limit (cut into 2 and 3 pieces of k, the first scaling C by
    /// beta and the others adding to it), with every transpose, alpha and beta, through `Float.gemm`
    /// and `Double.gemm` against CBLAS: the pieces' offsets and betas.
    @Test(arguments: [(300, 200, 500), (1000, 100, 200), (130, 700, 90), (20, 30, 1100), (33, 70, 2500)])
    func splitProductsMatchBLAS(_ size: (Int, Int, Int)) {
        let (m, n, k) = size
        var g = PhiloxGenerator(seed: 21)
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            for (alpha, beta) in [(1.0, 0.0), (0.5, -2.0)] {
                let lda = ta ? m : k, ldb = tb ? k : n
                let a = Tensor<Double>.randomNormal([m * k], using: &g).scalars
                let b = Tensor<Double>.randomNormal([k * n], using: &g).scalars
                let c0 = Tensor<Double>.randomNormal([m * n], using: &g).scalars
                var expected = c0, actual = c0
                blasGEMM(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
                         ldb: ldb, beta: beta, c: &expected, ldc: n)
                Double.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
                            ldb: ldb, beta: beta, c: &actual, ldc: n)
                let worst = zip(actual, expected).map { abs($0 - $1) }.max()!
                #expect(worst <= 1e-12, "\(m)×\(n)×\(k) ta \(ta) tb \(tb) beta \(beta): \(worst)")
                let af = a.map { Float($0) }, bf = b.map { Float($0) }
                var ef = c0.map { Float($0) }, cf = ef
                blasGEMM(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: Float(alpha), a: af, lda: lda,
                         b: bf, ldb: ldb, beta: Float(beta), c: &ef, ldc: n)
                Float.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: Float(alpha), a: af, lda: lda,
                           b: bf, ldb: ldb, beta: Float(beta), c: &cf, ldc: n)
                let worstF = zip(cf, ef).map { abs($0 - $1) }.max()!
                #expect(worstF <= 2e-4, "Float \(m)×\(n)×\(k) ta \(ta) tb \(tb) beta \(beta): \(worstF)")
            }
        }
    }
}
