import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

/// The worked examples of the lecture seeds (/work/shared/seeds/001_*, 002_*, 003_*), with the
/// numbers the slides print. Closed forms were evaluated with Python's `math` module in Double;
/// tolerances are a few ulps of the values unless stated.
@Suite struct SeedExampleTests {
    // 001: f(a, b) = log(ab) at (2, 3) = log 6, ∇f = (1/a, 1/b) = (0.5, 0.333…).
    @Test func logOfProduct() {
        let (v, g) = valueWithGradient(at: Tensor<Double>(2), Tensor<Double>(3)) { a, b in (a * b).log() }
        #expect(abs(v.scalar - 1.791759469228055) <= 4 * Double.ulpOfOne)
        #expect(g.0.scalar == 0.5)
        #expect(abs(g.1.scalar - 1.0 / 3.0) <= Double.ulpOfOne)
    }

    // 001: z = sin(x₁) + x₁x₂ at (2, 3): z = sin 2 + 6 = 6.909297426825682,
    // ∂z/∂x₁ = cos 2 + 3 = 2.5838531634528574, ∂z/∂x₂ = x₁ = 2 — in reverse and in forward mode.
    @Test func sinPlusProductBothModes() {
        let f: (Variable<Double>) -> Variable<Double> = { x in x[0].sin() + x[0] * x[1] }
        let x = Tensor<Double>([2, 3])
        let (z, g) = valueWithGradient(at: x, of: f)
        #expect(abs(z.scalar - 6.909297426825682) <= 8 * Double.ulpOfOne)
        #expect(abs(g.scalars[0] - 2.5838531634528574) <= 4 * Double.ulpOfOne)
        #expect(g.scalars[1] == 2)
        // Forward mode: one pass per input direction, as the slide's "for each input".
        let d1 = jvp(at: x, tangent: [1, 0], of: f)
        let d2 = jvp(at: x, tangent: [0, 1], of: f)
        #expect(abs(d1.value.scalar - 6.909297426825682) <= 8 * Double.ulpOfOne)
        #expect(abs(d1.tangent.scalar - 2.5838531634528574) <= 4 * Double.ulpOfOne)
        #expect(d2.tangent.scalar == 2)
    }

    // 003 (PyTorch tutorial): x = [[1,2],[3,4]], y = x − 2, z = 3y², out = mean(z) = 4.5,
    // ∂out/∂x = 6y/4 = 1.5(x − 2) = [[−1.5, 0], [1.5, 3]] (exact in binary floating point).
    @Test func pytorchTutorialMean() {
        let x = Variable(Tensor<Double>([[1, 2], [3, 4]]), requiresGradient: true)
        let y = x - 2
        let z = y.squared() * 3
        let out = z.mean()
        #expect(out.scalar == 4.5)
        out.backward()
        #expect(x.gradient == Tensor<Double>([[-1.5, 0], [1.5, 3]]))
    }

    // 002: d/dx tanh(xⁿ) = (1 − tanh²(xⁿ))·n·xⁿ⁻¹; at x = 0.7, n = 3 it is 1.3097684921656751.
    @Test func tanhOfPower() {
        let g = gradient(at: Tensor<Double>(0.7)) { x in x.pow(3).tanh() }
        #expect(abs(g.scalar - 1.3097684921656751) <= 8 * Double.ulpOfOne)
    }

    // 002: f = x₁²x₂ + x₁x₂³, ∇f = (2x₁x₂ + x₂³, x₁² + 3x₁x₂²): (12, 13) at (1, 2), (39, 58) at (2, 3).
    @Test func polynomialGradient() {
        let f: (Variable<Double>) -> Variable<Double> = { x in
            x[0].squared() * x[1] + x[0] * x[1].pow(3)
        }
        #expect(gradient(at: [1, 2], of: f) == Tensor<Double>([12, 13]))
        #expect(gradient(at: [2, 3], of: f) == Tensor<Double>([39, 58]))
    }

    // 002: f = x₁² + 2x₂ with x = (sin t, cos t): df/dt = 2 sin t (cos t − 1) = −0.7736445427901112 at t = 1.
    // The slide multiplies a 1×2 row (df/dx) by a 2×1 column (dx/dt); here the chain is automatic.
    @Test func chainThroughACurve() {
        let f: (Variable<Double>) -> Variable<Double> = { t in
            let x1 = t.sin(), x2 = t.cos()
            return x1.squared() + 2 * x2
        }
        let g = gradient(at: Tensor<Double>(1), of: f)
        #expect(abs(g.scalar - -0.7736445427901112) <= 4 * Double.ulpOfOne)
        #expect(abs(jvp(at: Tensor<Double>(1), tangent: Tensor(1), of: f).tangent.scalar - -0.7736445427901112) <= 4 * Double.ulpOfOne)
        // The slide's factorization: [2 sin t, 2]·[cos t, −sin t]ᵀ.
        let dfdx = gradient(at: Tensor<Double>([Double.sin(1), Double.cos(1)])) { x in x[0].squared() + 2 * x[1] }
        let dxdt = jacobian(at: Tensor<Double>([1])) { t in stack([t[0].sin(), t[0].cos()]) }   // 2×1
        #expect(abs(dfdx.matmul(dxdt).scalar - -0.7736445427901112) <= 4 * Double.ulpOfOne)
    }

    static let A = Tensor<Double>([[1, 2, 3], [4, 5, 6]])      // M = 2, N = 3
    static let x = Tensor<Double>([0.5, -1, 2])

    // 002: f = Ax has df/dx = A (M×N) and ∂f/∂A of shape M×(M×N) with ∂fᵢ/∂A_kj = δ_ik·x_j.
    @Test func linearMapJacobians() {
        let A = Self.A, x = Self.x
        for mode in [JacobianMode.forward, .reverse] {
            #expect(jacobian(at: x, mode: mode) { x in Variable(A).matmul(x) } == A)
            let dA = jacobian(at: A, mode: mode) { a in a.matmul(Variable(x)) }
            #expect(dA.shape == [2, 2, 3])
            for i in 0..<2 { for k in 0..<2 { for j in 0..<3 {
                #expect(dA[element: i, k, j] == (i == k ? x[element: j] : 0))
            } } }
        }
    }

    // 002: f = tanh(Ax + b): ∂f/∂b = diag(1 − tanh²z)·I and ∂f/∂A = einsum('il,ljk', diag(1 − tanh²z), ∂z/∂A).
    // The seed's einsums run on plain tensors (Tensor.einsum) and on variables (differentiable einsum).
    @Test func singleLayerGradients() {
        let A = Self.A, x = Self.x, b = Tensor<Double>([0.1, -0.2])
        let z = A.matmul(x) + b
        let dfdz = Tensor<Double>.diagonal(1 - z.tanh().squared())             // M×M
        let dzdb = Tensor<Double>.eye(2)                                        // M×M
        let dzdA = jacobian(at: A) { a in a.matmul(Variable(x)) + Variable(b) } // M×(M×N), δ_il·x_k
        let dfdbSeed = Tensor.einsum("il,lj", dfdz, dzdb)
        let dfdASeed = Tensor.einsum("il,ljk", dfdz, dzdA)
        #expect(einsum("il,ljk", Variable(dfdz), Variable(dzdA)).value == dfdASeed)
        let dfdb = jacobian(at: b) { b in (Variable(A).matmul(Variable(x)) + b).tanh() }
        let dfdA = jacobian(at: A) { a in (a.matmul(Variable(x)) + Variable(b)).tanh() }
        #expect(allClose(dfdb, dfdbSeed, rtol: 1e-15, atol: 1e-15))
        #expect(allClose(dfdA, dfdASeed, rtol: 1e-15, atol: 1e-15))
    }

    // 002: L = ½‖y − Ax‖² has dL/dx = −(y − Ax)ᵀA ∈ R^{1×N} (here laid out as x, shape [N]).
    @Test func leastSquaresGradient() {
        let A = Self.A, x = Self.x, y = Tensor<Double>([1, 2])
        let g = gradient(at: x) { x in (Variable(y) - Variable(A).matmul(x)).squared().sum() * 0.5 }
        let expected = -(y - A.matmul(x)).matmul(A)
        #expect(allClose(g, expected, rtol: 1e-15, atol: 1e-15))
        #expect(g == Tensor<Double>([31.5, 42, 52.5]))   // by hand: Ax = [4.5, 9], e = y − Ax = [−3.5, −7], −eᵀA
    }

    // 000: a matrix A(x) ∈ R^{4×2} of x ∈ R³ has dA/dx ∈ R^{4×2×3}, equal to the 8×3 Jacobian of
    // its flattening, reshaped.
    @Test func matrixOfVectorJacobian() {
        let f: (Variable<Double>) -> Variable<Double> = { x in
            let entries: [Variable<Double>] = [x[0] * x[1], x[1].sin(), x[2].exp(), x[0],
                                               x[0] * x[2], x[1].squared(), x[2], x[0] + x[1] + x[2]]
            return stack(entries).reshaped([4, 2])
        }
        let x = Tensor<Double>([0.3, -1.2, 0.7])
        let j = jacobian(at: x, of: f)
        #expect(j.shape == [4, 2, 3])
        let flat = jacobian(at: x) { f($0).flattened() }
        #expect(flat.shape == [8, 3])
        #expect(j == flat.reshaped([4, 2, 3]))
        #expect(j[element: 0, 0, 0] == -1.2 && j[element: 0, 0, 1] == 0.3 && j[element: 0, 0, 2] == 0)
    }

    // 004: σ′(10) = e¹⁰/(e¹⁰ + 1)² = σ(10)(1 − σ(10)) = 4.539580773595167e-05 (the slide's 0.000045).
    @Test func vanishingSigmoidGradient() {
        let g = gradient(at: Tensor<Double>(10)) { x in x.sigmoid() }
        // 1 − σ(10) cancels: its relative error is up to ulp(1)/4.54e-5 ≈ 5e-12, hence the tolerance.
        #expect(abs(g.scalar - 4.539580773595167e-05) <= 1e-11 * 4.54e-5)
        // The same derivative through the slide's form eˣ/(eˣ + 1).
        let h = gradient(at: Tensor<Double>(10)) { x in x.exp() / (x.exp() + 1) }
        #expect(abs(h.scalar - 4.539580773595167e-05) <= 1e-11 * 4.54e-5)
    }
}
