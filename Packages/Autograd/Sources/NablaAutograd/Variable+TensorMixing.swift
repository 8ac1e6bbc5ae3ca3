import NablaTensor

// Arithmetic between a plain `Tensor` (data) and a `Variable` (something derivatives flow through):
// the tensor is lifted to a constant `Variable`, so `x.matmul(w) + b` works when `x` is data and
// `w`, `b` are parameters' variables, as `torch.Tensor` arithmetic does. Broadcasting follows the
// `Variable` operators; derivatives flow only into the `Variable` side.

extension Variable {
    /// `a + b` with `b` a constant tensor (broadcasting). Mirrors `torch.add`.
    @inlinable public static func + (a: Variable, b: Tensor<Scalar>) -> Variable { a + Variable(b) }
    /// `a + b` with `a` a constant tensor (broadcasting). Mirrors `torch.add`.
    @inlinable public static func + (a: Tensor<Scalar>, b: Variable) -> Variable { Variable(a) + b }
    /// `a − b` with `b` a constant tensor (broadcasting). Mirrors `torch.sub`.
    @inlinable public static func - (a: Variable, b: Tensor<Scalar>) -> Variable { a - Variable(b) }
    /// `a − b` with `a` a constant tensor (broadcasting). Mirrors `torch.sub`.
    @inlinable public static func - (a: Tensor<Scalar>, b: Variable) -> Variable { Variable(a) - b }
    /// `a · b` elementwise with `b` a constant tensor (broadcasting). Mirrors `torch.mul`.
    @inlinable public static func * (a: Variable, b: Tensor<Scalar>) -> Variable { a * Variable(b) }
    /// `a · b` elementwise with `a` a constant tensor (broadcasting). Mirrors `torch.mul`.
    @inlinable public static func * (a: Tensor<Scalar>, b: Variable) -> Variable { Variable(a) * b }
    /// `a / b` elementwise with `b` a constant tensor (broadcasting). Mirrors `torch.div`.
    @inlinable public static func / (a: Variable, b: Tensor<Scalar>) -> Variable { a / Variable(b) }
    /// `a / b` elementwise with `a` a constant tensor (broadcasting). Mirrors `torch.div`.
    @inlinable public static func / (a: Tensor<Scalar>, b: Variable) -> Variable { Variable(a) / b }

    /// Adds a constant tensor in place.
    @inlinable public static func += (a: inout Variable, b: Tensor<Scalar>) { a = a + b }
    /// Subtracts a constant tensor in place.
    @inlinable public static func -= (a: inout Variable, b: Tensor<Scalar>) { a = a - b }
    /// Multiplies by a constant tensor in place.
    @inlinable public static func *= (a: inout Variable, b: Tensor<Scalar>) { a = a * b }
    /// Divides by a constant tensor in place.
    @inlinable public static func /= (a: inout Variable, b: Tensor<Scalar>) { a = a / b }

    /// The matrix product with a constant tensor on the right. Mirrors `torch.matmul`.
    @inlinable public func matmul(_ other: Tensor<Scalar>) -> Variable { matmul(Variable(other)) }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// The matrix product with a `Variable` on the right, differentiable in `other`: `x.matmul(w)`
    /// with `x` data and `w` a parameter. Mirrors `torch.matmul`.
    @inlinable public func matmul(_ other: Variable<Scalar>) -> Variable<Scalar> { Variable(self).matmul(other) }
}

/// The matrix product of a constant tensor and a variable. Mirrors `torch.matmul`.
@inlinable public func matmul<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Variable<S>) -> Variable<S> { a.matmul(b) }
/// The matrix product of a variable and a constant tensor. Mirrors `torch.matmul`.
@inlinable public func matmul<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Tensor<S>) -> Variable<S> { a.matmul(b) }
