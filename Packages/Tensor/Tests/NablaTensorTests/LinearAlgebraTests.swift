import Testing
import NablaTensor
import _NablaTestSupport

// Tolerances: LU-based results on these small, well-conditioned matrices carry a few ulps of
// rounding per entry (NumPy, on the same LAPACK, shows errors of 1–4 ulps on the same inputs), so
// `1e-14` absolute on entries of size ≤ 5 (≈ 20 ulps) is tight without being flaky.

@Suite("Inverse, solve and determinants")
struct InverseSolveTests {
    @Test func inverseOfIntegerMatrixAndIdentity() throws {
        // Hand calculation: det = −1, adjugate gives the integer inverse below
        // (numpy.linalg.inv prints [[0, 0, 1], [-2.0000000000000004, 1, 3], [3, -1, -5]]).
        let A: Tensor<Double> = [[2, 1, 1], [1, 3, 2], [1, 0, 0]]
        let inv = try A.inverse()
        let expected: Tensor<Double> = [[0, 0, 1], [-2, 1, 3], [3, -1, -5]]
        #expect(allClose(inv, expected, rtol: 0, atol: 1e-14))
        // A⁻¹A = I and AA⁻¹ = I (slide "Identity and Inverse Matrices").
        #expect(allClose(inv.matmul(A), Tensor.eye(3), rtol: 0, atol: 1e-14))
        #expect(allClose(A.matmul(inv), Tensor.eye(3), rtol: 0, atol: 1e-14))
    }

    @Test func inverseOfTwoByTwoClosedForm() throws {
        // [[a, b], [c, d]]⁻¹ = [[d, −b], [−c, a]] / (ad − bc); here ad − bc = 24 − 14 = 10.
        let A: Tensor<Double> = [[4, 7], [2, 6]]
        #expect(allClose(try A.inverse(), [[0.6, -0.7], [-0.2, 0.4]], rtol: 0, atol: 1e-15))
        // Float: same closed form; 4 ulps of 0.7 ≈ 2.4e-7.
        let Af: Tensor<Float> = [[4, 7], [2, 6]]
        #expect(allClose(try Af.inverse(), [[0.6, -0.7], [-0.2, 0.4]], rtol: 0, atol: 3e-7))
    }

    @Test func batchedInverse() throws {
        // Two matrices in one [2, 2, 2] tensor; the second is diagonal, inverse diag(1/2, 1/4).
        let A = Tensor<Double>(shape: [2, 2, 2], scalars: [4, 7, 2, 6, 2, 0, 0, 4])
        let inv = try A.inverse()
        #expect(inv.shape == [2, 2, 2])
        #expect(allClose(inv, Tensor(shape: [2, 2, 2], scalars: [0.6, -0.7, -0.2, 0.4, 0.5, 0, 0, 0.25]),
                         rtol: 0, atol: 1e-15))
        // A transposed view (non-contiguous input) inverts to the transposed inverse.
        #expect(allClose(try A.transposed().inverse(), inv.transposed().contiguous, rtol: 0, atol: 1e-15))
    }

    @Test func inverseOfLargerRandomMatrix() throws {
        // A Gaussian 60×60 matrix plus 60·I is diagonally dominant-ish (cond ≈ 3), so A⁻¹A = I to
        // within n·cond·ε ≈ 60·3·2.2e-16 ≈ 4e-14; allow 1e-12.
        var g = PhiloxGenerator(seed: 42)
        let A = Tensor<Double>.randomNormal([60, 60], using: &g) + Tensor.eye(60) * 60
        #expect(maxAbsDifference(try A.inverse().matmul(A), Tensor.eye(60)) < 1e-12)
    }

    @Test func singularMatrixThrows() throws {
        // Rows 1 and 2 are proportional; partial pivoting takes row 2 first, leaving U[2, 2] = 0.
        let A: Tensor<Double> = [[1, 2], [2, 4]]
        #expect(throws: LinearAlgebraError.singular(op: "inverse", pivot: 2)) { try A.inverse() }
        #expect(throws: LinearAlgebraError.singular(op: "solve", pivot: 2)) { try A.solve([1, 2]) }
        #expect(LinearAlgebraError.singular(op: "inverse", pivot: 2).description
                == "inverse: matrix is singular (zero pivot at 2)")
        // The determinant of a singular matrix is 0, not an error.
        #expect(A.determinant().scalar == 0)
        let (sign, logAbs) = A.slogdet()
        #expect(sign.scalar == 0 && logAbs.scalar == -.infinity)
    }

    @Test func solveVectorAndMatrixRightHandSides() throws {
        // Slide "If Ax = b and A⁻¹ exists then x = A⁻¹b". 3x + y = 9, x + 2y = 8 ⇒ (x, y) = (2, 3) by hand.
        let A: Tensor<Double> = [[3, 1], [1, 2]]
        let x = try A.solve([9, 8])
        #expect(x.shape == [2])
        #expect(allClose(x, [2, 3], rtol: 0, atol: 1e-15))
        #expect(allClose(try A.inverse().matmul(Tensor([9, 8])), x, rtol: 0, atol: 1e-14))
        // Gaussian-elimination textbook system (Wikipedia "Gaussian elimination"): x = (2, 3, −1).
        let M: Tensor<Double> = [[2, 1, -1], [-3, -1, 2], [-2, 1, 2]]
        #expect(allClose(try M.solve([8, -11, -3]), [2, 3, -1], rtol: 0, atol: 1e-14))
        // Matrix right-hand side: columns solved independently.
        let X = try A.solve([[9, 3], [8, 1]])
        #expect(X.shape == [2, 2])
        #expect(allClose(X, [[2, 1], [3, 0]], rtol: 0, atol: 1e-15))
    }

    @Test func batchedSolveBroadcastsTheRightHandSide() throws {
        // One vector b for a batch of two matrices (torch.linalg.solve broadcasting).
        let A = Tensor<Double>(shape: [2, 2, 2], scalars: [3, 1, 1, 2, 2, 0, 0, 4])
        let x = try A.solve(Tensor([9, 8]))
        #expect(x.shape == [2, 2])
        #expect(allClose(x, Tensor(shape: [2, 2], scalars: [2, 3, 4.5, 2]), rtol: 0, atol: 1e-15))
        // b of shape [2, 2] == A.shape.dropLast() is a batch of vectors, one per matrix.
        let y = try A.solve(Tensor(shape: [2, 2], scalars: [9, 8, 2, 4]))
        #expect(allClose(y, Tensor(shape: [2, 2], scalars: [2, 3, 1, 1]), rtol: 0, atol: 1e-15))
    }

    @Test func determinantsAgreeWithNumPy() {
        // numpy.linalg.det([[4, 7], [2, 6]]) = 10.000000000000002 (exact: 10).
        #expect(Swift.abs(Tensor<Double>([[4, 7], [2, 6]]).determinant().scalar - 10) < 1e-14)
        // Hand: [[2,1,1],[1,3,2],[1,0,0]] expands along row 3 to 1·(2 − 3) = −1; numpy gives -1.0.
        #expect(Swift.abs(Tensor<Double>([[2, 1, 1], [1, 3, 2], [1, 0, 0]]).determinant().scalar + 1) < 1e-14)
        // A row swap flips the sign: det [[0, 1], [1, 0]] = −1.
        #expect(Tensor<Double>([[0, 1], [1, 0]]).determinant().scalar == -1)
        // Hilbert matrix H₄: det = 1/6048000 (closed form); cond ≈ 1.6e4, so rel. error ≲ 1e-11.
        let hilbert: [Double] = (0..<16).map { (k: Int) -> Double in 1 / Double(k / 4 + k % 4 + 1) }
        let H = Tensor<Double>(shape: [4, 4], scalars: hilbert)
        #expect(Swift.abs(H.determinant().scalar * 6_048_000 - 1) < 1e-11)
        // Batched: det of each matrix, result shape [2].
        let batch = Tensor<Double>(shape: [2, 2, 2], scalars: [4, 7, 2, 6, 2, 0, 0, 4])
        #expect(batch.determinant().shape == [2])
        #expect(allClose(batch.determinant(), [10, 8], rtol: 0, atol: 1e-14))
    }

    @Test func slogdetAgreesWithNumPy() {
        // numpy.linalg.slogdet([[4, 7], [2, 6]]) = (1.0, 2.302585092994046) = (1, log 10).
        let (s1, l1) = Tensor<Double>([[4, 7], [2, 6]]).slogdet()
        #expect(s1.scalar == 1)
        #expect(Swift.abs(l1.scalar - 2.302585092994046) < 1e-14)
        // numpy.linalg.slogdet([[0, 1], [1, 0]]) = (-1.0, 0.0).
        let (s2, l2) = Tensor<Double>([[0, 1], [1, 0]]).slogdet()
        #expect(s2.scalar == -1 && l2.scalar == 0)
        // 10·I₂₀₀: det = 1e200 overflows nothing here but 10·I₄₀₀ would; log|det| = 200·log 10
        // = 460.51701859880785 (numpy.linalg.slogdet(np.eye(200)*10)), exact pivots so exact sum up to rounding.
        let (s3, l3) = (Tensor<Double>.eye(200) * 10).slogdet()
        #expect(s3.scalar == 1)
        #expect(Swift.abs(l3.scalar - 460.51701859880785) < 1e-11)
        // A negative diagonal entry flips the sign: diag(−2, 3) has det −6.
        let (s4, l4) = Tensor<Double>([[-2, 0], [0, 3]]).slogdet()
        #expect(s4.scalar == -1)
        #expect(Swift.abs(l4.scalar - 1.791759469228055) < 1e-15)   // log 6 = 1.791759469228055
    }

    @Test func matrixPower() throws {
        // [[1, 1], [1, 0]]ⁿ = [[F(n+1), F(n)], [F(n), F(n−1)]] (Fibonacci); F(10) = 55, F(11) = 89.
        let F: Tensor<Double> = [[1, 1], [1, 0]]
        #expect(try F.matrixPower(10).scalars == [89, 55, 55, 34])
        #expect(try F.matrixPower(0).scalars == [1, 0, 0, 1])
        // F⁻¹ = [[0, 1], [1, −1]]; F⁻² = [[1, −1], [−1, 2]] by hand.
        #expect(allClose(try F.matrixPower(-2), [[1, -1], [-1, 2]], rtol: 0, atol: 1e-15))
    }

    @Test func nonSquareInverseStops() async {
        await #expect(processExitsWith: .failure) {
            _ = try? Tensor<Double>.zeros([2, 3]).inverse()   // "inverse: expected square matrices ..."
        }
        await #expect(processExitsWith: .failure) {
            _ = try? Tensor<Double>.eye(3).solve(Tensor<Double>.zeros([2]))   // "solve: shapes [3, 3] and [2] do not fit ..."
        }
    }
}
