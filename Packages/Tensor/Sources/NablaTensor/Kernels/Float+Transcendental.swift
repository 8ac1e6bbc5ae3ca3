import RealModule

/// Branch-free `Float` elementary functions that the compiler vectorizes.
///
/// Each function is written for one element with selects instead of branches, integer bit tricks
/// instead of conversions that trap, and no calls, so that a plain loop over a buffer compiles to
/// SSE2 (or NEON) code four lanes at a time on any x86-64 or arm64 without `-march` flags. The
/// algorithms are the classic ones (Cody–Waite argument reduction, polynomial approximations
/// fitted by `scripts/kernel_polynomials.py`, scaling by `2ⁿ` in two steps so that results that
/// round to subnormals are rounded once). Accuracy is tested against libm in
/// `TranscendentalKernelTests`: every result is within 3 ulps of the exact value (exp, log, expm1,
/// log1p, sigmoid, sin, cos) or 4 ulps (tanh), and special values (±0, ±∞, NaN, subnormals,
/// overflow, underflow) give what libm gives.
extension Float {
    // MARK: Constants

    /// `1.5·2²³`: adding it rounds a float of magnitude below `2²²` to an integer, which then sits
    /// in the low mantissa bits.
    @usableFromInline static let _roundMagic: Float = 0x1.8p23
    /// `ln 2` split so that `n·ln2Hi` is exact for `|n| < 2¹²`.
    @usableFromInline static let _ln2Hi: Float = 0x1.62ep-1
    @usableFromInline static let _ln2Lo: Float = 0x1.0bfbe8p-15

    // MARK: Kernels

    /// `2ⁿ` for `n` in `-126...127`, built from its bits.
    @inlinable @inline(__always)
    static func _twoToThe(_ n: Int32) -> Float {
        Float(bitPattern: UInt32(bitPattern: (n &+ 127) << 23))
    }

    /// Reduces `x` (already clamped to `[-104, 89]`) to `x = n·ln 2 + r`, `|r| ≤ ln2/2`, and
    /// returns `eʳ − 1` and `n`.
    @inlinable @inline(__always)
    static func _expReduced(_ x: Float) -> (expm1: Float, n: Int32) {
        let t = x * 1.44269504 + _roundMagic
        let nf = t - _roundMagic
        let n = Int32(bitPattern: t.bitPattern) &- 0x4B40_0000
        let r = (x - nf * _ln2Hi) - nf * _ln2Lo
        // eʳ − 1 = r + r²·P(r), P fitted on [−ln2/2, ln2/2] (error 6.5e-8 absolute in P).
        var p: Float = 0.0013926176
        p = p * r + 0.0083631731
        p = p * r + 0.041666555
        p = p * r + 0.16666577
        p = p * r + 0.5
        return (r + r * r * p, n)
    }

    /// `eˣ`.
    @inlinable @inline(__always)
    static func _vexp(_ x: Float) -> Float {
        // Beyond the clamps the result is already 0 or +∞ (and it stays NaN for NaN).
        let xc: Float = x < -104 ? -104 : (x > 89 ? 89 : x)
        let (em1, n) = _expReduced(xc)
        let n1 = n >> 1
        let y = (1 + em1) * _twoToThe(n1) * _twoToThe(n &- n1)
        return x != x ? x : y
    }

    /// `eˣ − 1`, accurate near 0.
    @inlinable @inline(__always)
    static func _vexpm1(_ x: Float) -> Float {
        let xc: Float = x < -30 ? -30 : (x > 89 ? 89 : x)
        let (em1, n) = _expReduced(xc)
        // Small n: (2ⁿ − 1) + 2ⁿ·(eʳ − 1) with 2ⁿ − 1 exact. Large n: the −1 hardly matters.
        let s = _twoToThe(n)
        let small = (s - 1) + s * em1
        let n1 = n >> 1
        let large = (1 + em1) * _twoToThe(n1) * _twoToThe(n &- n1) - 1
        let y = n > 24 ? large : small
        return x == 0 || x != x ? x : y   // keeps −0 and NaN
    }

    /// Square root. `squareRoot()` alone keeps a libm call for negative arguments (to set errno),
    /// which stops the vectorizer; feeding it only non-negative values lets it use `sqrtps`.
    @inlinable @inline(__always)
    static func _vsqrt(_ x: Float) -> Float {
        let r = (x < 0 ? 0 : x).squareRoot()
        return x < 0 ? .nan : r
    }

    /// Natural logarithm.
    @inlinable @inline(__always)
    static func _vlog(_ x: Float) -> Float {
        // Subnormals are scaled into the normal range first.
        let tiny = x < 0x1p-126
        let xs = tiny ? x * 0x1p23 : x
        // Split xs = 2ᵏ·m with m in [√½, √2).
        let ix = xs.bitPattern &+ (0x3F80_0000 &- 0x3F35_04F3)
        let k = Int32(bitPattern: ix >> 23) &- 0x7F &- (tiny ? 23 : 0)
        let f = Float(bitPattern: (ix & 0x007F_FFFF) &+ 0x3F35_04F3) - 1
        // log(1 + f) = f − f²/2 + s·(f²/2 + R), s = f/(2 + f), R = s²·Q(s²) (fdlibm's form).
        let s = f / (2 + f)
        let z = s * s
        var q: Float = 0.29579949
        q = q * z + 0.39988781
        q = q * z + 0.66666685
        let hfsq = 0.5 * f * f
        let kf = Float(k)
        let y = s * (hfsq + z * q) + kf * _ln2Lo - hfsq + f + kf * _ln2Hi
        var result = x == .infinity ? x : y
        result = x == 0 ? -.infinity : result
        result = x < 0 ? .nan : result
        return x != x ? x : result
    }

    /// `log(1 + x)`, accurate near 0 (Kahan's trick: `log(u)·x/(u − 1)` with `u = 1 + x`).
    @inlinable @inline(__always)
    static func _vlog1p(_ x: Float) -> Float {
        let u = 1 + x
        let y = _vlog(u) * (x / (u - 1))
        let result = u == 1 ? x : y
        return x == .infinity ? x : result
    }

    /// Hyperbolic tangent, `sign(x)·e/(e + 2)` with `e = expm1(2|x|)`.
    @inlinable @inline(__always)
    static func _vtanh(_ x: Float) -> Float {
        let a = Float(bitPattern: x.bitPattern & 0x7FFF_FFFF)
        let ac: Float = a > 9.5 ? 9.5 : a   // tanh(9.5) rounds to 1; NaN passes through
        // expm1(2·ac) with 2·ac in [0, 19], so n ≤ 28 and 2ⁿ is a normal float: `_vexpm1`'s
        // small-n formula holds throughout (for n > 24 the rounding of 2ⁿ − 1 is far below an ulp).
        let (em1, n) = _expReduced(2 * ac)
        let s = _twoToThe(n)
        let e = (s - 1) + s * em1
        let t = e / (e + 2)
        return Float(bitPattern: t.bitPattern | (x.bitPattern & 0x8000_0000))
    }

    /// Logistic sigmoid `1/(1 + e⁻ˣ)`, as `eˣ/(1 + eˣ)` for negative `x` so nothing overflows.
    @inlinable @inline(__always)
    static func _vsigmoid(_ x: Float) -> Float {
        let e = _vexp(Float(bitPattern: x.bitPattern | 0x8000_0000))   // e^(−|x|)
        return (x >= 0 ? 1 : e) / (1 + e)
    }

    /// The vector path of sine and cosine covers `|x| ≤ 2²⁰`; larger finite arguments go to libm.
    @usableFromInline static let _trigVectorLimit: Float = 0x1p20

    /// `sin x` (`cosine == false`) or `cos x`, reduced modulo π/2 in `Double` (Cody–Waite with a
    /// three-part π/2, exact for `|x| ≤ 2²⁰`) and evaluated by Taylor polynomials in `Double`, so
    /// the only sizable error is the final rounding to `Float`.
    @inlinable @inline(__always)
    static func _vsincos(_ x: Float, cosine: Bool) -> Float {
        let d = Double(x)
        let t = d * 0.6366197723675814 + 0x1.8p52
        let kf = t - 0x1.8p52
        let q = t.bitPattern &+ (cosine ? 1 : 0)   // cos x = sin(x + π/2): one quadrant on
        let r = ((d - kf * 0x1.921fb544p0) - kf * 0x1.0b4611a6p-34) - kf * 0x1.3198a2e037073p-69
        let r2 = r * r
        // sin r and cos r for |r| ≤ π/4: Taylor series to r¹¹ and r¹⁰ (truncation < 1e-10).
        var sp = -2.505210838544172e-08
        sp = sp * r2 + 2.7557319223985893e-06
        sp = sp * r2 - 1.984126984126984e-04
        sp = sp * r2 + 8.333333333333333e-03
        sp = sp * r2 - 1.6666666666666666e-01
        let sinR = r + r * r2 * sp
        var cp = -2.755731922398589e-07
        cp = cp * r2 + 2.48015873015873e-05
        cp = cp * r2 - 1.388888888888889e-03
        cp = cp * r2 + 4.1666666666666664e-02
        cp = cp * r2 - 0.5
        let cosR = 1 + r2 * cp
        // Quadrant q: sin x = (sin r, cos r, −sin r, −cos r)[q mod 4].
        let odd = 0 &- (q & 1)                      // all ones in odd quadrants
        let bits = (sinR.bitPattern & ~odd) | (cosR.bitPattern & odd)
        let y = Float(Double(bitPattern: bits ^ ((q & 2) << 62)))
        return !cosine && x == 0 ? x : y   // sin(−0) = −0
    }

    /// Runs `kernel` over `count` elements, four (SSE) or more lanes at a time.
    ///
    /// The loop is written for the vectorizer: when `dst` and `src` overlap it goes through a
    /// small stack buffer, so the vectorizer's runtime overlap check always passes.
    @inlinable @inline(__always)
    static func _forEachElement(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int,
                                _ kernel: (Float) -> Float) {
        let overlaps = UnsafeRawPointer(dst) < UnsafeRawPointer(src + count)
            && UnsafeRawPointer(src) < UnsafeRawPointer(dst + count)
        if !overlaps {
            for i in 0..<count { dst[i] = kernel(src[i]) }
            return
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 256) { buffer in
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

    /// Sine or cosine of a buffer: the vector path, then libm for the rare `|x| > 2²⁰`.
    @inlinable
    static func _applySinCos(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int,
                             cosine: Bool) {
        var i = 0
        while i < count {
            let m = Swift.min(1024, count - i)
            var large = 0
            for j in 0..<m { large |= Float(bitPattern: src[i + j].bitPattern & 0x7FFF_FFFF) <= _trigVectorLimit ? 0 : 1 }
            let x0 = src + i, y0 = dst + i
            if large == 0 {
                if cosine { _forEachElement(x0, y0, count: m) { _vsincos($0, cosine: true) } }
                else { _forEachElement(x0, y0, count: m) { _vsincos($0, cosine: false) } }
            } else {
                for j in 0..<m {
                    let x = x0[j]
                    let inRange = Float(bitPattern: x.bitPattern & 0x7FFF_FFFF) <= _trigVectorLimit
                    y0[j] = inRange ? _vsincos(x, cosine: cosine) : (cosine ? .cos(x) : .sin(x))
                }
            }
            i += m
        }
    }
}
