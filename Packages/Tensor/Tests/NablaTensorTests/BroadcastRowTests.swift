import Testing
import NablaTensor

/// `[N, C] + [C]`-style broadcasting (a bias over rows) takes a dense per-row loop: every element
/// against the scalar loop, small, rank 3, and large enough to run in parallel pieces.
@Suite("Row-broadcast elementwise ops")
struct BroadcastRowTests {
    @Test(arguments: [[5, 3], [4, 5, 6], [70_000, 3]])
    func rowBroadcastMatchesLoop(_ shape: [Int]) {
        var g = PhiloxGenerator(seed: 8)
        let x = Tensor<Float>.randomNormal(shape, using: &g)
        let tail = Array(shape.dropFirst())
        let b = Tensor<Float>.randomNormal(tail, using: &g)
        let len = b.count, xs = x.scalars, bs = b.scalars
        let sum = x + b, product = x * b, difference = x - b
        #expect(sum.shape == shape && product.shape == shape)
        #expect(sum.scalars == xs.indices.map { xs[$0] + bs[$0 % len] })
        #expect(product.scalars == xs.indices.map { xs[$0] * bs[$0 % len] })
        #expect(difference.scalars == xs.indices.map { xs[$0] - bs[$0 % len] })
        // A transposed (non-contiguous) left operand still broadcasts correctly, by the strided path.
        if shape.count == 2 {
            let t = Tensor<Float>.randomNormal([shape[1], shape[0]], using: &g).transposed()
            let ts = t.contiguous.scalars
            #expect((t + b).scalars == ts.indices.map { ts[$0] + bs[$0 % len] })
        }
    }
}
