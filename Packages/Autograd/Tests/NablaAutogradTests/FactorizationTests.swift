import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

/// QR and SVD derivatives against PyTorch 2.x (`torch.linalg.qr` / `torch.linalg.svd` backward in
/// float64, computed on this machine with python3 and pasted; both libraries call LAPACK, so the
/// factors have the same signs). Tolerance 1e-12: the two differ only in rounding of a few
/// 2×2/3×3 products and solves (observed differences ~1e-15).
@Suite struct FactorizationTests {
    // A = [[1, 2], [3, 4], [5, 6]]; L = Σ Q∘Wq + Σ R∘Wr. Torch:
    //   Q, R = torch.linalg.qr(A); L = (Q*Wq).sum() + (R*Wr).sum(); L.backward()
    @Test func qrMatchesTorch() {
        let a = Tensor<Double>([[1, 2], [3, 4], [5, 6]])
        let wq = Variable(Tensor<Double>([[1, -1], [2, 0.5], [0, 3]]))
        let wr = Variable(Tensor<Double>([[2, 1], [-1, 0.5]]))
        let (q, r) = Variable(a).qr()
        #expect(allClose(q.value, Tensor([[-0.16903085094570325, 0.8970852271450607], [-0.50709255283711, 0.27602622373694136],
                                          [-0.8451542547285166, -0.34503277967117696]]), rtol: 1e-12, atol: 1e-12))
        #expect(allClose(r.value, Tensor([[-5.916079783099615, -7.437357441610946], [0, 0.828078671210825]]), rtol: 1e-12, atol: 1e-12))
        let g = gradient(at: a) { x in
            let (q, r) = x.qr()
            return (q * wq).sum() + (r * wr).sum()
        }
        let torch = Tensor<Double>([[-1.813038939431445, 0.4807808841016812], [-1.0791582257957415, -0.7716176839183468],
                                    [-1.3563291898761118, -0.8164015230892517]])
        #expect(allClose(g, torch, rtol: 1e-12, atol: 1e-12))
        // Forward mode gives the same Jacobian as reverse mode (each rule is transposed by hand).
        let f: (Variable<Double>) -> Variable<Double> = { x in
            let (q, r) = x.qr()
            return concatenate([q.flattened(), r.flattened()])
        }
        #expect(maxAbsDifference(jacobian(at: a, mode: .forward, of: f), jacobian(at: a, mode: .reverse, of: f)) <= 1e-12)
    }

    // Q·R = A exactly in exact arithmetic, so ∂(Σ W∘(Q·R))/∂A = W whatever the rules of Q and R are
    // individually: the two rules must cancel into the identity (hand-derived).
    @Test func qrReconstructionHasIdentityDerivative() {
        let w = Tensor<Double>([[1, -2, 0.5], [3, 0.25, -1], [2, 2, 1], [0, -0.5, 4]])
        let g = gradient(at: Tensor<Double>.randomNormal([4, 3], seed: 7)) { x in
            let (q, r) = x.qr()
            return (q.matmul(r) * Variable(w)).sum()
        }
        #expect(maxAbsDifference(g, w) <= 1e-12)
    }

    // A wide matrix A = [X | Y]: Q, R₁ = qr(X), R = [R₁ | QᵀY]. Values and the gradient of
    // L = Σ Q∘Wq + Σ R∘Wr against torch (float64, torch.linalg.qr(A) backward, which covers m < n).
    @Test func qrOfWideMatrixMatchesTorch() {
        let a = Tensor<Double>([[1, 2, 3], [4, 5, 7]])
        let (q, r) = Variable(a).qr()
        #expect(allClose(q.value, a.qr().Q, rtol: 1e-13, atol: 1e-14))
        #expect(allClose(r.value, a.qr().R, rtol: 1e-13, atol: 1e-14))
        #expect(allClose(r.value, Tensor([[-4.123105625617661, -5.335783750799326, -7.518604376126323],
                                          [0, -0.7276068751089992, -1.2126781251816663]]), rtol: 1e-12, atol: 1e-12))
        let wq = Variable(Tensor<Double>([[1, -1], [2, 0.5]]))
        let wr = Variable(Tensor<Double>([[2, 1, -1], [0.5, 3, 1]]))
        let g = gradient(at: a) { x in
            let (q, r) = x.qr()
            return (q * wq).sum() + (r * wr).sum()
        }
        let torch = Tensor<Double>([[5.1075149272357185, -3.152963125472329, -0.7276068751089989],
                                    [-3.3384315446177597, -0.2425356250363334, 1.212678125181665]])
        #expect(allClose(g, torch, rtol: 1e-12, atol: 1e-12))
    }

    // Under-determined least squares gives the minimum-norm solution x = Aᵀ(AAᵀ)⁻¹b, as gelsd does:
    // for A = [[1, 2, 3], [4, 5, 7]], b = [1, −2], torch.linalg.lstsq gives x below; and
    // ∂(wᵀx)/∂b = (AAᵀ)⁻¹A·w = [1, 0] for w = [1, 2, 3] (hand: AAᵀ = [[14, 35], [35, 90]], Aw = [14, 35]).
    @Test func leastSquaresWideIsMinimumNorm() throws {
        let a = Tensor<Double>([[1, 2, 3], [4, 5, 7]]), b = Tensor<Double>([1, -2])
        let x = try Variable(a).leastSquares(Variable(b))
        #expect(allClose(x.value, Tensor([-2.628571428571432, 0.14285714285714202, 1.114285714285716]), rtol: 1e-12, atol: 1e-12))
        #expect(allClose(x.value, try a.leastSquares(b), rtol: 1e-12, atol: 1e-12))
        let w = Variable(Tensor<Double>([1, 2, 3]))
        let (ga, gb) = gradient(at: a, b) { a, b in (try! a.leastSquares(b) * w).sum() }
        #expect(allClose(gb, Tensor([1, 0]), rtol: 1e-12, atol: 1e-12))
        // torch: gA = [[2.62857…, −0.142857…, −1.11428…], [~0, ~0, ~0]] (its second row is 4e-15 noise).
        #expect(allClose(ga, Tensor([[2.6285714285714388, -0.1428571428571446, -1.1142857142857252], [0, 0, 0]]), rtol: 1e-12, atol: 1e-13))
    }

    // B = [[3, 1], [1, 2], [0, 1]] (tall: exercises the (I − UUᵀ) term).
    // L = Σ (U·Vh)∘Wp + Σ U∘U∘Wu + Σ Vh∘Vh∘Wv + Σ S∘[1, −3]. Torch:
    //   U, S, Vh = torch.linalg.svd(B, full_matrices=False); L = ...; L.backward()
    @Test func svdTallMatchesTorch() throws {
        let b = Tensor<Double>([[3, 1], [1, 2], [0, 1]])
        let wp = Variable(Tensor<Double>([[1, 2], [-1, 0.5], [0.25, 1]]))
        let wu = Variable(Tensor<Double>([[0.5, -1], [1, 2], [3, 0]]))
        let wv = Variable(Tensor<Double>([[1, -2], [0.5, 1.5]]))
        let ws = Variable(Tensor<Double>([1, -3]))
        #expect(allClose(try Variable(b).svd().S.value, Tensor([3.6585741494651307, 1.6170452043358265]), rtol: 1e-12, atol: 0))
        let g = gradient(at: b) { x in
            let (u, s, vh) = try! x.svd()
            return (u.matmul(vh) * wp).sum() + (u * u * wu).sum() + (vh * vh * wv).sum() + (s * ws).sum()
        }
        let torch = Tensor<Double>([[1.0790082990444256, 1.506731675279605], [0.6516612586556355, -2.3166630715041867],
                                    [0.9914016256208912, -1.9546531516024976]])
        #expect(allClose(g, torch, rtol: 1e-12, atol: 1e-12))
    }

    // C = [[2, 0, 1], [1, 3, −1]] (wide: exercises the (I − VVᵀ) term).
    // L = Σ (U·Vh)∘W₁ + Σ Vh∘Vh∘W₂, torch as above.
    @Test func svdWideMatchesTorch() {
        let c = Tensor<Double>([[2, 0, 1], [1, 3, -1]])
        let w1 = Variable(Tensor<Double>([[1, 2, 3], [-1, 0.5, 2]]))
        let w2 = Variable(Tensor<Double>([[1, 0, -2], [0.5, 1.5, 1]]))
        let g = gradient(at: c) { x in
            let (u, _, vh) = try! x.svd()
            return (u.matmul(vh) * w1).sum() + (vh * vh * w2).sum()
        }
        let torch = Tensor<Double>([[-0.1672645819891381, 1.2108076177274467, 0.9854939831323276],
                                    [0.21747170208790098, 0.04091490048189317, 0.9911812226876324]])
        #expect(allClose(g, torch, rtol: 1e-12, atol: 1e-12))
    }

    // The rules are generic: in Float the same gradients come out to Float's precision
    // (ε_Float ≈ 6e-8; the matrix is well conditioned, σ = 3.66, 1.62, so a few dozen roundings
    // stay far below the 1e-4 relative tolerance, while a wrong Float path would be off by O(1)).
    @Test func floatMatchesDouble() {
        let b = Tensor<Double>([[3, 1], [1, 2], [0, 1]])
        func loss<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> {
            let (u, s, vh) = try! x.svd()
            let (q, r) = x.qr()
            return u.matmul(vh).sum() + s.sum() + (q * q).sum() + r.sum()
        }
        let gd = gradient(at: b, of: loss)
        let gf = gradient(at: b.converted(to: Float.self), of: loss)
        #expect(allClose(gf.converted(to: Double.self), gd, rtol: 1e-4, atol: 1e-5))
    }

    // Singular values need no distinctness at first order: for A = I (σ = [1, 1], repeated),
    // ∂(σ₀ + σ₁)/∂A = U·Vᵀ = I (the nuclear norm's gradient at an orthogonal matrix, hand-derived).
    @Test func singularValuesAtRepeatedValues() throws {
        let g = gradient(at: Tensor<Double>.eye(2)) { try! $0.singularValues().sum() }
        #expect(maxAbsDifference(g, Tensor<Double>.eye(2)) <= 1e-15)
    }
}
