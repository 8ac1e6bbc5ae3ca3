import Testing
import NablaTensor
import _NablaTestSupport

/// Brute-force Einstein summation for letter-only explicit subscripts: loops over every
/// combination of label values and accumulates the product of the operands' elements. The oracle
/// the GEMM-based `einsum` is checked against.
private func loopEinsum(_ spec: String, _ operands: [Tensor<Double>]) -> Tensor<Double> {
    let parts = spec.split(separator: "-")
    let inputs = parts[0].split(separator: ",", omittingEmptySubsequences: false).map { Array($0) }
    let output = Array(parts[1].dropFirst())   // drop the '>'
    var size: [Character: Int] = [:]
    for (t, term) in inputs.enumerated() { for (axis, c) in term.enumerated() { size[c] = operands[t].shape[axis] } }
    let labels = Array(size.keys)
    let outShape = output.map { size[$0]! }
    var out = [Double](repeating: 0, count: Shape.count(outShape))
    let flat = operands.map(\.scalars), strides = operands.map { Shape.contiguousStrides($0.shape) }
    var value = [Character: Int]()
    func visit(_ k: Int) {
        if k == labels.count {
            var p = 1.0
            for (t, term) in inputs.enumerated() {
                var offset = 0
                for (axis, c) in term.enumerated() { offset += value[c]! * strides[t][axis] }
                p *= flat[t][offset]
            }
            var o = 0
            for c in output { o = o * size[c]! + value[c]! }
            out[o] += p
            return
        }
        for v in 0..<size[labels[k]]! { value[labels[k]] = v; visit(k + 1) }
    }
    visit(0)
    return Tensor(shape: outShape, scalars: out)
}

/// Integer-valued test data, so every sum below is exact in Double and `==` is the right check.
private func ints(_ shape: [Int], seed: Int) -> Tensor<Double> {
    let n = Shape.count(shape)
    return Tensor(shape: shape, scalars: (0..<n).map { Double((($0 + seed) * 7 + seed * 3) % 11 - 5) })
}

@Suite("einsum")
struct EinsumTests {
    // MARK: The seed's expressions (000_b4945258b272486b.txt)

    @Test func seedMatrixVectorIJJ() {
        // Slide 7: y = np.einsum('ij,j', a, x) is y = a·x, yᵢ = Σⱼ aᵢⱼxⱼ. Checked against the loop.
        let a = ints([3, 4], seed: 1), x = ints([4], seed: 2)
        let y = einsum("ij,j", a, x)
        var expected = [Double](repeating: 0, count: 3)
        for i in 0..<3 { for j in 0..<4 { expected[i] += a[element: i, j] * x[element: j] } }
        #expect(y.shape == [3])
        #expect(y.scalars == expected)
        #expect(einsum("ij, j", a, x) == y)          // the slide writes it with a space
        #expect(y == a.matmul(x))
    }

    @Test func seedMatrixProductIKKJ() {
        // Slide 7: c = np.einsum('ik,kj', a, b) is c = a·b, cᵢⱼ = Σₖ aᵢₖbₖⱼ.
        let a = ints([3, 5], seed: 3), b = ints([5, 2], seed: 4)
        let c = einsum("ik,kj", a, b)
        var expected = [Double](repeating: 0, count: 6)
        for i in 0..<3 { for j in 0..<2 { for k in 0..<5 { expected[i * 2 + j] += a[element: i, k] * b[element: k, j] } } }
        #expect(c.shape == [3, 2])
        #expect(c.scalars == expected)
    }

    /// The single-layer network of slides 30-31: f = tanh(z), z = A·x + b, A ∈ ℝ^{m×n}, x ∈ ℝⁿ.
    /// ∂f/∂z = diag(1 − tanh²(z)) is m×m, ∂z/∂b = I is m×m and ∂z/∂A is m×(m×n) with
    /// (∂z/∂A)[l, j, k] = δₗⱼ·xₖ.
    private static func singleLayer() -> (dfdz: Tensor<Double>, x: Tensor<Double>, m: Int, n: Int) {
        let m = 3, n = 2
        let A: Tensor<Double> = [[0.5, -1], [2, 0.25], [-0.75, 1.5]]
        let x: Tensor<Double> = [1, -2]
        let b: Tensor<Double> = [0.1, -0.2, 0.3]
        let z = A.matmul(x) + b
        let dfdz = Tensor<Double>.diagonal(1 - z.tanh() * z.tanh())
        return (dfdz, x, m, n)
    }

    @Test func seedBackpropILLJ() {
        // Slide 30: dfdb = np.einsum('il,lj', dfdz, dzdb) with dzdb = I: (∂f/∂b)ᵢⱼ = Σₗ (∂f/∂z)ᵢₗ δₗⱼ.
        let (dfdz, _, m, _) = Self.singleLayer()
        let dzdb = Tensor<Double>.eye(m)
        let dfdb = einsum("il,lj", dfdz, dzdb)
        var expected = [Double](repeating: 0, count: m * m)
        for i in 0..<m { for j in 0..<m { for l in 0..<m {
            expected[i * m + j] += dfdz[element: i, l] * dzdb[element: l, j]
        } } }
        #expect(dfdb.shape == [m, m])
        #expect(dfdb.scalars == expected)
        #expect(dfdb == dfdz)   // multiplying by I (exact: every other term is x·0 = 0)
    }

    @Test func seedBackpropILLJK() {
        // Slide 31: dfda = np.einsum('il,ljk', dfdz, dzda): (∂f/∂A)ᵢⱼₖ = Σₗ (∂f/∂z)ᵢₗ (∂z/∂A)ₗⱼₖ.
        let (dfdz, x, m, n) = Self.singleLayer()
        var dzda = Tensor<Double>.zeros([m, m, n])
        for l in 0..<m { for k in 0..<n { dzda[element: l, l, k] = x[element: k] } }
        let dfda = einsum("il,ljk", dfdz, dzda)
        #expect(dfda.shape == [m, m, n])
        var expected = [Double](repeating: 0, count: m * m * n)
        for i in 0..<m { for j in 0..<m { for k in 0..<n { for l in 0..<m {
            expected[(i * m + j) * n + k] += dfdz[element: i, l] * dzda[element: l, j, k]
        } } } }
        #expect(dfda.scalars == expected)
        // Closed form: (∂f/∂A)ᵢⱼₖ = (∂f/∂z)ᵢⱼ·xₖ, zero off the diagonal i ≠ j.
        #expect(dfda == dfdz.unsqueezed(axis: 2) * x)
    }

    // MARK: Forms

    @Test func implicitAndExplicitFormsAgree() throws {
        let a = ints([2, 3], seed: 5), b = ints([3, 4], seed: 6)
        #expect(einsum("ij,jk", a, b) == einsum("ij,jk->ik", a, b))
        #expect(einsum(" i j , j k -> i k ", a, b) == a.matmul(b))
        // Implicit output is sorted: "ji" names a's rows j and columns i, output "ij" is aᵀ.
        #expect(einsum("ji", a) == a.transposed())
        #expect(einsum("ij", a) == a)
        // Character codes order uppercase before lowercase (NumPy): "aB" outputs "Ba".
        #expect(einsum("aB", a).shape == [3, 2])
        #expect(try EinsumExpression(parsing: "il, ljk").description == "il,ljk->ijk")
        #expect(try EinsumExpression(parsing: "...ij,...jk").description == "...ij,...jk->...ik")
        #expect(try EinsumExpression(parsing: "ii").description == "ii->")
    }

    @Test func traceDiagonalTranspose() {
        let a: Tensor<Double> = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
        let trace = einsum("ii", a)
        #expect(trace.shape == [])
        #expect(trace.scalar == 15)                 // 1 + 5 + 9
        #expect(einsum("ii->", a).scalar == 15)
        #expect(einsum("ii->i", a).scalars == [1, 5, 9])
        let t = einsum("ij->ji", a)
        #expect(t.shape == [3, 3])
        #expect(t.scalars == [1, 4, 7, 2, 5, 8, 3, 6, 9])
        // Diagonal of a non-square operand pair: Σᵢ aᵢᵢ bᵢ.
        #expect(einsum("ii,i->", a, Tensor<Double>([1, 10, 100])).scalar == 1 + 50 + 900)
    }

    @Test func outerSumDot() {
        let u: Tensor<Double> = [1, 2], v: Tensor<Double> = [3, 4, 5]
        let o = einsum("i,j->ij", u, v)
        #expect(o.shape == [2, 3])
        #expect(o.scalars == [3, 4, 5, 6, 8, 10])
        #expect(einsum("i,j", u, v) == o)
        let a: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
        let s = einsum("ij->", a)
        #expect(s.shape == [])
        #expect(s.scalar == 21)
        #expect(einsum("ij->j", a).scalars == [5, 7, 9])
        #expect(einsum("ij->i", a).scalars == [6, 15])
        #expect(einsum("i,i", v, v).scalar == 50)   // 9 + 16 + 25
        #expect(einsum("ij,ij->ij", a, a).scalars == [1, 4, 9, 16, 25, 36])
    }

    @Test func batchedMatrixProduct() {
        let p = ints([4, 2, 3], seed: 7), q = ints([4, 3, 5], seed: 8)
        let r = einsum("bij,bjk->bik", p, q)
        #expect(r.shape == [4, 2, 5])
        var expected = [Double](repeating: 0, count: 40)
        for b in 0..<4 { for i in 0..<2 { for k in 0..<5 { for j in 0..<3 {
            expected[(b * 2 + i) * 5 + k] += p[element: b, i, j] * q[element: b, j, k]
        } } } }
        #expect(r.scalars == expected)
        // The batch label moved to other places, and a batch of dot products.
        #expect(einsum("ibj,jkb->bik", p.permuted(1, 0, 2), q.permuted(1, 2, 0)) == r)
        #expect(einsum("bi,bi->b", p.reshaped(4, 6), p.reshaped(4, 6)) == loopEinsum("bi,bi->b", [p.reshaped(4, 6), p.reshaped(4, 6)]))
    }

    @Test func generalContractionsMatchLoops() {
        let a = ints([2, 3, 4], seed: 9), b = ints([3, 5], seed: 10), c = ints([5, 2], seed: 11)
        for spec in ["ijk,jl->il", "ijk,jl->lik", "ijk,jl->ijkl", "ijk,jl->"] {
            #expect(einsum(spec, a, b) == loopEinsum(spec, [a, b]), "\(spec)")
        }
        // Three operands, contracted left to right.
        for spec in ["ijk,jl,lm->imk", "ijk,jl,li->k", "ijk,jl,lm->"] {
            #expect(einsum(spec, a, b, c) == loopEinsum(spec, [a, b, c]), "\(spec)")
        }
        // Four operands: the greedy order contracts "i,ij" and "jk,k" before any outer product.
        let u = ints([3], seed: 16), m = ints([3, 4], seed: 17), n = ints([4, 5], seed: 18), w = ints([5], seed: 19)
        #expect(einsum("i,ij,jk,k->", u, m, n, w) == loopEinsum("i,ij,jk,k->", [u, m, n, w]))
        #expect(einsum("k,i,jk,ij->ji", w, u, n, m) == loopEinsum("k,i,jk,ij->ji", [w, u, n, m]))
        // Slices with an offset as operands.
        let s = ints([5, 6], seed: 20)[1..<4, .stride(from: 1, by: 2)]
        #expect(einsum("ij,jk->ik", s, m) == loopEinsum("ij,jk->ik", [s.contiguous, m]))
        // Transposed and strided views as operands (BLAS takes the transposed layout as is).
        let bt = ints([5, 3], seed: 12).transposed()
        #expect(einsum("ijk,jl->kil", a, bt) == loopEinsum("ijk,jl->kil", [a, bt.contiguous]))
    }

    @Test func ellipsisBroadcasts() {
        let x = ints([5, 1, 2, 3], seed: 13), y = ints([4, 3, 2], seed: 14)
        let r = einsum("...ij,...jk", x, y)
        #expect(r.shape == [5, 4, 2, 2])
        #expect(r == x.matmul(y))
        #expect(einsum("...ij,...jk->...ik", x, y) == r)
        // Ellipsis in the middle and at the end, and a batched diagonal.
        let t = ints([2, 3, 3], seed: 15)
        #expect(einsum("...ii->...i", t) == loopEinsum("bii->bi", [t]))
        #expect(einsum("i...->...", x).shape == [1, 2, 3])
        #expect(einsum("i...->...", x) == x.sum(axis: 0))
        #expect(einsum("a...c,c->a...", x, Tensor<Double>([1, 1, 1])) == x.sum(axis: 3))
    }

    @Test func sizeOneAxesBroadcast() {
        // NumPy: np.einsum('ij,jk', ones((2,1)), b) broadcasts j: result[i,k] = a[i,0]·Σⱼ b[j,k].
        let a: Tensor<Double> = [[2], [3]]
        let b: Tensor<Double> = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]
        let r = einsum("ij,jk", a, b)
        #expect(r.shape == [2, 4])
        #expect(r.scalars == [30, 36, 42, 48, 45, 54, 63, 72])   // column sums 15 18 21 24, times 2 and 3
        #expect(einsum("ij,ij->ij", a, b.reshaped(2, 6)).shape == [2, 6])
    }

    @Test func floatOperandsAgreeWithDouble() {
        var g = PhiloxGenerator(seed: 21)
        let a = Tensor<Float>.randomNormal([6, 7, 8], using: &g)
        let b = Tensor<Float>.randomNormal([8, 6, 5], using: &g)
        let r = einsum("ijk,kil->jl", a, b)
        let ref = loopEinsum("ijk,kil->jl", [a.converted(to: Double.self), b.converted(to: Double.self)])
        // 48 products of unit normals per element: Float rounding error is well below 1e-4.
        #expect(maxAbsDifference(r.converted(to: Double.self), ref) < 1e-4)
    }

    @Test func zeroSizedAxes() {
        let a = Tensor<Double>.zeros([2, 0]), b = Tensor<Double>.zeros([0, 3])
        #expect(einsum("ij,jk", a, b) == Tensor<Double>.zeros([2, 3]))
        #expect(einsum("ij->", a).scalar == 0)
    }

    @Test func parseErrorsAreTyped() {
        #expect(throws: EinsumParseError.self) { try EinsumExpression(parsing: "ij->i->j") }
        #expect(throws: EinsumParseError.self) { try EinsumExpression(parsing: "i1,j") }
        #expect(throws: EinsumParseError.self) { try EinsumExpression(parsing: "ij->ii") }
        #expect(throws: EinsumParseError.self) { try EinsumExpression(parsing: "ij->k") }
        #expect(throws: EinsumParseError.self) { try EinsumExpression(parsing: "......i") }
        #expect(throws: EinsumParseError.self) { try EinsumExpression(parsing: "i..j") }
        do {
            _ = try EinsumExpression(parsing: "ij->k")
        } catch {
            #expect(error.description == "einsum: output label 'k' does not appear in any operand in subscripts 'ij->k'")
        }
    }

    @Test func mismatchedShapesStop() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = einsum("ij,j", Tensor<Double>.zeros([2, 3]), Tensor<Double>.zeros([4]))
        }
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains("einsum: label 'j' has size 3 in one operand and 4 in operand 1; subscripts 'ij,j', operand shapes [2, 3], [4]"))
        await #expect(processExitsWith: .failure) {
            _ = einsum("ij,j", Tensor<Double>.zeros([2, 3]))
        }
        await #expect(processExitsWith: .failure) {
            _ = einsum("ijk,j", Tensor<Double>.zeros([2, 3]), Tensor<Double>.zeros([3]))
        }
        await #expect(processExitsWith: .failure) {
            _ = einsum("ij->i->j", Tensor<Double>.zeros([2, 3]))
        }
        await #expect(processExitsWith: .failure) {
            _ = einsum("ii", Tensor<Double>.zeros([2, 3]))
        }
    }
}
