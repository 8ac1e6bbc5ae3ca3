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

    @Test func mismatchedInnerDimensionsStop() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([2, 3]).matmul(Tensor<Double>.zeros([4, 2]))
        }
        #expect(standardErrorText(result).contains(
            "matmul: shapes [2, 3] and [4, 2] have mismatched inner dimensions (3 and 4)"))
    }
}
