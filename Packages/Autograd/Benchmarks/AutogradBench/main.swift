// AutogradBench: the costs issue 4 asks for, beside PyTorch's (benchmarks/torch_autograd_bench.py).
// Run: swift run -c release --package-path Packages/Autograd AutogradBench
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
    for _ in 0..<3 { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = now()
        body()
        times.append(now() - t0)
    }
    return times.sorted()
}

/// `x` with `digits` decimals (no Foundation).
func fmt(_ x: Double, _ digits: Int = 3) -> String {
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let r = (x * p).rounded() / p
    return "\(r)"
}

func report(_ label: String, _ times: [Double], per: Double = 1, unit: String = "ms", scale: Double = 1e3) {
    let median = times[times.count / 2] / per * scale
    let lo = times.first! / per * scale, hi = times.last! / per * scale
    print("\(label): median \(fmt(median)) \(unit) (min \(fmt(lo)), max \(fmt(hi)), \(times.count) runs)")
}

// 1. A chain of 200 small ops on 4×4 tensors: record (forward) + backpropagate, per op.
//    The chain cycles mul-by-weight, add-bias, tanh, sin, so every op keeps a value for its VJP.
let chainLength = 200
let w = Tensor<Double>.randomNormal([4, 4], seed: 1) * 0.5
let b = Tensor<Double>.randomNormal([4, 4], seed: 2) * 0.1
let x0 = Tensor<Double>.randomNormal([4, 4], seed: 3)
func chain(_ x: Variable<Double>, _ wv: Variable<Double>, _ bv: Variable<Double>) -> Variable<Double> {
    var y = x
    for i in 0..<chainLength {
        switch i % 4 {
        case 0: y = y * wv
        case 1: y = y + bv
        case 2: y = y.tanh()
        default: y = y.sin()
        }
    }
    return y.sum()
}
let chainTimes = measure(repeats: CommandLine.arguments.contains("chain") ? 5000 : 200) {
    _ = gradient(at: [x0, w, b]) { v in chain(v[0], v[1], v[2]) }
}
report("chain of \(chainLength) 4x4 ops (elementwise), forward+backward per op (Double)", chainTimes,
       per: Double(chainLength + 1), unit: "µs", scale: 1e6)

// The floor: the same forward and backward written by hand with plain tensor ops (no graph), the
// cost autograd cannot go below with NablaTensor's per-op cost.
func handWritten() -> (Tensor<Double>, Tensor<Double>, Tensor<Double>) {
    var ys: [Tensor<Double>] = [x0]
    ys.reserveCapacity(chainLength + 1)
    for i in 0..<chainLength {
        let y = ys[i]
        switch i % 4 {
        case 0: ys.append(y * w)
        case 1: ys.append(y + b)
        case 2: ys.append(y.tanh())
        default: ys.append(y.sin())
        }
    }
    var g = Tensor<Double>.ones([4, 4])
    var gw = Tensor<Double>.zeros([4, 4]), gb = Tensor<Double>.zeros([4, 4])
    for i in stride(from: chainLength - 1, through: 0, by: -1) {
        let y = ys[i]
        switch i % 4 {
        case 0: gw = gw + g * y; g = g * w
        case 1: gb = gb + g
        case 2: g = g.zipWith(ys[i + 1]) { c, t in c * (1 - t * t) }
        default: g = g.zipWith(y) { c, x in c * Double.cos(x) }
        }
    }
    return (g, gw, gb)
}
report("same chain written by hand with plain tensors (the floor), per op", measure(repeats: 200) { _ = handWritten() },
       per: Double(chainLength + 1), unit: "µs", scale: 1e6)

// `AutogradBench chain` runs only the first cases (for profiling).
if CommandLine.arguments.contains("chain") { exit(0) }

// 2. Jacobian of a 100→100 tanh layer, f(x) = tanh(Wx + b), W 100×100: reverse and forward mode.
let W = Tensor<Double>.randomNormal([100, 100], seed: 4) * 0.1
let bias = Tensor<Double>.randomNormal([100], seed: 5)
let x = Tensor<Double>.randomNormal([100], seed: 6)
let layer: (Variable<Double>) -> Variable<Double> = { x in (Variable(W).matmul(x) + Variable(bias)).tanh() }
report("jacobian of tanh(Wx+b), 100→100, reverse (jacrev)", measure(repeats: 20) { _ = jacobian(at: x, mode: .reverse, of: layer) })
report("jacobian of tanh(Wx+b), 100→100, forward (jacfwd)", measure(repeats: 20) { _ = jacobian(at: x, mode: .forward, of: layer) })

if CommandLine.arguments.contains("jacobian") {
    report("jacobian reverse x50", measure(repeats: 50) { _ = jacobian(at: x, mode: .reverse, of: layer) })
    exit(0)
}

// 3. Hessian of a 100-dimensional quadratic form f(x) = xᵀAx (H = A + Aᵀ).
let A = Tensor<Double>.randomNormal([100, 100], seed: 7)
let quadratic: (Variable<Double>) -> Variable<Double> = { x in x.dot(Variable(A).matmul(x)) }
if CommandLine.arguments.contains("hessian") {
    // For profiling: the forward-over-reverse Hessian alone, many times.
    report("hessian forward-over-reverse x500", measure(repeats: 500) { _ = hessian(at: x, mode: .forwardOverReverse, of: quadratic) })
    exit(0)
}
report("hessian of xᵀAx, n = 100, forward-over-reverse", measure(repeats: 20) { _ = hessian(at: x, mode: .forwardOverReverse, of: quadratic) })
report("hessian of xᵀAx, n = 100, reverse-over-reverse", measure(repeats: 20) { _ = hessian(at: x, mode: .reverseOverReverse, of: quadratic) })

// 4. Per-sample gradients (vmap of gradient) of a 784-512-512-10 ReLU MLP's squared error, batch 128, Float.
let mlpX = Tensor<Float>.randomNormal([128, 784], seed: 8), mlpY = Tensor<Float>.randomNormal([128, 10], seed: 9)
let mlpParams: [Variable<Float>] = [Tensor<Float>.randomNormal([784, 512], seed: 10) * 0.03, Tensor<Float>.zeros([512]),
                                    Tensor<Float>.randomNormal([512, 512], seed: 11) * 0.04, Tensor<Float>.zeros([512]),
                                    Tensor<Float>.randomNormal([512, 10], seed: 12) * 0.04, Tensor<Float>.zeros([10])].map { Variable($0) }
func mlpLoss(_ p: [Variable<Float>], _ x: Variable<Float>, _ y: Variable<Float>) -> Variable<Float> {
    let h1 = (x.matmul(p[0]) + p[1]).relu(), h2 = (h1.matmul(p[2]) + p[3]).relu()
    return (h2.matmul(p[4]) + p[5] - y).squared().mean()
}
report("per-sample gradients, MLP 784-512-512-10, batch 128, Float (vmap of gradient)", measure(repeats: 5) {
    _ = vmap({ v in gradient(at: mlpParams) { mlpLoss($0, v[0], v[1]) } }, inAxes: [0, 0])([Variable(mlpX), Variable(mlpY)])
})
// The same through Parameters substituted with withParameterValues, each sample a batch of one:
// the route of NablaLayers' perSampleGradients(of:inputs:targets:_:) (torch.func.functional_call).
let mlpParameters = mlpParams.map { Parameter($0.value) }
report("per-sample gradients, the same through Parameters (withParameterValues, samples [1, 784])", measure(repeats: 5) {
    _ = vmap({ v in
        let x = v[0].unsqueezed(axis: 0), y = v[1].unsqueezed(axis: 0)
        return gradient(at: mlpParameters.map { Variable($0.value) }) { ps in
            withParameterValues(Array(zip(mlpParameters, ps))) { mlpLoss(mlpParameters.map(\.variable), x, y) }
        }
    }, inAxes: [0, 0])([Variable(mlpX), Variable(mlpY)])
})
