import Foundation
import Testing
@testable import NablaData
import _NablaTestSupport

@Suite struct TransformTests {
    /// Hand-computed: columns [1, 2, 3, 4] (mean 2.5, population σ = √1.25) and [10, 10, 10, 10]
    /// (σ = 0, divided by 1, as scikit-learn's StandardScaler).
    @Test func standardizeFitsOnTrainAndAppliesToTest() {
        let train = Tensor<Double>([[1, 10], [2, 10], [3, 10], [4, 10]])
        let s = Standardizer(fitting: train)
        #expect(s.mean.scalars == [2.5, 10])
        #expect(s.scale.scalars == [(1.25).squareRoot(), 1])
        let z = s.transform(train)
        #expect(allClose(z, Tensor([[-1.5, 0], [-0.5, 0], [0.5, 0], [1.5, 0]]) / Tensor([(1.25).squareRoot(), 1])))
        let test = Tensor<Double>([[6, 11]])
        #expect(allClose(s.transform(test), Tensor([[3.5 / (1.25).squareRoot(), 1]])))
        #expect(allClose(s.inverseTransform(s.transform(test)), test))
    }

    @Test func minMaxScaling() {
        let train = Tensor<Double>([[0, -1], [5, 1], [10, 3]])
        let m = MinMaxScaler(fitting: train)
        #expect(m.transform(train).scalars == [0, 0, 0.5, 0.5, 1, 1])
        #expect(m.transform(Tensor([[20, 0]])).scalars == [2, 0.25])
        let sym = MinMaxScaler(fitting: train, range: -1...1)
        #expect(sym.transform(train).scalars == [-1, -1, 0, 0, 1, 1])
        #expect(allClose(sym.inverseTransform(sym.transform(train)), train))
    }

    @Test func oneHot() throws {
        let y = try Features.oneHot(Tensor<Int32>([2, 0, 1]), classes: 3, as: Float.self)
        #expect(y.shape == [3, 3])
        #expect(y.scalars == [0, 0, 1, 1, 0, 0, 0, 1, 0])
        #expect(throws: DataError.self) { try Features.oneHot(Tensor<Int32>([0, 3]), classes: 3, as: Float.self) }
    }

    /// One column: [1, x, …, x⁵]; two columns, degree 2: scikit-learn's PolynomialFeatures(2) of
    /// (2, 3) is [1, 2, 3, 4, 6, 9]; degree 3 has C(2+3, 3) = 10 terms ending in x₂³ = 27.
    @Test func polynomialFeatures() {
        let p = Features.polynomial(Tensor<Double>([2, -1]), degree: 5)
        #expect(p.scalars == [1, 2, 4, 8, 16, 32, 1, -1, 1, -1, 1, -1])
        let q = Features.polynomial(Tensor<Double>([[2, 3]]), degree: 2)
        #expect(q.scalars == [1, 2, 3, 4, 6, 9])
        let r = Features.polynomial(Tensor<Double>([[2, 3]]), degree: 3, bias: false)
        #expect(r.scalars == [2, 3, 4, 6, 9, 8, 12, 18, 27])
        #expect(Features.polynomial(Tensor<Double>([[1, 1, 1]]), degree: 16).shape == [1, 969])   // C(19, 3)
    }

    @Test func gaussianBasis() {
        let g = Features.gaussian(Tensor<Double>([0, 1]), centers: Tensor([0, 2]), width: 1, bias: true)
        #expect(allClose(g, Tensor([[1, 1, exp(-2)], [1, exp(-0.5), exp(-0.5)]])))
    }

    /// Φ(x₁, x₂) = (x₁², x₂², √2 x₁x₂) of 001_95bae65057cf9e0b.txt, and the identity that makes it
    /// the feature map of the kernel (x·y)²: ⟨Φ(x), Φ(y)⟩ = ⟨x, y⟩².
    @Test func quadraticFeatureMap() {
        let phi = Features.quadratic(Tensor<Double>([[1, 2], [3, -1]]))
        #expect(phi.shape == [2, 3])
        #expect(allClose(phi, Tensor([[1, 4, 2 * (2.0).squareRoot()], [9, 1, -3 * (2.0).squareRoot()]])))
        let v = phi.scalars
        let dot = v[0] * v[3] + v[1] * v[4] + v[2] * v[5]
        #expect(abs(dot - 1.0) < 1e-12)   // ⟨(1, 2), (3, −1)⟩² = 1² = 1
    }
}
