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

@Suite struct CompositeTests {
    // tile sums the copies' gradients: [a, b] tiled 3× then weighted by 1…6 gives [1+3+5, 2+4+6].
    @Test func tileGradient() {
        let g = gradient(at: Tensor<Double>([7, 8])) { x in (x.tiled([3]) * Variable(Tensor([1, 2, 3, 4, 5, 6]))).sum() }
        #expect(g == Tensor([9, 12]))
        #expect(Variable(Tensor<Double>([[1, 2]])).tiled([2, 2]).value == Tensor<Double>([[1, 2]]).tiled([2, 2]))   // agrees with Tensor.tiled
    }

    // A³ of diag(2, 3) is diag(8, 27); d tr(A³)/dA = 3(A²)ᵀ = diag(12, 27). Least squares of an exact
    // system recovers it: A = [[1, 0], [0, 1], [1, 1]], b = A·[2, 3].
    @Test func matrixPowerAndLeastSquares() {
        let a = Tensor<Double>([[2, 0], [0, 3]])
        #expect(try! Variable(a).matrixPower(3).value == Tensor([[8, 0], [0, 27]]))
        #expect(gradient(at: a) { try! $0.matrixPower(3).trace() } == Tensor([[12, 0], [0, 27]]))
        #expect(try! Variable(a).matrixPower(0).value == Tensor<Double>.eye(2))
        let A = Variable(Tensor<Double>([[1, 0], [0, 1], [1, 1]]))
        let x = try! A.leastSquares(Variable(Tensor([2, 3, 5])))
        #expect(allCloseTo(x.value, Tensor([2, 3])))
    }
}

func allCloseTo(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Bool { a.shape == b.shape && a.isClose(to: b, rtol: 1e-12, atol: 1e-12) }
