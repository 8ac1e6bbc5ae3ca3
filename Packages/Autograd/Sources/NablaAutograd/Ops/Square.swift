import NablaTensor

/// `x²` elementwise. Mirrors `torch.square`.
public struct Square: ElementwiseOperator {
    public static let name = "square"
    @inlinable public init() {}
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.squared() }
    /// `d/dx x² = 2x`.
    @inlinable public func derivative<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>) -> Variable<S> { x * 2 }
}

extension Variable {
    /// `x²` elementwise. Mirrors `torch.square`.
    @inlinable public func squared() -> Variable { applying(Square()) }
}
