import Testing
import NablaTensor

/// The batched, vectorized Philox + Box–Muller path of `randomNormal` / `randomUniform` against
/// the scalar definition written out with `PhiloxGenerator.block` and libm.
@Suite("Vectorized random kernels")
struct RandomKernelTests {
    /// The top 24 bits of a word over 2²⁴, as documented on `randomNormal`.
    static func unit(_ w: UInt32) -> Double { Double(w >> 8) / 16_777_216 }

    /// Element 4b + j from block b: (ρₐ cos θₐ, ρₐ sin θₐ, ρ_b cos θ_b, ρ_b sin θ_b).
    static func scalarNormal(seed: UInt64, count: Int) -> [Double] {
        var out: [Double] = []
        for b in 0..<(count + 3) / 4 {
            let w = PhiloxGenerator.block(key: seed, counter: (UInt64(b), 0))
            for (w1, w2) in [(w.0, w.1), (w.2, w.3)] {
                let rho = (-2 * Double.log(1 - unit(w1))).squareRoot(), theta = 2 * Double.pi * unit(w2)
                out += [rho * Double.cos(theta), rho * Double.sin(theta)]
            }
        }
        return Array(out.prefix(count))
    }

    @Test func normalMatchesTheScalarDefinition() {
        // 1001 elements: several whole batches of 256 plus a ragged tail (1001 = 3·256 + 233).
        let n = 1001
        let expected = Self.scalarNormal(seed: 11, count: n)
        let d = Tensor<Double>.randomNormal([n], seed: 11).scalars
        // Double kernels: log within 1 ulp, sin/cos of 2πu with an exact reduction; allow 1e-13.
        #expect(zip(d, expected).allSatisfy { ($0 - $1).magnitude <= 1e-13 * Swift.max(1, $1.magnitude) })
        // Float: the same numbers rounded, up to a few Float ulps (|z| < 6, so 1e-5 absolute).
        let f = Tensor<Float>.randomNormal([n], seed: 11).scalars
        #expect(zip(f, expected).allSatisfy { (Double($0) - $1).magnitude <= 1e-5 })
        // mean and standard deviation are applied after the transform.
        let shifted = Tensor<Double>.randomNormal([n], mean: 3, standardDeviation: 2, seed: 11).scalars
        #expect(zip(shifted, expected).allSatisfy { ($0 - (3 + 2 * $1)).magnitude <= 1e-12 })
    }

    @Test func uniformMatchesTheScalarDefinition() {
        // Element 4b + j = lo + width·u(word j of block b); 24-bit uniforms are exact in Float.
        let n = 777
        var expected: [Float] = []
        for b in 0..<(n + 3) / 4 {
            let w = PhiloxGenerator.block(key: 5, counter: (UInt64(b), 0))
            for word in [w.0, w.1, w.2, w.3] { expected.append(-1 + 2 * Float(Self.unit(word))) }
        }
        #expect(Tensor<Float>.randomUniform([n], in: -1..<1, seed: 5).scalars == Array(expected.prefix(n)))
    }

    @Test func counterCarryInsideABatchTakesTheScalarPath() {
        // A generator whose low counter word is 2³² − 10: the batch's low word would carry, so
        // the words come from PhiloxGenerator.block one by one; values still follow the definition.
        let start: UInt64 = (1 << 32) - 10
        var g = PhiloxGenerator(key: 9, counter: (start, 0))
        let u = Tensor<Double>.randomUniform([80], using: &g).scalars
        var expected: [Double] = []
        for b in 0..<UInt64(20) {
            let w = PhiloxGenerator.block(key: 9, counter: (start + b, 0))
            for word in [w.0, w.1, w.2, w.3] { expected.append(Self.unit(word)) }
        }
        #expect(u == expected)
        #expect(g.counter.low == start + 20)
    }
}
