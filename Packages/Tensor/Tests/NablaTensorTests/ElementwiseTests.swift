import Testing
import NablaTensor
import _NablaTestSupport

@Suite("Elementwise math and broadcasting")
struct ElementwiseTests {
    @Test func broadcastingMatrixPlusRow() {
        // The seeds' broadcasting C = A + b: b is added to every row of A.
        let A: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
        let b: Tensor<Double> = [10, 20, 30]
        #expect((A + b).scalars == [11, 22, 33, 14, 25, 36])
        let col: Tensor<Double> = [[100], [200]]
        #expect((A + col).scalars == [101, 102, 103, 204, 205, 206])
        // Outer broadcast [3,1] * [1,2] -> [3,2]
        let x: Tensor<Double> = [[1], [2], [3]], y: Tensor<Double> = [[10, 20]]
        #expect((x * y).scalars == [10, 20, 20, 40, 30, 60])
        #expect((2 - A).scalars == [1, 0, -1, -2, -3, -4])
        #expect((A / 2).scalars == [0.5, 1, 1.5, 2, 2.5, 3])
    }

    @Test func broadcastOnTransposedViews() {
        let a = Tensor<Double>.arange(0, 6).reshaped(2, 3)
        let t = a.transposed()              // [[0,3],[1,4],[2,5]]
        #expect((t + Tensor<Double>([[10], [20], [30]])).scalars == [10, 13, 21, 24, 32, 35])
        #expect((t * t).scalars == [0, 9, 1, 16, 4, 25])
    }

    @Test func transcendentalsMatchLibm() {
        // Values from Python's math module (CPython 3.11): exp(0.375) = 1.4549914146182013,
        // log(2) = 0.6931471805599453, tanh(0.5) = 0.46211715726000974, sin(1) = 0.8414709848078965.
        let x: Tensor<Double> = [0.375, 2, 0.5, 1]
        #expect(x.exp().scalars[0] == 1.4549914146182013)
        #expect(x.log().scalars[1] == 0.6931471805599453)
        #expect(x.tanh().scalars[2] == 0.46211715726000974)
        #expect(x.sin().scalars[3] == 0.8414709848078965)
        // sigmoid(10) = 0.9999546021312976 (scipy.special.expit(10)); stable at -1000.
        let s = Tensor<Double>([10, -1000, 0]).sigmoid().scalars
        #expect(s[0] == 0.9999546021312976)
        #expect(s[1] == 0)
        #expect(s[2] == 0.5)
    }

    @Test func activationsAndClamp() {
        let x: Tensor<Double> = [-2, 0, 3]
        #expect(x.relu().scalars == [0, 0, 3])
        // Float relu (the vectorized `maxps` loop; 100 003 elements: parallel pieces and a tail): max(x, 0),
        // −0 → +0, NaN → 0 (unchanged by the branch-free form), and the same on 2 threads.
        let values: [Float] = (0..<100_003).map { (i: Int) -> Float in
            if i % 7 == 3 { return .nan }
            if i % 11 == 5 { return -0.0 }
            return Float(i % 13) - 6
        }
        let xf = Tensor<Float>(values)
        let rf = xf.relu().scalars
        let expected: [Float] = values.map { $0 > 0 ? $0 : 0 }
        #expect(rf == expected && rf.allSatisfy { $0.sign == .plus })
        #expect(x.abs().scalars == [2, 0, 3])
        #expect(x.clamped(to: -1...1).scalars == [-1, 0, 1])
        // softplus(-2) = log1p(exp(-2)) = 0.1269280110429725; softplus(0) = log 2 (torch.nn.functional.softplus)
        let sp = x.softplus().scalars
        #expect(sp[0] == 0.1269280110429725)
        #expect(sp[1] == 0.6931471805599453)
        #expect(Tensor<Double>([30]).softplus().scalars == [30])
        #expect(x.pow(2).scalars == [4, 0, 9])
        #expect(Tensor<Double>([4, 9]).pow(Tensor<Double>([0.5, 2])).scalars == [2, 81])
    }

    @Test func comparisonsAndWhere() {
        let a: Tensor<Double> = [1, 5, 3], b: Tensor<Double> = [2, 2, 3]
        #expect((a .> b).scalars == [false, true, false])
        #expect((a .== b).scalars == [false, false, true])
        #expect((a .>= 3).scalars == [false, true, true])
        #expect(Tensor.where(a .> b, a, b).scalars == [2, 5, 3])
        #expect(a.maximum(b).scalars == [2, 5, 3])
        #expect(a.minimum(b).scalars == [1, 2, 3])
        #expect(Tensor.where(Tensor<Bool>([true, false]), Tensor<Double>([[1], [2]]), Tensor<Double>([0])).scalars == [1, 0, 2, 0])
    }

    @Test func largeTensorsTakeTheParallelPathIdentically() {
        let n = 1 << 18
        let x = Tensor<Float>.linspace(-3, 3, count: n)
        let y = x * x + x
        let ref = x.scalars.map { $0 * $0 + $0 }
        #expect(y.scalars == ref)
        let t = x.tanh().scalars
        #expect(zip(t, x.scalars).allSatisfy { (Double($0) - Foundation_tanh(Double($1))).magnitude < 1e-6 })
    }
}

private func Foundation_tanh(_ x: Double) -> Double { Double.tanh(x) }
