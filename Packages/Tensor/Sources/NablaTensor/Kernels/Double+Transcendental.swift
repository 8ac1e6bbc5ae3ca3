import RealModule

/// Branch-free `Double` elementary functions that the compiler vectorizes (two lanes per SSE2
/// register). Same algorithms and conventions as the `Float` kernels in
/// `Float+Transcendental.swift`, with polynomials of higher degree; tested against libm in
/// `TranscendentalKernelTests` (within 2 ulps of glibc, 4 for tanh). Sine and cosine reduce modulo
/// π/2 with a four-part Cody–Waite constant, exact enough for `|x| ≤ 2¹⁹`; larger arguments (which
/// need Payne–Hanek) go to libm.
extension Double {
    /// `1.5·2⁵²`: adding it rounds a double of magnitude below `2⁵¹` to an integer in the low bits.
    @usableFromInline static let _roundMagic: Double = 0x1.8p52
    /// `ln 2` split so that `n·ln2Hi` is exact for `|n| < 2²¹`.
    @usableFromInline static let _ln2Hi: Double = 0x1.62e42fee00000p-1
    @usableFromInline static let _ln2Lo: Double = 0x1.a39ef35793c76p-33

    /// `2ⁿ` for `n` in `-1022...1023`, built from its bits.
    @inlinable @inline(__always)
    static func _twoToThe(_ n: Int64) -> Double {
        Double(bitPattern: UInt64(bitPattern: (n &+ 1023) << 52))
    }

    /// Reduces `x` (clamped to `[-746, 710]`) to `x = n·ln 2 + r`, `|r| ≤ ln2/2`; returns `eʳ − 1`, `n`.
    @inlinable @inline(__always)
    static func _expReduced(_ x: Double) -> (expm1: Double, n: Int64) {
        let t = x * 1.4426950408889634 + _roundMagic
        let nf = t - _roundMagic
        let n = Int64(bitPattern: t.bitPattern) &- 0x4338_0000_0000_0000
        let r = (x - nf * _ln2Hi) - nf * _ln2Lo
        // eʳ − 1 = r + r²·P(r), P of degree 10 fitted on [−ln2/2, ln2/2] (error 1.4e-18).
        var p = 2.09146793765839351e-9
        p = p * r + 2.5105206373957011116e-8
        p = p * r + 2.7557273661348636219e-7
        p = p * r + 2.7557255425746434282e-6
        p = p * r + 0.000024801587325533363819
        p = p * r + 0.00019841269874800491981
        p = p * r + 0.0013888888888883752417
        p = p * r + 0.008333333333326140884
        p = p * r + 0.041666666666666669752
        p = p * r + 0.16666666666666670986
        p = p * r + 0.5
        return (r + r * r * p, n)
    }

    /// `eˣ`.
    @inlinable @inline(__always)
    static func _vexp(_ x: Double) -> Double {
        let xc: Double = x < -746 ? -746 : (x > 710 ? 710 : x)
        let (em1, n) = _expReduced(xc)
        let n1 = n >> 1
        let y = (1 + em1) * _twoToThe(n1) * _twoToThe(n &- n1)
        return x != x ? x : y
    }

    /// `eˣ − 1`, accurate near 0.
    @inlinable @inline(__always)
    static func _vexpm1(_ x: Double) -> Double {
        let xc: Double = x < -40 ? -40 : (x > 710 ? 710 : x)
        let (em1, n) = _expReduced(xc)
        let s = _twoToThe(n)
        let small = (s - 1) + s * em1
        let n1 = n >> 1
        let large = (1 + em1) * _twoToThe(n1) * _twoToThe(n &- n1) - 1
        let y = n > 53 ? large : small
        return x == 0 || x != x ? x : y
    }

    /// Square root. `squareRoot()` alone keeps a libm call for negative arguments (to set errno),
    /// which stops the vectorizer; feeding it only non-negative values lets it use `sqrtps`.
    @inlinable @inline(__always)
    static func _vsqrt(_ x: Double) -> Double {
        let r = (x < 0 ? 0 : x).squareRoot()
        return x < 0 ? .nan : r
    }

    /// Natural logarithm.
    @inlinable @inline(__always)
    static func _vlog(_ x: Double) -> Double {
        let tiny = x < 0x1p-1022
        let xs = tiny ? x * 0x1p54 : x
        // xs = 2ᵏ·m with m in [√½, √2): work on the high 32 bits as fdlibm does.
        let ix = xs.bitPattern &+ ((0x3FF0_0000 &- 0x3FE6_A09E) << 32)
        let kBits = (ix >> 52) &- (tiny ? 54 : 0)            // biased exponent, 0...2047 − 54
        let mBits = (ix & 0x000F_FFFF_FFFF_FFFF) &+ (0x3FE6_A09E << 32)
        let f = Double(bitPattern: mBits) - 1
        let s = f / (2 + f)
        let z = s * s
        var q = 0.1461644968504340586
        q = q * z + 0.15331721600556041269
        q = q * z + 0.1818288912526172208
        q = q * z + 0.22222211134795079855
        q = q * z + 0.28571428625975484921
        q = q * z + 0.3999999999989950449
        q = q * z + 0.66666666666666696862
        let hfsq = 0.5 * f * f
        // k as a Double without an int64 conversion (SSE2 has none): magic-number trick.
        let kf = Double(bitPattern: 0x4338_0000_0000_0000 &+ kBits) - (_roundMagic + 1023)
        let y = s * (hfsq + z * q) + kf * _ln2Lo - hfsq + f + kf * _ln2Hi
        var result = x == .infinity ? x : y
        result = x == 0 ? -.infinity : result
        result = x < 0 ? .nan : result
        return x != x ? x : result
    }

    /// `log(1 + x)`, accurate near 0 (Kahan's trick).
    @inlinable @inline(__always)
    static func _vlog1p(_ x: Double) -> Double {
        let u = 1 + x
        let y = _vlog(u) * (x / (u - 1))
        let result = u == 1 ? x : y
        return x == .infinity ? x : result
    }

    /// Hyperbolic tangent, `sign(x)·e/(e + 2)` with `e = expm1(2|x|)`.
    @inlinable @inline(__always)
    static func _vtanh(_ x: Double) -> Double {
        let a = Double(bitPattern: x.bitPattern & 0x7FFF_FFFF_FFFF_FFFF)
        let ac: Double = a > 20 ? 20 : a   // tanh(20) rounds to 1
        let e = _vexpm1(2 * ac)
        let t = e / (e + 2)
        return Double(bitPattern: t.bitPattern | (x.bitPattern & 0x8000_0000_0000_0000))
    }

    /// Logistic sigmoid, as `eˣ/(1 + eˣ)` for negative `x`.
    @inlinable @inline(__always)
    static func _vsigmoid(_ x: Double) -> Double {
        let e = _vexp(Double(bitPattern: x.bitPattern | 0x8000_0000_0000_0000))
        return (x >= 0 ? 1 : e) / (1 + e)
    }

    /// `(sin r, cos r)` for `|r| ≤ π/4`: Taylor polynomials to r¹⁷ and r¹⁶ (truncation < 3e-18).
    @inlinable @inline(__always)
    static func _sinCosKernel(_ r: Double) -> (sin: Double, cos: Double) {
        let r2 = r * r
        var sp = 2.8114572543455206e-15          // 1/17!
        sp = sp * r2 - 7.647163731819816e-13     // −1/15!
        sp = sp * r2 + 1.6059043836821613e-10    // 1/13!
        sp = sp * r2 - 2.505210838544172e-08     // −1/11!
        sp = sp * r2 + 2.7557319223985893e-06    // 1/9!
        sp = sp * r2 - 1.984126984126984e-04     // −1/7!
        sp = sp * r2 + 8.333333333333333e-03     // 1/5!
        sp = sp * r2 - 1.6666666666666666e-01    // −1/3!
        var cp = 4.779477332387385e-14           // 1/16!
        cp = cp * r2 - 1.1470745597729725e-11    // −1/14!
        cp = cp * r2 + 2.08767569878681e-09      // 1/12!
        cp = cp * r2 - 2.755731922398589e-07     // −1/10!
        cp = cp * r2 + 2.48015873015873e-05      // 1/8!
        cp = cp * r2 - 1.388888888888889e-03     // −1/6!
        cp = cp * r2 + 4.1666666666666664e-02    // 1/4!
        cp = cp * r2 - 0.5
        return (r + r * r2 * sp, 1 + r2 * cp)
    }

    /// The vector path of sine and cosine covers `|x| ≤ 2¹⁹`; larger arguments go to libm.
    @usableFromInline static let _trigVectorLimit: Double = 0x1p19

    /// `sin x` (`cosine == false`) or `cos x` for `|x| ≤ 2¹⁹`: `x = k·π/2 + r` with π/2 in four
    /// parts (three of 33 bits, so `k·cᵢ` is exact, and a fourth; error about 2⁻¹⁴⁰·k), then
    /// `_sinCosKernel` and the quadrant's signs.
    @inlinable @inline(__always)
    static func _vsincos(_ x: Double, cosine: Bool) -> Double {
        let t = x * 0.6366197723675814 + _roundMagic
        let kf = t - _roundMagic
        let q = t.bitPattern &+ (cosine ? 1 : 0)   // cos x = sin(x + π/2)
        let r = (((x - kf * 0x1.921fb544p0) - kf * 0x1.0b4611a6p-34) - kf * 0x1.3198a2ep-69)
            - kf * 0x1.b839a252049c1p-104
        let (sinR, cosR) = _sinCosKernel(r)
        let odd = 0 &- (q & 1)
        let bits = (sinR.bitPattern & ~odd) | (cosR.bitPattern & odd)
        let y = Double(bitPattern: bits ^ ((q & 2) << 62))
        return !cosine && x == 0 ? x : y   // sin(−0) = −0
    }

    /// Sine or cosine of a buffer: the vector path, then libm for `|x| > 2¹⁹`, ±∞ and NaN.
    @inlinable
    static func _applySinCos(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, count: Int,
                             cosine: Bool) {
        var i = 0
        while i < count {
            let m = Swift.min(1024, count - i)
            var large = 0
            for j in 0..<m { large |= Double(bitPattern: src[i + j].bitPattern & 0x7FFF_FFFF_FFFF_FFFF) <= _trigVectorLimit ? 0 : 1 }
            let x0 = src + i, y0 = dst + i
            if large == 0 {
                if cosine { _forEachElement(x0, y0, count: m) { _vsincos($0, cosine: true) } }
                else { _forEachElement(x0, y0, count: m) { _vsincos($0, cosine: false) } }
            } else {
                for j in 0..<m {
                    let x = x0[j]
                    let inRange = Double(bitPattern: x.bitPattern & 0x7FFF_FFFF_FFFF_FFFF) <= _trigVectorLimit
                    y0[j] = inRange ? _vsincos(x, cosine: cosine) : (cosine ? .cos(x) : .sin(x))
                }
            }
            i += m
        }
    }

    /// Runs `kernel` over `count` elements; see `Float._forEachElement`.
    @inlinable @inline(__always)
    static func _forEachElement(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, count: Int,
                                _ kernel: (Double) -> Double) {
        let overlaps = UnsafeRawPointer(dst) < UnsafeRawPointer(src + count)
            && UnsafeRawPointer(src) < UnsafeRawPointer(dst + count)
        if !overlaps {
            for i in 0..<count { dst[i] = kernel(src[i]) }
            return
        }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 256) { buffer in
            let tmp = buffer.baseAddress!
            var i = 0
            while i < count {
                let m = Swift.min(256, count - i)
                tmp.update(from: src + i, count: m)
                for j in 0..<m { dst[i + j] = kernel(tmp[j]) }
                i += m
            }
        }
    }
}
