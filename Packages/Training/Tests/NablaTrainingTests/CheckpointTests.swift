import Foundation
import Testing
import NablaTraining

/// A model with parameters, floating buffers and an int64 buffer (`num_batches_tracked`).
func makeModel(seed: UInt64) -> Sequential<Float> {
    var g = PhiloxGenerator(seed: seed)
    return Sequential<Float>(Linear(4, 16, using: &g), BatchNorm1d(16), ReLU(), Linear(16, 3, using: &g))
}

/// A fresh temporary path ending in `ext`.
func temporaryPath(_ ext: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("nabla-training-\(UUID().uuidString).\(ext)").path
}

/// Every bit of every float, for exact comparisons.
func bits(_ t: Tensor<Float>) -> [UInt32] { t.scalars.map(\.bitPattern) }

@Suite("Whole-run checkpoints")
struct CheckpointTests {
    /// One training step whose batch is drawn from `g` (so the generator's state matters); draws an
    /// odd number of 64-bit words too, leaving the generator inside a block on some steps.
    func trainStep(_ model: Sequential<Float>, _ adam: Adam<Float>, _ schedule: CosineAnnealingLR<Float>,
                   _ g: inout PhiloxGenerator, _ step: Int) {
        let x = Tensor<Float>.randomNormal([8, 4], using: &g)
        let y = Tensor<Int>(shape: [8], scalars: (0..<8).map { _ in Int(g.next() % 3) })
        if step % 2 == 0 { _ = g.next() }
        adam.zeroGradients()
        crossEntropy(model(x), y).backward()
        adam.step()
        schedule.step()
    }

    func run(format: String) throws {
        let n = 7, m = 5
        // Uninterrupted: N + M steps.
        let modelA = makeModel(seed: 1)
        let adamA = try Adam(modelA, learningRate: 1e-2, weightDecay: 1e-3, amsgrad: true)
        let scheduleA = try CosineAnnealingLR(adamA, period: 6, minimumLearningRate: 1e-4)
        var gA = PhiloxGenerator(seed: 99)
        for s in 0..<(n + m) { trainStep(modelA, adamA, scheduleA, &gA, s) }

        // Interrupted: N steps, save, restore into fresh objects (other initial weights), M steps.
        let modelB = makeModel(seed: 1)
        let adamB = try Adam(modelB, learningRate: 1e-2, weightDecay: 1e-3, amsgrad: true)
        let scheduleB = try CosineAnnealingLR(adamB, period: 6, minimumLearningRate: 1e-4)
        var gB = PhiloxGenerator(seed: 99)
        for s in 0..<n { trainStep(modelB, adamB, scheduleB, &gB, s) }
        let path = temporaryPath(format)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TrainingCheckpoint.save(model: modelB, optimizer: adamB, scheduler: scheduleB, step: n, epoch: 1,
                                    generator: gB, to: path)

        let modelC = makeModel(seed: 2)
        let adamC = try Adam(modelC, learningRate: 1e-2, weightDecay: 1e-3, amsgrad: true)
        let scheduleC = try CosineAnnealingLR(adamC, period: 6, minimumLearningRate: 1e-4)
        let run = try TrainingCheckpoint.restore(from: path, model: modelC, optimizer: adamC, scheduler: scheduleC)
        #expect(run.step == n && run.epoch == 1)
        var gC = try #require(run.generator)
        #expect(gC == gB)
        for s in n..<(n + m) { trainStep(modelC, adamC, scheduleC, &gC, s) }

        // Bit for bit: parameters, buffers (running statistics, num_batches_tracked), optimizer state, LR, generator.
        #expect(modelC.stateDict() == modelA.stateDict())
        for ((name, a), (_, c)) in zip(modelA.stateDict(), modelC.stateDict()) {
            if let fa = a.floating, let fc = c.floating { #expect(bits(fa) == bits(fc), "\(name)") }
        }
        let oa = adamA.stateDictionary(), oc = adamC.stateDictionary()
        #expect(oa.hyperparameters == oc.hyperparameters)
        #expect(oa.tensors.keys.sorted() == oc.tensors.keys.sorted())
        for (k, t) in oa.tensors { #expect(bits(t) == bits(oc.tensors[k]!), "\(k)") }
        #expect(scheduleA.stateDictionary() == scheduleC.stateDictionary())
        #expect(gA == gC)
        #expect(modelA.stateDict()["1.num_batches_tracked"] == .integer(Tensor<Int64>(Int64(n + m))))
    }

    @Test func resumeIsBitForBitNabla() throws { try run(format: "nabla") }
    @Test func resumeIsBitForBitSafetensors() throws { try run(format: "safetensors") }

    @Test func layout() throws {
        let model = makeModel(seed: 3)
        let adam = try Adam(model)
        adam.zeroGradients()
        crossEntropy(model(Tensor<Float>.randomNormal([4, 4], seed: 0)), Tensor<Int>([0, 1, 2, 0])).backward()
        adam.step()
        let c = TrainingCheckpoint(model: model, optimizer: adam, step: 1).checkpoint
        // The model's PyTorch keys first, unprefixed, then the optimizer's.
        #expect(Array(c.names.prefix(8)) == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                                             "1.running_var", "1.num_batches_tracked", "3.weight"])
        #expect(c["1.num_batches_tracked"]?.elementType == .int64)
        #expect(c.names.contains("optimizer.state.0.exp_avg"))
        #expect(c["optimizer.param_groups.0.lr"]?.elementType == .float64)
        #expect(c.metadata["step"] == .int(1))
        #expect(throws: TrainingCheckpointError.self) { try TrainingCheckpoint(Checkpoint(stateDict: model.stateDict())) }
        // Restoring an optimizer from a checkpoint that has none is an error.
        let weightsOnly = TrainingCheckpoint(model: model)
        #expect(throws: TrainingCheckpointError.missing("optimizer")) { try weightsOnly.restore(model: model, optimizer: adam) }
    }

    @Test func generatorInsideABlockRoundTrips() throws {
        for draws in 0..<5 {
            var g = PhiloxGenerator(seed: 7)
            for _ in 0..<draws { _ = g.next() }
            let saved = TrainingCheckpoint(model: makeModel(seed: 0), generator: g)
            var back = try #require(saved.generator)
            #expect(back == g)
            #expect((0..<9).map { _ in back.next() } == (0..<9).map { _ in g.next() })
        }
    }

    /// A PyTorch `state_dict()` of `nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.ReLU(),
    /// nn.Linear(16, 3))` saved as safetensors has exactly these keys and dtypes; it loads in one call.
    @Test func pytorchKeysLoadWithoutRenaming() throws {
        let source = makeModel(seed: 5)
        var file = Checkpoint()
        for (name, entry) in source.stateDict() {
            switch entry {
            case .floating(let t): file[name] = AnyTensor(t)
            case .integer(let t): file[name] = AnyTensor(t)
            }
        }
        let path = temporaryPath("safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try file.save(to: path)
        let target = makeModel(seed: 6)
        #expect(target.stateDict() != source.stateDict())
        try target.load(contentsOf: path)
        #expect(target.stateDict() == source.stateDict())
        // Float64 weights load into a Float model (rounded as PyTorch's copy_ does); Double models load Float32.
        let wide = try file.converted(floatingPointTo: .float64)
        let again = makeModel(seed: 6)
        try again.load(checkpoint: wide)
        #expect(again.stateDict() == source.stateDict())
        // Round trip through saveWeights.
        let path2 = temporaryPath("safetensors")
        defer { try? FileManager.default.removeItem(atPath: path2) }
        try source.saveWeights(to: path2)
        #expect(try Checkpoint(contentsOf: path2) == Checkpoint(stateDict: source.stateDict()))
        // A wrong shape is refused and nothing is loaded.
        var bad = file
        bad.set("0.weight", Tensor<Float>.zeros([16, 5]))
        let untouched = makeModel(seed: 6)
        let before = untouched.stateDict()
        #expect(throws: StateDictError.self) { try untouched.load(checkpoint: bad) }
        #expect(untouched.stateDict() == before)
    }
}
