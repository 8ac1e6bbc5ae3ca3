// ConvBench: forward + backward of LeNet-5's convolution stack on a [64, 1, 28, 28] Float batch,
// conv2d(1→6, 5×5) + maxPool2d(2) + conv2d(6→16, 5×5) + maxPool2d(2), gradients of the weights and
// biases; beside PyTorch's (benchmarks/torch_conv_bench.py, same shapes and seeds-free inputs).
// Run: swift run -c release --package-path Packages/Autograd ConvBench   (or benchmarks/run_conv_bench.sh)
import NablaTensor
import NablaAutograd
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The machine, as every benchmark prints it (docs/performance.md records it beside each table).
print("# \(VectorLevel.summary)")

/// Monotonic time in seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Runs `body` `repeats` times after a warm-up and returns the per-run times in seconds, sorted.
func measure(repeats: Int, _ body: () -> Void) -> [Double] {
    for _ in 0..<5 { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = now()
        body()
        times.append(now() - t0)
    }
    return times.sorted()
}

/// `x` with three decimals (no Foundation).
func fmt(_ x: Double) -> String { "\((x * 1000).rounded() / 1000)" }

func report(_ label: String, _ times: [Double]) {
    print("\(label): median \(fmt(times[times.count / 2] * 1e3)) ms (min \(fmt(times.first! * 1e3)), max \(fmt(times.last! * 1e3)), \(times.count) runs)")
}

let x = Tensor<Float>.randomNormal([64, 1, 28, 28], seed: 1)
let w1 = Variable(Tensor<Float>.randomNormal([6, 1, 5, 5], seed: 2) * 0.2, requiresGradient: true)
let b1 = Variable(Tensor<Float>.zeros([6]), requiresGradient: true)
let w2 = Variable(Tensor<Float>.randomNormal([16, 6, 5, 5], seed: 3) * 0.08, requiresGradient: true)
let b2 = Variable(Tensor<Float>.zeros([16]), requiresGradient: true)

func stack(_ x: Variable<Float>) -> Variable<Float> {
    let h = x.conv2d(w1, bias: b1).maxPool2d(kernelSize: 2)
    return h.conv2d(w2, bias: b2).maxPool2d(kernelSize: 2)
}

var check: Float = 0
report("conv stack forward [64,1,28,28] Float", measure(repeats: 100) { check += stack(Variable(x)).value.sum().scalar })
report("conv stack forward+backward [64,1,28,28] Float", measure(repeats: 100) {
    for v in [w1, b1, w2, b2] { v.zeroGradient() }
    stack(Variable(x)).sum().backward()
    check += w1.gradient!.sum().scalar
})
print("(checksum \(check.isFinite ? "finite" : "NaN"), \(Parallel.threadCount) threads)")

// Where the step's time goes: each kernel of the stack on plain tensors, at the stack's shapes.
let g1 = Conv2DGeometry.conv2d(input: [64, 1, 28, 28], weight: [6, 1, 5, 5], bias: nil, stride: 1, padding: 0, dilation: 1, groups: 1, op: "bench")
let g2 = Conv2DGeometry.conv2d(input: [64, 6, 12, 12], weight: [16, 6, 5, 5], bias: nil, stride: 1, padding: 0, dilation: 1, groups: 1, op: "bench")
let p1 = MaxPool2DGeometry(inputSize: [24, 24], kernelSize: 2, stride: nil, padding: 0, dilation: 1, ceilMode: false)
let p2 = MaxPool2DGeometry(inputSize: [8, 8], kernelSize: 2, stride: nil, padding: 0, dilation: 1, ceilMode: false)
let y1 = x.conv2d(w1.value, geometry: g1), h1 = y1.maxPool2d(geometry: p1)
let y2 = h1.conv2d(w2.value, geometry: g2), h2 = y2.maxPool2d(geometry: p2)
let dy2 = y2.maxPool2dGradient(Tensor<Float>.ones(h2.shape), geometry: p2)
let dh1 = dy2.conv2dInputGradient(w2.value, geometry: g2), dy1 = y1.maxPool2dGradient(dh1, geometry: p1)
for (label, body) in [("conv1 forward", { check += x.conv2d(w1.value, geometry: g1)[0, 0, 0, 0].scalar }),
                      ("pool1 forward", { check += y1.maxPool2d(geometry: p1)[0, 0, 0, 0].scalar }),
                      ("conv2 forward", { check += h1.conv2d(w2.value, geometry: g2)[0, 0, 0, 0].scalar }),
                      ("pool2 forward", { check += y2.maxPool2d(geometry: p2)[0, 0, 0, 0].scalar }),
                      ("pool2 gradient", { check += y2.maxPool2dGradient(Tensor<Float>.ones(h2.shape), geometry: p2)[0, 0, 0, 0].scalar }),
                      ("conv2 input gradient", { check += dy2.conv2dInputGradient(w2.value, geometry: g2)[0, 0, 0, 0].scalar }),
                      ("conv2 weight gradient", { check += h1.conv2dWeightGradient(dy2, geometry: g2)[0, 0, 0, 0].scalar }),
                      ("pool1 gradient", { check += y1.maxPool2dGradient(dh1, geometry: p1)[0, 0, 0, 0].scalar }),
                      ("conv1 weight gradient", { check += x.conv2dWeightGradient(dy1, geometry: g1)[0, 0, 0, 0].scalar })] as [(String, () -> Void)] {
    report("  \(label)", measure(repeats: 200, body))
}
