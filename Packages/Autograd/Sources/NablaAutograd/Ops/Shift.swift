import NablaTensor

/// `x + c` for a scalar `c`. Mirrors `torch.add(x, c)`.
public struct Shift: UnaryOperator {
    /// The op's name in the registry and in messages, `"shift"`.
    public static let name = "shift"
    /// The added constant.
    public let offset: Double
    /// Batching rule: elementwise, so the op applies to the whole batch at once.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(self) }
    /// Creates the op with the given attributes.
    @inlinable public init(_ offset: Double) { self.offset = offset }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x + S(offset) }
    /// `x̄ = ȳ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> { ct }
    /// `ẏ = ẋ`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> { t }
}

extension Variable {
    /// Adds `c` to every element.
    @inlinable public static func + (a: Variable, c: Scalar) -> Variable { a.applying(Shift(Double(c))) }
    /// Adds `c` to every element.
    @inlinable public static func + (c: Scalar, a: Variable) -> Variable { a.applying(Shift(Double(c))) }
    /// Subtracts `c` from every element.
    @inlinable public static func - (a: Variable, c: Scalar) -> Variable { a.applying(Shift(Double(-c))) }
    /// `c − x` elementwise.
    @inlinable public static func - (c: Scalar, a: Variable) -> Variable { (-a).applying(Shift(Double(c))) }
    /// `c / x` elementwise.
    @inlinable public static func / (c: Scalar, a: Variable) -> Variable { a.reciprocal() * c }
}
