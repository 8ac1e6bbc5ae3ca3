import NablaTensor

/// A tensor in a state dict: floating point (weights, running statistics) or integer
/// (`num_batches_tracked`, which PyTorch stores as `int64`).
public enum StateTensor<Scalar: TensorFloatingPoint>: Equatable, Sendable, CustomStringConvertible {
    /// A floating-point tensor of the model's scalar type.
    case floating(Tensor<Scalar>)
    /// A 64-bit integer tensor (PyTorch's `torch.long`).
    case integer(Tensor<Int64>)

    /// The shape.
    public var shape: [Int] {
        switch self {
        case .floating(let t): t.shape
        case .integer(let t): t.shape
        }
    }

    /// The floating-point tensor, or `nil` for an integer one.
    public var floating: Tensor<Scalar>? {
        if case .floating(let t) = self { return t }
        return nil
    }

    /// The integer tensor, or `nil` for a floating-point one.
    public var integer: Tensor<Int64>? {
        if case .integer(let t) = self { return t }
        return nil
    }

    /// `"Float"`, `"Double"` or `"Int64"`.
    public var kind: String {
        switch self {
        case .floating: String(describing: Scalar.self)
        case .integer: "Int64"
        }
    }

    /// The tensor's description.
    public var description: String {
        switch self {
        case .floating(let t): t.description
        case .integer(let t): t.description
        }
    }
}

/// Module state that is saved and loaded but not trained: batch norm's running mean and variance,
/// and its `num_batches_tracked` counter. Mirrors a tensor registered with `register_buffer`.
///
/// A buffer is a reference type so the module that updates it during training and the state dict
/// that saves it see the same value.
public final class Buffer<Scalar: TensorFloatingPoint>: @unchecked Sendable {
    /// The current value. Assigning keeps the buffer's identity.
    public var value: StateTensor<Scalar>

    /// A buffer holding `value`.
    public init(_ value: StateTensor<Scalar>) { self.value = value }

    /// A floating-point buffer.
    public convenience init(_ tensor: Tensor<Scalar>) { self.init(.floating(tensor)) }

    /// An integer buffer.
    public convenience init(_ tensor: Tensor<Int64>) { self.init(.integer(tensor)) }

    /// The floating-point value; setting replaces the value.
    /// - Precondition: the buffer holds a floating-point tensor (reading).
    public var tensor: Tensor<Scalar> {
        get {
            guard case .floating(let t) = value else { preconditionFailure("Buffer: an integer buffer read as \(Scalar.self)") }
            return t
        }
        set { value = .floating(newValue) }
    }

    /// The integer value; setting replaces the value.
    /// - Precondition: the buffer holds an integer tensor (reading).
    public var integers: Tensor<Int64> {
        get {
            guard case .integer(let t) = value else { preconditionFailure("Buffer: a \(Scalar.self) buffer read as Int64") }
            return t
        }
        set { value = .integer(newValue) }
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }
}
