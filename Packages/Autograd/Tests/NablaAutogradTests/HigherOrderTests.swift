import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

@Suite struct HigherOrderTests {
    static func f(_ x: Variable<Double>) -> Variable<Double> {
        x[0].pow(3) - 2 * x[0] * x[1] - x[1].pow(6)
    }

    // Our own example: f = x₀³ − 2x₀x₁ − x₁⁶ at (1, 2). By hand: f = 1 − 4 − 64 = −67,
    // ∇f = (3x₀² − 2x₁, −2x₀ − 6x₁⁵) = (−1, −194), ∇²f = [[6x₀, −2], [−2, −30x₁⁴]] = [[6, −2], [−2, −480]].
    // All intermediate values are small integers, so the results are exact.
    @Test func hessianExample() {
        let x = Tensor<Double>([1, 2])
        let (v, g) = valueWithGradient(at: x, of: Self.f)
        #expect(v.scalar == -67)
        #expect(g == Tensor<Double>([-1, -194]))
        let expected = Tensor<Double>([[6, -2], [-2, -480]])
        #expect(hessian(at: x, of: Self.f) == expected)
        #expect(hessian(at: x, mode: .forwardOverReverse, of: Self.f) == expected)
        #expect(hessianVectorProduct(at: x, vector: [1, 0], of: Self.f) == Tensor<Double>([6, -2]))
        // Gradient of a gradient component, nested by hand.
        let d2 = gradient(at: x) { x in gradient(at: x, of: Self.f)[1] }
        #expect(d2 == Tensor<Double>([-2, -480]))
    }

    // d⁴/dx⁴ sin x = sin x, four reverse levels deep (any order works by nesting).
    @Test func fourthDerivative() {
        func d(_ f: @escaping (Variable<Double>) -> Variable<Double>) -> (Variable<Double>) -> Variable<Double> {
            { x in gradient(at: x, of: f) }
        }
        let f4 = d(d(d(d { $0.sin() })))
        let x = Tensor<Double>(0.7)
        #expect(abs(withoutDerivative { f4(Variable(x)) }.scalar - Double.sin(0.7)) <= 2 * Double.ulpOfOne)
        // And the third derivative through the public entry point: −cos x.
        #expect(abs(gradient(at: x, of: d(d { $0.sin() })).scalar + Double.cos(0.7)) <= 2 * Double.ulpOfOne)
    }

    // Forward-over-reverse and reverse-over-reverse Hessians agree to 1e-10 on a non-polynomial function
    // (different summation orders give differences of a few ulps of the entries, far below 1e-10).
    @Test func hessianModesAgree() {
        let A = Tensor<Double>.randomNormal([5, 5], seed: 7)
        let f: (Variable<Double>) -> Variable<Double> = { x in
            (Variable(A).matmul(x)).tanh().sum() + x.exp().dot(x.sin()) + x.squared().sum().log()
        }
        let x = Tensor<Double>.randomNormal([5], seed: 8)
        let h1 = hessian(at: x, mode: .forwardOverReverse, of: f)
        let h2 = hessian(at: x, mode: .reverseOverReverse, of: f)
        #expect(maxAbsDifference(h1, h2) <= 1e-10)
        #expect(maxAbsDifference(h1, h1.transposed()) <= 1e-10)
    }

    // ⟨t, Jᵀc⟩ = ⟨Jt, c⟩: the JVP and VJP rules describe the same Jacobian (random inputs, Double;
    // both sides are sums of ~20 products, so 1e-12 relative is generous).
    @Test func jvpAndVjpAgree() {
        let W = Tensor<Double>.randomNormal([4, 3], seed: 1)
        let f: (Variable<Double>) -> Variable<Double> = { x in
            let h = Variable(W).matmul(x).tanh() * x.sum() + x.max()
            return (h.softmax(axis: 0) + h.sigmoid() / (h.exp() + 1)).pow(2)
        }
        let x = Tensor<Double>.randomNormal([3], seed: 2)
        let t = Tensor<Double>.randomNormal([3], seed: 3)
        let c = Tensor<Double>.randomNormal([4], seed: 4)
        let jt = jvp(at: x, tangent: t, of: f).tangent
        let jtc = vjp(at: x, cotangent: c, of: f).cotangent
        let lhs = (t * jtc).sum().scalar, rhs = (jt * c).sum().scalar
        #expect(abs(lhs - rhs) <= 1e-12 * Swift.max(1, abs(lhs)))
    }
}
