import Testing
import NablaTensor
import NablaAutograd

/// The table "Derivatives of common functions" of seed 004 (/work/shared/seeds/004_*), one test per
/// row, each at a point where the closed form is evaluated by hand or with Swift's own libm
/// (`Double.exp` etc., the same functions the kernels call, so equality is exact or within an ulp).
@Suite struct DerivativeTableTests {
    static func d(_ x: Double, _ f: (Variable<Double>) -> Variable<Double>) -> Double {
        gradient(at: Tensor(x), of: f).scalar
    }

    // d/dx 123 = 0 (a constant does not depend on x).
    @Test func constant() { #expect(Self.d(1.5) { x in x * 0 + 123 } == 0) }
    // d/dx x = 1.
    @Test func identity() { #expect(Self.d(1.5) { x in x } == 1) }
    // ∂/∂w wx = x, at w = 2, x = 3.
    @Test func linearInWeight() {
        let (dw, _) = gradient(at: Tensor<Double>(2), Tensor<Double>(3)) { w, x in w * x }
        #expect(dw.scalar == 3)
    }
    // ∂/∂b (wx + b) = 1.
    @Test func affineInBias() {
        let g = gradient(at: [Tensor<Double>(2), Tensor<Double>(3), Tensor<Double>(-1)]) { v in v[0] * v[1] + v[2] }
        #expect(g[2].scalar == 1)
    }
    // d/dx eˣ = eˣ.
    @Test func exponential() { #expect(Self.d(0.375) { $0.exp() } == Double.exp(0.375)) }
    // d/dx x² = 2x (product rule on x·x, as the slide derives it).
    @Test func square() {
        #expect(Self.d(1.5) { x in x * x } == 3)
        #expect(Self.d(1.5) { x in x.squared() } == 3)
    }
    // d/dx xⁿ = n·xⁿ⁻¹: n = 5 at x = 2 gives 80.
    @Test func power() { #expect(Self.d(2) { $0.pow(5) } == 80) }
    // d/dx x⁻¹ = −x⁻²: −0.25 at x = 2.
    @Test func reciprocal() {
        #expect(Self.d(2) { $0.reciprocal() } == -0.25)
        #expect(Self.d(2) { 1 / $0 } == -0.25)
        #expect(Self.d(2) { $0.pow(-1) } == -0.25)
    }
    // d/dx sin x = cos x.
    @Test func sine() { #expect(Self.d(0.5) { $0.sin() } == Double.cos(0.5)) }
    // d/dx tanh x = 1 − tanh²x.
    @Test func hyperbolicTangent() {
        let t = Double.tanh(0.5)
        #expect(Self.d(0.5) { $0.tanh() } == 1 - t * t)
    }
    // d/dx log x = 1/x.
    @Test func logarithm() { #expect(Self.d(4) { $0.log() } == 0.25) }
    // d/dx eˣ/(eˣ + 1) = eˣ/(eˣ + 1)²; at x = 1 that is 0.19661193324148185 (Python math).
    @Test func logistic() {
        #expect(abs(Self.d(1) { x in x.exp() / (x.exp() + 1) } - 0.19661193324148185) <= 2 * Double.ulpOfOne)
        #expect(abs(Self.d(1) { $0.sigmoid() } - 0.19661193324148185) <= 2 * Double.ulpOfOne)
    }
    // Non-smooth points follow PyTorch: relu′(0) = 0, |x|′(0) = 0, and max gives its gradient to one winner.
    @Test func nonSmoothPoints() {
        #expect(Self.d(0) { $0.relu() } == 0)
        #expect(Self.d(0) { $0.abs() } == 0)
        #expect(Self.d(-2) { $0.abs() } == -1)
        let g = gradient(at: Tensor<Double>([1, 3, 3, 2])) { $0.max() }
        #expect(g == Tensor<Double>([0, 1, 0, 0]))
    }
}
