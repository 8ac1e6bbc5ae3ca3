import Testing
import NablaTensor
import _NablaTestSupport

@Suite("Tensor core: storage, views, copy-on-write")
struct CoreTests {
    @Test func literalBuildsShapeAndScalars() {
        let a: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
        #expect(a.shape == [2, 3])
        #expect(a.scalars == [1, 2, 3, 4, 5, 6])
        #expect(a[element: 1, 2] == 6)
        #expect(a[element: -1, -3] == 4)
        let b: Tensor<Int32> = [[[1], [2]], [[3], [4]]]
        #expect(b.shape == [2, 2, 1])
    }

    @Test func copyOnWriteKeepsValueSemantics() {
        let a: Tensor<Float> = [1, 2, 3]
        var b = a
        b[element: 0] = 10
        #expect(a.scalars == [1, 2, 3])
        #expect(b.scalars == [10, 2, 3])
    }

    @Test func transposeIsAViewAndCopiesOnWrite() {
        let a: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
        var t = a.transposed()
        #expect(t.shape == [3, 2])
        #expect(t.strides == [1, 3])
        #expect(!t.isContiguous)
        #expect(t.scalars == [1, 4, 2, 5, 3, 6])
        t[element: 0, 1] = 40
        #expect(t.scalars == [1, 40, 2, 5, 3, 6])
        #expect(a.scalars == [1, 2, 3, 4, 5, 6])
    }

    @Test func reshapeSqueezeUnsqueezeExpand() {
        let a = Tensor<Double>.arange(0, 6).reshaped(2, -1)
        #expect(a.shape == [2, 3])
        #expect(a.unsqueezed(axis: 0).shape == [1, 2, 3])
        #expect(a.unsqueezed(axis: -1).shape == [2, 3, 1])
        #expect(a.unsqueezed(axis: 1).squeezed().shape == [2, 3])
        let row: Tensor<Double> = [[1, 2, 3]]
        let e = row.expanded(to: [4, 3])
        #expect(e.strides == [0, 1])
        #expect(e.scalars == [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3])
        #expect(a.permuted(1, 0) == a.transposed())
    }

    @Test func factories() {
        #expect(Tensor<Double>.eye(2, 3).scalars == [1, 0, 0, 0, 1, 0])
        #expect(Tensor<Float>.zeros([2]).scalars == [0, 0])
        #expect(Tensor<Int>.ones([3]).scalars == [1, 1, 1])
        #expect(Tensor<Double>.full([2], 7).scalars == [7, 7])
        #expect(Tensor<Int>.arange(5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor<Double>.arange(1, 2, step: 0.25).scalars == [1, 1.25, 1.5, 1.75])
        // torch.linspace(0, 1, 5) = [0.00, 0.25, 0.50, 0.75, 1.00]
        #expect(Tensor<Double>.linspace(0, 1, count: 5).scalars == [0, 0.25, 0.5, 0.75, 1])
        #expect(Tensor<Double>.diagonal([1, 2]).scalars == [1, 0, 0, 2])
    }

    @Test func descriptionIsNumPyLike() {
        let a: Tensor<Double> = [[1, 2.5], [-3, 4]]
        #expect(a.description == "[[ 1.0,  2.5],\n [-3.0,  4.0]]")
        let big = Tensor<Float>.zeros([2000])
        #expect(big.description == "[0.0, 0.0, 0.0, ..., 0.0, 0.0, 0.0]")
        #expect(Tensor<Int>([3]).description == "[3]")
    }

    @Test func shapeMismatchStopsNamingOpAndShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Tensor<Float>.zeros([2, 3])
            let b = Tensor<Float>.zeros([4])
            _ = a + b
        }
        #expect(standardErrorText(result).contains("add: shapes [2, 3] and [4] do not broadcast"))
    }

    @Test func badReshapeAndAxisStopWithMessages() async {
        let reshape = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2, 3]).reshaped(4, 2)
        }
        #expect(standardErrorText(reshape).contains("reshape: cannot reshape tensor of shape [2, 3] (6 elements) to [4, 2]"))
        let axis = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2, 3]).sum(axis: 2)
        }
        #expect(standardErrorText(axis).contains("sum: axis 2 is out of range for rank 2"))
    }
}

@Suite("Printing")
struct PrintingTests {
    @Test func floatsPrintInTheirOwnPrecision() {
        #expect(Tensor<Float>([0.1, 2]).description == "[0.1, 2.0]")
        #expect(Tensor<Double>([Double.nan, -Double.infinity]).description == "[ nan, -inf]")
        #expect(Tensor<Double>.zeros([2, 1, 2]).description == "[[[0.0, 0.0]],\n\n [[0.0, 0.0]]]")
    }
}
