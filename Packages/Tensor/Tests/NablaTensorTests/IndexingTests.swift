import Testing
import NablaTensor
import _NablaTestSupport

@Suite("Slicing and strided indexing")
struct IndexingTests {
    let x = Tensor<Double>.arange(0, 12).reshaped(3, 4)   // [[0 1 2 3] [4 5 6 7] [8 9 10 11]]

    @Test func integersAndRanges() {
        #expect(x[1].scalars == [4, 5, 6, 7])
        #expect(x[-1].scalars == [8, 9, 10, 11])
        #expect(x[1, 2].shape == [])
        #expect(x[1, 2].scalar == 6)
        #expect(x[1..<3].shape == [2, 4])
        #expect(x[.all, 1..<3].scalars == [1, 2, 5, 6, 9, 10])
        #expect(x[.all, ..<2].scalars == [0, 1, 4, 5, 8, 9])
        #expect(x[.all, 2...].scalars == [2, 3, 6, 7, 10, 11])
        #expect(x[.all, 1...2] == x[.all, 1..<3])
        #expect(x[.all, ...(-2)].scalars == [0, 1, 2, 4, 5, 6, 8, 9, 10])   // t[:, :-1]
        #expect(x[(-2)...].scalars == [4, 5, 6, 7, 8, 9, 10, 11])          // t[-2:]
        #expect(x[.all, -1].scalars == [3, 7, 11])                          // t[:, -1]
        #expect(x[indices: [.index(0), .all]].scalars == [0, 1, 2, 3])
    }

    @Test func slicesAreViewsSharingStorage() {
        let v = x[.all, 1..<3]
        #expect(v.strides == [4, 1])
        #expect(!v.isContiguous)
        // The view reads x's storage: a row of the view starts 1 element into x's row.
        #expect(v.withUnsafeBufferPointer { Array($0) } == [1, 2, 5, 6, 9, 10])
        #expect(x[1].strides == [1])
        let col = x[.all, 2]
        #expect(col.strides == [4])
        #expect(col.scalars == [2, 6, 10])
    }

    @Test func stridedAndNegativeSteps() {
        // numpy: x[::2, 1::2] → [[1, 3], [9, 11]]; x[::-1] reverses rows; x[:, ::-2] → [[3, 1], [7, 5], [11, 9]]
        #expect(x[.stride(by: 2), .stride(from: 1, by: 2)].scalars == [1, 3, 9, 11])
        #expect(x[.stride(by: -1)].scalars == [8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3])
        #expect(x[.all, .stride(by: -2)].scalars == [3, 1, 7, 5, 11, 9])
        #expect(x[.all, .stride(by: -2)].strides == [4, -2])
        // Python clamps slice bounds: x[1:100] is x[1:], x[5:] is empty, x[2:0:-1] is rows 2, 1.
        #expect(x[.stride(from: 1, to: 100, by: 1)] == x[1...])
        #expect(x[.stride(from: 5, by: 1)].shape == [0, 4])
        #expect(x[.stride(from: 2, to: 0, by: -1)].scalars == [8, 9, 10, 11, 4, 5, 6, 7])
        #expect(x[.stride(from: -1, to: -4, by: -1)].shape == [3, 4])
        // A reversed view feeds every kernel: sum, matmul, contiguous copy.
        let r = x[.all, .stride(by: -1)]
        #expect(r.sum(axis: 1).scalars == [6, 22, 38])
        #expect(r.matmul(Tensor<Double>([1, 0, 0, 0])).scalars == [3, 7, 11])
        #expect(x.flipped(axes: [0, 1]).scalars == Array((0..<12).reversed().map(Double.init)))
    }

    @Test func newAxisAndEllipsis() {
        let t = Tensor<Double>.arange(0, 24).reshaped(2, 3, 4)
        #expect(t[.ellipsis, 0].shape == [2, 3])
        #expect(t[.ellipsis, 0].scalars == [0, 4, 8, 12, 16, 20])
        #expect(t[0, .ellipsis, 1].scalars == [1, 5, 9])
        #expect(t[.newAxis].shape == [1, 2, 3, 4])
        #expect(t[.all, .newAxis, 1].shape == [2, 1, 4])
        #expect(t[.ellipsis, .newAxis].shape == [2, 3, 4, 1])
        #expect(t[.ellipsis].shape == [2, 3, 4])
        #expect(t[.ellipsis, .stride(by: -1)][0, 0].scalars == [3, 2, 1, 0])
    }

    @Test func assignmentWritesThroughCopyOnWrite() {
        var y = x
        y[0] = Tensor([-1, -2, -3, -4])
        #expect(y[0].scalars == [-1, -2, -3, -4])
        #expect(x[0].scalars == [0, 1, 2, 3])          // the original is untouched
        y[.all, 1..<3] = Tensor(0)                     // a scalar broadcasts
        #expect(y.scalars == [-1, 0, 0, -4, 4, 0, 0, 7, 8, 0, 0, 11])
        y[.all, 3] = Tensor([30, 70, 110])
        #expect(y[.all, 3].scalars == [30, 70, 110])
        y[.stride(by: -1), 0] = Tensor([1, 2, 3])     // through a reversed view: rows 2, 1, 0
        #expect(y[.all, 0].scalars == [3, 2, 1])
        // A row broadcast over a block, and assigning a view of itself.
        var z = Tensor<Double>.zeros([3, 4])
        z[1...] = Tensor([1, 2, 3, 4])
        z[0] = z[2]
        #expect(z.scalars == [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4])
        z[1] = Tensor<Double>([[9, 9, 9, 9]])       // leading size-1 axes are dropped, as in PyTorch
        #expect(z[1].scalars == [9, 9, 9, 9])
        // Writing into a view-derived tensor does not leak into the tensor it came from.
        let base = Tensor<Double>.zeros([2, 2])
        var view = base[.all, 0]
        view[0] = Tensor(5)
        #expect(base.scalars == [0, 0, 0, 0])
        #expect(view.scalars == [5, 0])
    }

    @Test func outOfRangeStops() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([3, 4])[.all, 4]
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            .contains("subscript: index 4 is out of range for axis 1 of shape [3, 4]"))
        await #expect(processExitsWith: .failure) { _ = Tensor<Double>.zeros([3, 4])[0, 0, 0] }
        await #expect(processExitsWith: .failure) { _ = Tensor<Double>.zeros([3, 4])[1..<5] }
        await #expect(processExitsWith: .failure) { _ = Tensor<Double>.zeros([3, 4])[.ellipsis, 0, .ellipsis] }
        await #expect(processExitsWith: .failure) {
            var t = Tensor<Double>.zeros([3, 4])
            t[0] = Tensor([1, 2, 3])
        }
    }
}
