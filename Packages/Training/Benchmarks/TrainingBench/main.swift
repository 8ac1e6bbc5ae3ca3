// One Adam step (forward, cross-entropy, backward, step) of the 2-100-3 ReLU network at batch 300
// and of a 784-512-512-10 ReLU MLP at batch 128, and the spiral example's whole training run
// (data, model, 1000 full-batch Adam steps, accuracy), in Float. benchmarks/torch_training_bench.py
// does exactly the same in PyTorch; benchmarks/run_training_bench.sh runs both.
//   TrainingBench            all three, best of 5 rounds
//   TrainingBench --spiral   the spiral run once (the shell times the whole process)
import Foundation
import NablaTraining

// The machine, as every benchmark prints it (docs/performance.md records it beside each table).
print("# \(VectorLevel.summary)")

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

if CommandLine.arguments.contains("--spiral") {
    let run = try SpiralExample.train(steps: 1000)
    print(String(format: "nabla spiral: accuracy %.4f", run.accuracy))
    exit(0)
}

// Under callgrind: `TrainingBench --profile-small N` (or `--profile-mlp N`) runs N steps of the
// small network (or the MLP) and nothing else.
for (flag, sizes, batch) in [("--profile-small", [2, 100, 3], 300), ("--profile-mlp", [784, 512, 512, 10], 128)] {
    guard let i = CommandLine.arguments.firstIndex(of: flag), i + 1 < CommandLine.arguments.count,
          let n = Int(CommandLine.arguments[i + 1]) else { continue }
    var g = PhiloxGenerator(seed: 0)
    var layers: [any Layer<Float>] = []
    for k in 0..<(sizes.count - 1) {
        layers.append(Linear<Float>(sizes[k], sizes[k + 1], using: &g))
        if k < sizes.count - 2 { layers.append(ReLU<Float>()) }
    }
    let model = Sequential<Float>(layers)
    let adam = try Adam(model, learningRate: 1e-2)
    let x = Tensor<Float>.randomNormal([batch, sizes[0]], using: &g)
    let y = Tensor<Int>(shape: [batch], scalars: (0..<batch).map { _ in Int(g.next() % UInt64(sizes.last!)) })
    for _ in 0..<n {
        adam.zeroGradients()
        crossEntropy(model(x), y).backward()
        adam.step()
    }
    exit(0)
}

/// The median and best per-step time over `rounds` rounds of `steps` steps, after `warmup` steps.
func timeSteps(warmup: Int, steps: Int, rounds: Int = 5, _ step: () -> Void) -> (median: Double, best: Double) {
    for _ in 0..<warmup { step() }
    var times: [Double] = []
    for _ in 0..<rounds {
        let t0 = now()
        for _ in 0..<steps { step() }
        times.append((now() - t0) / Double(steps))
    }
    times.sort()
    return (times[times.count / 2], times[0])
}

func mlpStep(sizes: [Int], batch: Int, learningRate: Double, warmup: Int, steps: Int) throws -> (median: Double, best: Double) {
    var g = PhiloxGenerator(seed: 0)
    var layers: [any Layer<Float>] = []
    for i in 0..<(sizes.count - 1) {
        layers.append(Linear<Float>(sizes[i], sizes[i + 1], using: &g))
        if i < sizes.count - 2 { layers.append(ReLU<Float>()) }
    }
    let model = Sequential<Float>(layers)
    let adam = try Adam(model, learningRate: learningRate)
    let x = Tensor<Float>.randomNormal([batch, sizes[0]], using: &g)
    let y = Tensor<Int>(shape: [batch], scalars: (0..<batch).map { _ in Int(g.next() % UInt64(sizes.last!)) })
    return timeSteps(warmup: warmup, steps: steps) {
        adam.zeroGradients()
        crossEntropy(model(x), y).backward()
        adam.step()
    }
}

func report(_ name: String, _ t: (median: Double, best: Double)) {
    print(String(format: "nabla %@: median %.1f µs, best %.1f µs per step", name, t.median * 1e6, t.best * 1e6))
}

report("adam step 2-100-3 relu, batch 300", try mlpStep(sizes: [2, 100, 3], batch: 300, learningRate: 1e-2, warmup: 300, steps: 1000))
report("adam step 784-512-512-10 relu, batch 128", try mlpStep(sizes: [784, 512, 512, 10], batch: 128, learningRate: 1e-3, warmup: 20, steps: 100))

var spiralTimes: [Double] = []
var accuracy = 0.0
for _ in 0..<5 {
    let t0 = now()
    accuracy = try SpiralExample.train(steps: 1000).accuracy
    spiralTimes.append(now() - t0)
}
spiralTimes.sort()
print(String(format: "nabla spiral run (data, init, 1000 full-batch Adam steps, accuracy %.4f): median %.1f ms, best %.1f ms",
             accuracy, spiralTimes[2] * 1e3, spiralTimes[0] * 1e3))
