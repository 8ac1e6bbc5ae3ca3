import NablaTensor

/// `c·x` for a scalar `c` (also negation, `c = −1`). Mirrors `torch.mul(x, c)`.
public struct Scale: UnaryOperator {
    /// The op's name in the registry and in messages, `"scale"`.
    public static let name = "scale"
    /// The factor.
    public let factor: Double
    /// Batching rule: elementwise, so the op applies to the whole batch at once.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(self) }
    /// Creates the op with the given attributes.
    @inlinable public init(_ factor: Double) { self.factor = factor }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x * S(factor) }
    /// `x̄ = c·ȳ` (the op is linear).
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        ct.applying(self)
    }
    /// `ẏ = c·ẋ`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(self)
    }
}

extension Variable {
    /// Multiplies every element by `c`.
    @inlinable public static func * (a: Variable, c: Scalar) -> Variable { a.applying(Scale(Double(c))) }
    /// Multiplies every element by `c`.
    @inlinable public static func * (c: Scalar, a: Variable) -> Variable { a.applying(Scale(Double(c))) }
    /// Divides every element by `c`.
    @inlinable public static func / (a: Variable, c: Scalar) -> Variable { a.applying(Scale(Double(1 / c))) }
    /// Elementwise negation. Mirrors `torch.neg`.
    @inlinable public static prefix func - (a: Variable) -> Variable { a.applying(Scale(-1)) }
}
