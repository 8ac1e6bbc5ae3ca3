import Testing
import NablaAutograd
import _NablaTestSupport

/// The matrix product's gradient for an operand that is a transposed view (a linear layer's
/// `x·Wᵀ`, or `Aᵀ·B`): computed in that operand's layout, so the leaf gets a dense gradient, with the
/// same values as Ȳ·Bᵀ and Aᵀ·Ȳ, first and second order.
@Suite("Matrix product gradients for transposed operands")
struct MatMulLayoutTests {
    @Test func linearLayerWeightGradientIsDenseAndExact() {
        var g = PhiloxGenerator(seed: 3)
        let x = Tensor<Double>.randomNormal([5, 3], using: &g), wv = Tensor<Double>.randomNormal([4, 3], using: &g)
        let seed = Tensor<Double>.randomNormal([5, 4], using: &g)
        let w = Variable(wv, requiresGradient: true), xv = Variable(x, requiresGradient: true)
        (xv.matmul(w.transposed()) * Variable(seed)).sum().backward()
        // W̄ = Ȳᵀ·X and X̄ = Ȳ·W (Ȳ = seed), computed here on plain tensors.
        let expectedW = seed.transposed().matmul(x), expectedX = seed.matmul(wv)
        #expect(w.gradient!.isContiguous)
        #expect(allClose(w.gradient!, expectedW, rtol: 1e-14, atol: 1e-14))
        #expect(allClose(xv.gradient!, expectedX, rtol: 1e-14, atol: 1e-14))
    }

    @Test func transposedLeftOperandGradientIsDenseAndExact() {
        var g = PhiloxGenerator(seed: 4)
        let av = Tensor<Double>.randomNormal([6, 3], using: &g), bv = Tensor<Double>.randomNormal([6, 2], using: &g)
        let seed = Tensor<Double>.randomNormal([3, 2], using: &g)
        let a = Variable(av, requiresGradient: true), b = Variable(bv, requiresGradient: true)
        (a.transposed().matmul(b) * Variable(seed)).sum().backward()
        // (Aᵀ·B)'s gradients: Ā = B·Ȳᵀ, B̄ = A·Ȳ.
        #expect(a.gradient!.isContiguous)
        #expect(allClose(a.gradient!, bv.matmul(seed.transposed()), rtol: 1e-14, atol: 1e-14))
        #expect(allClose(b.gradient!, av.matmul(seed), rtol: 1e-14, atol: 1e-14))
    }

    /// Finite differences in Double, first and second order, through both layouts.
    @Test func gradientsCheckAgainstFiniteDifferences() {
        var g = PhiloxGenerator(seed: 5)
        let x = Tensor<Double>.randomNormal([4, 3], using: &g), w = Tensor<Double>.randomNormal([2, 3], using: &g)
        #expect(checkGradients(of: { ($0[0].matmul($0[1].transposed())).tanh().sum() }, at: [x, w]).passed)
        #expect(checkGradients(of: { ($0[0].transposed().matmul($0[0]) + $0[1].matmul($0[0].transposed()).sum()).squared().sum() }, at: [x, w]).passed)
    }
}
