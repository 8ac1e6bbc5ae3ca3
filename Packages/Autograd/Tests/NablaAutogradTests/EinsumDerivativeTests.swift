import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

/// Derivatives of einsum with `...` and repeated labels (which are rewritten into plain labels).
@Suite struct EinsumDerivativeTests {
    // X [2, 2, 2], Y [2, 3]: Z = einsum("...ij,...jk->...ik", X, Y), L = Σ Z². Torch (float64):
    //   Z = torch.einsum("...ij,...jk->...ik", X, Y); (Z*Z).sum().backward()
    // All entries are small integers and halves, so the results are exact.
    @Test func ellipsisMatchesTorch() {
        let x = Tensor<Double>(shape: [2, 2, 2], scalars: [1, 2, 3, 4, 0.5, -1, 2, 1])
        let y = Tensor<Double>([[1, 0, 2], [-1, 3, 1]])
        let (gx, gy) = gradient(at: x, y) { a, b in einsum("...ij,...jk->...ik", a, b).squared().sum() }
        #expect(gx == Tensor(shape: [2, 2, 2], scalars: [14, 46, 38, 94, 3, -21, 22, 26]))
        #expect(gy == Tensor([[-2.5, 93, 88], [-13, 132, 106]]))
    }

    // A size-1 ellipsis axis broadcasts: X [2, 1, 2] against Y [3, 2] in "...i,...i->..." gives
    // [2, 3] dot products; ∂(Σ out)/∂X sums Y over its 3 rows, ∂/∂Y sums X over 2 (hand-derived).
    @Test func ellipsisBroadcastsSizeOne() {
        let x = Tensor<Double>(shape: [2, 1, 2], scalars: [1, 2, 3, 4])
        let y = Tensor<Double>([[1, 0], [0, 1], [2, 2]])
        let out = einsum("...i,...i->...", Variable(x), Variable(y))
        #expect(out.value == Tensor([[1, 2, 6], [3, 4, 14]]))
        let (gx, gy) = gradient(at: x, y) { a, b in einsum("...i,...i->...", a, b).sum() }
        #expect(gx == Tensor(shape: [2, 1, 2], scalars: [3, 3, 3, 3]))
        #expect(gy == Tensor([[4, 6], [4, 6], [4, 6]]))
        // An empty batch broadcasts against size 1 too (NumPy: shape (0,)).
        let empty = einsum("...i,...i->...", Variable(Tensor<Double>.zeros([0, 2])), Variable(Tensor<Double>([[1, 2]])))
        #expect(empty.shape == [0])
    }

    // Repeated labels take diagonals: ∂ trace(A)/∂A = I; ∂(Σ diag(A)∘w)/∂A = diag(w); and
    // "...ii->..." is a batched trace (hand-derived).
    @Test func repeatedLabels() {
        let a = Tensor<Double>([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        #expect(einsum("ii", Variable(a)).value == Tensor(15))
        #expect(gradient(at: a) { einsum("ii", $0) } == Tensor<Double>.eye(3))
        let w = Variable(Tensor<Double>([1, -2, 3]))
        #expect(gradient(at: a) { (einsum("ii->i", $0) * w).sum() } == Tensor([[1, 0, 0], [0, -2, 0], [0, 0, 3]]))
        let batch = stack([a, a * 2])
        #expect(einsum("...ii->...", Variable(batch)).value == Tensor([15, 30]))
    }

    // Forward and reverse mode agree through the rewriting (both use Einsum's rules on the views).
    @Test func modesAgree() {
        let x = Tensor<Double>.randomNormal([2, 1, 3, 3], seed: 3)
        let f: (Variable<Double>) -> Variable<Double> = { einsum("...ii,...ij->...j", $0, $0) }
        #expect(maxAbsDifference(jacobian(at: x, mode: .forward, of: f), jacobian(at: x, mode: .reverse, of: f)) <= 1e-12)
    }
}
