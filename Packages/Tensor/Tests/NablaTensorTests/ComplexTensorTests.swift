import Testing
import ComplexModule
import NablaTensor
import _NablaTestSupport

@Suite("Complex tensors")
struct ComplexTensorTests {
    @Test func dtypesAndParts() {
        #expect(Tensor<Complex<Float>>.init(Complex<Float>(1, 2)).dtype == .complex64)
        #expect(Tensor<Complex<Double>>.init(Complex<Double>(1, 2)).dtype == .complex128)
        let z = Tensor<Complex<Double>>(real: Tensor([1, 3]), imaginary: Tensor([2, -4]))
        #expect(z.real.scalars == [1, 3])
        #expect(z.imaginary.scalars == [2, -4])
        #expect(z.magnitude().scalars == [Double(5).squareRoot(), 5])   // |3 − 4i| = 5
        #expect(z.conjugated().imaginary.scalars == [-2, 4])
    }

    @Test func arithmeticMatmulAndInverse() throws {
        // Hand: (1 + 2i)(3 − 4i) = 3 − 4i + 6i + 8 = 11 + 2i; (1 + 2i) + (3 − 4i) = 4 − 2i.
        let a = Tensor<Complex<Double>>(Complex(1, 2)), b = Tensor<Complex<Double>>(Complex(3, -4))
        #expect((a * b).scalar == Complex(11, 2))
        #expect((a + b).scalar == Complex(4, -2))
        #expect((a - b).scalar == Complex(-2, 6))
        // (11 + 2i)/(3 − 4i) = 1 + 2i exactly? (11 + 2i)(3 + 4i)/25 = (33 − 8 + 44i + 6i)/25 = 1 + 2i.
        #expect(Swift.abs(((a * b) / b).scalar.real - 1) < 1e-15)
        // Row (1, i) times column (i, 1) is i + i = 2i.
        let row = Tensor<Complex<Double>>(real: Tensor([[1, 0]]), imaginary: Tensor([[0, 1]]))
        let col = Tensor<Complex<Double>>(real: Tensor([[0], [1]]), imaginary: Tensor([[1], [0]]))
        #expect(row.matmul(col).scalars == [Complex(0, 2)])
        // M = [[1, i], [0, 2]] has M⁻¹ = [[1, −i/2], [0, 1/2]] (hand: M·M⁻¹ = I).
        let M = Tensor<Complex<Double>>(real: Tensor([[1, 0], [0, 2]]), imaginary: Tensor([[0, 1], [0, 0]]))
        let inv = try M.inverse()
        let expected = Tensor<Complex<Double>>(real: Tensor([[1, 0], [0, 0.5]]), imaginary: Tensor([[0, -0.5], [0, 0]]))
        #expect(allClose(inv.real, expected.real, rtol: 0, atol: 1e-15))
        #expect(allClose(inv.imaginary, expected.imaginary, rtol: 0, atol: 1e-15))
        // A singular complex matrix throws: [[1, i], [i, −1]] has det −1 − i² = 0.
        let S = Tensor<Complex<Double>>(real: Tensor([[1, 0], [0, -1]]), imaginary: Tensor([[0, 1], [1, 0]]))
        #expect(throws: LinearAlgebraError.self) { try S.inverse() }
    }
}
