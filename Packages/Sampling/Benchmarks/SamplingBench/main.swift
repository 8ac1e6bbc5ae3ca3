// Release-mode generation benchmark: standard normals (Float) and gammas (Float, α = 2.5 and 0.5).
//   swift run -c release --package-path Packages/Sampling SamplingBench [count]
// Prints one line per case: name, count, best of 7 in milliseconds, nanoseconds per sample.
import Foundation
import NablaSampling

// The machine, as every benchmark prints it (docs/performance.md records it beside each table).
print("# \(VectorLevel.summary)")

let n = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1])! : 10_000_000

func bench(_ name: String, _ body: () -> Tensor<Float>) {
    var best = Double.infinity
    var sink: Float = 0
    for _ in 0..<7 {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let t = body()
        let t1 = DispatchTime.now().uptimeNanoseconds
        sink += t.withUnsafeBufferPointer { $0[0] }
        best = min(best, Double(t1 - t0) / 1e6)
    }
    print(String(format: "nabla %-22@ n=%d best=%.2f ms  %.2f ns/sample  (threads=%d, sink %.1f)",
                 name as NSString, n, best, best * 1e6 / Double(n), Parallel.threadCount, sink))
}

var g = PhiloxGenerator(seed: 0)
bench("randomNormal Float") { Tensor<Float>.randomNormal([n], using: &g) }
bench("randomGamma Float a=2.5") { Tensor<Float>.randomGamma([n], alpha: Tensor(2.5), using: &g) }
bench("randomGamma Float a=0.5") { Tensor<Float>.randomGamma([n], alpha: Tensor(0.5), using: &g) }
