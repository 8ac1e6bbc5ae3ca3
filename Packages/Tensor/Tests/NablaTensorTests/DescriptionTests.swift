import Testing
import ComplexModule
import NablaTensor

/// Printing of elided and complex tensors.
@Suite struct DescriptionTests {
    // NumPy (np.arange(10000).reshape(100, 100)) and PyTorch print a 100×100 tensor with the
    // widths computed over the shown elements, so the columns on either side of `...` line up:
    //   [[   0    1    2 ...   97   98   99]
    //    [ 100  101  102 ...  197  198  199]
    //    ...
    //    [9900 9901 9902 ... 9997 9998 9999]]
    @Test func elidedColumnsStayAligned() {
        let t = Tensor<Int>(shape: [100, 100], Array(0..<10_000))
        let lines = t.description.split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        #expect(lines[0] == "[[   0,    1,    2, ...,   97,   98,   99],")
        #expect(lines[1] == " [ 100,  101,  102, ...,  197,  198,  199],")
        #expect(lines[3] == " ...,")
        #expect(lines[6] == " [9900, 9901, 9902, ..., 9997, 9998, 9999]]")
        // "..." sits in the same column on every row.
        let rows = lines.filter { $0.contains("[") }
        #expect(Set(rows.map { $0.split(separator: ".")[0].count }).count == 1)
        // A float tensor: widths from the shown elements (−1.5 widest), not from the elided ones.
        var f = Tensor<Double>.zeros([2000])
        f[element: 0] = -1.5
        f[element: 1000] = -123456.75   // elided: does not widen the columns
        #expect(f.description == "[-1.5,  0.0,  0.0, ...,  0.0,  0.0,  0.0]")
    }

    @Test func complexValuesPrintAsRePlusImI() {
        let z = Tensor<Complex<Double>>([Complex(0, 1), Complex(0, -1), Complex(1.5, -2), Complex(-3, 0)])
        #expect(z.description == "[ 0.0+1.0i,  0.0-1.0i,  1.5-2.0i, -3.0+0.0i]")
        #expect(Tensor<Complex<Float>>([Complex(0.1, 2)]).description == "[0.1+2.0i]")
        // swift-numerics has one complex infinity and reports its parts as NaN.
        #expect(Tensor<Complex<Double>>([Complex(.nan, -.infinity)]).description == "[nan+nani]")
        #expect(Tensor<Complex<Double>>([Complex(2, -0.0)]).description == "[2.0-0.0i]")
    }
}

/// `.scalar` is PyTorch's `item()`: the one element of a one-element tensor of any rank.
@Suite struct ScalarItemTests {
    @Test func scalarOfOneElementTensors() {
        #expect(Tensor<Double>([[1, 2], [3, 4]]).mean().scalar == 2.5)
        #expect(Tensor<Double>([[7]]).scalar == 7)
        #expect(Tensor<Int>(shape: [1, 1, 1], scalars: [3]).scalar == 3)
    }
}
