import Testing
import NablaAutograd

@Suite("Parameters")
struct ParameterTests {
    @Test func backwardAccumulatesIntoTheParameterAcrossPasses() {
        let w = Parameter(Tensor<Double>([1, 2]))
        // loss = Σ w², ∂/∂w = 2w = [2, 4]
        (w.variable * w.variable).sum().backward()
        #expect(w.gradient?.scalars == [2, 4])
        // A second pass accumulates (PyTorch's `+=`): [4, 8].
        (w.variable * w.variable).sum().backward()
        #expect(w.gradient?.scalars == [4, 8])
        w.zeroGradient()
        #expect(w.gradient == nil)
    }

    @Test func anUpdatedValueIsWhatTheNextPassSees() {
        let w = Parameter(Tensor<Double>([1, 2]))
        (w.variable * w.variable).sum().backward()
        w.value = w.value - 0.25 * w.gradient!     // [0.5, 1]
        w.zeroGradient()
        let loss = (w.variable * w.variable).sum()
        #expect(loss.scalar == 1.25)
        loss.backward()
        #expect(w.gradient?.scalars == [1, 2])
    }

    @Test func aFrozenParameterIsAConstant() {
        let w = Parameter(Tensor<Double>([3]), requiresGradient: false)
        let b = Parameter(Tensor<Double>([1]))
        (w.variable * b.variable).sum().backward()
        #expect(w.gradient == nil)
        #expect(b.gradient?.scalars == [3])
        #expect(!w.variable.isDifferentiable)
    }

    @Test func containersNameTheirParameters() {
        let a = Parameter(Tensor<Float>([1])), b = Parameter(Tensor<Float>([2, 3]))
        let dict = ["weight": a, "bias": b]
        #expect(dict.namedParameters.map(\.name) == ["bias", "weight"])
        #expect(dict.parameters.map(\.count) == [2, 1])
        let list = [a, b]
        #expect(list.namedParameters.map(\.name) == ["0", "1"])
        a.gradient = Tensor([5])
        list.zeroGradients()
        #expect(a.gradient == nil)
    }
}
