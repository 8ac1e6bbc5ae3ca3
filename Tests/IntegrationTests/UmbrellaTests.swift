import Testing
import Nabla
import _NablaTestSupport

/// Checks that `import Nabla` alone reaches every package's API.
@Suite("Umbrella product")
struct UmbrellaTests {
    @Test func twoLayerForwardPassThroughTheUmbrella() {
        // 002_8677f5795c54d63c.txt: H = relu(W·X + b), Ŷ = relu(U·H + c). Hand calculation:
        // W·X + b = [14.5, −1, −0.5, −11] → H = [14.5, 0, 0, 0]; U·H + c = [14.5 − 1, −14.5 + 2] → Ŷ = [13.5, 0].
        let W: Tensor<Double> = [[1, 2, 3], [-1, 0, 1], [0.5, -1, 0], [-2, -2, -2]]
        let X: Tensor<Double> = [[1], [2], [3]]
        let b: Tensor<Double> = [[0.5], [-3], [1], [1]]
        let U: Tensor<Double> = [[1, 1, 1, 1], [-1, 0, 0, 0]]
        let c: Tensor<Double> = [[-1], [2]]
        let H = relu(W.matmul(X) + b)
        let Y = relu(U.matmul(H) + c)
        #expect(H.scalars == [14.5, 0, 0, 0])
        #expect(Y.scalars == [13.5, 0])
    }
}
