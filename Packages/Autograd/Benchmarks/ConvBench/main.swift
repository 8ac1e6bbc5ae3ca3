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
