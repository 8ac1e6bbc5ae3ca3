import Testing
import NablaTensor
import NablaAutograd

/// Random primitives under `vmap`: element `i` draws from `generator.stream(i)`.
@Suite struct VMapRandomTests {
    /// A function of one example that draws twice (normal, then uniform), so the tests also see
    /// that successive draws of one element continue its own stream.
    static func noisy(_ x: Variable<Double>, _ g: inout PhiloxGenerator) -> Variable<Double> {
        let n = Variable<Double>.randomNormal(x.shape, mean: 1, standardDeviation: 2, using: &g)
        let u = Variable<Double>.randomUniform(x.shape, in: -1..<3, using: &g)
        return x * n + u
    }

    @Test func outsideVMapTheDrawsAreTheTensorOnes() {
        var g = PhiloxGenerator(seed: 11), h = PhiloxGenerator(seed: 11)
        let a = Variable<Double>.randomNormal([3, 5], mean: 1, standardDeviation: 2, using: &g)
        #expect(a.value == Tensor<Double>.randomNormal([3, 5], mean: 1, standardDeviation: 2, using: &h))
        let b = Variable<Double>.randomUniform([7], in: -1..<3, using: &g)
        #expect(b.value == Tensor<Double>.randomUniform([7], in: -1..<3, using: &h))
        let m = Variable<Double>.randomBernoulli([9, 9], probability: 0.3, using: &g)
        #expect(m.value == Tensor<Double>.randomUniform([9, 9], using: &h).map { $0 < 0.3 ? 1 : 0 })
        #expect(g == h)
    }

    @Test func streamsAreIndependentAndDoNotAdvance() {
        var g = PhiloxGenerator(seed: 5)
        g.advance(blocks: 3)
        let before = g
        let s = (0..<4).map { g.stream($0) }
        #expect(g == before)
        #expect(Set(s.map(\.key)).count == 4 && !s.contains { $0.key == g.key })
        #expect(s.allSatisfy { $0.counter == g.counter })
        #expect(g.stream(2).stream(5).key != g.stream(5).stream(2).key)
        #expect(g.stream(2) == g.stream(2))
    }

    @Test func elementIIsTheUnbatchedCallWithStreamI() {
        let x = Tensor<Double>.randomNormal([6, 4], seed: 1)
        var g = PhiloxGenerator(seed: 42)
        let start = g
        let y = vmap { Self.noisy($0, &g) }(Variable(x)).value
        #expect(y.shape == [6, 4])
        for i in 0..<6 {
            var s = start.stream(i)
            #expect(y[i] == Self.noisy(Variable(x[i]), &s).value, "row \(i)")
        }
        // The generator advanced as by one unbatched call.
        var plain = start
        _ = Self.noisy(Variable(x[0]), &plain)
        #expect(g == plain)
        // Rows differ (each element has its own noise).
        #expect(y[0] != y[1])
    }

    @Test func resultsDoNotDependOnTheBatchSize() {
        let x = Tensor<Double>.randomNormal([32, 3], seed: 2)
        var rows: [[Tensor<Double>]] = []
        var after: [PhiloxGenerator] = []
        for b in [1, 5, 32] {
            var g = PhiloxGenerator(seed: 7)
            let y = vmap { Self.noisy($0, &g) }(Variable(x[0..<b])).value
            rows.append((0..<b).map { y[$0] })
            after.append(g)
        }
        for i in 0..<5 { #expect(rows[1][i] == rows[2][i]) }
        #expect(rows[0][0] == rows[2][0])
        #expect(after[0] == after[1] && after[1] == after[2])
    }

    @Test func nestedVMapTakesStreamsOfStreams() {
        let x = Tensor<Double>.randomNormal([3, 4, 2], seed: 3)
        var g = PhiloxGenerator(seed: 9)
        let start = g
        let y = vmap { (row: Variable<Double>) in vmap { Self.noisy($0, &g) }(row) }(Variable(x)).value
        #expect(y.shape == [3, 4, 2])
        for i in 0..<3 {
            for j in 0..<4 {
                var s = start.stream(i).stream(j)
                #expect(y[i][j] == Self.noisy(Variable(x[i][j]), &s).value, "element (\(i), \(j))")
            }
        }
        // A draw inside the outer vmap only is per outer element, shared by the inner ones.
        var h = PhiloxGenerator(seed: 9)
        let z = vmap { (row: Variable<Double>) in
            let n = Variable<Double>.randomNormal([2], using: &h)
            return vmap { $0 + n }(row)
        }(Variable(x)).value
        for i in 0..<3 {
            var s = start.stream(i)
            let n = Tensor<Double>.randomNormal([2], using: &s)
            for j in 0..<4 { #expect(z[i][j] == x[i][j] + n) }
        }
    }

    @Test func gradientFlowsThroughTheNoisePerSample() {
        // d/dx Σ x·n = n, per sample: vmap(grad) sees each element's own draw.
        let x = Tensor<Double>.randomNormal([5, 3], seed: 4)
        var g = PhiloxGenerator(seed: 13)
        let start = g
        let grads = vmap { (xi: Variable<Double>) in
            gradient(at: xi) { v in (v * Variable<Double>.randomNormal(v.shape, using: &g)).sum() }
        }(Variable(x)).value
        for i in 0..<5 {
            var s = start.stream(i)
            #expect(grads[i] == Tensor<Double>.randomNormal([3], using: &s))
        }
    }

    @Test func bernoulliFrequency() {
        var g = PhiloxGenerator(seed: 21)
        let m = vmap { (x: Variable<Double>) in x * 0 + Variable<Double>.randomBernoulli(x.shape, probability: 0.25, using: &g) }(
            Variable(Tensor<Double>.zeros([100, 200]))).value
        #expect(m.scalars.allSatisfy { $0 == 0 || $0 == 1 })
        // 20 000 Bernoulli(0.25) draws: the mean is 0.25 ± 0.0031 (one standard error); allow 4.
        #expect(abs(m.mean().scalar - 0.25) < 4 * (0.25 * 0.75 / 20_000).squareRoot())
    }
}
