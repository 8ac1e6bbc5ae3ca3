import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

/// Every differentiable operation of `Tensor`'s public API, as one list: `Tensor<Double>` and
/// `Variable<Double>` must both conform with no code of their own (the extensions below are empty),
/// so a name or argument label that differs between the two types, or an operation missing on
/// `Variable`, fails to compile. Default arguments do not count for conformance, so each
/// requirement spells every parameter; the calls with defaults are in ``APIParityTests``.
///
/// Not listed, because they are not differentiable (PyTorch gives them no gradient either, or they
/// are not functions of the values): comparisons (`.<` …) and `isNaN`/`isFinite`/`isClose`,
/// `argmax`/`argmin`, `map`/`zipWith`/`reduce`/`cast`, conversions between element types,
/// constructors (`zeros`, `eye`, `arange`, random tensors), `eig` and the complex ops, `all`/`any`,
/// and buffer access (`withUnsafeBufferPointer`, `element` subscripts).
protocol DifferentiableTensorAPI {
    associatedtype Scalar: TensorFloatingPoint
    /// What `slogdet().sign` is: a constant `Tensor` on both types.
    associatedtype Constant

    // Elementwise
    func exp() -> Self
    func log() -> Self
    func log1p() -> Self
    func expm1() -> Self
    func sqrt() -> Self
    func rsqrt() -> Self
    func sin() -> Self
    func cos() -> Self
    func tan() -> Self
    func tanh() -> Self
    func sigmoid() -> Self
    func erf() -> Self
    func squared() -> Self
    func reciprocal() -> Self
    func abs() -> Self
    func sign() -> Self
    func floor() -> Self
    func ceil() -> Self
    func rounded() -> Self
    func relu() -> Self
    func softplus(threshold: Scalar) -> Self
    func pow(_ p: Scalar) -> Self
    func pow(_ p: Self) -> Self
    func atan2(_ x: Self) -> Self
    func clamped(to range: ClosedRange<Scalar>) -> Self
    func clamped(min lower: Scalar) -> Self
    func clamped(max upper: Scalar) -> Self
    func maximum(_ other: Self) -> Self
    func minimum(_ other: Self) -> Self
    func applying(_ function: UnaryFunction) -> Self
    static func `where`(_ condition: Tensor<Bool>, _ a: Self, _ b: Self) -> Self

    // Arithmetic
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    static func + (a: Self, b: Scalar) -> Self
    static func - (a: Self, b: Scalar) -> Self
    static func * (a: Self, b: Scalar) -> Self
    static func / (a: Self, b: Scalar) -> Self
    static func + (a: Scalar, b: Self) -> Self
    static func - (a: Scalar, b: Self) -> Self
    static func * (a: Scalar, b: Self) -> Self
    static func / (a: Scalar, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    static func += (a: inout Self, b: Self)
    static func -= (a: inout Self, b: Self)
    static func *= (a: inout Self, b: Self)
    static func /= (a: inout Self, b: Self)
    static func += (a: inout Self, b: Scalar)
    static func -= (a: inout Self, b: Scalar)
    static func *= (a: inout Self, b: Scalar)
    static func /= (a: inout Self, b: Scalar)

    // Reductions
    func sum(axes: [Int]?, keepingDims: Bool) -> Self
    func sum(axis: Int, keepingDims: Bool) -> Self
    func mean(axes: [Int]?, keepingDims: Bool) -> Self
    func mean(axis: Int, keepingDims: Bool) -> Self
    func max(axes: [Int]?, keepingDims: Bool) -> Self
    func max(axis: Int, keepingDims: Bool) -> Self
    func min(axes: [Int]?, keepingDims: Bool) -> Self
    func min(axis: Int, keepingDims: Bool) -> Self
    func product(axes: [Int]?, keepingDims: Bool) -> Self
    func variance(axes: [Int]?, correction: Int, keepingDims: Bool) -> Self
    func variance(axis: Int, correction: Int, keepingDims: Bool) -> Self
    func standardDeviation(axes: [Int]?, correction: Int, keepingDims: Bool) -> Self
    func standardDeviation(axis: Int, correction: Int, keepingDims: Bool) -> Self
    func logSumExp(axes: [Int]?, keepingDims: Bool) -> Self
    func logSumExp(axis: Int, keepingDims: Bool) -> Self
    func cumulativeSum(axis: Int) -> Self
    func norm(p: Scalar, axes: [Int]?, keepingDims: Bool) -> Self
    func norm(p: Scalar, axis: Int, keepingDims: Bool) -> Self
    func covariance(correction: Int) -> Self

    // Shapes, views and indexing
    func reshaped(_ newShape: [Int]) -> Self
    func reshaped(_ shape: Int...) -> Self
    func permuted(_ axes: [Int]) -> Self
    func permuted(_ axes: Int...) -> Self
    func transposed() -> Self
    func transposed(_ a: Int, _ b: Int) -> Self
    var T: Self { get }
    func expanded(to shape: [Int]) -> Self
    func unbroadcast(to shape: [Int]) -> Self
    func squeezed(axes: [Int]?) -> Self
    func unsqueezed(axis: Int) -> Self
    func flattened() -> Self
    func flipped(axes: [Int]) -> Self
    func flipped(axis: Int) -> Self
    func tiled(_ multiples: [Int]) -> Self
    func tiled(_ multiples: Int...) -> Self
    func padded(_ pads: [(before: Int, after: Int)], value: Scalar) -> Self
    func padded(_ pads: [(before: Int, after: Int)], mode: PaddingMode) -> Self
    subscript(_ index: Int) -> Self { get }
    subscript(_ indices: any TensorIndexConvertible...) -> Self { get }
    subscript(indices indices: [TensorIndex]) -> Self { get }
    var shape: [Int] { get }
    var rank: Int { get }
    var count: Int { get }
    var scalar: Scalar { get }
    var scalars: [Scalar] { get }

    // Joining and splitting
    func concatenated(with others: Self..., axis: Int) -> Self
    func split(sizes: [Int], axis: Int) -> [Self]
    func split(size: Int, axis: Int) -> [Self]
    func split(count pieces: Int, axis: Int) -> [Self]
    func chunked(_ chunks: Int, axis: Int) -> [Self]
    func unstacked(axis: Int) -> [Self]

    // Gathering and scattering
    func gathering(indices: Tensor<Int>, axis: Int) -> Self
    func scattering(indices: Tensor<Int>, values: Self, axis: Int) -> Self
    func scatteringAdd(indices: Tensor<Int>, values: Self, axis: Int) -> Self
    func indexSelect(indices: Tensor<Int>, axis: Int) -> Self
    func indexAdding(indices: Tensor<Int>, values: Self, axis: Int) -> Self

    // Linear algebra
    func matmul(_ other: Self) -> Self
    func dot(_ other: Self) -> Self
    func outer(_ other: Self) -> Self
    func trace() -> Self
    func diagonalPart() -> Self
    static func diagonal(_ diagonal: Self) -> Self
    static func einsum(_ subscripts: String, _ operands: [Self]) -> Self
    static func einsum(_ subscripts: String, _ operands: Self...) -> Self
    func inverse() throws -> Self
    func solve(_ b: Self) throws -> Self
    func determinant() -> Self
    func slogdet() -> (sign: Constant, logAbsDet: Self)
    func cholesky() throws -> Self
    func eigh() throws -> (eigenvalues: Self, eigenvectors: Self)
    func qr() -> (Q: Self, R: Self)
    func svd(fullMatrices: Bool) throws -> (U: Self, S: Self, Vh: Self)
    func singularValues() throws -> Self
    func leastSquares(_ b: Self, rcond: Scalar?) throws -> Self
    func matrixPower(_ n: Int) throws -> Self
    func matrixNorm(_ kind: MatrixNorm, keepingDims: Bool) -> Self
    func cosineSimilarity(_ other: Self, axis: Int, eps: Scalar) -> Self
    func distance(to other: Self, p: Scalar, axis: Int?) -> Self
    func angle(with other: Self, axis: Int) -> Self
}

extension Tensor<Double>: DifferentiableTensorAPI {}
extension Variable<Double>: DifferentiableTensorAPI {}

/// The free functions and the calls with default arguments, written once for each type.
@Suite struct APIParityTests {
    @Test func freeFunctionsAndDefaultsHaveOneSpelling() throws {
        let t = Tensor<Double>([[1, 2], [3, 4.5]]), v = Variable(t)
        func same(_ a: Tensor<Double>, _ b: Variable<Double>, _ line: Int = #line) {
            #expect(allClose(a, b.value, rtol: 1e-12, atol: 1e-12), "line \(line)")
        }
        same(stack([t, t]), stack([v, v]))
        same(stack([t, t], axis: 1), stack([v, v], axis: 1))
        same(concatenate([t, t]), concatenate([v, v]))
        same(concatenate([t, t], axis: 1), concatenate([v, v], axis: 1))
        same(einsum("ij,jk->ik", t, t), einsum("ij,jk->ik", v, v))
        same(einsum("ij,jk->ik", [t, t]), einsum("ij,jk->ik", [v, v]))
        same(matmul(t, t), matmul(v, v))
        same(maximum(t, t * 0.5), maximum(v, v * 0.5))
        same(minimum(t, t * 0.5), minimum(v, v * 0.5))
        same(pow(t, 3), pow(v, 3))
        same(exp(t), exp(v)); same(log(t), log(v)); same(sqrt(t), sqrt(v)); same(sin(t), sin(v))
        same(cos(t), cos(v)); same(tanh(t), tanh(v)); same(sigmoid(t), sigmoid(v)); same(relu(t), relu(v))
        same(softplus(t), softplus(v))
        same(t.softplus(), v.softplus()); same(t.padded([(before: 1, after: 0)]), v.padded([(before: 1, after: 0)]))
        same(try t.svd(fullMatrices: false).U, try v.svd(fullMatrices: false).U)
        same(t.sum(), v.sum()); same(t.sum(axis: 1), v.sum(axis: 1)); same(t.mean(), v.mean())
        same(t.max(), v.max()); same(t.min(axis: 0), v.min(axis: 0)); same(t.product(), v.product())
        same(t.variance(), v.variance()); same(t.standardDeviation(axis: 0), v.standardDeviation(axis: 0))
        same(t.logSumExp(), v.logSumExp()); same(t.norm(), v.norm()); same(t.norm(axis: 1), v.norm(axis: 1))
        same(t.covariance(), v.covariance()); same(t.squeezed(), v.squeezed())
        same(t.concatenated(with: t), v.concatenated(with: v))
        same(t.split(sizes: [1, 1])[1], v.split(sizes: [1, 1])[1]); same(t.split(size: 1)[0], v.split(size: 1)[0])
        same(t.split(count: 2)[0], v.split(count: 2)[0]); same(t.chunked(2)[1], v.chunked(2)[1]); same(t.unstacked()[1], v.unstacked()[1])
        same(try t.svd().S, try v.svd().S); same(try t.leastSquares(t), try v.leastSquares(v))
        same(t.matrixNorm(), v.matrixNorm()); same(t.cosineSimilarity(t), v.cosineSimilarity(v))
        same(t.distance(to: t * 2), v.distance(to: v * 2)); same(t.angle(with: t * 2 + 1), v.angle(with: v * 2 + 1))
        same(Tensor.diagonal(Tensor([1, 2])), Variable.diagonal(Variable(Tensor([1, 2]))))
        #expect(t.slogdet().sign == v.slogdet().sign)
        #expect(t.scalars == v.scalars && t.sum().scalar == v.sum().scalar)
    }
}

/// The parameters Variable gained to match Tensor's spelling behave as Tensor's do.
@Suite struct ParitySpellingTests {
    // rcond: a rank-1 matrix ([[1, 2], [2, 4]] has σ = (5, 0)) is rank-deficient at any cut-off, so
    // the differentiable (full-rank) path throws; a full-rank one gives Tensor's solution.
    @Test func leastSquaresRcond() throws {
        let singular = Variable(Tensor<Double>([[1, 2], [2, 4], [0, 0]]))
        #expect(throws: LinearAlgebraError.self) { try singular.leastSquares(Variable(Tensor([1, 2, 3])), rcond: 1e-10) }
        let a = Tensor<Double>([[2, 1], [1, 3], [0, 1]]), b = Tensor<Double>([1, 2, 3])
        let x = try Variable(a).leastSquares(Variable(b), rcond: 1e-10).value
        #expect(allClose(x, try a.leastSquares(b, rcond: 1e-10), rtol: 1e-12, atol: 1e-12))
    }

    // Variable.diagonal(v) is Tensor.diagonal(v), and differentiable: ∂ sum(diag(v)·M)/∂v = diag(M).
    @Test func diagonalMatrix() {
        let m = Variable(Tensor<Double>([[1, 2], [3, 4]]))
        #expect(gradient(at: Tensor<Double>([5, 6])) { (Variable.diagonal($0) * m).sum() } == Tensor([1, 4]))
    }
}
