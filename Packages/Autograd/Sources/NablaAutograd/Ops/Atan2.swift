import NablaTensor

/// `atan2(y, x)` elementwise with broadcasting: the angle of the point `(x, y)` in `(−π, π]`.
/// Mirrors `torch.atan2(y, x)`.
///
/// With `r² = x² + y²`: `∂/∂y = x/r²`, `∂/∂x = −y/r²`. At the origin both are 0/0: the rules give
/// NaN there, as PyTorch's do.
public struct Atan2: BinaryOperator {
    /// The op's name in the registry and in messages, `"atan2"`.
    public static let name = "atan2"
    /// Batching rule: elementwise with broadcasting, so the operands are aligned past the batch axis.
    @inlinable public func batched<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, batchedA: Bool, batchedB: Bool) -> Variable<S> {
        broadcastingBatchRule(a, b, batchedA: batchedA, batchedB: batchedB) { Variable.applying(self, $0, $1) }
    }
    /// Creates the op.
    @inlinable public init() {}
    /// The value, computed on plain tensors (`a` is `y`, `b` is `x`).
    @inlinable public func forward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> { a.atan2(b) }
    /// `ȳ·x/r²` for `y` and `−ȳ·y/r²` for `x`, each summed back to its input's shape.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>,
                                                       needA: Bool, needB: Bool) -> (Variable<S>?, Variable<S>?) {
        let scaled = ct / (a.squared() + b.squared())
        return (needA ? (scaled * b).summed(to: a.shape) : nil, needB ? (-(scaled * a)).summed(to: b.shape) : nil)
    }
    /// `(x·ẏ − y·ẋ)/r²`.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ a: Variable<S>, _ b: Variable<S>, _ y: Variable<S>,
                                                       _ da: Variable<S>?, _ db: Variable<S>?) -> Variable<S> {
        let r2 = a.squared() + b.squared()
        return sumOfTangents(da.map { $0 * b / r2 }, db.map { -($0 * a) / r2 }, shape: y.shape)
    }
}

extension Variable {
    /// `atan2(self, x)` elementwise with broadcasting (`self` is the `y` coordinate): the angle of
    /// `(x, self)` in `(−π, π]`. Mirrors `torch.atan2(self, x)`.
    @inlinable public func atan2(_ x: Variable) -> Variable { Variable.applying(Atan2(), self, x) }
}
