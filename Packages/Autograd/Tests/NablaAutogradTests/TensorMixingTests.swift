import Testing
import NablaAutograd
import _NablaTestSupport

@Suite("Tensor and Variable mixed")
struct TensorMixingTests {
    @Test func dataTimesParameterPlusBias() {
        // x is data, w and b are parameters: the line new users write first.
        let x: Tensor<Double> = [[1, 2], [3, 4]]
        let w = Parameter(Tensor<Double>([[1], [-1]]))
        let b = Parameter(Tensor<Double>([0.5]))
        let y = x.matmul(w.variable) + b.variable
        #expect(y.scalars == [-0.5, -0.5])
        (y * y).sum().backward()
        // ∂/∂w = xᵀ·2y = [[1, 3], [2, 4]]·[-1, -1] = [-4, -6]; ∂/∂b = Σ 2y = -2.
        #expect(w.gradient?.scalars == [-4, -6])
        #expect(b.gradient?.scalars == [-2])
    }

    @Test func everyOperatorBothWays() {
        let t: Tensor<Double> = [2, 4]
        let g = gradient(at: Tensor<Double>([1, 2])) { v in
            let sums: Variable<Double> = (v + t) + (t + v)
            let differences: Variable<Double> = (v - t) - (t - v)
            let products: Variable<Double> = (v * t) + (t * v)
            let quotients: Variable<Double> = (v / t) + (t / v)
            return (sums + differences + products + quotients).sum()
        }
        // d/dv: 1 + 1 + 1 + 1 + t + t + 1/t − t/v²
        let v: [Double] = [1, 2], ts: [Double] = [2, 4]
        let expected: [Double] = (0..<2).map { i in
            let linear: Double = 4 + 2 * ts[i]
            return linear + 1 / ts[i] - ts[i] / (v[i] * v[i])
        }
        #expect(g.isClose(to: Tensor(expected)))
        var m = Variable(Tensor<Double>([1, 2]))
        m += t; m -= t; m *= t; m /= t
        #expect(m.scalars == [1, 2])
    }

    @Test func matmulBothWaysMatchesTensors() {
        let a: Tensor<Double> = [[1, 2], [3, 4]], b: Tensor<Double> = [[0, 1], [1, 0]]
        #expect(a.matmul(Variable(b)).value == a.matmul(b))
        #expect(Variable(a).matmul(b).value == a.matmul(b))
        #expect(matmul(a, Variable(b)).value == matmul(Variable(a), b).value)
        let report = checkGradients(of: { v in a.matmul(v[0]).matmul(b) + v[0] * b }, at: [Tensor<Double>([[1, -1], [0.5, 2]])])
        #expect(report.passed, "\(report)")
    }

    @Test func scalarLiteralsStillPickTheScalarOperators() {
        let v = Variable(Tensor<Double>([1, 2]))
        #expect((v + 1).scalars == [2, 3])
        #expect((2 * v - 1).scalars == [1, 3])
        #expect((v + [10, 20]).scalars == [11, 22])
    }
}
