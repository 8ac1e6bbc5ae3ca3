import NablaTensor

/// Surrounds the tensor with a constant. Mirrors `torch.nn.functional.pad(x, …, mode='constant')`.
/// `pads` aligns with the trailing axes, as in `Tensor.padded(_:value:)`.
public struct ConstantPad: UnaryOperator {
    /// The op's name in the registry and in messages, `"pad"`.
    public static let name = "pad"
    /// `(before, after)` per trailing axis.
    public let pads: [(before: Int, after: Int)]
    /// The fill value.
    public let value: Double
    /// Batching rule: `pads` align with the trailing axes, so the batch axis is left alone.
    @inlinable public func batched<S: TensorFloatingPoint>(_ x: Variable<S>) -> Variable<S> { x.applying(self) }
    /// Creates the op.
    @inlinable public init(_ pads: [(before: Int, after: Int)], value: Double) {
        self.pads = pads
        self.value = value
    }
    /// The value, computed on plain tensors.
    @inlinable public func forward<S: TensorFloatingPoint>(_ x: Tensor<S>) -> Tensor<S> { x.padded(pads, value: S(value)) }
    /// `x̄` is the interior of `ȳ`.
    @inlinable public func vjp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ ct: Variable<S>) -> Variable<S> {
        let lead = x.rank - pads.count
        var idx = [TensorIndex](repeating: .all, count: lead)
        for (i, p) in pads.enumerated() { idx.append((p.before..<(p.before + x.shape[lead + i])).tensorIndex) }
        return ct[indices: idx]
    }
    /// `ẏ` is `ẋ` padded with zeros.
    @inlinable public func jvp<S: TensorFloatingPoint>(_ x: Variable<S>, _ y: Variable<S>, _ t: Variable<S>) -> Variable<S> {
        t.applying(ConstantPad(pads, value: 0))
    }
}

extension Variable {
    /// Surrounds the tensor with `value` (`pads` aligned with the trailing axes).
    /// Mirrors `torch.nn.functional.pad(x, …, mode='constant', value=value)`.
    @inlinable public func padded(_ pads: [(before: Int, after: Int)], value: Scalar = 0) -> Variable {
        applying(ConstantPad(pads, value: Double(value)))
    }
}
