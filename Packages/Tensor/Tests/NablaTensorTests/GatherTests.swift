import Testing
import NablaTensor
import _NablaTestSupport

@Suite("Gather, scatter, index-select, one-hot, pad, tile")
struct GatherTests {
    let x = Tensor<Double>.arange(0, 12).reshaped(3, 4)   // [[0 1 2 3] [4 5 6 7] [8 9 10 11]]

    @Test func gatherAlongEitherAxis() {
        // torch.arange(12.).reshape(3,4).gather(0, [[0,2,1,0],[2,2,0,1]]) → [[0,9,6,3],[8,9,2,7]]
        let i0: Tensor<Int> = [[0, 2, 1, 0], [2, 2, 0, 1]]
        #expect(x.gathering(indices: i0, axis: 0).scalars == [0, 9, 6, 3, 8, 9, 2, 7])
        // .gather(1, [[3,0],[1,1],[2,0]]) → [[3,0],[5,5],[10,8]]; negative -1 means 3 (NumPy rule)
        let i1: Tensor<Int> = [[3, 0], [1, 1], [2, 0]]
        #expect(x.gathering(indices: i1, axis: 1).scalars == [3, 0, 5, 5, 10, 8])
        #expect(x.gathering(indices: [[-1, 0], [1, 1], [2, -4]], axis: -1).scalars == [3, 0, 5, 5, 10, 8])
        // On a transposed view (xᵀ[i][j] = x[j][i]).
        #expect(x.transposed().gathering(indices: [[2], [0], [1], [2]], axis: 1).scalars == [8, 1, 6, 11])
    }

    @Test func scatterAddIsTheAdjointOfGather() {
        // torch.zeros(3,4).scatter_add(0, idx, src) with src rows [1,2,3,4], [10,20,30,40]:
        // column 1 gets 2 + 20 in row 2; column 2 gets 30 in row 0 and 3 in row 1.
        let idx: Tensor<Int> = [[0, 2, 1, 0], [2, 2, 0, 1]]
        let src: Tensor<Double> = [[1, 2, 3, 4], [10, 20, 30, 40]]
        let s = Tensor<Double>.zeros([3, 4]).scatteringAdd(indices: idx, values: src, axis: 0)
        #expect(s.scalars == [1, 0, 30, 4, 0, 0, 3, 40, 10, 22, 0, 0])
        // ⟨gather(x), g⟩ = ⟨x, scatterAdd(g)⟩ for any x, g: exact with these integers (272 both sides).
        let lhs = (x.gathering(indices: idx, axis: 0) * src).sum().scalar
        let rhs = (x * s).sum().scalar
        #expect(lhs == rhs)
        // scatter (assignment): torch.zeros(3,4).scatter(0, [[0,2,1,0]], [[1,2,3,4]])
        let t = Tensor<Double>.zeros([3, 4]).scattering(indices: [[0, 2, 1, 0]], values: [[1, 2, 3, 4]], axis: 0)
        #expect(t.scalars == [1, 0, 0, 4, 0, 0, 3, 0, 0, 2, 0, 0])
        #expect(x.scalars == Array((0..<12).map(Double.init)))   // inputs unchanged
    }

    @Test func indexSelectAndIndexAdd() {
        // torch.index_select(x, 1, [3, 0, 3])
        #expect(x.indexSelect(indices: [3, 0, 3], axis: 1).scalars == [3, 0, 3, 7, 4, 7, 11, 8, 11])
        #expect(x.indexSelect(indices: [2, 0], axis: 0).scalars == [8, 9, 10, 11, 0, 1, 2, 3])
        // torch.zeros(3,4).index_add(0, [2, 0, 2], arange(12).reshape(3,4)) → rows 2 and 0 accumulate
        let a = Tensor<Double>.zeros([3, 4]).indexAdding(indices: [2, 0, 2], values: x, axis: 0)
        #expect(a.scalars == [4, 5, 6, 7, 0, 0, 0, 0, 8, 10, 12, 14])
    }

    @Test func oneHot() {
        // torch.nn.functional.one_hot([[0, 2], [1, 1]], 3)
        let h = Tensor<Float>.oneHot([[0, 2], [1, 1]], classes: 3)
        #expect(h.shape == [2, 2, 3])
        #expect(h.scalars == [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0])
        #expect(Tensor<Float>.oneHot([3, 1, 2], classes: 4).argmax(axis: 1).scalars == [3, 1, 2])
    }

    @Test func padModes() {
        let a: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
        // F.pad(a, (1, 0, 0, 2), value=-1): one column before, two rows after.
        let c = a.padded([(0, 2), (1, 0)], value: -1)
        #expect(c.shape == [4, 4])
        #expect(c.scalars == [-1, 1, 2, 3, -1, 4, 5, 6, -1, -1, -1, -1, -1, -1, -1, -1])
        #expect(a.padded([(1, 1)]).scalars == [0, 1, 2, 3, 0, 0, 4, 5, 6, 0])   // last axis only, zeros
        // F.pad(a[None], (2, 2, 1, 1), mode='reflect')[0]
        #expect(a.padded([(1, 1), (2, 2)], mode: .reflect).scalars ==
                [6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1])
        // F.pad(a[None], (2, 1, 1, 0), mode='replicate')[0]
        #expect(a.padded([(1, 0), (2, 1)], mode: .replicate).scalars ==
                [1, 1, 1, 2, 3, 3, 1, 1, 1, 2, 3, 3, 4, 4, 4, 5, 6, 6])
        // F.pad(a[None, None], (2, 1, 1, 0), mode='circular')[0, 0]
        #expect(a.padded([(1, 0), (2, 1)], mode: .circular).scalars ==
                [5, 6, 4, 5, 6, 4, 2, 3, 1, 2, 3, 1, 5, 6, 4, 5, 6, 4])
    }

    @Test func tileAndFlip() {
        let a: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
        // a.repeat(2, 1, 2): shape [2, 2, 6]
        let t = a.tiled(2, 1, 2)
        #expect(t.shape == [2, 2, 6])
        #expect(t.scalars == [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6])
        #expect(a.flipped(axis: 1).scalars == [3, 2, 1, 6, 5, 4])
        #expect(a.flipped(axis: 0).strides == [-3, 1])
    }

    @Test func outOfRangeIndicesStop() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([3, 4]).gathering(indices: [[4]], axis: 1)
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            .contains("gather: index 4 is out of range for axis 1 of shape [3, 4]"))
        await #expect(processExitsWith: .failure) { _ = Tensor<Double>.oneHot([3], classes: 3) }
        await #expect(processExitsWith: .failure) { _ = Tensor<Double>.zeros([3]).indexSelect(indices: [3], axis: 0) }
        await #expect(processExitsWith: .failure) { _ = Tensor<Double>.zeros([2]).padded([(2, 0)], mode: .reflect) }
    }
}
