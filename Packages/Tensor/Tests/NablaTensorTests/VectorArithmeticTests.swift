import Testing
import NablaTensor

/// The AVX2/AVX-512 arithmetic kernels behind `+ − × ÷` of large dense `Float` tensors, and the
/// streaming stores of large outputs. IEEE arithmetic rounds correctly at every vector width, so
/// every result must equal the scalar Swift operation bit for bit, at every level, for every
/// alignment of the output and in place.
@Suite("Wide arithmetic kernels and streaming stores")
struct VectorArithmeticTests {
    /// Values with every kind of edge: zeros of both signs, infinities, NaN, subnormals, and a
    /// spread of magnitudes (so that quotients overflow and underflow too).
    static func values(_ n: Int, seed: UInt64) -> [Float] {
        var rng = PhiloxGenerator(seed: seed)
        let specials: [Float] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -1, 1, .greatestFiniteMagnitude]
        return (0..<n).map { i in
            if i % 97 == 0 { return specials[(i / 97) % specials.count] }
            let bits = UInt32(truncatingIfNeeded: rng.next())
            let x = Float(bitPattern: bits)
            return x.isNaN ? Float(i) : x
        }
    }

    static func same(_ x: Float, _ y: Float) -> Bool { x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN) }

    static let ops: [(Int32, @Sendable (Float, Float) -> Float)] = [(0, { $0 + $1 }), (1, { $0 - $1 }), (2, { $0 * $1 }), (3, { $0 / $1 })]

    @Test(arguments: VectorLevel.allCases)
    func kernelsEqualScalarArithmetic(level: VectorLevel) {
        // 300 007 Floats (1.2 MB: above the 1 MiB streaming threshold) and 5 003 (below it), with
        // streaming stores asked for and not (tensors ask for them only above the last-level cache).
        for n in [300_007, 5_003] {
            let a = Self.values(n, seed: 1), b = Self.values(n, seed: 2)
            for (op, f) in Self.ops {
                let expected = zip(a, b).map(f)
                // The output at 0, 4 and 20 bytes past a 64-byte boundary.
                for shift in [0, 1, 5] { for streaming in [true, false] {
                    let y = UnsafeMutablePointer<Float>.allocate(capacity: n + 32)
                    defer { y.deallocate() }
                    let aligned = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: y) + 63) & ~63)! + shift
                    let ran = Float._vectorArithmetic(op, a, b, aligned, count: n, level: level.rawValue, streaming: streaming)
                    if level.rawValue < VectorLevel.avx2.rawValue || level.rawValue > VectorLevel.best.rawValue {
                        #expect(!ran, "level \(level) has no arithmetic kernel")
                        continue
                    }
                    #expect(ran)
                    let got = Array(UnsafeBufferPointer(start: aligned, count: n))
                    let equal = zip(got, expected).allSatisfy(Self.same)   // a Bool, so a failure does not print the arrays
                    #expect(equal, "op \(op), n \(n), shift \(shift), streaming \(streaming), \(level)")
                } }
                guard level.rawValue >= VectorLevel.avx2.rawValue, level.rawValue <= VectorLevel.best.rawValue else { continue }
                // In place, as temporary elision calls it: y == a and y == b.
                var left = a, right = b
                left.withUnsafeMutableBufferPointer { p in
                    _ = Float._vectorArithmetic(op, p.baseAddress!, b, p.baseAddress!, count: n, level: level.rawValue, streaming: true)
                }
                right.withUnsafeMutableBufferPointer { p in
                    _ = Float._vectorArithmetic(op, a, p.baseAddress!, p.baseAddress!, count: n, level: level.rawValue, streaming: true)
                }
                let equal = zip(left, expected).allSatisfy(Self.same) && zip(right, expected).allSatisfy(Self.same)
                #expect(equal,
                        "in place, op \(op), n \(n), \(level)")
            }
        }
    }

    @Test func tensorOperatorsKeepValueSemantics() {
        // x*x+x on 300 007 Floats: the product is a temporary, written over by `+ x`; a named
        // product must not be.
        let n = 300_007
        let xs = Self.values(n, seed: 3).map { $0.isFinite ? $0 : 1.5 }
        let x = Tensor<Float>(shape: [n], scalars: xs)
        let fused = (x * x + x).scalars
        let fusedRight = zip(fused, xs.map { $0 * $0 + $0 }).allSatisfy(Self.same)
        #expect(fusedRight)
        let square = x * x
        let sum = square + x
        let difference = square - x, quotient = square / x
        let squareKept = zip(square.scalars, xs.map { $0 * $0 }).allSatisfy(Self.same)
        let sumRight = zip(sum.scalars, fused).allSatisfy(Self.same)
        let differenceRight = zip(difference.scalars, xs.map { $0 * $0 - $0 }).allSatisfy(Self.same)
        let quotientRight = zip(quotient.scalars, xs.map { $0 * $0 / $0 }).allSatisfy(Self.same)
        #expect(squareKept && sumRight && differenceRight && quotientRight)
        // Compound assignment: in place when the buffer is not shared, a copy when it is.
        var accumulated = square
        accumulated += x
        var product = x
        product *= x
        product -= x
        product /= x
        let assignRight = zip(accumulated.scalars, fused).allSatisfy(Self.same)
            && zip(product.scalars, xs.map { ($0 * $0 - $0) / $0 }).allSatisfy(Self.same)
            && zip(square.scalars, xs.map { $0 * $0 }).allSatisfy(Self.same)
            && zip(x.scalars, xs).allSatisfy(Self.same)
        #expect(assignRight)
        // A view that is not dense (every other element) takes the strided Swift loop.
        let strided = x[TensorIndex.stride(by: 2)]
        let stridedRight = zip((strided * strided).scalars, stride(from: 0, to: n, by: 2).map { xs[$0] * xs[$0] }).allSatisfy(Self.same)
        #expect(stridedRight)
    }

    @Test(arguments: VectorLevel.supported)
    func streamingTanhEqualsCachedTanh(level: VectorLevel) {
        // tanh of 300 007 Floats in one call (streaming stores, output at several alignments)
        // equals tanh computed 1000 elements at a time (ordinary stores), bit for bit.
        let n = 300_007
        let xs = (0..<n).map { Float($0) * 0.0001 - 15 }
        var expected = [Float](repeating: 0, count: n)
        xs.withUnsafeBufferPointer { x in
            expected.withUnsafeMutableBufferPointer { y in
                for lo in stride(from: 0, to: n, by: 1000) {
                    _ = Float.apply(.tanh, x.baseAddress! + lo, y.baseAddress! + lo, count: Swift.min(1000, n - lo), level: level.rawValue)
                }
            }
        }
        for shift in [0, 1, 3, 7] {
            let y = UnsafeMutablePointer<Float>.allocate(capacity: n + 32)
            defer { y.deallocate() }
            let aligned = UnsafeMutablePointer<Float>(bitPattern: (Int(bitPattern: y) + 63) & ~63)! + shift
            _ = Float.apply(.tanh, xs, aligned, count: n, level: level.rawValue)
            let mismatches = (0..<n).filter { aligned[$0].bitPattern != expected[$0].bitPattern }
            #expect(mismatches.isEmpty, "shift \(shift) at \(level): \(mismatches.count) elements differ, first at \(mismatches.first ?? -1)")
        }
        var inPlace = xs
        inPlace.withUnsafeMutableBufferPointer { p in _ = Float.apply(.tanh, p.baseAddress!, p.baseAddress!, count: n, level: level.rawValue) }
        let inPlaceRight = zip(inPlace, expected).allSatisfy { $0.bitPattern == $1.bitPattern }
        #expect(inPlaceRight, "in place at \(level)")
    }
}
