import ComplexModule

/// One element of a nested array literal for ``Tensor``: a scalar or a nested array.
///
/// This lets `let a: Tensor<Double> = [[1, 2], [3, 4]]` build a `2×2` tensor. Ragged literals stop
/// with a message giving both lengths.
public indirect enum TensorLiteral<Scalar: TensorScalar> {
    /// A single scalar.
    case scalar(Scalar)
    /// A nested array.
    case array([TensorLiteral<Scalar>])

    @usableFromInline func shape() -> [Int] {
        switch self {
        case .scalar: return []
        case .array(let items): return [items.count] + (items.first?.shape() ?? [])
        }
    }

    @usableFromInline func flatten(into out: inout [Scalar], shape: ArraySlice<Int>) {
        switch self {
        case .scalar(let s):
            precondition(shape.isEmpty, "Tensor literal: ragged nesting (a scalar where an array of \(shape.first!) was expected)")
            out.append(s)
        case .array(let items):
            precondition(!shape.isEmpty && items.count == shape.first!,
                         "Tensor literal: ragged nesting (\(items.count) elements where \(shape.first ?? 0) were expected)")
            for item in items { item.flatten(into: &out, shape: shape.dropFirst()) }
        }
    }
}

extension TensorLiteral: ExpressibleByArrayLiteral {
    /// A nested array.
    public init(arrayLiteral elements: TensorLiteral...) { self = .array(elements) }
}
extension TensorLiteral: ExpressibleByIntegerLiteral where Scalar: ExpressibleByIntegerLiteral {
    /// An integer scalar.
    public init(integerLiteral value: Scalar.IntegerLiteralType) { self = .scalar(Scalar(integerLiteral: value)) }
}
extension TensorLiteral: ExpressibleByFloatLiteral where Scalar: TensorFloatLiteralConvertible {
    /// A floating-point scalar.
    public init(floatLiteral value: Scalar.TensorFloatLiteral) { self = .scalar(Scalar(tensorFloatLiteral: value)) }
}

/// A storage type that a floating-point literal inside a tensor literal can initialize: `Float`,
/// `Double`, `Float16`, ``BFloat16``, and the complex types (a real literal is `x + 0i`).
///
/// With it, `let t: Tensor<BFloat16> = [1, 2.5]` and `let z: Tensor<Complex<Double>> = [1, 2.5]`
/// compile, each literal rounded once to the element type.
public protocol TensorFloatLiteralConvertible: TensorScalar {
    /// The type the compiler builds a floating-point literal as before converting it.
    associatedtype TensorFloatLiteral: _ExpressibleByBuiltinFloatLiteral
    /// The element a floating-point literal denotes.
    init(tensorFloatLiteral value: TensorFloatLiteral)
}

extension Float: TensorFloatLiteralConvertible {
    /// The literal itself.
    @inlinable public init(tensorFloatLiteral value: Float) { self = value }
}
extension Double: TensorFloatLiteralConvertible {
    /// The literal itself.
    @inlinable public init(tensorFloatLiteral value: Double) { self = value }
}
#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
extension Float16: TensorFloatLiteralConvertible {
    /// The literal itself.
    @inlinable public init(tensorFloatLiteral value: Float16) { self = value }
}
#endif
extension BFloat16: TensorFloatLiteralConvertible {
    /// The literal rounded (ties to even) from its `Float` value.
    @inlinable public init(tensorFloatLiteral value: Float) { self.init(value) }
}
extension Complex: TensorFloatLiteralConvertible where RealType: TensorFloatingPoint {
    /// `value + 0i`, the literal rounded once to `RealType`.
    @inlinable public init(tensorFloatLiteral value: RealType.FloatLiteralType) { self.init(RealType(floatLiteral: value), 0) }
}
extension TensorLiteral: ExpressibleByBooleanLiteral where Scalar == Bool {
    /// A Boolean scalar.
    public init(booleanLiteral value: Bool) { self = .scalar(value) }
}

extension Tensor: ExpressibleByArrayLiteral {
    /// Builds a tensor from a nested array literal; the nesting depth is the rank.
    public init(arrayLiteral elements: TensorLiteral<Scalar>...) {
        let literal = TensorLiteral.array(elements)
        let shape = literal.shape()
        var scalars: [Scalar] = []
        scalars.reserveCapacity(Shape.count(shape))
        literal.flatten(into: &scalars, shape: shape[...])
        self.init(shape: shape, scalars: scalars)
    }
}
