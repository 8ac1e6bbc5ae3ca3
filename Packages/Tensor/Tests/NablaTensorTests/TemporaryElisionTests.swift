import Testing
import NablaTensor

/// `a + b` writes into `a`'s buffer only when the caller gave up `a` and nothing else holds it.
@Suite("Temporary elision in binary operators")
struct TemporaryElisionTests {
    @Test func aConsumedTemporaryIsReused() {
        let x = Tensor<Double>.linspace(-2, 2, count: 5000)
        let t = x * x
        let before = t.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        let r = (consume t) + x
        let after = r.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        #expect(before == after)
        #expect(r.scalars == x.scalars.map { $0 * $0 + $0 })
    }

    @Test func namedOperandsKeepTheirValues() {
        let a: Tensor<Double> = [1, 2, 3], b: Tensor<Double> = [10, 20, 30]
        let c = a + b
        let d = a * b - a / b
        #expect(a.scalars == [1, 2, 3])
        #expect(b.scalars == [10, 20, 30])
        #expect(c.scalars == [11, 22, 33])
        let expectedD: [Double] = [9.9, 39.9, 89.9]   // a·b − a/b = 10 − 0.1, 40 − 0.1, 90 − 0.1
        #expect(d.scalars == expectedD)
        var e = a
        let f = e - b            // e is still used below: must not be overwritten
        e[element: 0] = 5
        #expect(f.scalars == [-9, -18, -27])
        #expect(e.scalars == [5, 2, 3])
        #expect(a.scalars == [1, 2, 3])
    }

    @Test func sharedStorageIsNeverOverwritten() {
        let base = Tensor<Double>.arange(0, 6)
        let view = base.reshaped(2, 3)              // shares base's storage
        let r = view + Tensor<Double>([[1, 1, 1], [1, 1, 1]])
        #expect(r.scalars == [1, 2, 3, 4, 5, 6])
        #expect(base.scalars == [0, 1, 2, 3, 4, 5])
        let sum = base + base                        // both operands are the same storage
        #expect(sum.scalars == [0, 2, 4, 6, 8, 10])
        #expect(base.scalars == [0, 1, 2, 3, 4, 5])
    }

    @Test func broadcastingThatGrowsTheResultAllocates() {
        let col: Tensor<Double> = [[1], [2]], row: Tensor<Double> = [[10, 20, 30]]
        #expect((col * 1 + row).scalars == [11, 21, 31, 12, 22, 32])
        #expect((row * 1 + col).shape == [2, 3])
    }
}
