import Testing
import NablaTensor
import _NablaTestSupport

@Suite("Reductions")
struct ReductionTests {
    let a: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]

    @Test func sumAlongAxes() {
        #expect(a.sum().scalar == 21)
        #expect(a.sum(axis: 0).scalars == [5, 7, 9])
        #expect(a.sum(axis: 1).scalars == [6, 15])
        #expect(a.sum(axis: -1, keepingDims: true).shape == [2, 1])
        #expect(a.transposed().sum(axis: 0).scalars == [6, 15])
        let c = Tensor<Double>.arange(0, 24).reshaped(2, 3, 4)
        // numpy: np.arange(24).reshape(2,3,4).sum(axis=(0,2)) = [60, 92, 124]
        #expect(c.sum(axes: [0, 2]).scalars == [60, 92, 124])
        #expect(c.sum(axes: [0, 2], keepingDims: true).shape == [1, 3, 1])
    }

    @Test func meanVarianceStd() {
        #expect(a.mean().scalar == 3.5)
        #expect(a.mean(axis: 0).scalars == [2.5, 3.5, 4.5])
        // torch.var(tensor([1.,2,3,4,5,6])) = 3.5 (unbiased); population variance 35/12.
        #expect(a.variance().scalar == 3.5)
        #expect(a.variance(correction: 0).scalar == 35.0 / 12.0)
        #expect(a.variance(axis: 1).scalars == [1, 1])
        #expect(a.standardDeviation(axis: 0).scalars == [Double](repeating: (4.5).squareRoot(), count: 3))
    }

    @Test func maxMinArgmaxProdCumsum() {
        #expect(a.max().scalar == 6)
        #expect(a.max(axis: 0).scalars == [4, 5, 6])
        #expect(a.min(axis: 1).scalars == [1, 4])
        #expect(a.argmax().scalar == 5)
        #expect(a.argmax(axis: 1).scalars == [2, 2])
        #expect(a.argmin(axis: 0).scalars == [0, 0, 0])
        #expect(Tensor<Double>([3, 1, 3]).argmax().scalar == 0)   // first of ties, as torch
        #expect(a.product(axes: [1]).scalars == [6, 120])
        #expect(a.cumulativeSum(axis: 1).scalars == [1, 3, 6, 4, 9, 15])
        #expect(a.cumulativeSum(axis: 0).scalars == [1, 2, 3, 5, 7, 9])
    }

    @Test func logSumExpIsStable() {
        // log(e^1000 + e^1000) = 1000 + log 2; a naive exp overflows.
        let x: Tensor<Double> = [[1000, 1000], [0, 0]]
        let l = x.logSumExp(axis: 1).scalars
        #expect(l[0] == 1000 + 0.6931471805599453)
        #expect(l[1] == 0.6931471805599453)
        #expect(Tensor<Double>([-Double.infinity, -Double.infinity]).logSumExp().scalar == -Double.infinity)
    }

    @Test func covarianceMatchesNumPy() {
        // np.cov([[1,2],[2,3],[3,5]], rowvar=False) = [[1, 1.5], [1.5, 2.3333333333333335]]
        let x: Tensor<Double> = [[1, 2], [2, 3], [3, 5]]
        let c = x.covariance()
        #expect(allClose(c, [[1, 1.5], [1.5, 2.3333333333333335]], rtol: 1e-15, atol: 1e-15))
    }
}
