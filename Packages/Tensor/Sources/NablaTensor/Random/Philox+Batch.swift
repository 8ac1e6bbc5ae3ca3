/// Philox blocks and Box–Muller transforms in batches that the compiler vectorizes.
///
/// A batch is ``PhiloxBatch/blocks`` consecutive counter blocks. Its four 32-bit words per
/// block are produced structure-of-arrays (every block's word 0, then word 1, ...), so the ten
/// Philox rounds run four blocks per SSE2 register; the normal transform then works on whole
/// arrays: for Float, SLEEF's `log`, `sin` and `cos` at the CPU's widest level (the branch-free
/// Swift `log` and a sine/cosine with an exact argument reduction where SLEEF is absent); for
/// Double, the Swift kernels.
/// The numbers are the same as the scalar definition: element `4b + j` of a tensor comes from
/// word `j` of block `start + b` (see `Tensor+Random.swift`).
@usableFromInline
enum PhiloxBatch {
    /// Blocks per batch (256 samples).
    @usableFromInline static let blocks = 64

    /// Fills `w[0..<4·blocks]` with the words of blocks `base, base + 1, ...`, laid out as
    /// every block's word 0, then word 2, word 1, word 3: the first half holds the Box–Muller
    /// radius words and the second half the angle words, pair by pair.
    @inlinable @inline(__always)
    static func words(key: UInt64, base: (UInt64, UInt64), _ w: UnsafeMutablePointer<UInt32>) {
        let w0 = w, w2 = w + blocks, w1 = w + 2 * blocks, w3 = w + 3 * blocks
        let c0 = UInt32(truncatingIfNeeded: base.0)
        guard c0 <= UInt32.max - UInt32(blocks) else {
            // The low word would carry within the batch: take the scalar path (once in 2²⁶ batches).
            for b in 0..<blocks {
                let w = PhiloxGenerator.block(key: key, counter: add(base, UInt64(b)))
                w0[b] = w.0; w1[b] = w.1; w2[b] = w.2; w3[b] = w.3
            }
            return
        }
        let c1 = UInt32(truncatingIfNeeded: base.0 >> 32)
        let c2 = UInt32(truncatingIfNeeded: base.1), c3 = UInt32(truncatingIfNeeded: base.1 >> 32)
        let key0 = UInt32(truncatingIfNeeded: key), key1 = UInt32(truncatingIfNeeded: key >> 32)
        for b in 0..<blocks {
            var x0 = c0 &+ UInt32(truncatingIfNeeded: b), x1 = c1, x2 = c2, x3 = c3
            var k0 = key0, k1 = key1
            // The ten rounds of PhiloxGenerator.block, written out so they unroll.
            @inline(__always) func round() {
                let p0 = UInt64(0xD251_1F53) &* UInt64(x0)
                let p1 = UInt64(0xCD9E_8D57) &* UInt64(x2)
                let y0 = UInt32(truncatingIfNeeded: p1 >> 32) ^ x1 ^ k0
                let y2 = UInt32(truncatingIfNeeded: p0 >> 32) ^ x3 ^ k1
                x1 = UInt32(truncatingIfNeeded: p1)
                x3 = UInt32(truncatingIfNeeded: p0)
                x0 = y0; x2 = y2
                k0 = k0 &+ 0x9E37_79B9
                k1 = k1 &+ 0xBB67_AE85
            }
            round(); round(); round(); round(); round()
            round(); round(); round(); round(); round()
            w0[b] = x0; w1[b] = x1; w2[b] = x2; w3[b] = x3
        }
    }
}

extension Float {
    /// A 32-bit word's top 24 bits as a float in `[0, 1)`.
    @inlinable @inline(__always)
    static func _unit24(_ w: UInt32) -> Float { Float(Int32(bitPattern: w >> 8)) * 0x1p-24 }

    /// `(sin 2πu, cos 2πu)` for `u` in `[0, 1)`. The reduction is exact: `4u = k + f` with
    /// `|f| ≤ ½`, then `r = f·π/2` and Taylor polynomials on `|r| ≤ π/4` (error < 2e-9).
    @inlinable @inline(__always)
    static func _sinCosTwoPi(_ u: Float) -> (sin: Float, cos: Float) {
        let t = u * 4 + _roundMagic
        let k = t.bitPattern                     // quadrant in the low bits
        let f = u * 4 - (t - _roundMagic)
        let r = f * 1.5707963267948966
        let r2 = r * r
        var sp: Float = 2.7557319e-06
        sp = sp * r2 - 1.9841270e-04
        sp = sp * r2 + 8.3333333e-03
        sp = sp * r2 - 1.6666667e-01
        let sinR = r + r * r2 * sp
        var cp: Float = -2.7557319e-07
        cp = cp * r2 + 2.4801587e-05
        cp = cp * r2 - 1.3888889e-03
        cp = cp * r2 + 4.1666667e-02
        cp = cp * r2 - 0.5
        let cosR = 1 + r2 * cp
        // Quadrant k: (sin, cos) = (s, c), (c, −s), (−s, −c), (−c, s).
        let odd = 0 &- (k & 1)
        let s = (sinR.bitPattern & ~odd) | (cosR.bitPattern & odd)
        let c = (cosR.bitPattern & ~odd) | (sinR.bitPattern & odd)
        let sinSign = (k & 2) << 30, cosSign = ((k &+ 1) & 2) << 30
        return (Float(bitPattern: s ^ sinSign), Float(bitPattern: c ^ cosSign))
    }

    /// Box–Muller: pair `p` turns words `(a[p], b[p])` into `cosine[p] = mean + sd·ρ·cos θ` and
    /// `sine[p] = mean + sd·ρ·sin θ`, with `ρ = √(−2 log u₁)`, `θ = 2πu₂`.
    ///
    /// The logarithms of the whole batch are taken first, in place in `cosine`, by ``apply(_:_:_:count:)``:
    /// SLEEF's 16-lane (AVX-512) or 8-lane (AVX2) `logf` where the CPU has it, which is what makes
    /// this faster than one SSE2 `_vlog` per pair; the portable kernel elsewhere.
    @inlinable @inline(__always)
    static func _boxMuller(_ a: UnsafePointer<UInt32>, _ b: UnsafePointer<UInt32>, pairs: Int,
                           mean: Float, standardDeviation sd: Float,
                           cosine: UnsafeMutablePointer<Float>, sine: UnsafeMutablePointer<Float>) {
        for p in 0..<pairs { cosine[p] = 1 - _unit24(a[p]) }    // (0, 1]: the logarithm is finite
        apply(.log, cosine, cosine, count: pairs)
        guard VectorLevel.current != .portable else {
            for p in 0..<pairs {
                let radius = _vsqrt(-2 * cosine[p])
                let (s, c) = _sinCosTwoPi(_unit24(b[p]))
                cosine[p] = mean + sd * (radius * c)
                sine[p] = mean + sd * (radius * s)
            }
            return
        }
        // With SLEEF: θ = 2πu₂ in `sine`, then its sine and cosine (16 or 8 lanes) into scratch.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: pairs) { c in
            let cos = c.baseAddress!
            for p in 0..<pairs { sine[p] = _unit24(b[p]) * (2 * .pi) }
            apply(.cos, sine, cos, count: pairs)
            apply(.sin, sine, sine, count: pairs)
            for p in 0..<pairs {
                let radius = _vsqrt(-2 * cosine[p])
                cosine[p] = mean + sd * (radius * cos[p])
                sine[p] = mean + sd * (radius * sine[p])
            }
        }
    }
}

extension Double {
    /// A 32-bit word's top 24 bits as a double in `[0, 1)` (as for `Float`, so both types draw
    /// the same uniforms).
    @inlinable @inline(__always)
    static func _unit24(_ w: UInt32) -> Double { Double(Int32(bitPattern: w >> 8)) * 0x1p-24 }

    /// `(sin 2πu, cos 2πu)` for `u` in `[0, 1)`, exact reduction as for `Float`, then
    /// `_sinCosKernel`.
    @inlinable @inline(__always)
    static func _sinCosTwoPi(_ u: Double) -> (sin: Double, cos: Double) {
        let t = u * 4 + _roundMagic
        let k = t.bitPattern
        let f = u * 4 - (t - _roundMagic)
        let (sinR, cosR) = _sinCosKernel(f * 1.5707963267948966)
        let odd = 0 &- (k & 1)
        let s = (sinR.bitPattern & ~odd) | (cosR.bitPattern & odd)
        let c = (cosR.bitPattern & ~odd) | (sinR.bitPattern & odd)
        let sinSign = (k & 2) << 62, cosSign = ((k &+ 1) & 2) << 62
        return (Double(bitPattern: s ^ sinSign), Double(bitPattern: c ^ cosSign))
    }

    /// Box–Muller; see `Float._boxMuller`.
    @inlinable @inline(__always)
    static func _boxMuller(_ a: UnsafePointer<UInt32>, _ b: UnsafePointer<UInt32>, pairs: Int,
                           mean: Double, standardDeviation sd: Double,
                           cosine: UnsafeMutablePointer<Double>, sine: UnsafeMutablePointer<Double>) {
        for p in 0..<pairs {
            let u1 = 1 - _unit24(a[p])
            let radius = _vsqrt(-2 * _vlog(u1))
            let (s, c) = _sinCosTwoPi(_unit24(b[p]))
            cosine[p] = mean + sd * (radius * c)
            sine[p] = mean + sd * (radius * s)
        }
    }
}
