import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

/// Whether two arrays agree elementwise: both NaN, equal (infinities; ±0 compare equal), or within `rtol`.
private func sameValues(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-13) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { a, e in
        (a.isNaN && e.isNaN) || a == e || (a.isFinite && e.isFinite && (a - e).magnitude <= rtol * e.magnitude)
    }
}

/// Derivatives of `pow` and of every elementwise primitive at negative, zero and extreme inputs,
/// against PyTorch 2.x float64 values pasted as literals (`y.sum().backward()`, then `x.grad`).
@Suite struct EdgeGradientTests {
    static let edges: [Double] = [-.infinity, -1000, -20, -1, -0.5, 0, 0.5, 1, 20, 1000, .infinity]

    static func apply(_ name: String, _ x: Variable<Double>) -> Variable<Double> {
        switch name {
        case "exp": return x.exp()
        case "log": return x.log()
        case "log1p": return x.log1p()
        case "expm1": return x.expm1()
        case "sqrt": return x.sqrt()
        case "rsqrt": return x.rsqrt()
        case "tanh": return x.tanh()
        case "sigmoid": return x.sigmoid()
        case "erf": return x.erf()
        case "softplus": return x.softplus()
        case "reciprocal": return x.reciprocal()
        case "sin": return x.sin()
        case "cos": return x.cos()
        case "abs": return x.abs()
        case "relu": return x.relu()
        default: return x.squared()
        }
    }

    // torch 2.x: x = torch.tensor([-inf, -1000., -20., -1., -.5, 0., .5, 1., 20., 1000., inf],
    // dtype=torch.float64, requires_grad=True); f(x).sum().backward(); x.grad
    static let gradientCases: [(String, [Double])] = [
        ("exp", [0.0, 0.0, 2.061153622438558e-09, 0.36787944117144233, 0.6065306597126334, 1.0, 1.6487212707001282, 2.718281828459045, 485165195.4097903, .infinity, .infinity]),
        ("log", [-0.0, -0.001, -0.05, -1.0, -2.0, .infinity, 2.0, 1.0, 0.05, 0.001, 0.0]),
        ("log1p", [-0.0, -0.001001001001001001, -0.05263157894736842, .infinity, 2.0, 1.0, 0.6666666666666666, 0.5, 0.047619047619047616, 0.000999000999000999, 0.0]),
        ("expm1", [0.0, 0.0, 2.0611535811454473e-09, 0.36787944117144233, 0.6065306597126334, 1.0, 1.6487212707001282, 2.7182818284590455, 485165195.4097903, .infinity, .infinity]),
        ("sqrt", [.nan, .nan, .nan, .nan, .nan, .infinity, 0.7071067811865475, 0.5, 0.11180339887498948, 0.015811388300841896, 0.0]),
        ("rsqrt", [.nan, .nan, .nan, .nan, .nan, -.infinity, -1.4142135623730947, -0.5, -0.005590169943749473, -1.5811388300841894e-05, -0.0]),
        ("tanh", [0.0, 0.0, 0.0, 0.41997434161402614, 0.7864477329659274, 1.0, 0.7864477329659274, 0.41997434161402614, 0.0, 0.0, 0.0]),
        ("sigmoid", [0.0, 0.0, 2.0611536139418496e-09, 0.19661193324148185, 0.2350037122015945, 0.25, 0.2350037122015945, 0.19661193324148185, 2.0611536879193953e-09, 0.0, 0.0]),
        ("erf", [0.0, 0.0, 2.1610374743867984e-174, 0.4151074974205947, 0.8787825789354448, 1.1283791670955126, 0.8787825789354448, 0.4151074974205947, 2.1610374743867984e-174, 0.0, 0.0]),
        ("softplus", [0.0, 0.0, 2.0611536181902033e-09, 0.2689414213699951, 0.37754066879814546, 0.5, 0.6224593312018546, 0.7310585786300049, 0.9999999979388464, 1.0, 1.0]),
        ("reciprocal", [-0.0, -1e-06, -0.0025000000000000005, -1.0, -4.0, -.infinity, -4.0, -1.0, -0.0025000000000000005, -1e-06, -0.0]),
        ("sin", [.nan, 0.5623790762907029, 0.40808206181339196, 0.5403023058681398, 0.8775825618903728, 1.0, 0.8775825618903728, 0.5403023058681398, 0.40808206181339196, 0.5623790762907029, .nan]),
        ("cos", [.nan, 0.8268795405320025, 0.9129452507276277, 0.8414709848078965, 0.479425538604203, -0.0, -0.479425538604203, -0.8414709848078965, -0.9129452507276277, -0.8268795405320025, .nan]),
        ("abs", [-1.0, -1.0, -1.0, -1.0, -1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
        ("relu", [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
        ("squared", [-.infinity, -2000.0, -40.0, -2.0, -1.0, 0.0, 1.0, 2.0, 40.0, 2000.0, .infinity]),
    ]

    // The fused first-order path (scalarDerivative) and the recorded rules (derivative, through
    // forward mode, whose tangent with ẋ = 1 is f′(x) for an elementwise f) both give torch's values.
    @Test(arguments: gradientCases)
    func elementwiseDerivativesAtEdges(_ name: String, _ expected: [Double]) {
        let x = Tensor<Double>(Self.edges)
        let g = gradient(at: x) { Self.apply(name, $0).sum() }
        #expect(sameValues(g.scalars, expected), "\(name) reverse: \(g.scalars)")
        let t = jvp(at: x, tangent: Tensor.ones([x.count])) { Self.apply(name, $0) }.tangent
        #expect(sameValues(t.scalars, expected), "\(name) forward: \(t.scalars)")
    }

    static let powBases: [Double] = [-2, -0.5, 0, 0.5, 2]
    // torch 2.x: x = torch.tensor([-2., -.5, 0., .5, 2.], dtype=torch.float64, requires_grad=True);
    // y = torch.pow(x, p); y.sum().backward(); (y, x.grad)
    static let powScalarCases: [(Double, [Double], [Double])] = [
        (3, [-8.0, -0.125, 0.0, 0.125, 8.0], [12.0, 0.75, 0.0, 0.75, 12.0]),
        (-2, [0.25, 4.0, .infinity, 4.0, 0.25], [0.25, 16.0, -.infinity, -16.0, -0.25]),
        (0, [1.0, 1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0, 0.0]),
        (2.5, [.nan, .nan, 0.0, 0.1767766952966369, 5.656854249492381], [.nan, .nan, 0.0, 0.8838834764831844, 7.0710678118654755]),
        (1, [-2.0, -0.5, 0.0, 0.5, 2.0], [1.0, 1.0, 1.0, 1.0, 1.0]),
        (2, [4.0, 0.25, 0.0, 0.25, 4.0], [-4.0, -1.0, 0.0, 1.0, 4.0]),
        (0.5, [.nan, .nan, 0.0, 0.7071067811865476, 1.4142135623730951], [.nan, .nan, .infinity, 0.7071067811865475, 0.35355339059327373]),
        (-1, [-0.5, -2.0, .infinity, 2.0, 0.5], [-0.25, -4.0, -.infinity, -4.0, -0.25]),
    ]

    @Test(arguments: powScalarCases)
    func powScalarFollowsTorch(_ p: Double, _ value: [Double], _ derivative: [Double]) {
        let x = Tensor<Double>(Self.powBases)
        #expect(sameValues(Variable(x).pow(p).value.scalars, value))
        let g = gradient(at: x) { $0.pow(p).sum() }
        #expect(sameValues(g.scalars, derivative), "pow(\(p)) reverse: \(g.scalars)")
        let t = jvp(at: x, tangent: Tensor.ones([5])) { $0.pow(p) }.tangent
        #expect(sameValues(t.scalars, derivative), "pow(\(p)) forward: \(t.scalars)")
    }

    // torch 2.x: a = [-2., -2., 0., 0., 0., 2., -3.], b = [3., 2.5, 0., 2., -1., .5, -2.] (float64,
    // requires_grad); y = torch.pow(a, b); y.sum().backward():
    // y = [-8, nan, 1, 0, inf, 1.4142135623730951, 0.1111111111111111],
    // a.grad = [12, nan, 0, 0, -inf, 0.3535533905932738, 0.07407407407407407],
    // b.grad = [nan, nan, 0, 0, -inf, 0.9802581434685472, nan].
    @Test func powTensorFollowsTorch() {
        let a = Tensor<Double>([-2, -2, 0, 0, 0, 2, -3]), b = Tensor<Double>([3, 2.5, 0, 2, -1, 0.5, -2])
        #expect(sameValues(Variable(a).pow(Variable(b)).value.scalars,
                           [-8, .nan, 1, 0, .infinity, 1.4142135623730951, 0.1111111111111111]))
        let (ga, gb) = gradient(at: a, b) { $0.pow($1).sum() }
        #expect(sameValues(ga.scalars, [12, .nan, 0, 0, -.infinity, 0.3535533905932738, 0.07407407407407407]), "\(ga.scalars)")
        #expect(sameValues(gb.scalars, [.nan, .nan, 0, 0, -.infinity, 0.9802581434685472, .nan]), "\(gb.scalars)")
        // Forward mode gives the same columns.
        let ta = jvp(at: a, tangent: Tensor.ones([7])) { $0.pow(Variable(b)) }.tangent
        #expect(sameValues(ta.scalars, ga.scalars))
        let tb = jvp(at: b, tangent: Tensor.ones([7])) { Variable(a).pow($0) }.tangent
        #expect(sameValues(tb.scalars, gb.scalars))
    }

    // The issue's example on Variable: (−2)³ = −8, and the derivative 3x² = 12 at −2 (torch 2.x, above).
    @Test func issueExampleOnVariable() {
        #expect(Variable(Tensor<Double>([-2, 2])).pow(3).value == Tensor([-8, 8]))
        #expect(gradient(at: Tensor<Double>([-2, 2])) { $0.pow(3).sum() } == Tensor([12, 12]))
        #expect(Variable(Tensor<Double>([0])).pow(Variable(Tensor([0]))).value == Tensor([1]))
    }

    // Second derivatives at negative bases and at 0 (hand: d²/dx² x³ = 6x, d²/dx² x⁻² = 6x⁻⁴), and
    // gradcheck (first and second order) at negative points for both forms of pow.
    @Test func powHigherOrderAndGradcheckAtNegativeBases() {
        let x = Tensor<Double>([-2, -0.5, 0, 1.5])
        #expect(gradient(at: x) { gradient(at: $0) { $0.pow(3).sum() }.sum() } == Tensor([-12, -3, 0, 9]))
        let h = gradient(at: Tensor<Double>([-2, -0.5])) { gradient(at: $0) { $0.pow(-2).sum() }.sum() }
        #expect(sameValues(h.scalars, [0.375, 96]))
        #expect(checkGradients(of: { $0[0].pow(3) }, at: [x]).passed)
        #expect(checkGradients(of: { $0[0].pow(-3) }, at: [Tensor([-2, -0.7, 0.6])]).passed)
        // Tensor exponents: the base negative with whole exponents (the exponent's derivative is NaN
        // there, as in torch, so it is held constant), and a positive base with any exponent.
        let wholeExponents = Variable(Tensor<Double>([3, 2, -1, 4]))
        #expect(checkGradients(of: { $0[0].pow(wholeExponents) }, at: [Tensor([-1.5, -0.7, -2, 0])]).passed)
        #expect(checkGradients(of: { $0[0].pow($0[1]) }, at: [Tensor([0.5, 1.5, 2]), Tensor([-1.5, 0, 2.5])]).passed)
        // Zero base with exponent ≥ 0: both derivatives are 0 (torch's convention). Only to first
        // order: the exponent's derivative y·log a has no finite difference across a = 0.
        #expect(checkGradients(of: { $0[0].pow($0[1]) }, at: [Tensor([0, 0]), Tensor([2, 3])], checkSecondOrder: false).passed)
        // The base's derivative is smooth there to second order (b·aᵇ⁻¹ with whole b ≥ 2).
        #expect(checkGradients(of: { $0[0].pow(Variable(Tensor([2, 3]))) }, at: [Tensor([0, 0])]).passed)
    }

    // torch 2.x float64: x = [-1., -.5, 0., .5, 1., nan]; torch.clamp(x, -.5, .5), clamp(x, min=-.5),
    // clamp(x, max=.5), each .sum().backward(): x.grad = [0, 0, 1, 0, 0, 0], [0, 0, 1, 1, 1, 0], [1, 1, 1, 0, 0, 0]
    // (0 on the bounds themselves, like relu′(0) = 0; NaN keeps NaN and gets 0).
    @Test func clampAtItsBoundsAndNaN() {
        let x = Tensor<Double>([-1, -0.5, 0, 0.5, 1, .nan])
        #expect(gradient(at: x) { $0.clamped(to: -0.5...0.5).sum() } == Tensor([0, 0, 1, 0, 0, 0]))
        #expect(gradient(at: x) { $0.clamped(min: -0.5).sum() } == Tensor([0, 0, 1, 1, 1, 0]))
        #expect(gradient(at: x) { $0.clamped(max: 0.5).sum() } == Tensor([1, 1, 1, 0, 0, 0]))
        #expect(sameValues(Variable(x).clamped(to: -0.5...0.5).value.scalars, [-0.5, -0.5, 0, 0.5, 0.5, .nan]))
    }

    // torch 2.x float64: torch.maximum(a, b) with a = [1, nan, 2, 2], b = [nan, 1, 1, 2]: y = [nan, nan, 2, 2],
    // a.grad = [1, 1, 1, .5], b.grad = [1, 1, 0, .5]; torch.minimum(a, b) with a = [1, 2, inf], b = [1, 3, inf]:
    // y = [1, 2, inf], a.grad = [.5, 1, .5], b.grad = [.5, 0, .5].
    @Test func maximumAndMinimumTiesAndNaN() {
        let a = Tensor<Double>([1, .nan, 2, 2]), b = Tensor<Double>([.nan, 1, 1, 2])
        #expect(sameValues(Variable(a).maximum(Variable(b)).value.scalars, [.nan, .nan, 2, 2]))
        let (ga, gb) = gradient(at: a, b) { $0.maximum($1).sum() }
        #expect(ga == Tensor([1, 1, 1, 0.5]) && gb == Tensor([1, 1, 0, 0.5]))
        let c = Tensor<Double>([1, 2, .infinity]), d = Tensor<Double>([1, 3, .infinity])
        let (gc, gd) = gradient(at: c, d) { $0.minimum($1).sum() }
        #expect(gc == Tensor([0.5, 1, 0.5]) && gd == Tensor([0.5, 0, 0.5]))
        // Forward mode agrees, and the second derivative is 0.
        #expect(jvp(at: c, tangent: Tensor.ones([3])) { $0.minimum(Variable(d)) }.tangent == Tensor([0.5, 1, 0.5]))
        #expect(gradient(at: c) { gradient(at: $0) { $0.minimum(Variable(d)).sum() }.sum() } == Tensor([0, 0, 0]))
    }
}
