// DataLoader throughput, compared with PyTorch's DataLoader by benchmarks/torch_data_bench.py
// (run both with benchmarks/run_data_bench.sh). Build in release:
//   swift run -c release --package-path Packages/Data DataBench [epochs]
// One epoch = 60 000 samples of 28×28 Float (MNIST-sized) with Int32 labels, batch 128, shuffled.
import Foundation
import NablaData

// The machine, as every benchmark prints it (docs/performance.md records it beside each table).
print("# \(VectorLevel.summary)")

let epochs = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 5 : 5
let n = 60_000, side = 28, batch = 128
let images = Tensor<Float>.randomUniform([n, side, side], seed: 1)
let labels = Tensor<Int32>(shape: [n], (0..<n).map { Int32($0 % 10) })
let data = TensorDataset(inputs: images, targets: labels)

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func run(_ name: String, prefetch: Int) {
    let loader = DataLoader(data, batchSize: batch, shuffle: true, seed: 0, prefetch: prefetch)
    var times: [Double] = []
    var checksum: Float = 0
    for e in 0..<epochs {
        let t0 = now()
        var count = 0
        for b in loader.epoch(e) {
            count += b.inputs.shape[0]
            checksum += b.inputs.withUnsafeBufferPointer { $0[0] }   // touch each batch
        }
        times.append(now() - t0)
        precondition(count == n)
    }
    let best = times.min()!, median = times.sorted()[times.count / 2]
    print(String(format: "nabla %@: 60000x28x28 float32, batch 128, shuffle: best %.1f ms, median %.1f ms per epoch (%.0f samples/s) [checksum %.3f]",
                 name, best * 1e3, median * 1e3, Double(n) / best, checksum))
}

run("DataLoader(prefetch: 2)", prefetch: 2)
run("DataLoader(prefetch: 0)", prefetch: 0)
