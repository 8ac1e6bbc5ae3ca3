import NablaTensor

/// Sample tensors for the registry: deterministic (Philox, fixed seeds), in Double.
@usableFromInline enum Sample {
    /// Standard normal values of `shape`.
    @usableFromInline static func normal(_ shape: [Int], _ seed: UInt64) -> Tensor<Double> { .randomNormal(shape, seed: seed) }
    /// Uniform values in `[lo, hi)` of `shape` (for ops defined on a half-line).
    @usableFromInline static func uniform(_ shape: [Int], _ seed: UInt64, _ lo: Double = 0.5, _ hi: Double = 2) -> Tensor<Double> {
        .randomUniform(shape, in: lo..<hi, seed: seed)
    }
}

/// The built-in differentiable ops: the one list ``OpRegistry/shared`` is filled from. Each entry
/// applies one primitive (or one composite worth checking on its own) to sample inputs where it is
/// smooth: positive inputs for `log` and `sqrt`, distinct values for `max`, no zeros for `abs` and
/// `relu`, whole exponents for `pow` at negative bases. Besides random samples, elementwise ops and
/// reductions have samples with negative, zero and extreme (±1000 and beyond) values. Shapes include
/// broadcasting and batching.
public let builtinOps: [any RegisteredOperator] = elementwiseBuiltins + structuralBuiltins + linearAlgebraBuiltins + convolutionBuiltins

/// Unary elementwise ops on `[2, 3]` samples: a standard-normal one (or a positive one on a
/// half-line domain), and one with negative, zero and extreme values within the op's smooth domain
/// (`t(...)` below), so that `nabla gradcheck` checks the rules there too.
let elementwiseBuiltins: [any RegisteredOperator] = {
    let n = Sample.normal([2, 3], 1), p = Sample.uniform([2, 3], 2)
    func t(_ values: [Double]) -> Tensor<Double> { Tensor(shape: [2, 3], scalars: values) }
    func unary(_ name: String, _ samples: Tensor<Double>..., f: @escaping @Sendable (Variable<Double>) -> Variable<Double>) -> OpEntry {
        OpEntry(name, samples: samples.map { [$0] }) { f($0[0]) }
    }
    // Negative, zero and large values; and the same without zero, for ops with a kink or pole there.
    let wide = t([-1000, -3, 0, 0.25, 7, 1000]), nonzero = t([-1000, -3, -0.25, 0.25, 7, 1000])
    return [
        unary("scale", n, wide) { $0 * 2.5 }, unary("shift", n, wide) { $0 + 1.5 }, unary("neg", n, wide) { -$0 },
        unary("exp", n, t([-700, -30, 0, -1e-3, 5, 30])) { $0.exp() },
        unary("log", p, t([1e-4, 1e-2, 1, 3, 1e3, 1e8])) { $0.log() },
        unary("sin", n, t([-1000, -3, 0, 1e-3, 7, 1000])) { $0.sin() },
        unary("cos", n, t([-1000, -3, 0, 1e-3, 7, 1000])) { $0.cos() },
        unary("tanh", n, t([-1000, -20, 0, 1e-3, 20, 1000])) { $0.tanh() },
        unary("sigmoid", n, t([-1000, -40, 0, 1e-3, 40, 1000])) { $0.sigmoid() },
        unary("sqrt", p, t([1e-4, 1e-2, 1, 3, 1e3, 1e8])) { $0.sqrt() },
        unary("reciprocal", p, nonzero) { $0.reciprocal() },
        unary("square", n, wide) { $0.squared() },
        unary("abs", n, nonzero) { $0.abs() },
        unary("relu", n, nonzero) { $0.relu() },
        unary("softplus", n, t([-1000, -30, 0, 1e-3, 19.5, 1000])) { $0.softplus() },
        unary("log1p", p, t([-0.99, -0.5, 0, 1e-3, 1e3, 1e8])) { $0.log1p() },
        unary("expm1", n, t([-700, -30, 0, 1e-8, 5, 30])) { $0.expm1() },
        unary("erf", n, t([-30, -3, 0, 1e-3, 5, 30])) { $0.erf() },
        unary("powScalar", p, t([1e-3, 0.5, 1, 3, 100, 1e3])) { $0.pow(2.7) },
        // Whole exponents at negative bases and at 0 (torch.pow's real results there).
        unary("powScalar.cube", n, wide * 0.01) { $0.pow(3) },
        unary("powScalar.negativeWhole", nonzero * 0.01) { $0.pow(-2) },
        unary("powScalar.zero", wide) { $0.pow(0) },
        unary("tan", n * 0.5, t([-1.5, -0.5, 0, 1e-3, 1, 1.5])) { $0.tan() },
        OpEntry("add", samples: [[n, Sample.normal([2, 3], 3)], [Sample.normal([3, 1], 4), Sample.normal([4], 5)], [wide, -wide]]) { $0[0] + $0[1] },
        OpEntry("sub", samples: [[n, Sample.normal([2, 3], 3)], [Sample.normal([3, 1], 4), Sample.normal([4], 5)], [wide, wide]]) { $0[0] - $0[1] },
        OpEntry("mul", samples: [[n, Sample.normal([2, 3], 3)], [Sample.normal([3, 1], 4), Sample.normal([4], 5)], [wide, nonzero]]) { $0[0] * $0[1] },
        OpEntry("div", samples: [[n, p], [Sample.normal([3, 1], 4), Sample.uniform([4], 5)], [wide, nonzero]]) { $0[0] / $0[1] },
        OpEntry("pow", samples: [[p, n], [Sample.uniform([3, 1], 6), Sample.normal([4], 7)],
                                 [t([1e-3, 0.5, 1, 3, 100, 1e3]), t([-2, -0.5, 0, 0.5, 1.5, 0.25])]]) { $0[0].pow($0[1]) },
        // Negative and zero bases with whole exponents (held constant: the exponent's derivative
        // y·log a is NaN for a < 0, as in torch).
        OpEntry("pow.negativeBase", samples: [[t([-3, -1.5, -0.5, 0, 0.5, -2])]]) { [wholeExponents = t([3, 2, -1, 2, 4, -3])] v in
            v[0].pow(Variable(wholeExponents))
        },
        OpEntry("where", samples: [[n, Sample.normal([3], 8)], [wide, Tensor([0, -1e3, 1e3])]]) { v in
            Variable.where(Tensor<Bool>(shape: [2, 3], scalars: [true, false, true, false, false, true]), v[0], v[1])
        },
        OpEntry("atan2", samples: [[n, Sample.normal([2, 3], 10)], [Sample.normal([3, 1], 34), Sample.normal([4], 35)],
                                   // y = 0 with x > 0, both signs of x elsewhere, large and small magnitudes (away from the cut y = 0, x < 0).
                                   [t([0, -3, 1e3, -1e-3, 7, 0]), t([2, -1, -1e3, 1e3, -1e-2, 1e3])]]) { $0[0].atan2($0[1]) },
        unary("clamp.min", n, nonzero) { $0.clamped(min: 0.1) }, unary("clamp.max", n, nonzero) { $0.clamped(max: -0.1) },
        unary("softplus.threshold", n * 3, t([-1000, -3, 0, 0.5, 1.5, 1000])) { $0.softplus(threshold: 1) },
        OpEntry("maximum", samples: [[n, Sample.normal([2, 3], 9)], [wide, -wide + 0.3], [Sample.normal([3, 1], 78), Sample.normal([4], 79)]]) {
            $0[0].maximum($0[1])
        },
        OpEntry("minimum", samples: [[n, Sample.normal([2, 3], 9)], [wide, -wide + 0.3], [Sample.normal([3, 1], 78), Sample.normal([4], 79)]]) {
            $0[0].minimum($0[1])
        },
        OpEntry("clamp", samples: [[n], [nonzero]]) { $0[0].clamped(to: -0.5...0.5) },
    ]
}()

/// Reductions, shape ops and matmul.
let structuralBuiltins: [any RegisteredOperator] = {
    let x = Sample.normal([2, 3, 4], 11)
    // Negative, zero and large values, all distinct (so that max and min have one winner).
    let wide = Tensor<Double>(shape: [2, 3, 4], scalars: [-1000, -300, -20, -3, -1, -0.5, 0, 0.25, 1, 2.5, 6, 40,
                                                          900, -750, -64, -7, -2, -0.75, 0.5, 1.5, 4, 15, 300, 1000])
    return [
        OpEntry("sum", samples: [[x], [wide]]) { $0[0].sum() },
        OpEntry("sum.axes", samples: [[x], [wide]]) { $0[0].sum(axes: [0, 2]) },
        OpEntry("sum.keepingDims", samples: [[x], [wide]]) { $0[0].sum(axis: 1, keepingDims: true) },
        OpEntry("max", samples: [[x], [wide]]) { $0[0].max(axes: [1]) },
        OpEntry("max.all", samples: [[x], [wide]]) { $0[0].max() },
        OpEntry("min", samples: [[x], [wide]]) { $0[0].min(axes: [0, 2], keepingDims: true) },
        OpEntry("mean", samples: [[x], [wide]]) { $0[0].mean(axis: -1) },
        OpEntry("variance", samples: [[x], [wide]]) { $0[0].variance(axes: [1]) },
        OpEntry("logSumExp", samples: [[x], [wide]]) { $0[0].logSumExp(axis: 1) },
        OpEntry("softmax", samples: [[x], [wide]]) { $0[0].softmax(axis: -1) },
        OpEntry("logSoftmax", samples: [[x], [wide]]) { $0[0].logSoftmax(axis: 0) },
        OpEntry("reshape", samples: [[x], [wide]]) { $0[0].reshaped([4, -1]) },
        OpEntry("permute", samples: [[x], [wide]]) { $0[0].permuted([2, 0, 1]) },
        OpEntry("expand", samples: [[Sample.normal([3, 1], 12)]]) { $0[0].expanded(to: [2, 3, 4]) },
        OpEntry("sumTo", samples: [[x]]) { $0[0].summed(to: [3, 1]) },
        OpEntry("index", samples: [[x], [wide]]) { $0[0][1] },
        OpEntry("stack", samples: [[Sample.normal([2, 2], 13), Sample.normal([2, 2], 14)]]) { stack([$0[0], $0[1]]) },
        OpEntry("matmul", samples: [[Sample.normal([2, 3], 15), Sample.normal([3, 4], 16)],
                                    [Sample.normal([2, 2, 3], 17), Sample.normal([3, 2], 18)],
                                    [Sample.normal([3], 19), Sample.normal([3, 2], 20)],
                                    [Sample.normal([2, 3], 21), Sample.normal([3], 22)]]) { $0[0].matmul($0[1]) },
        OpEntry("linear", samples: [[Sample.normal([4, 3], 41), Sample.normal([2, 3], 42), Sample.normal([2], 43)],
                                    [Sample.normal([2, 2, 3], 44), Sample.normal([5, 3], 45)],
                                    [Sample.normal([3], 46), Sample.normal([2, 3], 47), Sample.normal([2], 48)]]) { v in
            v[0].linear(weight: v[1], bias: v.count > 2 ? v[2] : nil)
        },
        OpEntry("linear_relu", samples: [[Sample.normal([4, 3], 49), Sample.normal([2, 3], 50), Sample.normal([2], 51)],
                                         [Sample.normal([2, 2, 3], 52), Sample.normal([5, 3], 53)]]) { v in
            v[0].linear(weight: v[1], bias: v.count > 2 ? v[2] : nil, fusingReLU: true)
        },
        OpEntry("softmaxCrossEntropy", samples: [[Sample.normal([4, 3], 54)], [Sample.normal([4, 3], 55)]]) { v in
            v[0].softmaxCrossEntropy(labels: Tensor<Int>([2, 0, 1, 1]))
        },
        OpEntry("slice", samples: [[x], [wide]]) { $0[0][0..<2, .stride(from: 2, to: 0, by: -1), TensorIndex.newAxis, 1...2] },
        OpEntry("split", samples: [[x], [wide]]) { v in v[0].split(sizes: [1, 2], axis: 1)[1] },
        OpEntry("flip", samples: [[x], [wide]]) { $0[0].flipped(axes: [0, 2]) },
        OpEntry("concatenate", samples: [[Sample.normal([2, 3], 25), Sample.normal([2, 1], 26)]]) { concatenate($0, axis: 1) },
        OpEntry("gather", samples: [[Sample.normal([3, 4], 27)]]) { v in
            v[0].gathering(indices: Tensor<Int>(shape: [2, 4], scalars: [0, 2, 1, 1, 2, 2, 0, 1]), axis: 0)
        },
        OpEntry("indexSelect", samples: [[Sample.normal([3, 2], 28)]]) { v in
            v[0].indexSelect(indices: Tensor<Int>([2, 0, 2]), axis: 0)
        },
        OpEntry("scatterAdd", samples: [[Sample.normal([3, 2], 29), Sample.normal([2, 2], 30)]]) { v in
            v[0].scatteringAdd(indices: Tensor<Int>(shape: [2, 2], scalars: [0, 2, 0, 0]), values: v[1], axis: 0)
        },
        OpEntry("pad", samples: [[Sample.normal([2, 3], 31)]]) { $0[0].padded([(before: 1, after: 2)], value: 0.5) },
        OpEntry("tile", samples: [[Sample.normal([2, 3], 33)]]) { $0[0].tiled([2, 1, 2]) },
        OpEntry("unstack", samples: [[x], [wide]]) { $0[0].unstacked(axis: 1)[2] },
        OpEntry("cumsum", samples: [[x], [wide]]) { $0[0].cumulativeSum(axis: 1) },
        OpEntry("prod", samples: [[Sample.uniform([2, 3], 32)]]) { $0[0].product(axes: [1]) },
        // Zeros: one per row, and a row with two (whose gradient is zero but for the other zero's Π).
        OpEntry("prod.zeros", samples: [[Tensor<Double>([[0.5, 0, 2], [1.5, -1, 0.7]])], [Tensor<Double>([[0, 0, 2], [1.5, -1, 0.7]])]]) {
            $0[0].product(axes: [1])
        },
        OpEntry("prod.zeros.all", samples: [[Tensor<Double>([[0.5, 0, 2], [1.5, -1, 0.7]])]]) { $0[0].product() },
        OpEntry("stack.axis", samples: [[Sample.normal([2, 3], 76), Sample.normal([2, 3], 77)]]) { stack([$0[0], $0[1]], axis: -1) },
        OpEntry("standardDeviation", samples: [[x], [wide]]) { $0[0].standardDeviation(axes: [2]) },
        OpEntry("pad.reflect", samples: [[Sample.normal([2, 3], 36)]]) { $0[0].padded([(before: 1, after: 1), (before: 2, after: 1)], mode: .reflect) },
        OpEntry("pad.replicate", samples: [[Sample.normal([2, 3], 37)]]) { $0[0].padded([(before: 2, after: 3)], mode: .replicate) },
        OpEntry("pad.circular", samples: [[Sample.normal([2, 3], 38)]]) { $0[0].padded([(before: 1, after: 4), (before: 0, after: 2)], mode: .circular) },
        OpEntry("indexAdd", samples: [[Sample.normal([3, 2], 39), Sample.normal([3, 2], 40)]]) { v in
            v[0].indexAdding(indices: Tensor<Int>([2, 0, 2]), values: v[1], axis: 0)
        },
        // Indices repeat (0 twice in column 0): only the later write wins, and only it gets a gradient.
        OpEntry("scatter", samples: [[Sample.normal([3, 2], 73), Sample.normal([3, 2], 74)]]) { v in
            v[0].scattering(indices: Tensor<Int>(shape: [2, 2], scalars: [0, 2, 0, 1]), values: v[1], axis: 0)
        },
        OpEntry("split.count", samples: [[x], [wide]]) { v in v[0].split(count: 2, axis: 2)[1] },
        OpEntry("chunk", samples: [[x], [wide]]) { v in v[0].chunked(2, axis: 1)[0] },
        OpEntry("covariance", samples: [[Sample.normal([5, 3], 75)]]) { $0[0].covariance() },
        OpEntry("dot", samples: [[Sample.normal([3], 23), Sample.normal([3], 24)]]) { $0[0].dot($0[1]) },
    ]
}()
