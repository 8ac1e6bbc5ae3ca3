import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

/// The Tensor API's remaining ops on Variable (composites and `atan2`): values agree with Tensor,
/// and derivatives with hand calculations or PyTorch 2.x float64 output computed here with python3.
@Suite struct TensorParityTests {
    // atan2(y, x) at (y, x) = (1, 1): π/4, ∂/∂y = x/r² = 1/2, ∂/∂x = −y/r² = −1/2 (hand).
    // At (y, x) = (2, −1): r² = 5, ∂/∂y = −1/5, ∂/∂x = −2/5.
    @Test func atan2() {
        let (gy, gx) = gradient(at: Tensor<Double>([1, 2]), Tensor<Double>([1, -1])) { y, x in y.atan2(x).sum() }
        #expect(allClose(gy, Tensor([0.5, -0.2]), rtol: 1e-15, atol: 0))
        #expect(allClose(gx, Tensor([-0.5, -0.4]), rtol: 1e-15, atol: 0))
        #expect(Variable(Tensor<Double>([1])).atan2(Variable(Tensor<Double>([1]))).value == Tensor([Double.pi / 4]))
    }

    // Reflect and circular padding add each copy's cotangent to its source (hand, and torch's
    // F.pad(x, (2, 1), 'reflect') / (2, 2), 'circular' backward with weights 1, 2, 3, …).
    @Test func paddingModes() {
        let x = Tensor<Double>([1, 2, 3])
        let reflect = Variable(x).padded([(before: 2, after: 1)], mode: .reflect)
        #expect(reflect.value == x.padded([(before: 2, after: 1)], mode: .reflect))
        #expect(reflect.value == Tensor([3, 2, 1, 2, 3, 2]))
        let w6 = Variable(Tensor<Double>([1, 2, 3, 4, 5, 6]))
        #expect(gradient(at: x) { ($0.padded([(before: 2, after: 1)], mode: .reflect) * w6).sum() } == Tensor([3, 12, 6]))
        let w7 = Variable(Tensor<Double>([1, 2, 3, 4, 5, 6, 7]))
        #expect(gradient(at: x) { ($0.padded([(before: 2, after: 2)], mode: .circular) * w7).sum() } == Tensor([9, 12, 7]))
        // replicate [1, 1, 1, 2, 3, 3]: x₀ gets 1+2+3, x₂ gets 5+6.
        #expect(gradient(at: x) { ($0.padded([(before: 2, after: 1)], mode: .replicate) * w6).sum() } == Tensor([6, 4, 11]))
    }

    // scatter with a repeated index: column 0 writes values[0][0] then values[1][0] into row 0, so
    // the later wins; x's overwritten elements get no gradient, nor does the losing value (hand).
    @Test func scatterWithDuplicates() {
        let x = Tensor<Double>([[1, 2], [3, 4], [5, 6]])
        let v = Tensor<Double>([[10, 20], [30, 40]])
        let idx = Tensor<Int>(shape: [2, 2], scalars: [0, 2, 0, 1])
        let out = Variable(x).scattering(indices: idx, values: Variable(v), axis: 0)
        #expect(out.value == x.scattering(indices: idx, values: v, axis: 0))
        #expect(out.value == Tensor([[30, 2], [3, 40], [5, 20]]))
        let w = Variable(Tensor<Double>([[1, 2], [3, 4], [5, 6]]))
        let (gx, gv) = gradient(at: x, v) { a, b in (a.scattering(indices: idx, values: b, axis: 0) * w).sum() }
        #expect(gx == Tensor([[0, 2], [3, 0], [5, 0]]))
        #expect(gv == Tensor([[0, 6], [1, 4]]))
    }

    // index_add: ∂/∂values = the cotangent's selected rows; ∂/∂x = the cotangent (hand).
    @Test func indexAdd() {
        let w = Variable(Tensor<Double>([[1, 2], [3, 4], [5, 6]]))
        let (gx, gv) = gradient(at: Tensor<Double>.zeros([3, 2]), Tensor<Double>.ones([3, 2])) { a, b in
            (a.indexAdding(indices: Tensor<Int>([2, 0, 2]), values: b, axis: 0) * w).sum()
        }
        #expect(gx == w.value)
        #expect(gv == Tensor([[5, 6], [1, 2], [5, 6]]))
    }

    // torch.cov(X.T) and its gradient against weights [[1, 2], [−1, 3]] (torch float64).
    @Test func covariance() {
        let x = Tensor<Double>([[1, 2], [3, 5], [4, -1], [0, 2]])
        #expect(allClose(Variable(x).covariance().value, Tensor([[3.3333333333333335, -1], [-1, 6]]), rtol: 1e-15, atol: 0))
        let w = Variable(Tensor<Double>([[1, 2], [-1, 3]]))
        let g = gradient(at: x) { ($0.covariance() * w).sum() }
        let torch = Tensor<Double>([[-0.6666666666666665, -0.33333333333333337], [1.6666666666666667, 6.333333333333333],
                                    [0.3333333333333331, -5.333333333333333], [-1.3333333333333333, -0.6666666666666667]])
        #expect(allClose(g, torch, rtol: 1e-13, atol: 1e-14))
    }

    // The angle between (1, 0, 0) and (1, 1, 0) is π/4; torch's arccos(cosine_similarity) gives
    // gradients [0, −1, 0] and [−0.5, 0.5, 0] (float64, ~2e-16 off the exact values).
    @Test func angle() {
        let (ga, gb) = gradient(at: Tensor<Double>([1, 0, 0]), Tensor<Double>([1, 1, 0])) { a, b in a.angle(with: b) }
        #expect(allClose(ga, Tensor([0, -1, 0]), rtol: 1e-14, atol: 1e-15))
        #expect(allClose(gb, Tensor([-0.5, 0.5, 0]), rtol: 1e-14, atol: 1e-15))
        #expect(abs(Variable(Tensor<Double>([1, 0, 0])).angle(with: Variable(Tensor<Double>([1, 1, 0]))).value.scalar - Double.pi / 4) < 1e-15)
    }

    // torch.linalg.matrix_norm(M, ord) and its gradient for M = [[2, 1], [0, 3], [1, 1]] (float64).
    // (For ord = inf torch's M has tied rows, where torch splits the gradient and Nabla gives it
    // to one row, as `max` does: checked on [[2, 2], [0, 3], [1, 1]] instead, by hand.)
    @Test func matrixNorms() {
        let m = Tensor<Double>([[2, 1], [0, 3], [1, 1]])
        func check(_ kind: MatrixNorm, _ value: Double, _ grad: Tensor<Double>, _ tol: Double) {
            #expect(abs(Variable(m).matrixNorm(kind).value.scalar - value) <= tol * value, "\(kind)")
            #expect(allClose(gradient(at: m) { $0.matrixNorm(kind) }, grad, rtol: tol, atol: tol), "\(kind)")
        }
        check(.nuclear, 5.437339419812831, Tensor([[0.8830416489078259, 0.15679691445020194], [-0.24404906571746682, 0.958488874785539],
                                                   [0.4008459801676686, 0.2381466030226908]]), 1e-12)
        check(.spectral, 3.498948511641646, Tensor([[0.18475453618590826, 0.44603690696997045], [0.30313683332315683, 0.7318370542635976],
                                                    [0.14290007364681362, 0.3449912958622515]]), 1e-12)
        check(.maxColumnSum, 5, Tensor([[0, 1], [0, 1], [0, 1]]), 0)
        check(.frobenius, 4, Tensor([[0.5, 0.25], [0, 0.75], [0.25, 0.25]]), 1e-15)
        // Row sums 4, 3, 2: row 0 wins, its signs are the gradient.
        #expect(gradient(at: Tensor<Double>([[2, 2], [0, 3], [1, 1]])) { $0.matrixNorm(.maxRowSum) } == Tensor([[1, 1], [0, 0], [0, 0]]))
    }

    // Thin wrappers keep Tensor's semantics: split(count:) and chunked sizes, clamped(min:)/(max:)
    // gradients (0 where clamped), softplus(threshold:) is the identity above the threshold.
    @Test func wrappers() {
        let x = Variable(Tensor<Double>.arange(7))
        #expect(x.split(count: 3).map(\.shape) == Tensor<Double>.arange(7).split(count: 3).map(\.shape))
        #expect(x.chunked(3).map(\.shape) == Tensor<Double>.arange(7).chunked(3).map(\.shape))
        #expect(gradient(at: Tensor<Double>([-1, 0.5, 2])) { $0.clamped(min: 0).sum() } == Tensor([0, 1, 1]))
        #expect(gradient(at: Tensor<Double>([-1, 0.5, 2])) { $0.clamped(max: 1).sum() } == Tensor([1, 1, 0]))
        #expect(gradient(at: Tensor<Double>([25])) { $0.softplus(threshold: 20).sum() } == Tensor([1]))
        #expect(Variable(Tensor<Double>([25])).softplus(threshold: 20).value == Tensor([25]))
        #expect(Variable(Tensor<Double>([0.3])).applying(.tanh).value == Tensor<Double>([0.3]).tanh())
    }
}

/// `product` at zeros, where `y/xᵢ` would be 0/0.
@Suite struct ProductAtZerosTests {
    // ∂(x₀x₁x₂)/∂x = (x₁x₂, x₀x₂, x₀x₁): at (2, 0, 3) that is (0, 6, 0); at (0, 0, 3) it is (0, 0, 0)
    // (each partial still contains a zero factor); PyTorch's prod backward gives the same (hand).
    @Test func gradientAtZeros() {
        #expect(gradient(at: Tensor<Double>([2, 0, 3])) { $0.product() } == Tensor([0, 6, 0]))
        #expect(gradient(at: Tensor<Double>([0, 0, 3])) { $0.product() } == Tensor([0, 0, 0]))
        // Per row of [[2, 0, 3], [1, 2, 4]] over axis 1, summed: rows (0, 6, 0) and (8, 4, 2).
        #expect(gradient(at: Tensor<Double>([[2, 0, 3], [1, 2, 4]])) { $0.product(axes: [1]).sum() } == Tensor([[0, 6, 0], [8, 4, 2]]))
        // The Hessian of x₀x₁x₂ at (0, 0, 3): ∂²/∂x₀∂x₁ = x₂ = 3, the others 0 (off-diagonal x₀, x₁ are 0).
        #expect(hessian(at: Tensor<Double>([0, 0, 3])) { $0.product() } == Tensor([[0, 3, 0], [3, 0, 0], [0, 0, 0]]))
        // Forward mode: the directional derivative along (1, 1, 1) at (2, 0, 3) is 0 + 6 + 0.
        #expect(jvp(at: Tensor<Double>([2, 0, 3]), tangent: Tensor([1, 1, 1])) { $0.product() }.tangent == Tensor(6))
    }

    // stack along a new last axis: [2, 3] ⊕ [2, 3] → [2, 3, 2], the same as Tensor's.
    @Test func stackAlongAxis() {
        let a = Tensor<Double>([[1, 2, 3], [4, 5, 6]]), b = a * 10
        #expect(stack([Variable(a), Variable(b)], axis: -1).value == stack([a, b], axis: -1))
        #expect(stack([Variable(a), Variable(b)], axis: 1).value == stack([a, b], axis: 1))
    }
}

/// Compound assignment and the free functions.
@Suite struct VariableSpellingTests {
    // x += x; x *= 3 gives 6x, derivative 6; then x -= 1, x /= 2 gives 3x − 0.5, derivative 3 (hand).
    @Test func compoundAssignment() {
        #expect(gradient(at: Tensor<Double>([2])) { x in
            var y = x
            y += x
            y *= 3
            return y.sum()
        } == Tensor([6]))
        #expect(gradient(at: Tensor<Double>([2])) { x in
            var y = x * 6
            y -= 1
            y /= 2
            y += Variable(Tensor<Double>([1]))
            return y.sum()
        } == Tensor([3]))
    }

    // maximum(a, b) passes the gradient to the larger; minimum to the smaller (hand).
    @Test func freeFunctions() {
        let (ga, gb) = gradient(at: Tensor<Double>([1, 5]), Tensor<Double>([3, 2])) { a, b in maximum(a, b).sum() + 2 * minimum(a, b).sum() }
        #expect(ga == Tensor([2, 1]))
        #expect(gb == Tensor([1, 2]))
        #expect(softplus(Variable(Tensor<Double>([0]))).value == Tensor([Double.log(2)]))
    }
}

/// The vector norms PyTorch defines beyond p ≥ 1.
@Suite struct VectorNormKindsTests {
    // x = [3, −1, 0, 2]: ‖x‖₋∞ = min|xᵢ| = 0 with gradient sign(0)·1 = 0 at the winner; on
    // [3, −1, 2] it is 1 with gradient [0, −1, 0]. ‖x‖₀ counts non-zeros: 3, gradient 0 (hand).
    @Test func minimumAndZeroNorms() {
        let x = Tensor<Double>([3, -1, 0, 2])
        #expect(Variable(x).norm(p: -.infinity).value == x.norm(p: -.infinity))
        #expect(Variable(x).norm(p: 0).value == Tensor(3))
        #expect(gradient(at: Tensor<Double>([3, -1, 2])) { $0.norm(p: -.infinity) } == Tensor([0, -1, 0]))
        #expect(gradient(at: x) { $0.norm(p: 0) } == Tensor([0, 0, 0, 0]))
    }
}
