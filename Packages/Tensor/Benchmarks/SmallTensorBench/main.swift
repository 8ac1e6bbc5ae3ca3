// SmallTensorBench: the fixed per-op cost of NablaTensor on tiny tensors (allocation, shape and
// stride bookkeeping), which is the floor under autograd's per-op cost.
//
//   swift run -c release --package-path Packages/Tensor SmallTensorBench [iterations]
//
// Runs `a * b + c` on 4×4 Double tensors `iterations` times (default 1,000,000; two ops each) and
// prints the time per op. Under `valgrind --tool=callgrind` pass a small count (e.g. 100000) and
// divide the instruction count by 2 × iterations.
import NablaTensor
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

let iterations = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000_000 : 1_000_000
let a = Tensor<Double>.randomNormal([4, 4], seed: 1)
let b = Tensor<Double>.randomNormal([4, 4], seed: 2)
let c = Tensor<Double>.randomNormal([4, 4], seed: 3)

/// `iterations` times `a * b + c`; returns a checksum so the work is not optimized away.
@inline(never) func run(_ iterations: Int) -> Double {
    var sum = 0.0
    for _ in 0..<iterations {
        let y = a * b + c
        sum += y.withUnsafeBufferPointer { $0[0] }
    }
    return sum
}

_ = run(1000)
var best = Double.infinity
var checksum = 0.0
for _ in 0..<5 {
    let t0 = now()
    checksum += run(iterations)
    best = Swift.min(best, now() - t0)
}
print("a * b + c on 4x4 Double, \(iterations) iterations: best of 5 \(best / Double(2 * iterations) * 1e9) ns per op (checksum \(checksum))")
