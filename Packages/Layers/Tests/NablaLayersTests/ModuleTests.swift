import Testing
import NablaLayers
import _NablaTestSupport

/// A model written the way the docs show: declared children, a forward pass.
final class MLP: Module, Layer {
    typealias Scalar = Double
    let fc1: Linear<Double>, bn1: BatchNorm1d<Double>, drop: Dropout<Double>, fc2: Linear<Double>
    init(using g: inout PhiloxGenerator) {
        fc1 = Linear(3, 4, using: &g)
        bn1 = BatchNorm1d(4)
        drop = Dropout(p: 0.5, generator: g)
        fc2 = Linear(4, 2, using: &g)
    }
    var namedChildren: [(name: String, module: any Module<Double>)] { [("fc1", fc1), ("bn1", bn1), ("drop", drop), ("fc2", fc2)] }
    func callAsFunction(_ x: Variable<Double>) -> Variable<Double> { fc2(drop(relu(bn1(fc1(x))))) }
}

/// A module holding several parameters with RNN-style names, as later layers (LSTM) will.
final class TwoWeights: Module {
    typealias Scalar = Double
    let a = Parameter(Tensor<Double>.ones([2, 3])), b = Parameter(Tensor<Double>.zeros([2]))
    var namedLocalParameters: [(name: String, parameter: Parameter<Double>)] { [("weight_ih_l0", a), ("bias_ih_l0", b)] }
}

@Suite("Modules")
struct ModuleTests {
    var g = PhiloxGenerator(seed: 1)

    @Test mutating func dottedNamesAndCounts() {
        let m = MLP(using: &g)
        #expect(m.namedParameters.map(\.name) == ["fc1.weight", "fc1.bias", "bn1.weight", "bn1.bias", "fc2.weight", "fc2.bias"])
        #expect(m.namedBuffers.map(\.name) == ["bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked"])
        #expect(m.stateDict().names == ["fc1.weight", "fc1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean",
                                        "bn1.running_var", "bn1.num_batches_tracked", "fc2.weight", "fc2.bias"])
        #expect(m.stateDict()["bn1.num_batches_tracked"] == .integer(Tensor<Int64>(0)))
        #expect(m.parameterCount == 12 + 4 + 8 + 8 + 2)
        #expect(m.namedModules.map(\.name) == ["", "fc1", "bn1", "drop", "fc2"])
        #expect(m.parameter(named: "fc2.bias") === m.fc2.bias)
        #expect(TwoWeights().namedParameters.map(\.name) == ["weight_ih_l0", "bias_ih_l0"])
        let list = ModuleList([TwoWeights(), TwoWeights()])
        #expect(list.stateDict().names == ["0.weight_ih_l0", "0.bias_ih_l0", "1.weight_ih_l0", "1.bias_ih_l0"])
        #expect(list.count == 2)
    }

    @Test func batchNormOptionsChangeTheStateDictAsInPyTorch() {
        // nn.BatchNorm1d(3, affine=False, track_running_stats=False).state_dict() is empty.
        let plain = BatchNorm1d<Double>(3, affine: false, trackRunningStatistics: false)
        #expect(plain.stateDict().count == 0)
        plain.eval()   // no running statistics: batch statistics even in evaluation
        let x = Tensor<Double>([[1, 2, 3], [3, 6, 9]])
        #expect(allClose(plain(x).value, Tensor([[-1, -1, -1], [1, 1, 1]]), rtol: 1e-5, atol: 1e-5))
        #expect(BatchNorm2d<Double>(4, affine: false).stateDict().names == ["running_mean", "running_var", "num_batches_tracked"])
        #expect(LayerNorm<Double>(4, bias: false).stateDict().names == ["weight"])
    }

    @Test mutating func sharedParametersAreListedOnce() {
        let lin = Linear<Double>(2, 2, using: &g)
        let model = Sequential<Double>(lin, Tanh(), lin)
        #expect(model.namedParameters.map(\.name) == ["0.weight", "0.bias"])
        #expect(model.parameterCount == 6)
    }

    @Test mutating func trainAndEvalAreRecursive() {
        let m = MLP(using: &g)
        #expect(m.isTraining && m.bn1.isTraining && m.drop.isTraining)
        m.eval()
        #expect(!m.isTraining && !m.bn1.isTraining && !m.drop.isTraining)
        m.train()
        #expect(m.drop.isTraining)
    }

    @Test mutating func stateDictRoundTripsAndLoadsInPlace() throws {
        let a = MLP(using: &g), b = MLP(using: &g)
        let optimizerView = b.parameters
        _ = a(Tensor<Double>.randomNormal([5, 3], using: &g))   // moves a's running statistics
        try b.load(stateDict: a.stateDict())
        #expect(b.stateDict() == a.stateDict())
        #expect(zip(optimizerView, b.parameters).allSatisfy { $0 === $1 })   // identity kept
        #expect(b.bn1.batchesTracked?.integers.scalar == 1)
    }

    @Test mutating func loadReportsEveryProblemAndLoadsNothing() throws {
        let m = MLP(using: &g)
        let before = m.stateDict()
        var d = m.stateDict()
        d["fc1.bias"] = nil
        d["fc2.weight"] = .floating(Tensor.zeros([3, 4]))
        d["bn1.num_batches_tracked"] = .floating(Tensor(2.0))
        d["extra.weight"] = .floating(Tensor.zeros([1]))
        d["fc1.weight"] = .floating(Tensor.ones([4, 3]))
        let error = #expect(throws: StateDictError.self) { try m.load(stateDict: d) }
        #expect(error?.missing == ["fc1.bias"])
        #expect(error?.unexpected == ["extra.weight"])
        #expect(error?.mismatched.map(\.name) == ["bn1.num_batches_tracked", "fc2.weight"])
        #expect(error?.errorDescription?.contains("size mismatch for fc2.weight") == true)
        #expect(m.stateDict() == before)   // fc1.weight was valid but nothing was assigned
        // Not strict: missing and unexpected are skipped, shape errors still throw.
        d["fc2.weight"] = before["fc2.weight"]; d["bn1.num_batches_tracked"] = before["bn1.num_batches_tracked"]
        let report = try m.load(stateDict: d, strict: false)
        #expect(report == LoadReport(missing: ["fc1.bias"], unexpected: ["extra.weight"]))
        #expect(m.fc1.weight.value == Tensor.ones([4, 3]))
    }

    @Test mutating func freezing() {
        let m = MLP(using: &g)
        m.fc1.freeze()
        #expect(m.trainableParameterCount == m.parameterCount - 16)
        let (_, grads) = valueWithGradient(of: m) { m in m(Tensor<Double>.randomNormal([4, 3], seed: 3)).sum() }
        #expect(grads.keys.sorted() == ["bn1.bias", "bn1.weight", "fc2.bias", "fc2.weight"])
        #expect(m.fc1.weight.gradient == nil)
        m.unfreeze()
        #expect(m.trainableParameterCount == m.parameterCount)
    }

    @Test mutating func valueWithGradientMatchesBackwardAndLeavesAccumulatedGradients() {
        let m = MLP(using: &g)
        m.eval()   // deterministic
        let x = Tensor<Double>.randomNormal([4, 3], using: &g)
        let y = Tensor<Double>.randomNormal([4, 2], using: &g)
        let loss = mseLoss(m(x), y)
        loss.backward()
        let accumulated = m.namedParameters.map { $0.parameter.gradient! }
        let (value, grads) = valueWithGradient(of: m) { m in mseLoss(m(x), y) }
        #expect(value.scalar == loss.scalar)
        for ((name, p), acc) in zip(m.namedParameters, accumulated) {
            #expect(grads[name] == acc, "\(name)")
            #expect(p.gradient == acc, "\(name) restored")
        }
        m.zeroGradients()
        #expect(m.parameters.allSatisfy { $0.gradient == nil })
        // An unused parameter gets zeros.
        let grads2 = gradient(of: TwoWeights()) { m in m.a.variable.sum() }
        #expect(grads2["bias_ih_l0"] == Tensor.zeros([2]))
    }

    @Test mutating func dropoutTrainAndEval() {
        let d = Dropout<Double>(p: 0.25, generator: PhiloxGenerator(seed: 9))
        let x = Variable(Tensor<Double>.ones([100, 100]), requiresGradient: true)
        let y = d(x)
        let kept = y.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 4.0 / 3) < 1e-12 })
        #expect(abs(Double(kept.count) / 10_000 - 0.75) < 0.02)
        y.sum().backward()
        #expect(x.gradient!.scalars == y.scalars)   // the gradient is the scaled mask
        #expect(d(x).scalars != y.scalars)          // a fresh mask per call
        d.eval()
        #expect(d(x).scalars == x.scalars)
        // Seeded: the same generator gives the same masks.
        let d2 = Dropout<Double>(p: 0.25, generator: PhiloxGenerator(seed: 9))
        #expect(d2(x).scalars == y.scalars)
        #expect(Dropout<Double>(p: 1, generator: .init(seed: 1))(x).scalars.allSatisfy { $0 == 0 })
    }

    @Test func trainingLoopReducesTheLoss() {
        // PyTorch's path: loss.backward(), p.gradient, zeroGradients(), with an L2 penalty λΩ(w).
        var g = PhiloxGenerator(seed: 5)
        let model = Sequential<Double>(Linear(2, 8, using: &g), ReLU(), Linear(8, 1, using: &g))
        let x = Tensor<Double>.randomNormal([32, 2], using: &g)
        let y = (x[indices: [.all, .index(0)]] - x[indices: [.all, .index(1)]] * 2).reshaped([32, 1])
        func loss() -> Variable<Double> { mseLoss(model(x), y) + 1e-4 * l2Penalty(model) }
        let first = loss().scalar
        for _ in 0..<200 {
            model.zeroGradients()
            loss().backward()
            for p in model.parameters { p.value -= 0.05 * p.gradient! }
        }
        #expect(loss().scalar < first / 10)
        #expect(abs(l1Penalty(model, where: { $0.hasSuffix("bias") }).scalar
                    - model.namedParameters.filter { $0.name.hasSuffix("bias") }.reduce(0) { $0 + $1.parameter.value.abs().sum().scalar }) < 1e-12)
    }
}

@Suite("Initializers")
struct InitializerTests {
    @Test func pyTorchDefaultBounds() {
        var g = PhiloxGenerator(seed: 3)
        let lin = Linear<Double>(50, 40, using: &g)
        let bound = 1 / 50.0.squareRoot()
        #expect(lin.weight.value.abs().max().scalar <= bound && lin.weight.value.abs().max().scalar > 0.9 * bound)
        #expect(lin.bias!.value.abs().max().scalar <= bound)
        #expect(Initializer.fans([8, 3, 5, 5]) == (75, 200))
        let xu: Tensor<Double> = Initializer.xavierUniform([100, 300], gain: 2, using: &g)
        #expect(xu.abs().max().scalar <= 2 * (6.0 / 400).squareRoot())
        let xn: Tensor<Double> = Initializer.xavierNormal([200, 300], using: &g)
        #expect(abs(xn.standardDeviation().scalar - (2.0 / 500).squareRoot()) < 0.002)
        let kn: Tensor<Double> = Initializer.kaimingNormal([300, 200], nonlinearity: .relu, using: &g)
        #expect(abs(kn.standardDeviation().scalar - (2.0 / 200).squareRoot()) < 0.002)
        let ku: Tensor<Double> = Initializer.kaimingUniform([300, 200], mode: .fanOut, using: &g)
        #expect(ku.abs().max().scalar <= (6.0 / 300).squareRoot())
        #expect(Nonlinearity.tanh.gain == 5.0 / 3 && Nonlinearity.leakyReLU(negativeSlope: 5.0.squareRoot()).gain == (1.0 / 3).squareRoot())
        #expect(Initializer.constant([2], 0.5) == Tensor<Double>([0.5, 0.5]))
        #expect((Initializer.zeros([2]) as Tensor<Float>) == Tensor([0, 0]) && (Initializer.ones([1]) as Tensor<Float>) == Tensor([1]))
    }

    @Test func orthogonalIsOrthogonal() {
        var g = PhiloxGenerator(seed: 4)
        let tall: Tensor<Double> = Initializer.orthogonal([6, 3], using: &g)
        #expect(allClose(tall.transposed().matmul(tall), Tensor.eye(3), rtol: 1e-12, atol: 1e-12))
        let wide: Tensor<Double> = Initializer.orthogonal([3, 2, 3], gain: 2, using: &g)
        let w = wide.reshaped([3, 6])
        #expect(allClose(w.matmul(w.transposed()), Tensor.eye(3) * 4, rtol: 1e-12, atol: 1e-12))
    }

    @Test func seededModelsAreReproducible() {
        var g1 = PhiloxGenerator(seed: 11), g2 = PhiloxGenerator(seed: 11)
        #expect(Linear<Float>(3, 3, using: &g1).stateDict() == Linear<Float>(3, 3, using: &g2).stateDict())
        DefaultGenerator.seed(5)
        let a = Linear<Float>(3, 3).stateDict()
        DefaultGenerator.seed(5)
        #expect(Linear<Float>(3, 3).stateDict() == a)
    }
}
