import NablaTensor

/// Linear-algebra entries of ``builtinOps``. Matrices are kept well conditioned (`M + 3I`), and
/// the symmetric ops (`cholesky`, `eigh`) see `(A + Aᵀ)/2`, so that finite differences perturb
/// within their domain, as torch's own gradcheck tests do.
let linearAlgebraBuiltins: [any RegisteredOperator] = {
    let eye3 = Tensor<Double>.eye(3)
    let a = Sample.normal([3, 3], 41) + eye3 * 3
    let batch = Sample.normal([2, 3, 3], 42) + eye3 * 3
    let m = Sample.normal([3, 3], 43)
    let spd = m.matmul(m.transposed()) + eye3 * 3
    let sym = m + m.transposed() + Tensor<Double>.diagonal(Tensor([-3, 0.5, 4]))
    @Sendable func symmetric(_ x: Variable<Double>) -> Variable<Double> { (x + x.transposed()) * 0.5 }
    return [
        OpEntry("inverse", samples: [[a], [batch]]) { try! $0[0].inverse() },
        OpEntry("solve", samples: [[a, Sample.normal([3, 2], 44)], [a, Sample.normal([3], 45)],
                                   [batch, Sample.normal([2, 3, 2], 46)]]) { try! $0[0].solve($0[1]) },
        OpEntry("det", samples: [[a], [batch]]) { $0[0].determinant() },
        OpEntry("slogdet", samples: [[a], [Sample.normal([3, 3], 47)]]) { $0[0].slogdet().logAbsDet },
        OpEntry("cholesky", samples: [[spd]]) { try! symmetric($0[0]).cholesky() },
        OpEntry("eigh.eigenvalues", samples: [[sym]]) { try! symmetric($0[0]).eigh().eigenvalues },
        // Eigenvectors are defined up to sign: check a sign-invariant function of them.
        OpEntry("eigh.eigenvectors", samples: [[sym]]) { v in
            let q = try! symmetric(v[0]).eigh().eigenvectors
            return q * q
        },
        OpEntry("norm", samples: [[Sample.normal([2, 3], 48)]]) { $0[0].norm() },
        OpEntry("norm.axis", samples: [[Sample.normal([2, 3], 49)]]) { $0[0].norm(axes: [1], keepingDims: true) },
        OpEntry("norm.p1", samples: [[Sample.normal([4], 50)]]) { $0[0].norm(p: 1) },
        OpEntry("norm.p3", samples: [[Sample.normal([4], 51)]]) { $0[0].norm(p: 3) },
        OpEntry("norm.inf", samples: [[Sample.normal([4], 52)]]) { $0[0].norm(p: .infinity) },
        OpEntry("norm.negativeInf", samples: [[Sample.normal([2, 4], 109)]]) { $0[0].norm(p: -.infinity, axes: [1]) },
        OpEntry("frobeniusNorm", samples: [[Sample.normal([2, 2, 3], 53)]]) { $0[0].frobeniusNorm() },
        OpEntry("trace", samples: [[a]]) { $0[0].trace() },
        OpEntry("matrixPower", samples: [[a * 0.5]]) { try! $0[0].matrixPower(3) },
        OpEntry("matrixPower.negative", samples: [[a]]) { try! $0[0].matrixPower(-2) },
        OpEntry("leastSquares", samples: [[Sample.normal([4, 2], 71), Sample.normal([4], 72)], [Sample.normal([2, 3], 105), Sample.normal([2, 2], 106)],
                                          [Sample.normal([2, 4, 2], 107), Sample.normal([2, 4], 108)]]) { try! $0[0].leastSquares($0[1]) },
        OpEntry("singularValues", samples: [[a], [Sample.normal([2, 3], 66)], [Sample.normal([4, 2], 96)]]) { try! $0[0].singularValues() },
        OpEntry("nuclearNorm", samples: [[a]]) { try! $0[0].nuclearNorm() },
        OpEntry("spectralNorm", samples: [[a]]) { try! $0[0].spectralNorm() },
        OpEntry("angle", samples: [[Sample.normal([2, 3], 97), Sample.normal([2, 3], 98)]]) { $0[0].angle(with: $0[1]) },
        OpEntry("matrixNorm.frobenius", samples: [[Sample.normal([2, 3, 2], 99)]]) { $0[0].matrixNorm() },
        OpEntry("matrixNorm.nuclear", samples: [[a], [Sample.normal([2, 4], 100)]]) { $0[0].matrixNorm(.nuclear) },
        OpEntry("matrixNorm.spectral", samples: [[a], [Sample.normal([4, 2], 101)]]) { $0[0].matrixNorm(.spectral, keepingDims: true) },
        OpEntry("matrixNorm.maxColumnSum", samples: [[Sample.normal([3, 3], 102)]]) { $0[0].matrixNorm(.maxColumnSum) },
        OpEntry("matrixNorm.maxRowSum", samples: [[Sample.normal([2, 3, 3], 103)]]) { $0[0].matrixNorm(.maxRowSum) },
        OpEntry("cosineSimilarity", samples: [[Sample.normal([2, 3], 67), Sample.normal([2, 3], 68)]]) { $0[0].cosineSimilarity($0[1]) },
        OpEntry("distance", samples: [[Sample.normal([2, 3], 69), Sample.normal([2, 3], 70)]]) { $0[0].distance(to: $0[1], axis: 1) },
        OpEntry("einsum.matmul", samples: [[Sample.normal([2, 3], 54), Sample.normal([3, 4], 55)]]) { einsum("ij,jk->ik", $0) },
        OpEntry("einsum.il,ljk", samples: [[Sample.normal([2, 2], 56), Sample.normal([2, 2, 3], 57)]]) { einsum("il,ljk", $0) },
        OpEntry("einsum.batched", samples: [[Sample.normal([2, 2, 3], 58), Sample.normal([2, 3, 2], 59)]]) { einsum("bij,bjk->bik", $0) },
        OpEntry("einsum.sumOut", samples: [[Sample.normal([2, 3, 4], 60)]]) { einsum("ijk->j", $0) },
        OpEntry("einsum.outer", samples: [[Sample.normal([2], 61), Sample.normal([3], 62)]]) { einsum("i,j->ij", $0) },
        OpEntry("einsum.ellipsis", samples: [[Sample.normal([2, 2, 3], 80), Sample.normal([3, 2], 81)],
                                             [Sample.normal([2, 1, 2, 3], 82), Sample.normal([3, 3, 2], 83)]]) {
            einsum("...ij,...jk->...ik", $0)
        },
        OpEntry("einsum.implicitEllipsis", samples: [[Sample.normal([2, 3], 84), Sample.normal([3], 85)]]) { einsum("...i,...i", $0) },
        OpEntry("einsum.trace", samples: [[Sample.normal([3, 3], 86)]]) { einsum("ii", $0) },
        OpEntry("einsum.batchDiagonal", samples: [[Sample.normal([2, 3, 3], 87)]]) { einsum("...ii->...i", $0) },
        OpEntry("einsum.repeatedWithOther", samples: [[Sample.normal([3, 3, 2], 88), Sample.normal([2], 89)]]) { einsum("iij,j->i", $0) },
        OpEntry("qr.Q", samples: [[Sample.normal([4, 3], 90)], [a], [Sample.normal([2, 3, 2], 91)]]) { $0[0].qr().Q },
        OpEntry("qr.R", samples: [[Sample.normal([4, 3], 90)], [a], [Sample.normal([2, 3, 2], 91)]]) { $0[0].qr().R },
        OpEntry("qr.wide", samples: [[Sample.normal([2, 4], 104)]]) { v in
            let (q, r) = v[0].qr()
            return concatenate([q.flattened(), r.flattened()])
        },
        // Singular vectors are defined up to a common sign per pair: check sign-invariant functions
        // (U ∘ U, Vh ∘ Vh, and the polar factor U·Vh), on square, tall, wide and batched matrices
        // (normal samples: singular values distinct and nonzero).
        OpEntry("svd.U", samples: [[a], [Sample.normal([4, 2], 92)], [Sample.normal([2, 3], 93)]]) { v in
            let u = try! v[0].svd().U
            return u * u
        },
        OpEntry("svd.Vh", samples: [[a], [Sample.normal([4, 2], 92)], [Sample.normal([2, 3], 93)]]) { v in
            let vh = try! v[0].svd().Vh
            return vh * vh
        },
        OpEntry("svd.polar", samples: [[a], [Sample.normal([4, 2], 92)], [Sample.normal([2, 2, 3], 94)]]) { v in
            let (u, _, vh) = try! v[0].svd()
            return u.matmul(vh)
        },
        OpEntry("svd.reconstruct", samples: [[Sample.normal([3, 2], 95)]]) { v in
            let (u, s, vh) = try! v[0].svd()
            return u.matmul(Variable.diagonal(s)).matmul(vh)
        },
        OpEntry("einsum.three", samples: [[Sample.normal([2, 3], 63), Sample.normal([3], 64), Sample.normal([2], 65)]]) {
            einsum("ij,j,i->", $0)
        },
    ]
}()
