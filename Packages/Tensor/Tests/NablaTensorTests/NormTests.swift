import Testing
import NablaTensor
import _NablaTestSupport

// Tolerances: these are sums of a handful of exactly representable terms followed by one sqrt/pow,
// so results are within a few ulps (≤ 1e-14 on values ≤ 52).

@Suite("Norms, distances, angles, trace")
struct NormTests {
    let x: Tensor<Double> = [3, -4, 12]
    let y: Tensor<Double> = [1, 2, 2]

    @Test func vectorNorms() {
        // Slides "Euclidean norm", "Other norms", "Common Lᵖ norms", by hand: ‖x‖₂ = √(9 + 16 + 144) = 13,
        // ‖x‖₁ = 19, ‖x‖∞ = 12, min |xᵢ| = 3, three non-zeros.
        #expect(x.norm().scalar == 13)
        #expect(x.norm().shape == [])
        #expect(x.norm(p: 1).scalar == 19)
        #expect(x.norm(p: .infinity).scalar == 12)
        #expect(x.norm(p: -.infinity).scalar == 3)
        #expect(Tensor<Double>([0, 2, 0, -1]).norm(p: 0).scalar == 2)
        // ‖x‖₂ = √(xᵀx).
        #expect(x.norm().scalar == x.dot(x).scalar.squareRoot())
        // numpy.linalg.norm(x, 3) = 12.207054953820636 = 1819^(1/3); numpy.linalg.norm(x, 0.5) = 51.78460969082653.
        #expect(Swift.abs(x.norm(p: 3).scalar - 12.207054953820636) < 1e-14)
        #expect(Swift.abs(x.norm(p: 0.5).scalar - 51.78460969082653) < 1e-13)
        // Along an axis, with keepingDims: torch.linalg.vector_norm([[3, 4], [6, 8]], dim=1) = [5, 10].
        let rows: Tensor<Double> = [[3, 4], [6, 8]]
        #expect(rows.norm(axis: 1).scalars == [5, 10])
        #expect(rows.norm(axis: 1, keepingDims: true).shape == [2, 1])
        #expect(rows.norm(p: 1, axis: 0).scalars == [9, 12])
        // Float: 13 is exact in binary32 too.
        #expect(Tensor<Float>([3, -4, 12]).norm().scalar == 13)
    }

    @Test func matrixNorms() {
        // A = [[1, −2], [3, 4]]: Frobenius √30; column sums |·| (4, 6) → 6; row sums (3, 7) → 7.
        // AᵀA = [[10, 10], [10, 20]] ⇒ σ² = 15 ± √125, σ₁σ₂ = |det A| = 10 ⇒ σ₁ = √(15 + √125) =
        // 5.116672736016927 (numpy.linalg.norm(A, 2)) and σ₁ + σ₂ = √(30 + 20) = √50 (numpy 'nuc': 7.0710678118654755).
        let A: Tensor<Double> = [[1, -2], [3, 4]]
        #expect(Swift.abs(A.matrixNorm().scalar - 30.0.squareRoot()) < 1e-15)
        #expect(A.matrixNorm(.maxColumnSum).scalar == 6)
        #expect(A.matrixNorm(.maxRowSum).scalar == 7)
        #expect(Swift.abs(A.matrixNorm(.spectral).scalar - 5.116672736016927) < 1e-14)
        #expect(Swift.abs(A.matrixNorm(.nuclear).scalar - 50.0.squareRoot()) < 1e-14)
        // Batched: [A, 2A] gives [√30, 2√30]; keepingDims gives [2, 1, 1].
        let batch = Tensor<Double>(shape: [2, 2, 2], scalars: A.scalars + (A * 2).scalars)
        let r30 = Double(30).squareRoot()
        #expect(allClose(batch.matrixNorm(), Tensor([r30, 2 * r30]), rtol: 0, atol: 1e-14))
        #expect(batch.matrixNorm(.spectral, keepingDims: true).shape == [2, 1, 1])
    }

    @Test func distanceCosineAndAngle() {
        // Slide "Lengths and distance": d(x, y) = ‖x − y‖ = ‖(2, −6, 10)‖ = √140 = 11.832159566199232.
        #expect(Swift.abs(x.distance(to: y).scalar - 140.0.squareRoot()) < 1e-15)
        #expect(x.distance(to: y, p: 1).scalar == 18)
        // Slide "Angle between vectors": cos ω = ⟨x, y⟩/(‖x‖‖y‖) = (3 − 8 + 24)/(13·3) = 19/39,
        // ω = arccos(19/39) = 1.0619392054841388 (numpy.arccos).
        #expect(Swift.abs(x.cosineSimilarity(y).scalar - 19.0 / 39) < 1e-15)
        #expect(Swift.abs(x.angle(with: y).scalar - 1.0619392054841388) < 1e-15)
        // docs/linear-algebra.md's example: the angle between (1, 0) and (1, 1) is π/4.
        #expect(Swift.abs(Tensor<Double>([1, 0]).angle(with: [1, 1]).scalar - Double.pi / 4) < 1e-15)
        // Parallel, orthogonal and opposite vectors: angles 0, π/2, π.
        #expect(x.angle(with: x * 2).scalar == 0)
        #expect(Swift.abs(Tensor<Double>([1, 0]).angle(with: Tensor([0, 3])).scalar - Double.pi / 2) < 1e-15)
        #expect(Swift.abs(x.angle(with: -x).scalar - Double.pi) < 1e-15)
        // Row-wise with a zero row: torch.nn.functional.cosine_similarity(X, Y, dim=1) = [1.0, 0.7071067811865475, 0.0].
        let X: Tensor<Double> = [[1, 0, 0], [1, 1, 0], [0, 0, 0]]
        let Y: Tensor<Double> = [[1, 0, 0], [0, 1, 0], [0, 0, 5]]
        #expect(allClose(X.cosineSimilarity(Y, axis: 1), [1, 0.7071067811865475, 0], rtol: 0, atol: 1e-15))
        // Distances along an axis with broadcasting: each row of X to the origin.
        #expect(allClose(X.distance(to: Tensor([0, 0, 0]), axis: 1), Tensor([1, 2.0.squareRoot(), 0]), rtol: 0, atol: 1e-15))
    }

    @Test func traceAndDiagonal() throws {
        // tr [[1, 2], [3, 4]] = 5; diagonal of a 2×3 matrix is (a₀₀, a₁₁).
        let A: Tensor<Double> = [[1, 2], [3, 4]]
        #expect(A.trace().scalar == 5)
        let W = Tensor<Double>.arange(0, 6).reshaped(2, 3)
        #expect(W.diagonalPart().scalars == [0, 4])
        #expect(W.transposed().diagonalPart().scalars == [0, 4])
        // Batched: arange(8).reshape(2, 2, 2) has traces 0 + 3 = 3 and 4 + 7 = 11; works for integers.
        #expect(Tensor<Int>(shape: [2, 2, 2], scalars: Array(0..<8)).trace().scalars == [3, 11])
        // trace = Σ eigenvalues and det = Π eigenvalues for a symmetric matrix (2 + 5 = 7, 2·5 = 10):
        // [[4, 1], [2, 3]] is not symmetric, so use [[3, 1], [1, 3]] with λ = 2, 4 (hand).
        let S: Tensor<Double> = [[3, 1], [1, 3]]
        let (l, _) = try S.eigh()
        #expect(allClose(l, [2, 4], rtol: 0, atol: 1e-15))
        #expect(Swift.abs(l.sum().scalar - S.trace().scalar) < 1e-15)
        #expect(Swift.abs(l.product().scalar - S.determinant().scalar) < 1e-14)
    }
}

@Suite("Seed 004: the linear-algebra slides")
struct LinearAlgebraSlideTests {
    @Test func dotProductIsXTransposeY() {
        // ⟨x, y⟩ = xᵀy = Σ xᵢyᵢ = 1·4 + 2·5 + 3·6 = 32 (hand), as a dot product and as a 1×3·3×1 matmul.
        let x: Tensor<Double> = [1, 2, 3], y: Tensor<Double> = [4, 5, 6]
        #expect(x.dot(y).scalar == 32)
        #expect(x.unsqueezed(axis: 1).transposed().matmul(y.unsqueezed(axis: 1)).scalars == [32])
    }

    @Test func transposeProductsAndNonCommutativity() {
        // (A^T)ᵢⱼ = Aⱼᵢ on the slide's 3×2 example; (AB)ᵀ = BᵀAᵀ for A 3×2, B 2×4; AB ≠ BA for squares.
        let A: Tensor<Double> = [[1, 2], [3, 4], [5, 6]]
        #expect(A.transposed().shape == [2, 3])
        #expect(A.transposed().scalars == [1, 3, 5, 2, 4, 6])
        let B: Tensor<Double> = [[1, 0, -1, 2], [0, 1, 3, -2]]
        #expect(A.matmul(B).transposed().scalars == B.transposed().matmul(A.transposed()).scalars)
        // Hand: P = [[1, 1], [0, 1]], Q = [[1, 0], [1, 1]]: PQ = [[2, 1], [1, 1]], QP = [[1, 1], [1, 2]].
        let P: Tensor<Double> = [[1, 1], [0, 1]], Q: Tensor<Double> = [[1, 0], [1, 1]]
        #expect(P.matmul(Q).scalars == [2, 1, 1, 1])
        #expect(Q.matmul(P).scalars == [1, 1, 1, 2])
        #expect(P.matmul(Q) != Q.matmul(P))
    }

    @Test func broadcastingSumAndScalarMultiplication() {
        // C = A + b means Cᵢⱼ = Aᵢⱼ + bⱼ (b added to every row); D = a·B + c means Dᵢⱼ = a·Bᵢⱼ + c.
        let A: Tensor<Double> = [[1, 2, 3], [4, 5, 6]], b: Tensor<Double> = [10, 20, 30]
        #expect((A + b).scalars == [11, 22, 33, 14, 25, 36])
        #expect((2 * A + 1).scalars == [3, 5, 7, 9, 11, 13])
        #expect((A + A).scalars == [2, 4, 6, 8, 10, 12])
    }

    @Test func inverseAndSolve() throws {
        // A⁻¹A = Iₙ and x = A⁻¹b: A = [[2, 1], [5, 3]] (det 1, A⁻¹ = [[3, −1], [−5, 2]] by hand), b = (1, 2)
        // ⇒ x = (3 − 2, −5 + 4) = (1, −1).
        let A: Tensor<Double> = [[2, 1], [5, 3]]
        let inv = try A.inverse()
        #expect(allClose(inv, [[3, -1], [-5, 2]], rtol: 0, atol: 1e-14))
        #expect(allClose(inv.matmul(A), Tensor.eye(2), rtol: 0, atol: 1e-14))
        #expect(allClose(try A.solve([1, 2]), [1, -1], rtol: 0, atol: 1e-14))
        #expect(allClose(inv.matmul(Tensor([1, 2])), [1, -1], rtol: 0, atol: 1e-14))
    }
}
