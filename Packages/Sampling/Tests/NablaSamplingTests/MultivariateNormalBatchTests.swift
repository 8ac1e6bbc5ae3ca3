import Foundation
import Testing
import NablaSampling

// Reference values: `python3 scripts/mvn_batched_reference.py` (torch 2.15.0, float64):
// loc [3, 2] and scale_tril [2, 1, 2, 2] broadcast to batch shape [2, 3].

@Suite struct MultivariateNormalBatchTests {
    let loc = Tensor<Double>(shape: [3, 2], scalars: [0.5, -1.0, 1.5, 0.25, -0.75, 2.0])
    let scaleTril = Tensor<Double>(shape: [2, 1, 2, 2], scalars: [1.2, 0, 0.3, 0.8, 0.6, 0, -0.4, 1.5])

    func allClose(_ a: [Double], _ b: [Double], rtol: Double = 1e-10) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { close($0, $1, rtol: rtol) }
    }

    @Test func logProbEntropyAndMomentsMatchTorch() throws {
        let p = try MultivariateNormal(loc: loc, scaleTril: scaleTril)
        #expect(p.batchShape == [2, 3] && p.eventShape == [2])
        let x = Tensor<Double>(shape: [2, 3, 2], scalars: [0.1, 0.2, 1.0, -0.5, 0.0, 1.5, -0.3, 0.9, 2.0, 0.0, 0.4, 0.4])
        let expected = [-3.1729231274446454, -2.1890364086946454, -2.36163026720159, -3.0364671680354696, -2.0812819828502844, -3.7236430939613956]
        #expect(p.logProb(x).shape == [2, 3])
        #expect(allClose(p.logProb(x).scalars, expected))
        #expect(allClose(p.logProb(Variable(x)).scalars, expected))
        let one = [-2.57098085313909, -2.384348908694646, -6.379099885257146, -1.966405439640408, -4.408689390257692, -3.464013464331766]
        #expect(allClose(p.logProb(Tensor([0.2, -0.1])).scalars, one))
        #expect(allClose(p.logProb(Variable(Tensor([0.2, -0.1]))).scalars, one))
        #expect(allClose(p.entropy().scalars, [2.79705507188909, 2.79705507188909, 2.79705507188909, 2.732516550751519, 2.732516550751519, 2.732516550751519]))
        #expect(allClose(p.variance.scalars, [1.44, 0.73, 1.44, 0.73, 1.44, 0.73, 0.36, 2.41, 0.36, 2.41, 0.36, 2.41]))
        #expect(p.mean.shape == [2, 3, 2] && p.mean.scalars == loc.scalars + loc.scalars)
        #expect(p.covariance.shape == [2, 1, 2, 2])
    }

    @Test func klDivergenceBroadcastsBatchesAsTorch() throws {
        let p = try MultivariateNormal(loc: loc, scaleTril: scaleTril)
        let q = try MultivariateNormal(loc: Tensor([0.0, 0.5]),
                                       scaleTril: Tensor(shape: [3, 2, 2], scalars: [1.0, 0, 0.2, 0.9, 0.7, 0, 0, 1.1, 1.5, 0, -0.6, 0.5]))
        let kl = try KL.divergence(p, q)
        #expect(kl.shape == [2, 3])
        #expect(allClose(kl.scalars, [1.7579923430599598, 2.8722426916778017, 4.574939922068474, 2.4410493827160495, 2.5289552725219004, 6.453878443206045]))
    }

    /// Each batch element's draws are `μ_b + L_b ε` with the ε of `Tensor.randomNormal` from the same seed.
    @Test func samplesUseEachBatchElementsFactor() throws {
        let p = try MultivariateNormal(loc: loc, scaleTril: scaleTril)
        var g = PhiloxGenerator(seed: 3)
        let x = p.sample([4], seed: 3), r = p.rsample([4], using: &g)
        let eps = Tensor<Double>.randomNormal([4, 2, 3, 2], seed: 3).scalars
        #expect(x.shape == [4, 2, 3, 2] && r.shape == [4, 2, 3, 2])
        let l = scaleTril.scalars, m = loc.scalars
        for s in 0..<4 { for i in 0..<2 { for j in 0..<3 {
            let e = Array(eps[(((s * 2 + i) * 3 + j) * 2)...].prefix(2)), lb = Array(l[(i * 4)...].prefix(4))
            let want = [m[j * 2] + lb[0] * e[0], m[j * 2 + 1] + lb[2] * e[0] + lb[3] * e[1]]
            let at = ((s * 2 + i) * 3 + j) * 2
            #expect(allClose(Array(x.scalars[at..<(at + 2)]), want, rtol: 1e-12))
            #expect(allClose(Array(r.scalars[at..<(at + 2)]), want, rtol: 1e-12))
        } } }
        // A batch of factors with d = 2 rejects a mismatched loc, and non-broadcasting batches are typed errors.
        #expect(throws: DistributionError.self) { try MultivariateNormal(loc: Tensor([0.0, 0, 0]), scaleTril: scaleTril) }
        #expect(throws: DistributionError.self) {
            try MultivariateNormal(loc: Tensor(shape: [4, 2], scalars: [Double](repeating: 0, count: 8)),
                                   scaleTril: Tensor(shape: [3, 2, 2], scalars: [Double](repeating: 1, count: 12)), validate: false)
        }
    }

    /// rsample and the Variable logProb differentiate through every batch element's L (central differences).
    @Test func batchedGradientsMatchFiniteDifferences() throws {
        let params = Tensor<Double>(shape: [14], scalars: loc.scalars + scaleTril.scalars)
        func f(_ p: Variable<Double>) throws -> Variable<Double> {
            let mvn = try MultivariateNormal(loc: p[0..<6].reshaped([3, 2]), scaleTril: p[6..<14].reshaped([2, 1, 2, 2]), validate: false)
            var g = PhiloxGenerator(seed: 9)
            let x = mvn.rsample([5], using: &g)
            return x.squared().mean() + mvn.logProb(Variable(Tensor([0.2, -0.1]))).sum()
        }
        let grad = try gradient(at: params, of: f)
        let h = 1e-6
        for i in 0..<14 where !(i >= 6 && (i - 6) % 4 == 1) {   // the upper-triangle zeros stay 0
            var plus = params.scalars, minus = params.scalars
            plus[i] += h; minus[i] -= h
            let fd = (try f(Variable(Tensor(shape: [14], scalars: plus))).scalar - f(Variable(Tensor(shape: [14], scalars: minus))).scalar) / (2 * h)
            #expect(close(grad.scalars[i], fd, rtol: 1e-6, atol: 1e-8), "parameter \(i): autograd \(grad.scalars[i]), fd \(fd)")
        }
    }
}
