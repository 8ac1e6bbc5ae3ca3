import CNablaVector

/// The vector instruction set the elementwise kernels run at, chosen once at run time.
///
/// On Linux x86-64 the transcendental functions of ``UnaryFunction`` (exp, log, log1p, expm1,
/// sqrt, sin, cos, tan, tanh, erf, and sigmoid built on exp) run SLEEF's vectorized functions,
/// 4 (SSE2), 8 (AVX2 + FMA) or 16 (AVX-512F) `Float`s per instruction, at the widest level the
/// CPU has; SLEEF documents these (`_u10`) variants as accurate to 1.0 ulp. Elsewhere (macOS,
/// arm64 for now) the level is ``portable``: the branch-free Swift kernels of
/// `Float+Transcendental.swift` and `Double+Transcendental.swift`, which the compiler vectorizes
/// to SSE2 or NEON.
///
/// The environment variable `NABLA_VECTOR_LEVEL` (`portable`, `sse2`, `avx2`, `avx512`) caps the
/// level, e.g. to compare levels in a benchmark; ``force(_:)`` does the same from code.
public enum VectorLevel: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// The Swift kernels (SSE2 or NEON width, chosen by the compiler).
    case portable = 0
    /// SLEEF, 128-bit SSE2.
    case sse2 = 1
    /// SLEEF, 256-bit AVX2 with FMA.
    case avx2 = 2
    /// SLEEF, 512-bit AVX-512F.
    case avx512 = 3

    /// The level in use (the widest the CPU has, unless capped by `NABLA_VECTOR_LEVEL` or
    /// ``force(_:)``).
    public static var current: VectorLevel { VectorLevel(rawValue: nabla_vector_level()) ?? .portable }

    /// The widest level this CPU and build support.
    public static var best: VectorLevel { VectorLevel(rawValue: nabla_vector_best_level()) ?? .portable }

    /// The levels this CPU supports, narrowest first.
    public static var supported: [VectorLevel] { allCases.filter { $0.rawValue <= best.rawValue } }

    /// Makes `level` (capped at ``best``) the level for every thread, or restores the default
    /// with `nil`; returns the level now in use. Meant for benchmarks: tests should call
    /// `Float.apply(_:_:_:count:level:)` instead, which leaves other threads alone.
    @discardableResult
    public static func force(_ level: VectorLevel?) -> VectorLevel {
        VectorLevel(rawValue: nabla_vector_force_level(level?.rawValue ?? -1)) ?? .portable
    }

    /// The CPU's model name (from CPUID on x86-64), or `"unknown"`.
    public static var cpuModel: String { String(cString: nabla_vector_cpu_model()) }

    /// `"portable"`, `"sse2"`, `"avx2+fma"` or `"avx512f"`.
    public var description: String { String(cString: nabla_vector_level_name(rawValue)) }

    /// One line for benchmark headers: the CPU model, the level in use and the best level.
    public static var summary: String {
        "CPU: \(cpuModel); vector level: \(current) (best \(best))"
    }
}

extension UnaryFunction {
    /// The function's number in CNablaVector.
    @inlinable var _vectorIndex: Int32 {
        switch self {
        case .exp: 0
        case .log: 1
        case .log1p: 2
        case .expm1: 3
        case .sqrt: 4
        case .sin: 5
        case .cos: 6
        case .tan: 7
        case .tanh: 8
        case .sigmoid: 9
        case .erf: 10
        }
    }
}

/// A kernel level that exists only to show that the accuracy tests catch a wrong kernel: every
/// function returns its argument. Reachable only through `apply(_:_:_:count:level:)`.
public let _brokenVectorLevelForTests: Int32 = 99

extension Float {
    /// `apply(_:_:_:count:)` at an explicit dispatch level (`rawValue` of a ``VectorLevel``, or
    /// `_brokenVectorLevelForTests`), for tests. Returns `false`, writing nothing, if the CPU
    /// lacks that level.
    public static func apply(_ function: UnaryFunction, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                             count: Int, level: Int32) -> Bool {
        if level == VectorLevel.portable.rawValue {
            _applyPortable(function, src, dst, count: count)
            return true
        }
        return nabla_unary_f32_at(level, function._vectorIndex, src, dst, count) != 0
    }
}

extension Double {
    /// `apply(_:_:_:count:)` at an explicit dispatch level, for tests; see `Float`'s.
    public static func apply(_ function: UnaryFunction, _ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>,
                             count: Int, level: Int32) -> Bool {
        if level == VectorLevel.portable.rawValue {
            _applyPortable(function, src, dst, count: count)
            return true
        }
        return nabla_unary_f64_at(level, function._vectorIndex, src, dst, count) != 0
    }
}
