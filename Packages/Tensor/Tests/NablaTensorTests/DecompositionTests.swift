import Testing
import ComplexModule
import NablaTensor
import _NablaTestSupport

// Tolerances: every matrix below is small and well conditioned (cond ≤ ~10), so backward-stable
// LAPACK factorizations reproduce their inputs to a few ulps per entry; 1e-13 absolute on entries of
// size ≤ 200 leaves room for ~n·cond·ε growth without letting a wrong sign or order through.

typealias C64 = Complex<Double>

/// Whether two complex tensors agree part by part within `atol`.
func complexClose(_ a: Tensor<C64>, _ b: Tensor<C64>, atol: Double) -> Bool {
    a.shape == b.shape && allClose(a.real, b.real, rtol: 0, atol: atol)
        && allClose(a.imaginary, b.imaginary, rtol: 0, atol: atol)
}

@Suite("Cholesky, eigendecompositions, SVD, QR, least squares")
struct DecompositionTests {
    @Test func choleskyOfTheWikipediaMatrix() throws {
        // Wikipedia "Cholesky decomposition" example; numpy.linalg.cholesky prints the same integers.
        let A: Tensor<Double> = [[4, 12, -16], [12, 37, -43], [-16, -43, 98]]
        let L = try A.cholesky()
        #expect(allClose(L, [[2, 0, 0], [6, 1, 0], [-8, 5, 3]], rtol: 0, atol: 1e-14))
        #expect(allClose(L.matmul(L.transposed()), A, rtol: 0, atol: 1e-13))
        // Batched: the same matrix and 4·I (L = 2·I).
        let batch = Tensor<Double>(shape: [2, 3, 3], scalars: A.scalars + (Tensor<Double>.eye(3) * 4).scalars)
        let Lb = try batch.cholesky()
        #expect(Lb.shape == [2, 3, 3])
        #expect(allClose(Lb, Tensor(shape: [2, 3, 3], scalars: L.scalars + (Tensor<Double>.eye(3) * 2).scalars),
                         rtol: 0, atol: 1e-14))
    }

    @Test func choleskyOfANonPositiveDefiniteMatrixThrows() {
        // [[1, 2], [2, 1]] has eigenvalues 3 and −1: minor 1 (= 1) is fine, minor 2 (det = −3) is not.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(op: "cholesky", minor: 2)) {
            try Tensor<Double>([[1, 2], [2, 1]]).cholesky()
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(op: "cholesky", minor: 1)) {
            try Tensor<Float>([[-1, 0], [0, 1]]).cholesky()
        }
        #expect(LinearAlgebraError.notPositiveDefinite(op: "cholesky", minor: 2).description
                == "cholesky: leading minor 2 is not positive definite")
    }

    @Test func symmetricEigendecompositionIsQLambdaQTransposed() throws {
        // Second-difference matrix: eigenvalues 2 − 2cos(kπ/4), k = 1, 2, 3 = 2 − √2, 2, 2 + √2
        // (closed form; numpy.linalg.eigh gives [0.5857864376269051, 1.9999999999999998, 3.414213562373095]).
        let A: Tensor<Double> = [[2, -1, 0], [-1, 2, -1], [0, -1, 2]]
        let (lambda, Q) = try A.eigh()
        #expect(allClose(lambda, Tensor([2 - 2.0.squareRoot(), 2, 2 + 2.0.squareRoot()]), rtol: 0, atol: 1e-14))
        // A = QΛQᵀ and QᵀQ = I (slide "Eigendecomposition for real symmetric matrix").
        let rebuilt = Q.matmul(Tensor.diagonal(lambda)).matmul(Q.transposed())
        #expect(allClose(rebuilt, A, rtol: 0, atol: 1e-14))
        #expect(allClose(Q.transposed().matmul(Q), Tensor.eye(3), rtol: 0, atol: 1e-14))
        // The eigenvector of λ = 2 is ±(1, 0, −1)/√2 (numpy: [-0.7071, 3e-16, 0.7071]).
        let middle = Q.scalars[1] < 0 ? -1.0 : 1.0
        #expect(Swift.abs(Q[element: 0, 1] * middle - 0.5.squareRoot()) < 1e-14)
        #expect(Swift.abs(Q[element: 1, 1]) < 1e-14)
    }

    @Test func quadraticFormOnTheUnitSphereIsBoundedByTheExtremeEigenvalues() throws {
        // Slide "optimize quadratic expressions": max/min of f(x) = xᵀAx on ‖x‖ = 1 are λmax/λmin.
        let A: Tensor<Double> = [[4, 1, 0], [1, 3, 1], [0, 1, -2]]
        let (lambda, Q) = try A.eigh()
        let lmin = lambda.scalars[0], lmax = lambda.scalars[2]
        // 20 000 random unit vectors (Gaussian samples, normalized): every f(x) lies in [λmin, λmax]
        // (up to rounding, 1e-12), and the best samples come close to both ends. On S² a sample within
        // angle δ of ±q has f ≥ λmax − (λmax − λmin)·δ²; 20 000 points leave δ ≈ 0.02, a gap ≲ 3e-3,
        // so 0.05 is a safe bound that a wrong eigenvalue (off by ≥ 0.1) still violates.
        var g = PhiloxGenerator(seed: 2024)
        let raw = Tensor<Double>.randomNormal([20_000, 3], using: &g)
        let x = raw / raw.squared().sum(axis: 1, keepingDims: true).sqrt()
        let f = (x.matmul(A) * x).sum(axis: 1)
        let fmax = f.max().scalar, fmin = f.min().scalar
        #expect(fmax <= lmax + 1e-12 && fmax > lmax - 0.05)
        #expect(fmin >= lmin - 1e-12 && fmin < lmin + 0.05)
        // The eigenvectors attain the extremes exactly (to rounding): f(q) = qᵀAq = λ.
        for (j, l) in [(0, lmin), (2, lmax)] {
            let q = Q.transposed().contiguous.reshaped(3, 3).scalars[(3 * j)..<(3 * j + 3)]
            let qt = Tensor<Double>(Array(q))
            #expect(Swift.abs(qt.dot(A.matmul(qt)).scalar - l) < 1e-13)
        }
    }

    @Test func generalEigendecompositionWithRealEigenvalues() throws {
        // [[4, 1], [2, 3]]: characteristic polynomial λ² − 7λ + 10 ⇒ λ = 5, 2 (hand; numpy order [5, 2]).
        let A: Tensor<Double> = [[4, 1], [2, 3]]
        let (lambda, V) = try A.eig()
        #expect(complexClose(lambda, Tensor<Double>([5, 2]).complex(), atol: 1e-14))
        // numpy.linalg.eig: V = [[0.7071067811865475, -0.4472135954999579], [0.7071067811865475, 0.8944271909999159]]
        // i.e. (1, 1)/√2 and (−1, 2)/√5, unit length with LAPACK's sign choice.
        let expectedV: Tensor<Double> = [[0.7071067811865475, -0.4472135954999579], [0.7071067811865475, 0.8944271909999159]]
        #expect(complexClose(V, expectedV.complex(), atol: 1e-14))
        // A = V diag(λ) V⁻¹ (slide "Eigendecomposition").
        let rebuilt = (V * lambda.unsqueezed(axis: 0)).matmul(try V.inverse())
        #expect(complexClose(rebuilt, A.complex(), atol: 1e-13))
    }

    @Test func rotationHasComplexEigenvalues() throws {
        // Rotation by 60° in the xy-plane, scaling z by 2: λ = e^{±iπ/3} = 0.5 ± 0.8660254037844386i and 2.
        // numpy.linalg.eig gives [0.5000000000000001+0.8660254037844386j, 0.5000000000000001-0.8660254037844386j, 2]
        // with eigenvectors (1, −i, 0)/√2, (1, i, 0)/√2, (0, 0, 1).
        let c = 0.5, s = 0.75.squareRoot()
        let A = Tensor<Double>([[c, -s, 0], [s, c, 0], [0, 0, 2]])
        let (lambda, V) = try A.eig()
        #expect(lambda.shape == [3] && V.shape == [3, 3])
        let expectedLambda = Tensor<C64>(real: Tensor([0.5, 0.5, 2]), imaginary: Tensor([s, -s, 0]))
        #expect(complexClose(lambda, expectedLambda, atol: 1e-15))
        let r = 0.5.squareRoot()
        let expectedV = Tensor<C64>(real: Tensor([[r, r, 0], [0, 0, 0], [0, 0, 1]]),
                                    imaginary: Tensor([[0, 0, 0], [-r, r, 0], [0, 0, 0]]))
        #expect(complexClose(V, expectedV, atol: 1e-15))
        // A·V = V·diag(λ) and A = V diag(λ) V⁻¹, in complex arithmetic.
        let AV = A.complex().matmul(V)
        #expect(complexClose(AV, V * lambda.unsqueezed(axis: 0), atol: 1e-15))
        #expect(complexClose((V * lambda.unsqueezed(axis: 0)).matmul(try V.inverse()), A.complex(), atol: 1e-15))
        // Batched eig: the rotation and [[4, 1], [2, 3]] padded to 3×3 with a 1.
        let B: Tensor<Double> = [[4, 1, 0], [2, 3, 0], [0, 0, 1]]
        let (lb, _) = try Tensor<Double>(shape: [2, 3, 3], scalars: A.scalars + B.scalars).eig()
        #expect(lb.shape == [2, 3])
        #expect(complexClose(lb, Tensor<C64>(real: Tensor([[0.5, 0.5, 2], [5, 2, 1]]), imaginary: Tensor([[s, -s, 0], [0, 0, 0]])),
                             atol: 1e-14))
    }

    @Test func svdAgreesWithNumPyAndReconstructs() throws {
        // [[3, 2, 2], [2, 3, −2]]: AAᵀ = [[17, 8], [8, 17]] has eigenvalues 25, 9 ⇒ σ = 5, 3 (hand;
        // numpy.linalg.svd: S = [4.999999999999999, 2.9999999999999996]).
        let A: Tensor<Double> = [[3, 2, 2], [2, 3, -2]]
        let (U, S, Vh) = try A.svd()
        #expect(U.shape == [2, 2] && S.shape == [2] && Vh.shape == [2, 3])
        #expect(allClose(S, [5, 3], rtol: 0, atol: 1e-14))
        #expect(allClose((U * S.unsqueezed(axis: 0)).matmul(Vh), A, rtol: 0, atol: 1e-14))
        #expect(allClose(Vh.matmul(Vh.transposed()), Tensor.eye(2), rtol: 0, atol: 1e-14))
        // Full matrices: Vh is 3×3 orthogonal; numpy's third row is ±(−2, 2, 1)/3.
        let (Uf, Sf, Vhf) = try A.svd(fullMatrices: true)
        #expect(Uf.shape == [2, 2] && Sf.shape == [2] && Vhf.shape == [3, 3])
        #expect(allClose(Vhf.matmul(Vhf.transposed()), Tensor.eye(3), rtol: 0, atol: 1e-14))
        #expect(Swift.abs(Swift.abs(Vhf[element: 2, 2]) - 1.0 / 3) < 1e-14)
        #expect(allClose(try A.singularValues(), [5, 3], rtol: 0, atol: 1e-14))
        // A random batch of tall matrices reconstructs; U has orthonormal columns.
        var g = PhiloxGenerator(seed: 5)
        let R = Tensor<Double>.randomNormal([3, 6, 4], using: &g)
        let (Ur, Sr, Vr) = try R.svd()
        #expect(Ur.shape == [3, 6, 4] && Sr.shape == [3, 4] && Vr.shape == [3, 4, 4])
        #expect(maxAbsDifference((Ur * Sr.unsqueezed(axis: -2)).matmul(Vr), R) < 1e-13)
        #expect(maxAbsDifference(Ur.transposed().matmul(Ur), Tensor.eye(4).expanded(to: [3, 4, 4]).contiguous) < 1e-14)
        #expect((Sr.scalars.indices.dropLast()).allSatisfy { i in i % 4 == 3 || Sr.scalars[i] >= Sr.scalars[i + 1] })
    }

    @Test func qrOfTheWikipediaMatrix() {
        // Wikipedia "QR decomposition" (Householder) example; numpy.linalg.qr gives
        // R = [[−14, −21, 14], [0, −175, 70], [0, 0, −35]] and Q's first column −(6, 3, −2)/7.
        let A: Tensor<Double> = [[12, -51, 4], [6, 167, -68], [-4, 24, -41]]
        let (Q, R) = A.qr()
        #expect(allClose(R, [[-14, -21, 14], [0, -175, 70], [0, 0, -35]], rtol: 0, atol: 1e-12))
        let q0 = [-0.8571428571428572, -0.4285714285714286, 0.28571428571428575]   // numpy Q[:, 0] = −(6, 3, −2)/7
        for i in 0..<3 { #expect(Swift.abs(Q[element: i, 0] - q0[i]) < 1e-15) }
        #expect(allClose(Q.matmul(R), A, rtol: 0, atol: 1e-12))
        #expect(allClose(Q.transposed().matmul(Q), Tensor.eye(3), rtol: 0, atol: 1e-15))
        // Tall (reduced: Q 5×2, R 2×2) and wide (Q 2×2, R 2×5) random matrices.
        var g = PhiloxGenerator(seed: 11)
        let tall = Tensor<Double>.randomNormal([5, 2], using: &g), wide = Tensor<Double>.randomNormal([2, 5], using: &g)
        for M in [tall, wide] {
            let (q, r) = M.qr()
            let k = Swift.min(M.shape[0], M.shape[1])
            #expect(q.shape == [M.shape[0], k] && r.shape == [k, M.shape[1]])
            #expect(maxAbsDifference(q.matmul(r), M) < 1e-14)
            #expect(maxAbsDifference(q.transposed().matmul(q), Tensor.eye(k)) < 1e-15)
            #expect(r[element: 1, 0] == 0)   // upper triangular
        }
    }

    @Test func leastSquaresAgreesWithNumPy() throws {
        // numpy.linalg.lstsq docs example: fit y = m·x + c to (0, −1), (1, 0.2), (2, 0.9), (3, 2.1);
        // numpy gives [0.9999999999999999, -0.9499999999999997]; exact (normal equations): m = 1, c = −0.95.
        let A: Tensor<Double> = [[0, 1], [1, 1], [2, 1], [3, 1]]
        let sol = try A.leastSquares([-1, 0.2, 0.9, 2.1])
        #expect(sol.shape == [2])
        #expect(allClose(sol, [1, -0.95], rtol: 0, atol: 1e-14))
        // Under-determined x + y = 2: the minimum-norm solution is (1, 1) (numpy: [0.9999999999999996, 0.9999999999999999]).
        #expect(allClose(try Tensor<Double>([[1, 1]]).leastSquares([2]), [1, 1], rtol: 0, atol: 1e-14))
        // Rank-deficient A = (1, 2, 3)ᵀ(1, 2): minimum-norm X = A⁺B = AᵀB/70 = [[0.2, 1/35], [0.4, 2/35]]
        // (hand; numpy: [[0.19999999999999996, 0.02857142857142856], [0.39999999999999997, 0.05714285714285713]]).
        let D: Tensor<Double> = [[1, 2], [2, 4], [3, 6]]
        let X = try D.leastSquares([[1, 0], [2, 1], [3, 0]])
        #expect(X.shape == [2, 2])
        #expect(allClose(X, Tensor([[0.2, 1.0 / 35], [0.4, 2.0 / 35]]), rtol: 0, atol: 1e-14))
        // A square invertible system: least squares equals solve.
        let S: Tensor<Double> = [[3, 1], [1, 2]]
        #expect(allClose(try S.leastSquares([9, 8]), [2, 3], rtol: 0, atol: 1e-14))
    }

    @Test func floatRoutines() throws {
        // The single-precision LAPACK entry points on the same matrices; Float ε = 1.2e-7, so 1e-5
        // absolute on entries ≤ 175 is ~ 4–60 ulps.
        let A: Tensor<Float> = [[4, 12, -16], [12, 37, -43], [-16, -43, 98]]
        #expect(allClose(try A.cholesky(), [[2, 0, 0], [6, 1, 0], [-8, 5, 3]], rtol: 0, atol: 1e-5))
        #expect(Swift.abs(A.determinant().scalar - 36) < 1e-3)           // det = (2·1·3)² = 36
        #expect(allClose(try Tensor<Float>([[3, 1], [1, 2]]).solve([9, 8]), [2, 3], rtol: 0, atol: 1e-6))
        let (l, _) = try Tensor<Float>([[2, 1], [1, 2]]).eigh()
        #expect(allClose(l, [1, 3], rtol: 0, atol: 1e-6))
        let (le, _) = try Tensor<Float>([[0, -1], [1, 0]]).eig()       // 90° rotation: ±i
        #expect(le.scalars == [Complex<Float>(0, 1), Complex<Float>(0, -1)])
        #expect(allClose(try Tensor<Float>([[3, 2, 2], [2, 3, -2]]).singularValues(), [5, 3], rtol: 0, atol: 1e-5))
        let (q, r) = Tensor<Float>([[12, -51, 4], [6, 167, -68], [-4, 24, -41]]).qr()
        #expect(allClose(r, [[-14, -21, 14], [0, -175, 70], [0, 0, -35]], rtol: 0, atol: 1e-4))
        #expect(maxAbsDifference(q.transposed().matmul(q), Tensor.eye(3)) < 1e-6)
        #expect(allClose(try Tensor<Float>([[0, 1], [1, 1], [2, 1], [3, 1]]).leastSquares([-1, 0.2, 0.9, 2.1]),
                         [1, -0.95], rtol: 0, atol: 1e-5))
    }
}
