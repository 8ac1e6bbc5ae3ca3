import Testing
import NablaTensor

/// The parallel paths of `map` and `zipWith`: large operands are cut into ranges (dense) or row
/// ranges (broadcast and strided views) and handed to both cores. Every expected value is the
/// same expression evaluated by a plain loop over `scalars`, so the comparisons are exact.
@Suite("Parallel elementwise kernels")
struct ParallelKernelTests {
    /// 600×300 = 180 000 elements: above `Parallel.minimumChunk` per thread.
    let rows = 600, cols = 300

    @Test func broadcastRowAndColumnOverManyRows() {
        let a = Tensor<Float>.linspace(-2, 2, count: rows * cols).reshaped(rows, cols)
        let row = Tensor<Float>.linspace(0, 1, count: cols)
        let col = Tensor<Float>.linspace(5, 6, count: rows).reshaped(rows, 1)
        let av = a.scalars, rv = row.scalars, cv = col.scalars
        let plusRow = (a + row).scalars, timesCol = (a * col).scalars, colMinusRow = (col - row).scalars
        var expectedPlusRow: [Float] = [], expectedTimesCol: [Float] = [], expectedColMinusRow: [Float] = []
        for i in 0..<rows {
            for j in 0..<cols {
                expectedPlusRow.append(av[i * cols + j] + rv[j])
                expectedTimesCol.append(av[i * cols + j] * cv[i])
                expectedColMinusRow.append(cv[i] - rv[j])
            }
        }
        #expect(plusRow == expectedPlusRow)
        #expect(timesCol == expectedTimesCol)
        #expect(colMinusRow == expectedColMinusRow)
    }

    @Test func transposedOperandsAndStridedMap() {
        let a = Tensor<Double>.linspace(-3, 3, count: rows * cols).reshaped(rows, cols)
        let b = Tensor<Double>.linspace(1, 2, count: rows * cols).reshaped(cols, rows)
        let av = a.scalars, bv = b.scalars
        let sum = (a + b.transposed()).scalars            // b read with strides (1, rows)
        let squaredT = a.transposed().map { $0 * $0 }.scalars
        var expectedSum: [Double] = [], expectedSquaredT: [Double] = []
        for i in 0..<rows { for j in 0..<cols { expectedSum.append(av[i * cols + j] + bv[j * rows + i]) } }
        for j in 0..<cols { for i in 0..<rows { expectedSquaredT.append(av[i * cols + j] * av[i * cols + j]) } }
        #expect(sum == expectedSum)
        #expect(squaredT == expectedSquaredT)
    }

    @Test func capturingClosuresAndScalarOperands() {
        // A closure that captures a runtime value takes the unspecialized path; same results.
        let x = Tensor<Float>.linspace(-1, 1, count: rows * cols)
        let s: Float = 2.5
        let xv = x.scalars
        #expect(x.map { $0 * s + 1 }.scalars == xv.map { $0 * s + 1 })
        #expect(x.zipWith(x) { $0 * s - $1 }.scalars == xv.map { $0 * s - $0 })
        #expect((x * 3).scalars == xv.map { $0 * 3 })
        #expect((3 - x).scalars == xv.map { 3 - $0 })
        #expect((Tensor<Float>(shape: [], scalars: [2]) * x).scalars == xv.map { 2 * $0 })
    }
}

extension ParallelKernelTests {
    @Test func whereOverManyRowsWithBroadcasting() {
        // 600×300 condition, a full, b a broadcast row: every element checked against a loop.
        let x = Tensor<Double>.linspace(-1, 1, count: rows * cols).reshaped(rows, cols)
        let row = Tensor<Double>.linspace(10, 20, count: cols)
        let condition = x .> 0.25
        let picked = Tensor.where(condition, x, row).scalars
        let xv = x.scalars, rv = row.scalars
        var expected: [Double] = []
        for i in 0..<rows { for j in 0..<cols { expected.append(xv[i * cols + j] > 0.25 ? xv[i * cols + j] : rv[j]) } }
        #expect(picked == expected)
        // Dense operands of equal shape take the unit-stride loop.
        #expect(Tensor.where(condition, x, -x).scalars == xv.map { $0 > 0.25 ? $0 : -$0 })
    }
}

extension ParallelKernelTests {
    @Test func theSplitDependsOnlyOnTheSize() {
        // One policy, by element count: inline below two minimum chunks, then count / minimumChunk
        // pieces up to four per thread, the same for every call of the same size.
        let m = Parallel.minimumChunk
        #expect(Parallel.pieceCount(0) == 1 && Parallel.pieceCount(m) == 1 && Parallel.pieceCount(2 * m - 1) == 1)
        let big = Parallel.pieceCount(1 << 22)
        #expect(big == (Parallel.threadCount == 1 ? 1 : Swift.min(4 * Parallel.threadCount, (1 << 22) / m)))
        #expect((0..<100).allSatisfy { _ in Parallel.pieceCount(1 << 22) == big })
        // The pieces cover the range exactly once, whichever threads run them.
        let n = 1 << 20
        let hits = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        hits.initialize(repeating: 0, count: n)
        defer { hits.deallocate() }
        Parallel.forRanges(n, context: hits) { r, h in for i in r { h[i] &+= 1 } }
        #expect((0..<n).allSatisfy { hits[$0] == 1 })
    }

    @Test func reusedLargeBuffersAreReinitialized() {
        // 2¹⁸ Floats = 1 MiB: freed buffers of this size are kept and handed to the next tensor
        // of the same size; that tensor must still hold exactly what its initializer wrote.
        let n = 1 << 18
        for _ in 0..<3 {
            do { let ones = Tensor<Float>.ones([n]); #expect(ones.scalars.allSatisfy { $0 == 1 }) }
            let zeros = Tensor<Float>.zeros([n])
            #expect(zeros.scalars.allSatisfy { $0 == 0 })
            let x = Tensor<Float>.linspace(0, 1, count: n)
            let y = x * x                              // allocated while `zeros` and `x` are alive
            #expect(zeros.scalars.allSatisfy { $0 == 0 })
            #expect(y.scalars == x.scalars.map { $0 * $0 })
        }
    }
}

extension ParallelKernelTests {
    @Test func arithmeticWithScalarsAndTemporariesKeepsValueSemantics() {
        // Scalar operands travel to the parallel loop as data (`_map(with:)`); chains of
        // temporaries and shared buffers keep value semantics. Expected: the same formulas on arrays.
        let n = rows * cols
        let x = Tensor<Float>.linspace(-2, 2, count: n)
        let xv = x.scalars
        let t = x * x
        let y = t + x
        #expect(t.scalars == xv.map { $0 * $0 })
        #expect(y.scalars == xv.map { $0 * $0 + $0 })
        #expect((x * x + x).scalars == xv.map { $0 * $0 + $0 })
        #expect((x - x * x).scalars == xv.map { $0 - $0 * $0 })
        #expect((x / (x * x + 1)).scalars == xv.map { $0 / ($0 * $0 + 1) })
        #expect((2 - x * 3).scalars == xv.map { 2 - $0 * 3 })
        #expect(((x + 1) / 4).scalars == xv.map { ($0 + 1) / 4 })
        #expect((x * x + Tensor<Float>(shape: [], scalars: [0.5])).scalars == xv.map { $0 * $0 + 0.5 })
        #expect(x.scalars == xv)
        // A copy shares the buffer, so it is not unique: neither copy changes.
        var a = x * 2
        let b = a
        let c = a + 1
        #expect(a.scalars == xv.map { $0 * 2 } && b.scalars == a.scalars && c.scalars == xv.map { $0 * 2 + 1 })
        a = a * 3                                       // a's old buffer is still b's
        #expect(b.scalars == xv.map { $0 * 2 } && a.scalars == xv.map { $0 * 2 * 3 })
        // Broadcasting and strided views.
        let m = x.reshaped(rows, cols), row = Tensor<Float>.linspace(0, 1, count: cols)
        let rv = row.scalars
        let mm = (m * m + row).scalars
        #expect(mm == (0..<n).map { xv[$0] * xv[$0] + rv[$0 % cols] })
        let tr = m.transposed()
        #expect((tr * 1).scalars == m.transposed().copied().scalars)
    }
}

extension ParallelKernelTests {
    @Test func compoundAssignmentUpdatesInPlaceOnlyWhenUnshared() {
        // `+=` writes into the left buffer when nothing else refers to it; a copy taken before
        // keeps its values. Expected values: the same formulas on arrays.
        let n = rows * cols
        let x = Tensor<Float>.linspace(-1, 1, count: n), y = Tensor<Float>.linspace(2, 3, count: n)
        let xv = x.scalars, yv = y.scalars
        var a = x                               // shares x's buffer: must copy, x unchanged
        a += y
        #expect(x.scalars == xv && a.scalars == zip(xv, yv).map { $0 + $1 })
        a -= y                                  // a's buffer is its own now: in place
        #expect(a.scalars == zip(zip(xv, yv).map { $0 + $1 }, yv).map { $0 - $1 })
        let snapshot = a
        a *= y
        a /= Tensor<Float>(shape: [], scalars: [2])
        a += 1
        a *= 3
        #expect(snapshot.scalars == zip(zip(xv, yv).map { $0 + $1 }, yv).map { $0 - $1 })
        let expected = zip(snapshot.scalars, yv).map { (($0 * $1) / 2 + 1) * 3 }
        #expect(a.scalars == expected)
        // A broadcast right-hand side of another shape (a row) takes the allocating path.
        var m = x.reshaped(rows, cols) * 1
        let row = Tensor<Float>.linspace(0, 1, count: cols), rv = row.scalars
        m -= row
        #expect(m.scalars == (0..<n).map { xv[$0] - rv[$0 % cols] })
    }

    @Test func compoundAssignmentStillStopsOnShapeChange() async {
        await #expect(processExitsWith: .failure) {
            var a = Tensor<Float>.zeros([3])
            a += Tensor<Float>.zeros([2, 3])
        }
    }
}
