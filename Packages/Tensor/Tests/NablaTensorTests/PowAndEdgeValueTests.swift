import Testing
import NablaTensor
import _NablaTestSupport

/// Whether two arrays agree elementwise: both NaN, equal (infinities, ±0 compare equal), or within
/// `rtol` relative difference.
func sameValues<S: TensorFloatingPoint>(_ actual: [S], _ expected: [S], rtol: S = 1e-14) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { a, e in
        (a.isNaN && e.isNaN) || a == e || (a.isFinite && e.isFinite && (a - e).magnitude <= rtol * e.magnitude)
    }
}

/// `torch.pow` and the other elementwise functions at negative, zero and extreme inputs, against
/// PyTorch 2.x values pasted as literals (computed in float64 unless the test says otherwise).
@Suite struct PowAndEdgeValueTests {
    static let bases: [Double] = [-3, -2, -0.5, 0, 0.5, 2, .infinity, -.infinity, .nan]

    // torch 2.x: torch.pow(torch.tensor([-3., -2., -.5, 0., .5, 2., inf, -inf, nan], dtype=torch.float64), p)
    // for each p below. Whole exponents of either sign give real results at negative bases; 0⁰ = 1.
    static let scalarExponentCases: [(Double, [Double])] = [
        (3, [-27.0, -8.0, -0.125, 0.0, 0.125, 8.0, .infinity, -.infinity, .nan]),
        (2, [9.0, 4.0, 0.25, 0.0, 0.25, 4.0, .infinity, .infinity, .nan]),
        (-1, [-0.3333333333333333, -0.5, -2.0, .infinity, 2.0, 0.5, 0.0, -0.0, .nan]),
        (-2, [0.1111111111111111, 0.25, 4.0, .infinity, 4.0, 0.25, 0.0, 0.0, .nan]),
        (0, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
        (0.5, [.nan, .nan, .nan, 0.0, 0.7071067811865476, 1.4142135623730951, .infinity, .nan, .nan]),
        (-0.5, [.nan, .nan, .nan, .infinity, 1.414213562373095, 0.7071067811865475, 0.0, .nan, .nan]),
        (2.5, [.nan, .nan, .nan, 0.0, 0.1767766952966369, 5.656854249492381, .infinity, .infinity, .nan]),
        (4, [81.0, 16.0, 0.0625, 0.0, 0.0625, 16.0, .infinity, .infinity, .nan]),
        (-3, [-0.037037037037037035, -0.125, -8.0, .infinity, 8.0, 0.125, 0.0, -0.0, .nan]),
        (1, [-3.0, -2.0, -0.5, 0.0, 0.5, 2.0, .infinity, -.infinity, .nan]),
    ]

    @Test(arguments: scalarExponentCases)
    func powScalarExponentFollowsTorch(_ p: Double, _ expected: [Double]) {
        let y = Tensor<Double>(Self.bases).pow(p)
        #expect(sameValues(y.scalars, expected), "pow(\(p)): \(y.scalars)")
        // The free function and a strided (non-contiguous) view take the same path.
        #expect(sameValues(pow(Tensor<Double>(Self.bases), p).scalars, expected))
        let strided = Tensor<Double>(shape: [9, 2], scalars: Self.bases.flatMap { [$0, 7] })[.all, 0]
        #expect(sameValues(strided.pow(p).scalars, expected))
    }

    // The issue's example, and 0⁰ (torch 2.x: torch.pow(torch.tensor([-2., 2.]), 3) = [-8., 8.];
    // torch.pow(torch.tensor([0.]), 0) = [1.]).
    @Test func issueExample() {
        #expect(Tensor<Double>([-2, 2]).pow(3) == Tensor([-8, 8]))
        #expect(Tensor<Float>([-2, 2]).pow(3) == Tensor([-8, 8]))
        #expect(Tensor<Double>([0]).pow(0) == Tensor([1]))
        #expect(Tensor<Double>([-2, 2]).pow(Tensor([3, 3])) == Tensor([-8, 8]))
    }

    // torch 2.x, float32: torch.pow(torch.tensor([-3., -2., -.5, 0., .5, 2., inf, -inf, nan]), -3.)
    @Test func powFloat() {
        let y = Tensor<Float>(Self.bases.map { Float($0) }).pow(-3)
        let expected: [Float] = [-0.03703703731298447, -0.125, -8.0, .infinity, 8.0, 0.125, 0.0, -0.0, .nan]
        #expect(sameValues(y.scalars, expected, rtol: 1e-7))
        #expect(sameValues(Tensor<Float>(Self.bases.map { Float($0) }).pow(2.5).scalars,
                           Self.scalarExponentCases[7].1.map { Float($0) }, rtol: 1e-6))
    }

    // torch 2.x: torch.pow(a, b) for
    // a = [-2., -2., -8., 0., 0., 0., -0., 1., nan, -1., 2.], b = [3., -2., 1/3, 0., -1., 2.5, -1., nan, 0., inf, .5]
    @Test func powTensorExponentFollowsTorch() {
        let a = Tensor<Double>([-2, -2, -8, 0, 0, 0, -0.0, 1, .nan, -1, 2])
        let b = Tensor<Double>([3, -2, 1.0 / 3, 0, -1, 2.5, -1, .nan, 0, .infinity, 0.5])
        let expected: [Double] = [-8.0, 0.25, .nan, 1.0, .infinity, 0.0, -.infinity, 1.0, 1.0, 1.0, 1.4142135623730951]
        #expect(sameValues(a.pow(b).scalars, expected))
        // Broadcasting a column of bases against a row of exponents.
        let grid = Tensor<Double>([[-2], [0]]).pow(Tensor([0, 1, 2, 3]))
        #expect(grid == Tensor([[1, -2, 4, -8], [1, 0, 0, 0]]))
    }

    static let edges: [Double] = [-.infinity, -1000, -20, -1, -0.5, 0, 0.5, 1, 20, 1000, .infinity]

    // torch 2.x float64, f(torch.tensor([-inf, -1000., -20., -1., -.5, 0., .5, 1., 20., 1000., inf])).
    static let unaryCases: [(String, [Double])] = [
        ("exp", [0.0, 0.0, 2.061153622438558e-09, 0.36787944117144233, 0.6065306597126334, 1.0, 1.6487212707001282, 2.718281828459045, 485165195.4097903, .infinity, .infinity]),
        ("log", [.nan, .nan, .nan, .nan, .nan, -.infinity, -0.6931471805599453, 0.0, 2.995732273553991, 6.907755278982137, .infinity]),
        ("log1p", [.nan, .nan, .nan, -.infinity, -0.6931471805599453, 0.0, 0.4054651081081644, 0.6931471805599453, 3.044522437723423, 6.90875477931522, .infinity]),
        ("expm1", [-1.0, -1.0, -0.9999999979388464, -0.6321205588285577, -0.3934693402873666, 0.0, 0.6487212707001282, 1.7182818284590453, 485165194.4097903, .infinity, .infinity]),
        ("sqrt", [.nan, .nan, .nan, .nan, .nan, 0.0, 0.7071067811865476, 1.0, 4.47213595499958, 31.622776601683793, .infinity]),
        ("rsqrt", [.nan, .nan, .nan, .nan, .nan, .infinity, 1.414213562373095, 1.0, 0.22360679774997896, 0.03162277660168379, 0.0]),
        ("tanh", [-1.0, -1.0, -1.0, -0.7615941559557649, -0.46211715726000974, 0.0, 0.46211715726000974, 0.7615941559557649, 1.0, 1.0, 1.0]),
        ("sigmoid", [0.0, 0.0, 2.0611536181902037e-09, 0.2689414213699951, 0.3775406687981454, 0.5, 0.6224593312018546, 0.7310585786300049, 0.9999999979388463, 1.0, 1.0]),
        ("erf", [-1.0, -1.0, -1.0, -0.8427007929497149, -0.5204998778130465, 0.0, 0.5204998778130465, 0.8427007929497149, 1.0, 1.0, 1.0]),
        ("softplus", [0.0, 0.0, 2.061153620314381e-09, 0.31326168751822286, 0.4740769841801067, 0.6931471805599453, 0.9740769841801067, 1.3132616875182228, 20.000000002061153, 1000.0, .infinity]),
        ("reciprocal", [-0.0, -0.001, -0.05, -1.0, -2.0, .infinity, 2.0, 1.0, 0.05, 0.001, 0.0]),
        ("sin", [.nan, -0.8268795405320025, -0.9129452507276277, -0.8414709848078965, -0.479425538604203, 0.0, 0.479425538604203, 0.8414709848078965, 0.9129452507276277, 0.8268795405320025, .nan]),
        ("cos", [.nan, 0.5623790762907029, 0.40808206181339196, 0.5403023058681398, 0.8775825618903728, 1.0, 0.8775825618903728, 0.5403023058681398, 0.40808206181339196, 0.5623790762907029, .nan]),
        ("abs", [.infinity, 1000.0, 20.0, 1.0, 0.5, 0.0, 0.5, 1.0, 20.0, 1000.0, .infinity]),
        ("relu", [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 20.0, 1000.0, .infinity]),
    ]

    static func apply(_ name: String, _ x: Tensor<Double>) -> Tensor<Double> {
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
        default: return x.relu()
        }
    }

    // The vectorized kernels agree with torch at ±∞, ±1000, 0 and the domain edges (log1p(−1),
    // sqrt(0), rsqrt(0)), in Double and (to float precision) in Float.
    @Test(arguments: unaryCases)
    func unaryEdgesFollowTorch(_ name: String, _ expected: [Double]) {
        let y = Self.apply(name, Tensor(Self.edges))
        #expect(sameValues(y.scalars, expected), "\(name): \(y.scalars)")
    }

    // torch 2.x float64: torch.atan2(y, x) at y = [0, 0, -0., 1, -1, inf, 0], x = [0, -1, -1, 0, 0, inf, 2].
    @Test func atan2Edges() {
        let y = Tensor<Double>([0, 0, -0.0, 1, -1, .infinity, 0]), x = Tensor<Double>([0, -1, -1, 0, 0, .infinity, 2])
        #expect(sameValues(y.atan2(x).scalars, [0.0, 3.141592653589793, -3.141592653589793, 1.5707963267948966,
                                                 -1.5707963267948966, 0.7853981633974483, 0.0]))
    }

    // torch 2.x: torch.logsumexp(x, 1) of rows [-inf, -inf], [0, -inf], [inf, 1], [1000, 1000]
    // = [-inf, 0, inf, 1000.6931471805599]; torch.clamp keeps NaN.
    @Test func reductionAndClampEdges() {
        let x = Tensor<Double>([[-.infinity, -.infinity], [0, -.infinity], [.infinity, 1], [1000, 1000]])
        #expect(sameValues(x.logSumExp(axis: 1).scalars, [-.infinity, 0, .infinity, 1000.6931471805599]))
        #expect(sameValues(Tensor<Double>([-1, -0.5, 0, 0.5, 1, .nan]).clamped(to: -0.5...0.5).scalars, [-0.5, -0.5, 0, 0.5, 0.5, .nan]))
        #expect(sameValues(Tensor<Double>([-1, .nan]).clamped(min: -0.5).scalars, [-0.5, .nan]))
        #expect(sameValues(Tensor<Double>([1, .nan]).clamped(max: 0.5).scalars, [0.5, .nan]))
    }
}
