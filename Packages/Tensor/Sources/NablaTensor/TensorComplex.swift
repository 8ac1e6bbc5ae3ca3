import ComplexModule
import RealModule

/// A complex scalar a ``Tensor`` can store: `Complex<Float>` (`complex64`) and `Complex<Double>`
/// (`complex128`) from swift-numerics.
///
/// Complex tensors appear where real linear algebra has complex answers, such as the eigenvalues
/// of a rotation (``Tensor/eig()``). They store pairs `(real, imaginary)` of ``RealPart``, the same
/// layout as C's `_Complex` and NumPy's `complex64`/`complex128`, and support elementwise `+ − × ÷`,
/// `Tensor.matmul(_:)`, `Tensor.inverse()`, and conversion to and from their real parts.
/// They are not ``TensorNumeric``: complex numbers have no order, so no `max`, `<`, or sorting.
public protocol TensorComplex: TensorScalar, AlgebraicField {
    /// The real type of each part: `Float` or `Double`.
    associatedtype RealPart: TensorFloatingPoint
    /// `real + i·imaginary`.
    init(_ real: RealPart, _ imaginary: RealPart)
    /// The real part.
    var real: RealPart { get }
    /// The imaginary part.
    var imaginary: RealPart { get }
    /// The Euclidean length `√(re² + im²)`, i.e. `|z|`.
    var length: RealPart { get }
    /// The complex conjugate `re − i·im`.
    var conjugate: Self { get }
}

/// `Complex<Float>` is `complex64` and `Complex<Double>` is `complex128`.
extension Complex: TensorScalar where RealType: TensorFloatingPoint {
    /// `.complex64` for `Complex<Float>`, `.complex128` for `Complex<Double>`.
    @inlinable public static var dtype: DType { RealType.dtype == .float32 ? .complex64 : .complex128 }
}

/// The swift-numerics complex types are Nabla's complex scalars.
extension Complex: TensorComplex where RealType: TensorFloatingPoint {
    /// The real type of each part.
    public typealias RealPart = RealType
}
