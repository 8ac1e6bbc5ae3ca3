import Testing
import NablaTensor
import _NablaTestSupport

/// Integer-valued data, so every inner product below is exact in Double and `==` is the check.
private func ints(_ shape: [Int], seed: Int) -> Tensor<Double> {
    Tensor(shape: shape, scalars: (0..<Shape.count(shape)).map { Double((($0 + seed) * 5 + seed * 7) % 9 - 4) })
}

@Suite("einsum gradients")
struct EinsumGradientTests {
    /// The defining identity of a vector-Jacobian product of a function linear in operand i:
    /// ⟨ȳ, einsum(…, ẋᵢ, …)⟩ = ⟨einsumGradient(…, ȳ, i), ẋᵢ⟩ for every tangent ẋᵢ and cotangent ȳ.
    /// With integer data both sides are exact.
    private func checkAdjoint(_ spec: String, _ shapes: [[Int]], sourceLocation: SourceLocation = #_sourceLocation) {
        let operands = shapes.enumerated().map { ints($0.element, seed: $0.offset + 1) }
        let y = einsum(spec, operands)
        let cotangent = ints(y.shape, seed: 11)
        for i in operands.indices {
            let tangent = ints(shapes[i], seed: 20 + i)
            var replaced = operands
            replaced[i] = tangent
            let lhs = (cotangent * einsum(spec, replaced)).sum().scalar
            let g = Tensor.einsumGradient(spec, operands, cotangent: cotangent, operand: i)
            #expect(g.shape == shapes[i], "\(spec) operand \(i)", sourceLocation: sourceLocation)
            let rhs = (g * tangent).sum().scalar
            #expect(lhs == rhs, "\(spec) operand \(i)", sourceLocation: sourceLocation)
        }
    }

    @Test func matrixProductGradientsAreTheKnownMatmuls() {
        let a = ints([2, 3], seed: 1), b = ints([3, 4], seed: 2), c = ints([2, 4], seed: 3)
        // d⟨C, AB⟩/dA = C·Bᵀ, d⟨C, AB⟩/dB = Aᵀ·C.
        #expect(Tensor.einsumGradient("ij,jk->ik", [a, b], cotangent: c, operand: 0) == c.matmul(b.transposed()))
        #expect(Tensor.einsumGradient("ij,jk->ik", [a, b], cotangent: c, operand: 1) == a.transposed().matmul(c))
    }

    @Test func traceDiagonalAndSumGradients() {
        let a = ints([3, 3], seed: 4)
        // d tr(A)/dA = I (times the scalar cotangent 2).
        #expect(Tensor.einsumGradient("ii", [a], cotangent: Tensor(2.0), operand: 0) == 2 * Tensor<Double>.eye(3))
        // d⟨c, diag(A)⟩/dA = diag(c).
        let c: Tensor<Double> = [1, 2, 3]
        #expect(Tensor.einsumGradient("ii->i", [a], cotangent: c, operand: 0) == Tensor.diagonal(c))
        // d Σ A / dA = ones.
        #expect(Tensor.einsumGradient("ij->", [a], cotangent: Tensor(1.0), operand: 0) == Tensor.ones([3, 3]))
    }

    @Test func adjointIdentityHoldsForEveryForm() {
        checkAdjoint("ij,j", [[3, 4], [4]])
        checkAdjoint("il,ljk", [[3, 3], [3, 3, 2]])
        checkAdjoint("bij,bjk->bik", [[2, 3, 4], [2, 4, 5]])
        checkAdjoint("i,j->ij", [[3], [4]])
        checkAdjoint("i,i", [[5], [5]])
        checkAdjoint("ii->i", [[4, 4]])
        checkAdjoint("iij,jk->ik", [[3, 3, 2], [2, 4]])         // a diagonal inside a product
        checkAdjoint("ijk,jl,lm->imk", [[2, 3, 4], [3, 5], [5, 2]])
        checkAdjoint("ij,jk->", [[2, 3], [3, 4]])
        checkAdjoint("ij,jk->j", [[2, 3], [3, 4]])               // i, k summed away in one operand each
        checkAdjoint("...ij,...jk", [[5, 1, 2, 3], [4, 3, 2]])  // broadcast batch through the ellipsis
        checkAdjoint("ij,jk", [[2, 1], [3, 4]])                 // size-1 axis broadcast against 3
        checkAdjoint("bi,bi->b", [[4, 6], [4, 6]])
    }

    @Test func wrongCotangentShapeStops() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.einsumGradient("ij,jk", [Tensor<Double>.zeros([2, 3]), Tensor<Double>.zeros([3, 4])],
                                      cotangent: Tensor<Double>.zeros([4, 2]), operand: 0)
        }
    }
}
