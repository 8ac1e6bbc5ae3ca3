import Testing
import NablaTensor
import _NablaTestSupport

@Suite("Matrix products")
struct MatMulTests {
    @Test func matrixTimesMatrixAndNonCommutativity() {
        let A: Tensor<Double> = [[1, 2], [3, 4]], B: Tensor<Double> = [[0, 1], [1, 0]]
        #expect(A.matmul(B).scalars == [2, 1, 4, 3])
        #expect(B.matmul(A).scalars == [3, 4, 1, 2])   // AB ≠ BA
        // (AB)ᵀ = BᵀAᵀ, computed on transposed views (no copies).
        #expect(A.matmul(B).transposed().scalars == B.transposed().matmul(A.transposed()).scalars)
    }

    @Test func vectorCases() {
        let A: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
        let x: Tensor<Double> = [1, 0, -1]
        #expect(A.matmul(x).shape == [2])
        #expect(A.matmul(x).scalars == [-2, -2])
        #expect(Tensor<Double>([1, 1]).matmul(A).scalars == [5, 7, 9])
        #expect(x.dot(x).scalar == 2)
        #expect(x.dot(x).shape == [])
        #expect(Tensor<Double>([1, 2]).outer(Tensor<Double>([3, 4, 5])).scalars == [3, 4, 5, 6, 8, 10])
    }

    @Test func batchedAndBroadcastBatches() {
        let a = Tensor<Double>.arange(0, 12).reshaped(2, 2, 3)
        let b = Tensor<Double>.arange(0, 6).reshaped(3, 2)
        let c = a.matmul(b)
        // numpy: np.arange(12).reshape(2,2,3) @ np.arange(6).reshape(3,2)
        #expect(c.shape == [2, 2, 2])
        #expect(c.scalars == [10, 13, 28, 40, 46, 67, 64, 94])
        // a batch of one broadcast against b's batch of 2
        let bb = Tensor<Double>.arange(0, 12).reshaped(2, 3, 2)
        let a1 = Tensor<Double>.arange(0, 6).reshaped(1, 2, 3)
        // np.arange(6).reshape(1,2,3) @ np.arange(12).reshape(2,3,2)
        #expect(a1.matmul(bb).scalars == [10, 13, 28, 40, 28, 31, 100, 112])
        // transposed batch views go straight to BLAS
        let at = a.transposed()   // [2, 3, 2]
        #expect(at.matmul(a).scalars == at.contiguous.matmul(a).scalars)
    }

    @Test func forwardPropagationOfTheSeed() {
        // 002_8677f5795c54d63c.txt, "Forward Propagation": H = relu(W·X + b), W 4×3, X 3×1, b 4×1.
        // Hand calculation: W·X = [1·1+2·2+3·3, −1+0+1·3, 0.5−2+0, −2−4−6] = [14, 2, −1.5, −12].
        let W: Tensor<Double> = [[1, 2, 3], [-1, 0, 1], [0.5, -1, 0], [-2, -2, -2]]
        let X: Tensor<Double> = [[1], [2], [3]]
        let b: Tensor<Double> = [[0.5], [-3], [1], [1]]
        let H = (W.matmul(X) + b).relu()
        #expect(H.shape == [4, 1])
        #expect(H.scalars == [14.5, 0, 0, 0])
    }

    @Test func floatGEMMAgreesWithLoops() {
        var g = PhiloxGenerator(seed: 7)
        let a = Tensor<Float>.randomNormal([37, 19], using: &g)
        let b = Tensor<Float>.randomNormal([19, 23], using: &g)
        let c = a.matmul(b)
        let av = a.scalars, bv = b.scalars
        var worst: Float = 0
        for i in 0..<37 { for j in 0..<23 {
            var s: Float = 0
            for k in 0..<19 { s += av[i * 19 + k] * bv[k * 23 + j] }
            worst = max(worst, abs(s - c[element: i, j]))
        } }
        #expect(worst < 1e-4)
    }

    // One-row and one-column products are matrix–vector products: up to 65 536 matrix elements
    // they run in Nabla's own loop, above in BLAS `?gemv`. Every way an operand can be laid out
    // (dense, transposed view, strided) must give the loop's result, on both paths.
    @Test(arguments: [(1, 7, 5), (5, 7, 1), (1, 300, 300), (300, 300, 1)])
    func matrixVectorLayoutsAgreeWithLoops(_ size: (Int, Int, Int)) {
        var g = PhiloxGenerator(seed: 11)
        let (m, k, n) = size
        let a = Tensor<Double>.randomNormal([m, k], using: &g)
        let b = Tensor<Double>.randomNormal([k, n], using: &g)
        func reference(_ a: Tensor<Double>, _ b: Tensor<Double>) -> [Double] {
            var out: [Double] = []
            for i in 0..<m { for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += a[element: i, p] * b[element: p, j] }
                out.append(s)
            } }
            return out
        }
        let expected = reference(a, b)
        // Transposed views of transposed copies have the same values, other strides.
        let aT = a.transposed().contiguous.transposed(), bT = b.transposed().contiguous.transposed()
        // Every other column of a matrix with each column doubled: a column stride of 2.
        func spread(_ t: Tensor<Double>) -> Tensor<Double> {
            let c = t.unsqueezed(axis: 2)
            return c.concatenated(with: c, axis: 2).reshaped([t.shape[0], 2 * t.shape[1]])[.all, .stride(by: 2)]
        }
        let aWide = spread(a), bWide = spread(b)
        for (x, y) in [(a, b), (aT, b), (a, bT), (aT, bT), (aWide, b), (a, bWide), (aWide, bT)] {
            #expect(x.scalars == a.scalars && y.scalars == b.scalars)
            let c = x.matmul(y)
            #expect(c.shape == [m, n])
            // Sums of up to 300 products of N(0, 1) values (|sum| ≲ 60): the orders differ.
            #expect(zip(c.scalars, expected).allSatisfy { abs($0 - $1) <= 1e-11 })
        }
        // Float takes the same path through sgemv.
        let af: Tensor<Float> = a.map { Float($0) }, bf: Tensor<Float> = b.map { Float($0) }
        let cf = af.matmul(bf.transposed().contiguous.transposed())
        #expect(zip(cf.scalars, expected).allSatisfy { abs(Double($0) - $1) <= 1e-3 })
    }

    @Test func mismatchedInnerDimensionsStop() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([2, 3]).matmul(Tensor<Double>.zeros([4, 2]))
        }
        #expect(standardErrorText(result).contains(
            "matmul: shapes [2, 3] and [4, 2] have mismatched inner dimensions (3 and 4)"))
    }
}
