import Testing
import NablaTensor

@Suite("Philox random numbers")
struct RandomTests {
    @Test func philoxKnownAnswer() {
        // Random123 kat_vectors: philox4x32_10 with counter 0 and key 0 gives
        // 6627e8d5 e169c58d bc57ac4c 9b00dbd8.
        let w = PhiloxGenerator.block(key: 0, counter: (0, 0))
        #expect(w.0 == 0x6627_e8d5 && w.1 == 0xe169_c58d && w.2 == 0xbc57_ac4c && w.3 == 0x9b00_dbd8)
    }

    @Test func reproducibleAndAdvancing() {
        var g1 = PhiloxGenerator(seed: 42), g2 = PhiloxGenerator(seed: 42)
        let a = Tensor<Double>.randomNormal([1000], using: &g1)
        let b = Tensor<Double>.randomNormal([1000], using: &g2)
        #expect(a == b)
        let c = Tensor<Double>.randomNormal([1000], using: &g1)
        #expect(a != c)
    }

    @Test func independentOfThreadCountAndSplitting() {
        // A large tensor is filled in parallel; its first 100 values equal a small tensor's.
        let big = Tensor<Float>.randomNormal([1 << 18], seed: 3)
        let small = Tensor<Float>.randomNormal([100], seed: 3)
        #expect(Array(big.scalars.prefix(100)) == small.scalars)
    }

    @Test func momentsOfNormalAndUniform() {
        let z = Tensor<Double>.randomNormal([200_000], mean: 2, standardDeviation: 3, seed: 1)
        // Standard errors: mean 3/√n ≈ 0.0067, std ≈ 3/√(2n) ≈ 0.0047; allow 5σ.
        #expect(abs(z.mean().scalar - 2) < 0.034)
        #expect(abs(z.standardDeviation().scalar - 3) < 0.024)
        let u = Tensor<Double>.randomUniform([200_000], in: -1..<1, seed: 2)
        #expect(u.min().scalar >= -1 && u.max().scalar < 1)
        #expect(abs(u.mean().scalar) < 5 * (1.0 / 3.0).squareRoot() / 200_000.0.squareRoot())
    }
}
