import Testing
import NablaTensor
import NablaAutograd

/// Gradients of the indexing and joining ops, by hand: each is a 0/1 pattern (or a count of how
/// often an element was picked).
@Suite struct ShapeOpTests {
    // A slice's gradient is 1 at the selected elements, 0 elsewhere.
    @Test func sliceGradient() {
        let g = gradient(at: Tensor<Double>.zeros([2, 3])) { x in x[1, 0..<2].sum() }
        #expect(g == Tensor([[0, 0, 0], [1, 1, 0]]))
    }

    // gather picks element 0 twice and element 2 once: the gradient counts the picks.
    @Test func gatherAccumulates() {
        let g = gradient(at: Tensor<Double>([5, 6, 7])) { x in x.gathering(indices: Tensor<Int>([0, 0, 2]), axis: 0).sum() }
        #expect(g == Tensor([2, 0, 1]))
        let e = gradient(at: Tensor<Double>.zeros([3, 2])) { x in x.indexSelect(indices: Tensor<Int>([2, 2]), axis: 0).sum() }
        #expect(e == Tensor([[0, 0], [0, 0], [2, 2]]))
    }

    // concatenate routes each part of the cotangent to its input; pad keeps only the interior.
    @Test func concatenateAndPad() {
        let (ga, gb) = gradient(at: Tensor<Double>([1, 2]), Tensor<Double>([3])) { a, b in
            (concatenate([a, b]) * Variable(Tensor([10, 20, 30]))).sum()
        }
        #expect(ga == Tensor([10, 20]) && gb == Tensor([30]))
        let gp = gradient(at: Tensor<Double>([1, 2])) { x in (x.padded([(before: 1, after: 1)], value: 9) * Variable(Tensor([1, 2, 3, 4]))).sum() }
        #expect(gp == Tensor([2, 3]))
    }

    // Checking in Float works but warns (printed); the report still compares every entry.
    @Test func floatCheckRuns() {
        let r = checkGradients(of: { $0[0].squared().sum() }, at: [Tensor<Float>([1, 2])], eps: 1e-2, atol: 1e-2, rtol: 1e-2,
                               checkSecondOrder: false)
        #expect(r.passed && r.comparisons == 4)   // 2 entries × (reverse + forward)
    }
}
