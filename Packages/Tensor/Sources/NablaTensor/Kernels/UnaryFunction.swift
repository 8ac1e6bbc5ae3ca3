import RealModule

/// The elementwise functions with buffer kernels specialized per scalar type.
///
/// Tensor math calls ``TensorFloatingPoint/apply(_:_:_:count:)`` once per contiguous buffer
/// (or per chunk, in parallel), never once per element.
public enum UnaryFunction: String, Sendable, CaseIterable {
    /// `eˣ`
    case exp
    /// natural logarithm
    case log
    /// `log(1 + x)`, accurate near 0
    case log1p
    /// `eˣ − 1`, accurate near 0
    case expm1
    /// square root
    case sqrt
    /// sine
    case sin
    /// cosine
    case cos
    /// tangent
    case tan
    /// hyperbolic tangent
    case tanh
    /// logistic sigmoid `1 / (1 + e⁻ˣ)`
    case sigmoid
    /// error function
    case erf
}

extension TensorFloatingPoint {
    /// The reference (scalar libm) implementation of `function` at `x`.
    @inlinable public static func reference(_ function: UnaryFunction, _ x: Self) -> Self {
        switch function {
        case .exp: return .exp(x)
        case .log: return .log(x)
        case .log1p: return .log(onePlus: x)
        case .expm1: return .expMinusOne(x)
        case .sqrt: return x.squareRoot()
        case .sin: return .sin(x)
        case .cos: return .cos(x)
        case .tan: return .tan(x)
        case .tanh: return .tanh(x)
        case .sigmoid:
            // Split by sign so that e^{-x} never overflows.
            if x >= 0 { return 1 / (1 + .exp(-x)) }
            let e = Self.exp(x)
            return e / (1 + e)
        case .erf: return .erf(x)
        }
    }

    /// Scalar fallback used by types without vectorized kernels.
    @inlinable public static func applyReference(_ function: UnaryFunction, _ src: UnsafePointer<Self>,
                                                 _ dst: UnsafeMutablePointer<Self>, count: Int) {
        switch function {
        case .exp: for i in 0..<count { dst[i] = .exp(src[i]) }
        case .log: for i in 0..<count { dst[i] = .log(src[i]) }
        case .sqrt: for i in 0..<count { dst[i] = src[i].squareRoot() }
        case .tanh: for i in 0..<count { dst[i] = .tanh(src[i]) }
        default: for i in 0..<count { dst[i] = reference(function, src[i]) }
        }
    }
}
