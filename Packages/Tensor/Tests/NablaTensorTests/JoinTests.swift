import Testing
import NablaTensor
import _NablaTestSupport

@Suite("Concatenate, stack, split")
struct JoinTests {
    @Test func concatenateAlongEachAxis() {
        let a: Tensor<Double> = [[1, 2], [3, 4]]
        let b: Tensor<Double> = [[5, 6]]
        let c = concatenate([a, b])           // torch.cat([a, b]) → 3×2
        #expect(c.shape == [3, 2])
        #expect(c.scalars == [1, 2, 3, 4, 5, 6])
        let d = a.concatenated(with: b.transposed(), axis: 1)   // b.T is [[5], [6]], a non-contiguous view
        #expect(d.shape == [2, 3])
        #expect(d.scalars == [1, 2, 5, 3, 4, 6])
        #expect(concatenate([a, a], axis: -1).scalars == [1, 2, 1, 2, 3, 4, 3, 4])
        // Integer and Bool tensors join too, and empty pieces are allowed.
        let i = concatenate([[1, 2], Tensor<Int32>(shape: [0], scalars: []), [3]])
        #expect(i.scalars == [1, 2, 3])
        #expect(concatenate([[true], [false, true]] as [Tensor<Bool>]).scalars == [true, false, true])
    }

    @Test func stackAddsAnAxis() {
        let a: Tensor<Double> = [1, 2, 3], b: Tensor<Double> = [4, 5, 6]
        let s0 = stack([a, b])
        #expect(s0.shape == [2, 3])
        #expect(s0.scalars == [1, 2, 3, 4, 5, 6])
        let s1 = stack([a, b], axis: 1)      // torch.stack([a, b], dim=1)
        #expect(s1.shape == [3, 2])
        #expect(s1.scalars == [1, 4, 2, 5, 3, 6])
        #expect(stack([a, b], axis: -1) == s1)
        // unbind is stack's inverse
        let parts = s1.unstacked(axis: 1)
        #expect(parts.count == 2 && parts[0] == a && parts[1] == b)
    }

    @Test func splitsAreViewsAndRoundTrip() {
        let x = Tensor<Double>.arange(0, 24).reshaped(4, 6)
        let pieces = x.split(sizes: [1, 3, 2], axis: 1)
        #expect(pieces.map(\.shape) == [[4, 1], [4, 3], [4, 2]])
        #expect(pieces[2].scalars == [4, 5, 10, 11, 16, 17, 22, 23])
        #expect(concatenate(pieces, axis: 1) == x)
        // Views: writing to the piece copies (CoW) and leaves x alone.
        #expect(pieces[1].strides == [6, 1])
        var p = pieces[1]
        p[element: 0, 0] = -1
        #expect(x[element: 0, 1] == 1)
        // torch.split(x, 3, dim=1) → sizes 3, 3; torch.split(arange(7), 3) → 3, 3, 1
        #expect(x.split(size: 3, axis: 1).map(\.shape) == [[4, 3], [4, 3]])
        #expect(Tensor<Double>.arange(0, 7).split(size: 3).map(\.scalars) == [[0, 1, 2], [3, 4, 5], [6]])
        // torch.tensor_split(arange(7), 3) → sizes 3, 2, 2; torch.chunk(arange(6), 4) → 2, 2, 2
        #expect(Tensor<Double>.arange(0, 7).split(count: 3).map(\.count) == [3, 2, 2])
        #expect(Tensor<Double>.arange(0, 6).chunked(4).map(\.count) == [2, 2, 2])
        #expect(concatenate(x.chunked(3, axis: 0)) == x)
    }

    @Test func mismatchedShapesStop() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = concatenate([Tensor<Double>.zeros([2, 3]), Tensor<Double>.zeros([2, 4])])
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            .contains("concatenate: shapes [2, 3] and [2, 4] differ outside axis 0"))
        await #expect(processExitsWith: .failure) {
            _ = stack([Tensor<Double>.zeros([2]), Tensor<Double>.zeros([3])])
        }
        await #expect(processExitsWith: .failure) {
            _ = Tensor<Double>.zeros([5]).split(sizes: [2, 2])
        }
    }
}
