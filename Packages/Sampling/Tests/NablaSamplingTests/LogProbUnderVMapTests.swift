import Testing
import NablaSampling

/// The differentiable `logProb` of the families that cut their density to a support (`−∞` outside)
/// builds its mask from the value; under `vmap` that value holds the whole batch, so the mask must
/// be computed on the batch and carry it. Each case compares `vmap` over the rows of a value matrix
/// (some rows partly outside the support) with the tensor `logProb` of the whole matrix, whose
/// values are checked against PyTorch and SciPy in `DistributionTests`.
@Suite("logProb under vmap")
struct LogProbUnderVMapTests {
    /// `vmap` of `logProb` over the rows of `values` equals the tensor `logProb` of `values`.
    func expectRowsMatch(_ logProb: @escaping (Variable<Double>) -> Variable<Double>,
                         _ reference: Tensor<Double>, _ values: Tensor<Double>, _ label: String) {
        let batched = vmap(logProb)(Variable(values)).value
        #expect(batched.shape == reference.shape, "\(label): shape \(batched.shape) vs \(reference.shape)")
        for (a, b) in zip(batched.scalars, reference.scalars) {
            #expect(a == b || abs(a - b) <= 1e-12 * max(1, abs(b)), "\(label): \(a) vs \(b)")
        }
        // The loop over rows gives the same.
        for i in 0..<values.shape[0] {
            let row = logProb(Variable(values[i])).value
            for (a, b) in zip(row.scalars, batched[i].scalars) { #expect(a == b || abs(a - b) <= 1e-12 * max(1, abs(b)), "\(label) row \(i)") }
        }
    }

    @Test func positiveAndUnitIntervalSupports() throws {
        let values = Tensor<Double>(shape: [4, 3], scalars: [0.5, 1.5, 2.0,  -0.5, 0.25, 3.0,  0.1, -2.0, 0.9,  0.3, 0.6, 0.75])
        let exponential = try Exponential<Double>(rate: Tensor(shape: [3], scalars: [0.5, 1.0, 2.0]))
        expectRowsMatch(exponential.logProb, exponential.logProb(values), values, "Exponential")
        let gamma = try Gamma<Double>(concentration: Tensor(shape: [3], scalars: [0.7, 2.0, 3.5]), rate: Tensor(shape: [3], scalars: [1.0, 0.5, 2.0]))
        expectRowsMatch(gamma.logProb, gamma.logProb(values), values, "Gamma")
        let beta = try Beta<Double>(concentration1: Tensor(shape: [3], scalars: [2.0, 0.5, 1.5]), concentration0: Tensor(shape: [3], scalars: [3.0, 1.0, 0.8]))
        expectRowsMatch(beta.logProb, beta.logProb(values), values, "Beta")
        // Some entries are outside every support, so the test would not pass with a penalty of 0.
        #expect(exponential.logProb(values).scalars.filter { $0 == -.infinity }.count == 2)
        #expect(beta.logProb(values).scalars.filter { $0 == -.infinity }.count == 5)
    }

    @Test func simplexSupport() throws {
        let dirichlet = try Dirichlet<Double>(concentration: Tensor(shape: [3], scalars: [1.5, 2.0, 0.7]))
        let values = Tensor<Double>(shape: [3, 3], scalars: [0.2, 0.3, 0.5,  0.6, 0.6, -0.2,  0.1, 0.1, 0.8])
        let reference = dirichlet.logProb(values)
        #expect(reference[1].scalar == -.infinity)
        expectRowsMatch(dirichlet.logProb, reference, values, "Dirichlet")
    }
}
