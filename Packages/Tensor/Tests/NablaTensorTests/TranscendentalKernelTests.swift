import Testing
import NablaTensor

/// The vectorized elementary functions behind `Tensor.exp()`, `log()`, `tanh()`, ... checked
/// against libm.
///
/// `Float` results are compared with the `Double` libm value of the same input (glibc's double
/// functions are accurate to well under one `Float` ulp of 2⁻²⁹, so that is the exact answer
/// for our purpose), and the error is measured in ulps of the exact value. `Double` results are
/// compared with glibc's `Double` functions, so their bound includes glibc's own error (< 1 ulp).
/// The bounds below are the measured maxima rounded up: over every 97th `Float` bit pattern, in a
/// release build while writing these kernels, exp 1.02, expm1 1.68, log 0.80, log1p 2.42,
/// tanh 2.45, sigmoid 2.28, sin and cos 0.50 ulps; over 4 million `Double` inputs (random bit
/// patterns and uniform values in [−1, 1], [−50, 50], [−750, 750]) exp 1, expm1 2, log 1,
/// log1p 2, tanh 4, sigmoid 2 ulps from glibc, sin and cos 2 ulps (|x| ≤ 2¹⁹ and near k·π/2).
///
/// Every sweep and the special values run at each dispatch level this CPU supports
/// (``VectorLevel/supported``: the portable Swift kernels, and SLEEF at SSE2, AVX2 and AVX-512 on
/// x86-64), each forced through `apply(_:_:_:count:level:)`; and a deliberately wrong level
/// (every function returns its argument) must fail every sweep.
@Suite("Vectorized transcendental kernels")
struct TranscendentalKernelTests {
    /// A `Float` function, its exact reference in `Double`, and the allowed error in ulps.
    struct FloatCase: Sendable, CustomStringConvertible {
        var function: UnaryFunction
        var bound: Double
        var reference: @Sendable (Double) -> Double
        var description: String { function.rawValue }
    }

    static let floatCases: [FloatCase] = [
        FloatCase(function: .exp, bound: 1.5) { .exp($0) },
        FloatCase(function: .expm1, bound: 2) { .expMinusOne($0) },
        FloatCase(function: .log, bound: 1) { .log($0) },
        FloatCase(function: .log1p, bound: 3) { .log(onePlus: $0) },
        FloatCase(function: .tanh, bound: 3) { .tanh($0) },
        FloatCase(function: .sigmoid, bound: 2.5) { x in x >= 0 ? 1 / (1 + .exp(-x)) : .exp(x) / (1 + .exp(x)) },
        FloatCase(function: .sin, bound: 1) { .sin($0) },
        FloatCase(function: .cos, bound: 1) { .cos($0) },
        // glibc's tanf (the portable path) is off by 1.06 ulps at 9.900009e12.
        FloatCase(function: .tan, bound: 1.5) { .tan($0) },
        FloatCase(function: .erf, bound: 1) { .erf($0) },
        FloatCase(function: .sqrt, bound: 0.5) { $0.squareRoot() },
    ]

    /// The levels to force: every one this CPU supports.
    static let levels: [Int32] = VectorLevel.supported.map(\.rawValue)

    /// The name of a level for messages.
    static func name(_ level: Int32) -> String {
        VectorLevel(rawValue: level)?.description ?? (level == _brokenVectorLevelForTests ? "broken" : "\(level)")
    }

    /// Inputs: every 2999th bit pattern (1.4 million values, both signs, every binade, subnormals,
    /// ±∞ and NaNs) plus 4096 consecutive values around 0, 1, −1 and the overflow and underflow
    /// thresholds of exp.
    static let floatInputs: [Float] = {
        var xs: [Float] = []
        xs.reserveCapacity(1_500_000)
        var b: UInt64 = 0
        while b < 1 << 32 { xs.append(Float(bitPattern: UInt32(b))); b += 2999 }
        for center: Float in [0, 1, -1, 88.72284, -87.33655, -103.97208, 9, 0x1p20] {
            var x = center
            for _ in 0..<2048 { x = x.nextDown }
            for _ in 0..<4096 { xs.append(x); xs.append(-x); x = x.nextUp }
        }
        return xs
    }()

    /// |result − exact| in ulps of the exact value, with ∞ standing for 2¹²⁸ (one ulp past the
    /// largest float). Mismatched NaN-ness or zero signs count as infinitely wrong.
    static func ulpError(_ result: Float, exact: Double) -> Double {
        if exact.isNaN || result.isNaN { return exact.isNaN && result.isNaN ? 0 : .infinity }
        let rounded = Float(exact)
        if result == rounded { return result.sign == rounded.sign ? 0 : .infinity }
        let r = result.isInfinite ? (result > 0 ? 0x1p128 : -0x1p128) : Double(result)
        let e = rounded.isInfinite ? (rounded > 0 ? 0x1p128 : -0x1p128) : exact
        let ulp = Double(sign: .plus, exponent: Swift.max(Swift.min(e.exponent, 127), -126) - 23, significand: 1)
        return (r - e).magnitude / ulp
    }

    /// The worst error of `c` over ``floatInputs`` at `level`, and where.
    static func floatWorst(_ c: FloatCase, level: Int32) -> (ulps: Double, at: Float) {
        let xs = Self.floatInputs
        var ys = [Float](repeating: 0, count: xs.count)
        let ran = xs.withUnsafeBufferPointer { x in
            ys.withUnsafeMutableBufferPointer { y in
                Float.apply(c.function, x.baseAddress!, y.baseAddress!, count: x.count, level: level)
            }
        }
        precondition(ran, "level \(level) not supported")
        var worst = 0.0, worstX: Float = 0
        for (x, y) in zip(xs, ys) {
            let e = Self.ulpError(y, exact: c.reference(Double(x)))
            if e > worst { worst = e; worstX = x }
        }
        return (worst, worstX)
    }

    @Test(arguments: floatCases, levels)
    func floatSweepWithinBound(_ c: FloatCase, level: Int32) {
        let (worst, worstX) = Self.floatWorst(c, level: level)
        print("Float \(c.function) at \(Self.name(level)): max error \(worst) ulps (bound \(c.bound))")
        #expect(worst <= c.bound, "\(c.function)(\(worstX)) is off by \(worst) ulps at level \(Self.name(level))")
    }

    @Test(arguments: floatCases)
    func aWrongKernelFailsTheFloatSweep(_ c: FloatCase) {
        // The broken level returns x for every function: the sweep must catch it.
        let (worst, _) = Self.floatWorst(c, level: _brokenVectorLevelForTests)
        #expect(worst > c.bound, "the sweep of \(c.function) did not catch a kernel that returns its argument")
    }

    @Test func levelsAreCappedAndNamed() {
        #expect(VectorLevel.supported.first == .portable && VectorLevel.supported.last == VectorLevel.best)
        #expect(VectorLevel.current.rawValue <= VectorLevel.best.rawValue)
        #expect(!VectorLevel.cpuModel.isEmpty && VectorLevel.summary.contains(VectorLevel.best.description))
        // A level above the CPU's is refused per call.
        if VectorLevel.best != .avx512 {
            var y: Float = 0
            let one: Float = 1
            #expect(!Float.apply(.exp, [one], &y, count: 1, level: VectorLevel.avx512.rawValue))
        }
        #if os(Linux) && arch(x86_64)
        #expect(VectorLevel.best.rawValue >= VectorLevel.sse2.rawValue, "SLEEF dispatch should be available on Linux x86-64")
        #endif
    }

    @Test(arguments: levels)
    func floatSpecialValues(level: Int32) {
        func f(_ fn: UnaryFunction, _ x: Float) -> Float {
            var y: Float = 0
            _ = withUnsafePointer(to: x) { px in Float.apply(fn, px, &y, count: 1, level: level) }
            return y
        }
        let inf = Float.infinity, tiny = Float.leastNonzeroMagnitude
        // exp: e^0 = 1, overflow to +∞ above ln(FLT_MAX) ≈ 88.7228, underflow to 0 below
        // ln(2⁻¹⁵⁰) ≈ −103.97; e^−100 = 3.72e-44 rounds to 27·2⁻¹⁴⁹ (a subnormal).
        #expect(f(.exp, 0) == 1 && f(.exp, -0.0) == 1)
        #expect(f(.exp, inf) == inf && f(.exp, -inf) == 0 && f(.exp, 89) == inf && f(.exp, -104) == 0)
        #expect(f(.exp, -100) == Float(bitPattern: 27))
        #expect(f(.exp, .nan).isNaN)
        // log: log 0 = −∞, negative → NaN, log ∞ = ∞, log 1 = +0; log(2⁻¹⁴⁹) = −103.27893
        // (numpy.log(numpy.float32(1e-45)) = -103.27893).
        #expect(f(.log, 0) == -inf && f(.log, -0.0) == -inf && f(.log, -1).isNaN && f(.log, -inf).isNaN)
        #expect(f(.log, inf) == inf && f(.log, .nan).isNaN)
        #expect(f(.log, 1) == 0 && f(.log, 1).sign == .plus)
        #expect(f(.log, tiny) == -103.27893)
        // expm1 and log1p keep the sign of zero and are exact for tiny arguments.
        #expect(f(.expm1, -0.0).sign == .minus && f(.expm1, 1e-10) == 1e-10)
        #expect(f(.expm1, -inf) == -1 && f(.expm1, inf) == inf && f(.expm1, -50) == -1)
        #expect(f(.log1p, -0.0).sign == .minus && f(.log1p, 1e-10) == 1e-10)
        #expect(f(.log1p, -1) == -inf && f(.log1p, -2).isNaN && f(.log1p, inf) == inf && f(.log1p, .nan).isNaN)
        // tanh saturates to ±1, keeps ±0, and is x for tiny x.
        #expect(f(.tanh, inf) == 1 && f(.tanh, -inf) == -1 && f(.tanh, 20) == 1 && f(.tanh, -9.5) == -1)
        #expect(f(.tanh, -0.0).sign == .minus && f(.tanh, 0).sign == .plus && f(.tanh, 1e-30) == 1e-30)
        #expect(f(.tanh, .nan).isNaN)
        // sigmoid: 1/2 at 0, saturates to 1 and 0, e^x/(1 + e^x) = 27·2⁻¹⁴⁹ at −100.
        #expect(f(.sigmoid, 0) == 0.5 && f(.sigmoid, -0.0) == 0.5)
        #expect(f(.sigmoid, inf) == 1 && f(.sigmoid, -inf) == 0 && f(.sigmoid, 20) == 1 && f(.sigmoid, -200) == 0)
        #expect(f(.sigmoid, -100) == Float(bitPattern: 27) && f(.sigmoid, .nan).isNaN)
        // sin and cos: sin(−0) = −0, NaN at ±∞; beyond 2²⁰ libm takes over:
        // numpy.sin(numpy.float32(1e30)) = -0.79116344, numpy.cos(numpy.float32(1e30)) = -0.6116048.
        #expect(f(.sin, -0.0).sign == .minus && f(.cos, 0) == 1 && f(.sin, inf).isNaN && f(.cos, -inf).isNaN)
        #expect(f(.sin, 1e30) == -0.79116344 && f(.cos, 1e30) == -0.6116048)
    }

    @Test(arguments: levels)
    func doubleTrigSpecialValuesAndLargeArguments(level: Int32) {
        func f(_ fn: UnaryFunction, _ x: Double) -> Double {
            var y = 0.0
            _ = withUnsafePointer(to: x) { px in Double.apply(fn, px, &y, count: 1, level: level) }
            return y
        }
        #expect(f(.sin, -0.0).sign == .minus && f(.sin, 0) == 0 && f(.cos, 0) == 1 && f(.cos, -0.0) == 1)
        #expect(f(.sin, .infinity).isNaN && f(.cos, -.infinity).isNaN && f(.sin, .nan).isNaN)
        // Beyond 2¹⁹ libm computes the value: glibc's sin(1e300) and cos(1e300).
        #expect(f(.sin, 1e300) == Double.sin(1e300) && f(.cos, 1e300) == Double.cos(1e300))
        // sin(π/6) = 0.49999999999999994 (Python math.sin(math.pi / 6)).
        #expect(f(.sin, Double.pi / 6) == 0.49999999999999994)
    }

    /// Double inputs: 50 000 random bit patterns and 50 000 uniform values in each of
    /// [−1, 1], [−50, 50], [−750, 750] and [−2¹⁹, 2¹⁹] (the vector range of sin and cos), from a
    /// fixed Philox seed, and the doubles nearest to k·π/2 for k < 2000 (the hardest arguments of
    /// sin and cos).
    static let doubleInputs: [Double] = {
        var g = PhiloxGenerator(seed: 2024)
        var xs: [Double] = []
        for _ in 0..<50_000 { xs.append(Double(bitPattern: g.next())) }
        for r in [1.0, 50, 750, 0x1p19] { for _ in 0..<50_000 { xs.append(Double.random(in: -r...r, using: &g)) } }
        for k in 0..<2000 { xs.append(Double(k) * (Double.pi / 2)) }
        xs += [0, -0.0, 1, -1, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, 709.78, -745.1, 1e-300, -1e-300]
        return xs
    }()

    /// A `Double` function, glibc's value, and the allowed distance from it in ulps.
    struct DoubleCase: Sendable, CustomStringConvertible {
        var function: UnaryFunction
        var bound: Double
        var reference: @Sendable (Double) -> Double
        var description: String { function.rawValue }
    }

    static let doubleCases: [DoubleCase] = [
        DoubleCase(function: .exp, bound: 1) { .exp($0) },
        DoubleCase(function: .expm1, bound: 2) { .expMinusOne($0) },
        DoubleCase(function: .log, bound: 1) { .log($0) },
        DoubleCase(function: .log1p, bound: 2) { .log(onePlus: $0) },
        DoubleCase(function: .tanh, bound: 4) { .tanh($0) },
        DoubleCase(function: .sigmoid, bound: 2) { x in x >= 0 ? 1 / (1 + .exp(-x)) : .exp(x) / (1 + .exp(x)) },
        DoubleCase(function: .sin, bound: 2) { .sin($0) },
        DoubleCase(function: .cos, bound: 2) { .cos($0) },
        DoubleCase(function: .tan, bound: 2) { .tan($0) },
        DoubleCase(function: .erf, bound: 2) { .erf($0) },
        DoubleCase(function: .sqrt, bound: 0) { $0.squareRoot() },
    ]

    /// The worst distance of `c` from glibc over ``doubleInputs`` at `level`, and where.
    static func doubleWorst(_ c: DoubleCase, level: Int32) -> (ulps: Double, at: Double) {
        let xs = Self.doubleInputs
        var ys = [Double](repeating: 0, count: xs.count)
        let ran = xs.withUnsafeBufferPointer { x in
            ys.withUnsafeMutableBufferPointer { y in
                Double.apply(c.function, x.baseAddress!, y.baseAddress!, count: x.count, level: level)
            }
        }
        precondition(ran, "level \(level) not supported")
        var worst = 0.0, worstX = 0.0
        for (x, y) in zip(xs, ys) {
            let ref = c.reference(x)
            let e: Double
            if ref.isNaN || y.isNaN { e = ref.isNaN && y.isNaN ? 0 : .infinity }
            else if y == ref { e = y.sign == ref.sign ? 0 : .infinity }
            else if y.isInfinite || ref.isInfinite { e = .infinity }
            else { e = (y - ref).magnitude / Double(sign: .plus, exponent: Swift.max(ref.exponent, -1022) - 52, significand: 1) }
            if e > worst { worst = e; worstX = x }
        }
        return (worst, worstX)
    }

    @Test(arguments: doubleCases, levels)
    func doubleSweepWithinBound(_ c: DoubleCase, level: Int32) {
        let (worst, worstX) = Self.doubleWorst(c, level: level)
        print("Double \(c.function) at \(Self.name(level)): max distance from glibc \(worst) ulps (bound \(c.bound))")
        #expect(worst <= c.bound, "\(c.function)(\(worstX)) is off by \(worst) ulps at level \(Self.name(level))")
    }

    @Test(arguments: doubleCases)
    func aWrongKernelFailsTheDoubleSweep(_ c: DoubleCase) {
        let (worst, _) = Self.doubleWorst(c, level: _brokenVectorLevelForTests)
        #expect(worst > c.bound, "the sweep of \(c.function) did not catch a kernel that returns its argument")
    }

    @Test(arguments: levels)
    func inPlaceEqualsOutOfPlace(level: Int32) {
        // dst == src must give the same values (1003 elements: whole vectors and a tail at every width).
        let xs = (0..<1003).map { Float($0) * 0.037 - 18 }
        for fn in UnaryFunction.allCases {
            var outOfPlace = [Float](repeating: 0, count: xs.count)
            var inPlace = xs
            _ = xs.withUnsafeBufferPointer { x in
                outOfPlace.withUnsafeMutableBufferPointer { Float.apply(fn, x.baseAddress!, $0.baseAddress!, count: xs.count, level: level) }
            }
            _ = inPlace.withUnsafeMutableBufferPointer { Float.apply(fn, $0.baseAddress!, $0.baseAddress!, count: xs.count, level: level) }
            #expect(inPlace.elementsEqual(outOfPlace) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(fn) at \(Self.name(level))")
        }
    }

    @Test func squareRootsFollowIEEE() {
        // √ is exact in IEEE 754: √4 = 2, √−0 = −0, √(negative) = NaN, √∞ = ∞; rsqrt = 1/√.
        let x = Tensor<Float>([4, 0.25, -0.0, -1, .infinity, 0])
        let s = x.sqrt().scalars, r = x.rsqrt().scalars
        #expect(s[0] == 2 && s[1] == 0.5 && s[2] == 0 && s[2].sign == .minus && s[3].isNaN && s[4] == .infinity)
        #expect(r[0] == 0.5 && r[1] == 2 && r[2] == -.infinity && r[3].isNaN && r[4] == 0 && r[5] == .infinity)
        let d = Tensor<Double>([2, -4]).sqrt().scalars
        #expect(d[0] == 2.0.squareRoot() && d[1].isNaN)
    }

    @Test func tensorMathUsesTheKernels() {
        // Tensor.tanh() on a large tensor (parallel chunks) equals the kernel on the whole buffer.
        let x = Tensor<Float>.linspace(-12, 12, count: 100_003)
        let xs = x.scalars
        var expected = [Float](repeating: 0, count: xs.count)
        xs.withUnsafeBufferPointer { p in
            expected.withUnsafeMutableBufferPointer { Float.apply(.tanh, p.baseAddress!, $0.baseAddress!, count: xs.count) }
        }
        #expect(x.tanh().scalars == expected)
        // tanh(0.5) = 0.46211715726000974 (Python math.tanh), rounded to Float: 0.46211717.
        #expect(Tensor<Float>([0.5]).tanh().scalars == [0.46211717])
    }
}
