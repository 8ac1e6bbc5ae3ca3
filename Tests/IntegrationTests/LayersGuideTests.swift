import Testing
import Nabla

/// The article's model (NablaLayers.docc/DefiningAndTrainingAModel.md), compiled and run.
final class TwoLayerNet: Module, Layer {
    typealias Scalar = Float
    let fc1: Linear<Float>, bn1: BatchNorm1d<Float>, fc2: Linear<Float>

    init(inputs: Int, hidden: Int, classes: Int, using g: inout PhiloxGenerator) {
        fc1 = Linear(inputs, hidden, using: &g)
        bn1 = BatchNorm1d(hidden)
        fc2 = Linear(hidden, classes, using: &g)
    }

    var namedChildren: [(name: String, module: any Module<Float>)] {
        [("fc1", fc1), ("bn1", bn1), ("fc2", fc2)]
    }

    func callAsFunction(_ x: Variable<Float>) -> Variable<Float> {
        fc2(relu(bn1(fc1(x))))
    }
}

@Suite("Layers guide examples")
struct LayersGuideTests {
    @Test func articleModelTrains() {
        var g = PhiloxGenerator(seed: 42)
        let model = TwoLayerNet(inputs: 2, hidden: 16, classes: 2, using: &g)
        #expect(model.stateDict().names == ["fc1.weight", "fc1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean",
                                            "bn1.running_var", "bn1.num_batches_tracked", "fc2.weight", "fc2.bias"])
        #expect(model.parameterCount == 114)
        let x = Tensor<Float>.randomNormal([64, 2], using: &g)
        let y = Tensor<Int>(shape: [64], scalars: x.scalars.enumerated().compactMap {
            $0.offset.isMultiple(of: 2) ? ($0.element > 0 ? 1 : 0) : nil })
        model.train()
        for _ in 0..<100 {
            model.zeroGradients()
            let loss = crossEntropy(model(x), y) + 1e-4 * l2Penalty(model, where: { $0.hasSuffix("weight") })
            loss.backward()
            for p in model.parameters where p.requiresGradient { p.value -= 0.1 * p.gradient! }
        }
        model.eval()
        #expect(accuracy(logits: model(x).value, labels: y) > 0.9)
    }

    @Test func catalogOverview() {
        var g = PhiloxGenerator(seed: 0)
        let model = Sequential<Float>(Linear(4, 16, using: &g), BatchNorm1d(16), ReLU(), Linear(16, 3, using: &g))
        let x = Tensor<Float>.randomNormal([32, 4], using: &g)
        let labels = Tensor<Int>((0..<32).map { $0 % 3 })
        let loss = crossEntropy(model(x), labels)
        loss.backward()
        let accumulated = model.parameters.map { $0.gradient! }
        for p in model.parameters { p.value -= 0.1 * p.gradient! }
        model.zeroGradients()
        let (value, grads) = valueWithGradient(of: model) { m in crossEntropy(m(x), labels) }
        #expect(grads["0.weight"]?.shape == [16, 4])
        #expect(value.scalar < loss.scalar)
        #expect(accumulated.count == 6)
    }
}
