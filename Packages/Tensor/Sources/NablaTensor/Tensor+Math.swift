import RealModule

/// Elementwise math on floating-point tensors. Each function names its PyTorch equivalent;
/// the transcendental ones run the type's buffer kernel (``TensorFloatingPoint/apply(_:_:_:count:)``)
/// over contiguous chunks in parallel.
extension Tensor where Scalar: TensorFloatingPoint {
    /// Runs a buffer kernel over every element.
    @inlinable public func applying(_ function: UnaryFunction) -> Tensor {
        let n = count
        let out = TensorStorage<Scalar>(uninitializedCount: n)
        let dst = out.base
        _withDenseBase { src in
            Parallel.forRanges(n) { r in
                Scalar.apply(function, src + r.lowerBound, dst + r.lowerBound, count: r.count)
            }
        }
        return Tensor(storage: out, shape: _shape, offset: 0)
    }

    /// `eˣ`. Mirrors `torch.exp`.
    @inlinable public func exp() -> Tensor { applying(.exp) }
    /// Natural logarithm. Mirrors `torch.log`.
    @inlinable public func log() -> Tensor { applying(.log) }
    /// `log(1 + x)`, accurate for small `x`. Mirrors `torch.log1p`.
    @inlinable public func log1p() -> Tensor { applying(.log1p) }
    /// `eˣ − 1`, accurate for small `x`. Mirrors `torch.expm1`.
    @inlinable public func expm1() -> Tensor { applying(.expm1) }
    /// Square root. Mirrors `torch.sqrt`.
    @inlinable public func sqrt() -> Tensor { applying(.sqrt) }
    /// `1/√x`. Mirrors `torch.rsqrt`.
    @inlinable public func rsqrt() -> Tensor {
        // squareRoot() only of non-negative values, so no errno-setting libm call blocks the
        // vectorizer (NaN for negative x, as libm).
        map { x in
            let r = 1 / (x < 0 ? 0 : x).squareRoot()
            return x < 0 ? .nan : r
        }
    }
    /// Sine. Mirrors `torch.sin`.
    @inlinable public func sin() -> Tensor { applying(.sin) }
    /// Cosine. Mirrors `torch.cos`.
    @inlinable public func cos() -> Tensor { applying(.cos) }
    /// Tangent. Mirrors `torch.tan`.
    @inlinable public func tan() -> Tensor { applying(.tan) }
    /// Hyperbolic tangent. Mirrors `torch.tanh`.
    @inlinable public func tanh() -> Tensor { applying(.tanh) }
    /// Logistic sigmoid `1/(1 + e⁻ˣ)`, stable for large `|x|`. Mirrors `torch.sigmoid`.
    @inlinable public func sigmoid() -> Tensor { applying(.sigmoid) }
    /// Error function. Mirrors `torch.erf`.
    @inlinable public func erf() -> Tensor { applying(.erf) }
    /// `x²`. Mirrors `torch.square`.
    @inlinable public func squared() -> Tensor { map { $0 * $0 } }
    /// `1/x`. Mirrors `torch.reciprocal`.
    @inlinable public func reciprocal() -> Tensor { map { 1 / $0 } }
    /// Absolute value. Mirrors `torch.abs`.
    @inlinable public func abs() -> Tensor { map { $0.magnitude } }
    /// `-1`, `0` or `1` by sign (`0` for ±0, NaN for NaN). Mirrors `torch.sign`.
    @inlinable public func sign() -> Tensor { map { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) } }
    /// Rounds down. Mirrors `torch.floor`.
    @inlinable public func floor() -> Tensor { map { $0.rounded(.down) } }
    /// Rounds up. Mirrors `torch.ceil`.
    @inlinable public func ceil() -> Tensor { map { $0.rounded(.up) } }
    /// Rounds to nearest, ties to even. Mirrors `torch.round`.
    @inlinable public func rounded() -> Tensor { map { $0.rounded(.toNearestOrEven) } }

    /// `max(x, 0)`; the derivative convention at 0 is 0 (PyTorch's). Mirrors `torch.relu`.
    /// Contiguous Float and Double tensors run a SIMD kernel; other layouts pass zero to the loop
    /// as data (like `clamped`'s bounds), which compiles to `maxps` rather than a compare-and-branch.
    /// NaN gives 0 either way.
    @inlinable public func relu() -> Tensor {
        if let fast = _simdElementwise(nil, float: { x, _, d, n in _reluKernel(x, d, n) },
                                       double: { x, _, d, n in _reluKernel(x, d, n) }) { return fast }
        return _map(with: Scalar.zero) { $0 > $1 ? $0 : $1 }
    }
    /// `log(1 + eˣ)`, computed as `x` above `threshold` like `torch.nn.functional.softplus(beta=1, threshold=20)`.
    @inlinable public func softplus(threshold: Scalar = 20) -> Tensor {
        map { x in x > threshold ? x : Scalar.log(onePlus: Scalar.exp(-x.magnitude)) + Swift.max(x, 0) }
    }
    /// `xᵖ` for a scalar exponent. Mirrors `torch.pow(x, p)`: a negative base with an integral
    /// exponent gives a real result (`Tensor([-2, 2]).pow(3)` is `[-8, 8]`), `x⁰ = 1` for every `x`
    /// (`0⁰` included), and only a negative base with a non-integral exponent gives NaN.
    ///
    /// The exponents torch special-cases are computed as it does (`2`, `3`, `-1`, `-2` by
    /// multiplication and division, `0.5` and `-0.5` by `sqrt` and `rsqrt`), so their results are
    /// bit for bit torch's; every other exponent calls C's `pow` once per element
    /// (``TensorFloatingPoint/power(_:_:)``).
    @inlinable public func pow(_ p: Scalar) -> Tensor {
        switch p {
        case 0: return Tensor(repeating: 1, shape: _shape)
        case 1: return copied()
        case 2: return map { $0 * $0 }
        case 3: return map { $0 * $0 * $0 }
        case -1: return map { 1 / $0 }
        case -2: return map { 1 / ($0 * $0) }
        case 0.5: return sqrt()
        case -0.5: return rsqrt()
        default: return _map(with: p) { Scalar.power($0, $1) }
        }
    }
    /// `xʸ` elementwise with broadcasting. Mirrors `torch.pow(x, y)` with two tensors, with the
    /// conventions of the scalar-exponent `pow`: real results for integral exponents of any sign,
    /// `0⁰ = 1`, NaN only for a negative base with a non-integral exponent.
    @inlinable public func pow(_ p: Tensor) -> Tensor { zipWith(p, op: "pow") { Scalar.power($0, $1) } }
    /// `atan2(self, x)` elementwise. Mirrors `torch.atan2`.
    @inlinable public func atan2(_ x: Tensor) -> Tensor { zipWith(x, op: "atan2") { Scalar.atan2(y: $0, x: $1) } }

    /// Whether each element is NaN.
    @inlinable public func isNaN() -> Tensor<Bool> { map { $0.isNaN } }
    /// Whether each element is finite.
    @inlinable public func isFinite() -> Tensor<Bool> { map { $0.isFinite } }

    /// Whether every element is within `atol + rtol·|other|` of `other` (shapes must broadcast).
    /// Mirrors `torch.allclose` (defaults `rtol = 1e-5`, `atol = 1e-8`).
    @inlinable public func isClose(to other: Tensor, rtol: Scalar = 1e-5, atol: Scalar = 1e-8) -> Bool {
        zipWith(other, op: "allclose") { a, b in
            a == b || (a - b).magnitude <= atol + rtol * b.magnitude
        }.all()
    }
}

// MARK: Free functions, for code that reads like the math

/// `eˣ` elementwise.
@inlinable public func exp<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.exp() }
/// Natural logarithm elementwise.
@inlinable public func log<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.log() }
/// Square root elementwise.
@inlinable public func sqrt<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.sqrt() }
/// Sine elementwise.
@inlinable public func sin<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.sin() }
/// Cosine elementwise.
@inlinable public func cos<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.cos() }
/// Hyperbolic tangent elementwise.
@inlinable public func tanh<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.tanh() }
/// Logistic sigmoid elementwise.
@inlinable public func sigmoid<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.sigmoid() }
/// `max(x, 0)` elementwise.
@inlinable public func relu<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.relu() }
/// `log(1 + eˣ)` elementwise.
@inlinable public func softplus<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.softplus() }
/// `xᵖ` elementwise (`torch.pow`'s conventions: real results for integral exponents, `0⁰ = 1`).
@inlinable public func pow<S: TensorFloatingPoint>(_ x: Tensor<S>, _ p: S) -> Tensor<S> { x.pow(p) }
/// Elementwise maximum of two tensors.
@inlinable public func maximum<S: TensorNumeric>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> { a.maximum(b) }
/// Elementwise minimum of two tensors.
@inlinable public func minimum<S: TensorNumeric>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> { a.minimum(b) }
