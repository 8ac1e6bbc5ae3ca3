import Testing
import NablaTensor
import _NablaTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Storage keeps buffers of at most 4096 bytes inside its object (tail allocation) and larger ones
/// in a separate 64-byte aligned block (recycled from 1 MiB up); `Shape.contiguousStrides` hands out
/// shared arrays for rank 1 and for rank 2 with up to 64 columns. These tests cross each boundary.
@Suite("Small-tensor storage and strides")
struct SmallStorageTests {
    /// Row-major strides, computed by hand: stride[i] = product of max(shape[j], 1) for j > i.
    @Test func contiguousStridesAcrossRanksAndTheSharedCases() {
        #expect(Shape.contiguousStrides([]) == [])
        #expect(Shape.contiguousStrides([5]) == [1])
        #expect(Shape.contiguousStrides([0]) == [1])
        #expect(Shape.contiguousStrides([3, 4]) == [4, 1])
        #expect(Shape.contiguousStrides([3, 0]) == [1, 1])
        #expect(Shape.contiguousStrides([0, 7]) == [7, 1])
        #expect(Shape.contiguousStrides([2, 64]) == [64, 1])     // last shared rank-2 array
        #expect(Shape.contiguousStrides([2, 65]) == [65, 1])     // first freshly built one
        #expect(Shape.contiguousStrides([2, 3, 4]) == [12, 4, 1])
        #expect(Shape.contiguousStrides([2, 0, 4]) == [4, 4, 1])
        #expect(Shape.contiguousStrides([2, 3, 4, 5]) == [60, 20, 5, 1])
        #expect(Shape.contiguousStrides([2, 3, 0, 5]) == [15, 5, 5, 1])
        #expect(Shape.contiguousStrides([2, 3, 4, 5, 6]) == [360, 120, 30, 6, 1])
        // Results built from shared stride arrays are ordinary tensors.
        let a = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect((a + a).strides == [3, 1])
        #expect((a + a).transposed().strides == [1, 3])
    }

    /// Element counts on both sides of the 4096-byte tail-allocation limit (511, 512 and 513
    /// Doubles), an odd count of 2-byte scalars, and a ≥ 1 MiB block: values survive, results of
    /// arithmetic are right (x + x = 2x exactly in binary floating point) and copies stay apart.
    @Test(arguments: [0, 1, 16, 511, 512, 513, (1 << 17) + 1])
    func storageRoundTripsAndCopiesOnWrite(count: Int) {
        let values = (0..<count).map(Double.init)
        let a = Tensor<Double>(shape: [count], scalars: values)
        #expect(a.scalars == values)
        #expect((a + a).scalars == values.map { 2 * $0 })
        #expect(Tensor<Double>.zeros([count]).scalars == [Double](repeating: 0, count: count))
        if count > 0 {
            var b = a
            b[element: count - 1] = -1
            #expect(a[element: count - 1] == Double(count - 1))
            #expect(b[element: count - 1] == -1)
            // Separate blocks keep their 64-byte alignment.
            if count * MemoryLayout<Double>.stride > 4096 {
                a.withUnsafeBufferPointer { #expect(Int(bitPattern: $0.baseAddress!) % 64 == 0) }
            }
        }
        let h = Tensor<Float16>(shape: [3], scalars: [1, 2, 3])
        #expect(h.zipWith(h) { $0 * $1 }.scalars == [1, 4, 9])
    }

    /// Wrapped memory is released exactly once, when the last tensor sharing it is gone.
    @Test func wrappedMemoryIsReleasedOnce() {
        let base = UnsafeMutablePointer<Float>.allocate(capacity: 4)
        base.initialize(from: [1, 2, 3, 4], count: 4)
        let released = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        released.pointee = 0
        let counter = UncheckedPointer(released)
        do {
            let t = Tensor<Float>(shape: [2, 2], unsafeWrapping: base) { p in
                counter.pointer.pointee += 1
                p.assumingMemoryBound(to: Float.self).deallocate()
            }
            let u = t
            #expect(u.scalars == [1, 2, 3, 4])
            withExtendedLifetime((t, u)) { #expect(released.pointee == 0) }
        }
        #expect(released.pointee == 1)
        released.deallocate()
    }
}

/// A pointer the test hands to a `@Sendable` release closure (single-threaded use only).
private struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int>
    init(_ pointer: UnsafeMutablePointer<Int>) { self.pointer = pointer }
}
