import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

/// Closed-form derivatives of the linear-algebra ops (hand-derived; matrices chosen so that every
/// intermediate is a small exact binary fraction, hence exact equality where stated).
@Suite struct LinearAlgebraTests {
    // d det(A)/dA = det(A)·A⁻ᵀ: for A = [[2, 1], [1, 3]], det = 5, A⁻¹ = [[3, −1], [−1, 2]]/5,
    // so the gradient is [[3, −1], [−1, 2]] (the cofactor matrix).
    @Test func determinantGradient() {
        let g = gradient(at: Tensor<Double>([[2, 1], [1, 3]])) { $0.determinant() }
        #expect(allClose(g, Tensor([[3, -1], [-1, 2]]), rtol: 1e-15, atol: 1e-15))
        let l = gradient(at: Tensor<Double>([[2, 1], [1, 3]])) { $0.slogdet().logAbsDet }
        #expect(allClose(l, Tensor([[0.6, -0.2], [-0.2, 0.4]]), rtol: 1e-15, atol: 1e-15))
    }

    // d/dA Σ(A⁻¹) = −A⁻ᵀ·1·A⁻ᵀ; for A = diag(2, 4): −[[1/4, 1/8], [1/8, 1/16]].
    @Test func inverseGradient() {
        let g = gradient(at: Tensor<Double>([[2, 0], [0, 4]])) { try! $0.inverse().sum() }
        #expect(g == Tensor([[-0.25, -0.125], [-0.125, -0.0625]]))
    }

    // λ(A) of a symmetric A: dλᵢ/dA = vᵢvᵢᵀ. For A = diag(1, 3): dλ₀/dA = e₀e₀ᵀ.
    @Test func eigenvalueGradient() {
        let g = gradient(at: Tensor<Double>([[1, 0], [0, 3]])) { try! $0.eigh().eigenvalues[0] }
        #expect(g == Tensor([[1, 0], [0, 0]]))
    }

    // ‖x‖₂ has gradient x/‖x‖ = [0.6, 0.8] at (3, 4), and 0 (not NaN) at the origin, as in PyTorch.
    @Test func normGradient() {
        #expect(gradient(at: Tensor<Double>([3, 4])) { $0.norm() } == Tensor([0.6, 0.8]))
        #expect(gradient(at: Tensor<Double>([0, 0])) { $0.norm() } == Tensor([0, 0]))
    }

    // Solving A·x = b: ∂(Σx)/∂b = A⁻ᵀ·1. For A = diag(2, 4): [0.5, 0.25].
    @Test func solveGradient() {
        let A = Variable(Tensor<Double>([[2, 0], [0, 4]]))
        #expect(gradient(at: Tensor<Double>([1, 1])) { try! A.solve($0).sum() } == Tensor([0.5, 0.25]))
    }

    // The Cholesky factor of A = LLᵀ with L = [[2, 0], [1, 3]]: the Jacobian of L by forward and reverse
    // mode agree for a symmetric direction (both modes assume symmetric perturbations).
    @Test func choleskyModesAgree() {
        let a = Tensor<Double>([[4, 2], [2, 10]])
        let sym: (Variable<Double>) -> Variable<Double> = { x in try! ((x + x.transposed()) * 0.5).cholesky() }
        let jr = jacobian(at: a, mode: .reverse, of: sym)
        let jf = jacobian(at: a, mode: .forward, of: sym)
        #expect(maxAbsDifference(jr, jf) <= 1e-15)
        #expect(try! Variable(a).cholesky().value == Tensor([[2, 0], [1, 3]]))
    }

    // σ(diag(3, 2)) = [3, 2] (descending); ∂σ₀/∂A = u₀v₀ᵀ = e₀e₀ᵀ, and the nuclear norm's gradient is UVᵀ = I.
    @Test func singularValueGradient() {
        let a = Tensor<Double>([[3, 0], [0, 2]])
        #expect(allClose(try! Variable(a).singularValues().value, Tensor([3, 2]), rtol: 1e-15, atol: 1e-15))
        let g = gradient(at: a) { try! $0.spectralNorm() }
        #expect(allClose(g, Tensor([[1, 0], [0, 0]]), rtol: 1e-12, atol: 1e-12))
        let n = gradient(at: a) { try! $0.nuclearNorm() }
        #expect(allClose(n, Tensor([[1, 0], [0, 1]]), rtol: 1e-12, atol: 1e-12))
    }

    // Σ cumsum(x) counts each xₖ once per later position: gradient [3, 2, 1]; ∏x has gradient ∏x/xᵢ.
    @Test func cumulativeSumAndProduct() {
        #expect(gradient(at: Tensor<Double>([5, 6, 7])) { $0.cumulativeSum(axis: 0).sum() } == Tensor([3, 2, 1]))
        #expect(gradient(at: Tensor<Double>([2, 3, 4])) { $0.product() } == Tensor([12, 8, 6]))
    }
}
