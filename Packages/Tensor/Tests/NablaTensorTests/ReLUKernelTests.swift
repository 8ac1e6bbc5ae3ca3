import Testing
@testable import NablaTensor

/// The SIMD ReLU kernels against the scalar rule `x > 0 ? x : 0` and `c · (x > 0 ? 1 : 0)`, bit
/// for bit: lengths with every tail, NaN, ±0, infinities, large (parallel) and strided tensors.
@Suite("ReLU kernels")
struct ReLUKernelTests {
    func values<S: TensorFloatingPoint>(_ n: Int, _: S.Type) -> [S] {
        let special: [S] = [.nan, 0, -0.0, .infinity, -.infinity, 1, -1, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
        return (0..<n).map { i in i % 7 == 3 ? special[(i / 7) % special.count] : S(Double((i * 7919) % 201) - 100) / 10 }
    }

    func same<S: TensorFloatingPoint>(_ a: [S], _ b: [S]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 ? $0.sign == $1.sign : ($0.isNaN && $1.isNaN) }
    }

    func check<S: TensorFloatingPoint>(_: S.Type) {
        for n in [0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 300, 100_003] {
            let x = Tensor<S>(shape: [n], scalars: values(n, S.self))
            let c = Tensor<S>(shape: [n], scalars: values(n, S.self).reversed())
            #expect(same(x.relu().scalars, x.scalars.map { $0 > 0 ? $0 : 0 }), "relu, n = \(n)")
            let expected = zip(x.scalars, c.scalars).map { $1 * ($0 > 0 ? 1 : 0) }
            #expect(same(x.reluBackward(cotangent: c).scalars, expected), "relu backward, n = \(n)")
        }
        // A transposed (non-contiguous) input takes the general path with the same values.
        let m = Tensor<S>(shape: [5, 7], scalars: values(35, S.self)).transposed()
        #expect(same(m.relu().scalars, m.scalars.map { $0 > 0 ? $0 : 0 }))
        #expect(same(m.reluBackward(cotangent: m).scalars, m.scalars.map { $0 * ($0 > 0 ? 1 : 0) }))
        #expect(m.relu().shape == [7, 5])
    }

    @Test func float() { check(Float.self) }
    @Test func double() { check(Double.self) }
}
