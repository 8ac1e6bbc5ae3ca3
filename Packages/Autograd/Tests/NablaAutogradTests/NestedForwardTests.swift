import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

/// Forward mode under other transforms: the variable-level `jvp` and `jacobian(at:mode:of:)`.
@Suite struct NestedForwardTests {
    /// Our Hessian example, f = x₀³ − 2x₀x₁ − x₁⁶. At (1, 2), by hand: ∇f = (−1, −194),
    /// ∇²f = [[6, −2], [−2, −480]]. Every intermediate is a small integer, so results are exact.
    static func f(_ x: Variable<Double>) -> Variable<Double> {
        x[0].pow(3) - 2 * x[0] * x[1] - x[1].pow(6)
    }

    // The seed's z = sin(x₁) + x₁x₂ at (2, 3) with tangent (1, 0): z = 6.909297427 and
    // ∂z/∂x₁ = cos 2 + 3 = 2.583853163 (seed 001). At top level (the dual-number pass) and inside
    // `gradient` (the double-VJP construction) the two paths agree.
    @Test func seedExampleOnBothPaths() {
        let z: (Variable<Double>) -> Variable<Double> = { x in x[0].sin() + x[0] * x[1] }
        let top = jvp(at: Variable(Tensor<Double>([2, 3])), tangent: Variable(Tensor<Double>([1, 0])), of: z)
        #expect(abs(top.value.scalar - 6.909297427) < 1e-9)
        #expect(abs(top.tangent.scalar - 2.583853163) < 1e-9)
        #expect(!top.tangent.isDifferentiable)
        var nested = 0.0
        _ = gradient(at: Tensor<Double>([2, 3])) { x in
            let r = jvp(at: x, tangent: Variable(Tensor<Double>([1, 0])), of: z)
            nested = r.tangent.scalar
            return r.tangent
        }
        // cos 2 + 3 in Double: the rules run in a different order on the two paths.
        #expect(abs(nested - (Double.cos(2) + 3)) <= 4 * Double.ulpOfOne)
    }

    // Forward over forward: d²/dx² x³ = 6x = 12 at x = 2; three levels: d³/dx³ x⁴ = 24x = 36 at 1.5.
    @Test func forwardOverForward() {
        let second = jvp(at: Tensor<Double>(2), tangent: Tensor(1)) { x in
            jvp(at: x, tangent: Variable(1)) { x in x * x * x }.tangent
        }
        #expect(second.value.scalar == 12)     // 3x² at 2
        #expect(second.tangent.scalar == 12)   // 6x at 2
        let third = jvp(at: Tensor<Double>(1.5), tangent: Tensor(1)) { x in
            jvp(at: x, tangent: Variable(1)) { x in
                jvp(at: x, tangent: Variable(1)) { x in x.pow(4) }.tangent
            }.tangent
        }
        #expect(abs(third.value.scalar - 27) <= 1e-12)    // 12x² at 1.5
        #expect(abs(third.tangent.scalar - 36) <= 1e-12)  // 24x at 1.5
    }

    // Reverse over forward: ∇ₓ(∇f·v) = ∇²f·v = (6 − 2, −2 − 480) = (4, −482) for v = (1, 1);
    // and the derivative with respect to the tangent itself is ∇f = (−1, −194).
    @Test func gradientOfJVP() {
        let x = Tensor<Double>([1, 2]), v = Tensor<Double>([1, 1])
        let hv = gradient(at: x) { x in jvp(at: x, tangent: Variable(v), of: Self.f).tangent }
        #expect(hv == Tensor<Double>([4, -482]))
        #expect(hv == hessianVectorProduct(at: x, vector: v, of: Self.f))
        let byTangent = gradient(at: v) { v in jvp(at: Variable(x), tangent: v, of: Self.f).tangent }
        #expect(byTangent == Tensor<Double>([-1, -194]))
        // The same through a leaf and `backward()`, with no transform around the call.
        let leaf = Variable(x, requiresGradient: true)
        jvp(at: leaf, tangent: Variable(v), of: Self.f).tangent.backward()
        #expect(leaf.gradient == Tensor<Double>([4, -482]))
    }

    // jacfwd(jacfwd(f)), jacfwd(jacrev(f)) and jacrev(jacfwd(f)) all give ∇²f.
    @Test func hessianByNestedJacobians() {
        let x = Variable(Tensor<Double>([1, 2]))
        let expected = Tensor<Double>([[6, -2], [-2, -480]])
        let ff = jacobian(at: x, mode: .forward) { x in jacobian(at: x, mode: .forward, of: Self.f) }
        let fr = jacobian(at: x, mode: .forward) { x in jacobian(at: x, mode: .reverse, of: Self.f) }
        let rf = jacobian(at: x, mode: .reverse) { x in jacobian(at: x, mode: .forward, of: Self.f) }
        #expect(ff.value == expected)
        #expect(fr.value == expected)
        #expect(rf.value == expected)
    }

    // f(x) = Ax for A 2×3 has Jacobian A, laid out as f's shape + x's shape, in every mode.
    @Test func jacobianOfLinearMapInEveryMode() {
        let a = Tensor<Double>([[1, 2, 3], [4, 5, 6]])
        let x = Variable(Tensor<Double>([0.5, -1, 2]))
        for mode in [JacobianMode.forward, .reverse, .automatic] {
            let j = jacobian(at: x, mode: mode) { x in Variable(a).matmul(x) }
            #expect(j.shape == [2, 3])
            #expect(j.value == a)
        }
        // A matrix input: f(X) = 2X for X 2×2 has the 2×2×2×2 identity scaled by 2.
        let j4 = jacobian(at: Variable(Tensor<Double>([[1, 2], [3, 4]])), mode: .forward) { x in 2 * x }
        #expect(j4.shape == [2, 2, 2, 2])
        #expect(j4.value == jacobian(at: Tensor<Double>([[1, 2], [3, 4]]), mode: .reverse) { x in 2 * x })
    }
}
