import Testing
import NablaTensor

@Suite("Default generator", .serialized)
struct DefaultGeneratorTests {
    @Test func seedingReproducesAnExplicitGenerator() {
        // After seed(5) the shared generator is PhiloxGenerator(seed: 5): same numbers, same advance.
        DefaultGenerator.seed(5)
        let a = Tensor<Double>.randomNormal([7])
        let b = Tensor<Double>.randomUniform([3])
        var g = PhiloxGenerator(seed: 5)
        #expect(a == Tensor<Double>.randomNormal([7], using: &g))
        #expect(b == Tensor<Double>.randomUniform([3], using: &g))
        #expect(DefaultGenerator.current == g)
    }
}
