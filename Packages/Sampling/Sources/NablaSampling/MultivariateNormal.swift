#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The multivariate normal `N(μ, Σ)` parameterized by the lower Cholesky factor `L` of `Σ = L·Lᵀ`.
/// Mirrors `torch.distributions.MultivariateNormal` (built from `covariance_matrix`,
/// `precision_matrix` or `scale_tril`); `loc` may carry batch dimensions `[..., d]`, the scale
/// matrix is shared by the batch.
public struct MultivariateNormal<Scalar: TensorFloatingPoint>: ReparameterizedDistribution {
    /// The mean `[..., d]` (differentiable).
    public let locVariable: Variable<Scalar>
    /// The lower-triangular `L`, `[d, d]` (differentiable).
    public let scaleTrilVariable: Variable<Scalar>
    /// `loc.shape` without its last dimension.
    public var batchShape: [Int] { Array(locVariable.shape.dropLast()) }
    /// `[d]`.
    public var eventShape: [Int] { [locVariable.shape.last!] }
    /// The mean.
    public var loc: Tensor<Scalar> { locVariable.value }
    /// The Cholesky factor of the covariance.
    public var scaleTril: Tensor<Scalar> { scaleTrilVariable.value }
    /// `L·Lᵀ`.
    public var covariance: Tensor<Scalar> { scaleTril.matmul(scaleTril.transposed()) }

    /// From a lower-triangular factor with a positive diagonal.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if
    ///   `scaleTril` is not square `d×d`, not lower triangular or has a non-positive diagonal.
    public init(loc: Variable<Scalar>, scaleTril: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        let d = loc.shape.last ?? 0
        guard loc.rank >= 1, scaleTril.shape == [d, d] else {
            throw .invalidParameter(distribution: "MultivariateNormal", parameter: "scaleTril",
                                    reason: "must be \(d)×\(d) to match loc \(loc.shape)")
        }
        if validate {
            let l = scaleTril.value.scalars
            for i in 0..<d {
                if !(l[i * d + i] > 0) {
                    throw .invalidParameter(distribution: "MultivariateNormal", parameter: "scaleTril", reason: "must have a positive diagonal")
                }
                for j in (i + 1)..<Swift.max(d, i + 1) where l[i * d + j] != 0 {
                    throw .invalidParameter(distribution: "MultivariateNormal", parameter: "scaleTril", reason: "must be lower triangular")
                }
            }
        }
        locVariable = loc; scaleTrilVariable = scaleTril
    }
    /// From a lower-triangular factor (tensors).
    /// - Throws: see ``init(loc:scaleTril:validate:)-(Variable<Scalar>,_,_)``.
    public init(loc: Tensor<Scalar>, scaleTril: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(loc: Variable(loc), scaleTril: Variable(scaleTril), validate: validate)
    }
    /// From a covariance matrix, factorized by Cholesky.
    /// - Throws: ``DistributionError/notPositiveDefinite(distribution:parameter:)`` if the
    ///   covariance is not symmetric positive definite.
    public init(loc: Tensor<Scalar>, covariance: Tensor<Scalar>) throws(DistributionError) {
        guard covariance.rank == 2, covariance.shape[0] == covariance.shape[1],
              covariance.isClose(to: covariance.transposed().contiguous, rtol: 1e-6, atol: 1e-12) else {
            throw .notPositiveDefinite(distribution: "MultivariateNormal", parameter: "covariance")
        }
        guard let l = try? covariance.cholesky() else { throw .notPositiveDefinite(distribution: "MultivariateNormal", parameter: "covariance") }
        try self.init(loc: loc, scaleTril: l)
    }
    /// From a precision (inverse covariance) matrix.
    /// - Throws: ``DistributionError/notPositiveDefinite(distribution:parameter:)`` if the
    ///   precision is not symmetric positive definite.
    public init(loc: Tensor<Scalar>, precision: Tensor<Scalar>) throws(DistributionError) {
        guard precision.rank == 2, precision.shape[0] == precision.shape[1],
              precision.isClose(to: precision.transposed().contiguous, rtol: 1e-6, atol: 1e-12),
              (try? precision.cholesky()) != nil,
              let cov = try? precision.solve(Tensor<Scalar>.eye(precision.shape[0])) else {
            throw .notPositiveDefinite(distribution: "MultivariateNormal", parameter: "precision")
        }
        let sym = (cov + cov.transposed()) / 2
        guard let l = try? sym.cholesky() else { throw .notPositiveDefinite(distribution: "MultivariateNormal", parameter: "precision") }
        try self.init(loc: loc, scaleTril: l)
    }

    /// `μ + L·ε`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let d = eventShape[0]
        let shape = sampleShape + batchShape + [d]
        let eps = Tensor<Scalar>.randomNormal([shape.reduce(1, *) / Swift.max(d, 1), d], using: &generator)
        return eps.matmul(scaleTril.transposed()).reshaped(shape) + loc
    }
    /// `μ + L·ε`, differentiable in `μ` and `L`.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        let d = eventShape[0]
        let shape = sampleShape + batchShape + [d]
        let eps = Variable(Tensor<Scalar>.randomNormal([shape.reduce(1, *) / Swift.max(d, 1), d], using: &generator))
        return eps.matmul(scaleTrilVariable.transposed()).reshaped(shape) + locVariable
    }

    /// `L⁻¹(x − μ)` row by row (forward substitution), `x` flattened to `[n, d]`.
    func whiten(_ diff: Tensor<Scalar>) -> Tensor<Scalar> {
        let d = eventShape[0], n = diff.count / Swift.max(d, 1)
        let l = scaleTril.scalars.map { Double($0) }, x = diff.contiguous.scalars
        var out = [Scalar](repeating: 0, count: n * d)
        for r in 0..<n {
            for i in 0..<d {
                var s = Double(x[r * d + i])
                for j in 0..<i { s -= l[i * d + j] * Double(out[r * d + j]) }
                out[r * d + i] = Scalar(s / l[i * d + i])
            }
        }
        return Tensor(shape: diff.shape, scalars: out)
    }
    /// `Σ log Lᵢᵢ`.
    var halfLogDet: Scalar { scaleTril.diagonalPart().log().sum().scalar }

    /// `−½‖L⁻¹(x − μ)‖² − Σ log Lᵢᵢ − (d/2) log 2π`.
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        let d = eventShape[0]
        let diff = value - loc
        let m = whiten(diff).squared().sum(axis: -1)
        return m * Scalar(-0.5) - (halfLogDet + Scalar(Double(d) * halfLog2Pi))
    }
    /// The differentiable log-density (through Autograd's matrix ops: `L⁻¹` by `solve`).
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        let d = eventShape[0]
        let diff = value - locVariable
        let flat = diff.reshaped([diff.count / d, d])
        let z = try! scaleTrilVariable.solve(flat.transposed())     // [d, n]; L has a positive diagonal
        let m = z.squared().sum(axis: 0).reshaped(Array(diff.shape.dropLast()))
        let halfLogDet = scaleTrilVariable.diagonalPart().log().sum()
        return m * Scalar(-0.5) - halfLogDet - Scalar(Double(d) * halfLog2Pi)
    }
    /// `μ`.
    public var mean: Tensor<Scalar> { loc }
    /// The diagonal of `Σ`, broadcast over the batch.
    public var variance: Tensor<Scalar> { scaleTril.squared().sum(axis: 1).expanded(to: loc.shape).contiguous }
    /// `(d/2)(1 + log 2π) + Σ log Lᵢᵢ`.
    public func entropy() -> Tensor<Scalar> {
        let d = Double(eventShape[0])
        return Tensor(repeating: halfLogDet + Scalar(d * (0.5 + halfLog2Pi)), shape: batchShape)
    }
}
