#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The multivariate normal `N(μ, Σ)` parameterized by the lower Cholesky factor `L` of `Σ = L·Lᵀ`.
/// Mirrors `torch.distributions.MultivariateNormal` (built from `covariance_matrix`,
/// `precision_matrix` or `scale_tril`).
///
/// `loc` is `[..., d]` and the scale `[..., d, d]`; their batch axes (all but the last one and the
/// last two) broadcast to ``batchShape``, as in PyTorch: one `L` shared by a batch of means, a
/// batch of factors around one mean, or one of each per batch element.
public struct MultivariateNormal<Scalar: TensorFloatingPoint>: ReparameterizedDistribution {
    /// The mean `[..., d]` (differentiable).
    public let locVariable: Variable<Scalar>
    /// The lower-triangular `L`, `[..., d, d]` (differentiable).
    public let scaleTrilVariable: Variable<Scalar>
    /// The broadcast of `loc`'s batch axes and the scale's.
    public let batchShape: [Int]
    /// `[d]`.
    public var eventShape: [Int] { [locVariable.shape.last!] }
    /// The mean.
    public var loc: Tensor<Scalar> { locVariable.value }
    /// The Cholesky factor of the covariance, `[..., d, d]`.
    public var scaleTril: Tensor<Scalar> { scaleTrilVariable.value }
    /// `L·Lᵀ`, `[..., d, d]`.
    public var covariance: Tensor<Scalar> { Tensor.einsum("...ij,...kj->...ik", scaleTril, scaleTril) }

    /// From lower-triangular factors with a positive diagonal.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` if
    ///   `scaleTril` is not `[..., d, d]` for the `d` of `loc`, not lower triangular or has a
    ///   non-positive diagonal; ``DistributionError/shapeMismatch(distribution:shapes:)`` if the batch
    ///   axes of `loc` and `scaleTril` do not broadcast.
    public init(loc: Variable<Scalar>, scaleTril: Variable<Scalar>, validate: Bool = true) throws(DistributionError) {
        let d = loc.shape.last ?? 0
        guard loc.rank >= 1, scaleTril.rank >= 2, Array(scaleTril.shape.suffix(2)) == [d, d] else {
            throw .invalidParameter(distribution: "MultivariateNormal", parameter: "scaleTril",
                                    reason: "must be [..., \(d), \(d)] to match loc \(loc.shape), got \(scaleTril.shape)")
        }
        batchShape = try batchShapeOf("MultivariateNormal", [Array(loc.shape.dropLast()), Array(scaleTril.shape.dropLast(2))])
        if validate {
            let l = scaleTril.value.contiguous.scalars
            for m in 0..<(l.count / Swift.max(d * d, 1)) {
                let base = m * d * d
                for i in 0..<d {
                    if !(l[base + i * d + i] > 0) {
                        throw .invalidParameter(distribution: "MultivariateNormal", parameter: "scaleTril", reason: "must have a positive diagonal")
                    }
                    for j in (i + 1)..<Swift.max(d, i + 1) where l[base + i * d + j] != 0 {
                        throw .invalidParameter(distribution: "MultivariateNormal", parameter: "scaleTril", reason: "must be lower triangular")
                    }
                }
            }
        }
        locVariable = loc; scaleTrilVariable = scaleTril
    }
    /// From lower-triangular factors (tensors).
    /// - Throws: see ``init(loc:scaleTril:validate:)-(Variable<Scalar>,_,_)``.
    public init(loc: Tensor<Scalar>, scaleTril: Tensor<Scalar>, validate: Bool = true) throws(DistributionError) {
        try self.init(loc: Variable(loc), scaleTril: Variable(scaleTril), validate: validate)
    }
    /// From covariance matrices `[..., d, d]`, factorized by Cholesky.
    /// - Throws: ``DistributionError/notPositiveDefinite(distribution:parameter:)`` if a
    ///   covariance is not symmetric positive definite.
    public init(loc: Tensor<Scalar>, covariance: Tensor<Scalar>) throws(DistributionError) {
        guard covariance.rank >= 2, covariance.shape[covariance.rank - 2] == covariance.shape[covariance.rank - 1],
              covariance.isClose(to: covariance.transposed().contiguous, rtol: 1e-6, atol: 1e-12) else {
            throw .notPositiveDefinite(distribution: "MultivariateNormal", parameter: "covariance")
        }
        guard let l = try? covariance.cholesky() else { throw .notPositiveDefinite(distribution: "MultivariateNormal", parameter: "covariance") }
        try self.init(loc: loc, scaleTril: l)
    }
    /// From precision (inverse covariance) matrices `[..., d, d]`.
    /// - Throws: ``DistributionError/notPositiveDefinite(distribution:parameter:)`` if a
    ///   precision is not symmetric positive definite.
    public init(loc: Tensor<Scalar>, precision: Tensor<Scalar>) throws(DistributionError) {
        guard precision.rank >= 2, precision.shape[precision.rank - 2] == precision.shape[precision.rank - 1],
              precision.isClose(to: precision.transposed().contiguous, rtol: 1e-6, atol: 1e-12),
              (try? precision.cholesky()) != nil,
              let cov = try? precision.solve(Tensor<Scalar>.eye(precision.shape[precision.rank - 1])) else {
            throw .notPositiveDefinite(distribution: "MultivariateNormal", parameter: "precision")
        }
        let sym = (cov + cov.transposed()) / 2
        guard let l = try? sym.cholesky() else { throw .notPositiveDefinite(distribution: "MultivariateNormal", parameter: "precision") }
        try self.init(loc: loc, scaleTril: l)
    }

    /// The number of batch elements, `batchShape`'s product.
    var batchCount: Int { batchShape.reduce(1, *) }
    /// `L` for every batch element, as contiguous Doubles `[B·d·d]`.
    var batchedScaleTril: [Double] { scaleTril.doubles(broadcastTo: batchShape + eventShape + eventShape) }
    /// `Σ log Lᵢᵢ` per batch element, `batchShape`.
    var halfLogDet: Tensor<Scalar> { scaleTril.diagonalPart().log().sum(axis: -1).expanded(to: batchShape).contiguous }

    /// `μ + L·ε`.
    public func sample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Tensor<Scalar> {
        let eps = Tensor<Scalar>.randomNormal(sampleShape + batchShape + eventShape, using: &generator)
        return Tensor.einsum("...ij,...j->...i", scaleTril, eps) + loc
    }
    /// `μ + L·ε`, differentiable in `μ` and `L`.
    public func rsample<G: PhiloxProtocol>(_ sampleShape: [Int], using generator: inout G) -> Variable<Scalar> {
        let eps = Variable(Tensor<Scalar>.randomNormal(sampleShape + batchShape + eventShape, using: &generator))
        return Variable.einsum("...ij,...j->...i", scaleTrilVariable, eps) + locVariable
    }

    /// `L⁻¹(x − μ)` for `diff = x − μ` of shape `[..., d]` broadcasting with `batchShape + [d]`,
    /// row by row (forward substitution with the row's own `L`).
    func whiten(_ diff: Tensor<Scalar>) -> Tensor<Scalar> {
        let d = eventShape[0]
        let shape = broadcastShapes([diff.shape, batchShape + [d]])!
        let x = diff.doubles(broadcastTo: shape), l = batchedScaleTril
        let n = x.count / Swift.max(d, 1), batches = batchCount
        var out = [Double](repeating: 0, count: n * d)
        for r in 0..<n {
            let base = (r % batches) * d * d
            for i in 0..<d {
                var s = x[r * d + i]
                for j in 0..<i { s -= l[base + i * d + j] * out[r * d + j] }
                out[r * d + i] = s / l[base + i * d + i]
            }
        }
        return Tensor(shape: shape, scalars: out.map { Scalar($0) })
    }

    /// `−½‖L⁻¹(x − μ)‖² − Σ log Lᵢᵢ − (d/2) log 2π`, of shape `value.shape` minus the event axis
    /// (broadcast with `batchShape`).
    public func logProb(_ value: Tensor<Scalar>) -> Tensor<Scalar> {
        let d = eventShape[0]
        let m = whiten(value - loc).squared().sum(axis: -1)
        return m * Scalar(-0.5) - halfLogDet - Scalar(Double(d) * halfLog2Pi)
    }
    /// The differentiable log-density (through Autograd's batched `solve`: one `L` per batch element).
    public func logProb(_ value: Variable<Scalar>) -> Variable<Scalar> {
        let d = eventShape[0], batches = batchCount
        let diff = value - locVariable
        let shape = broadcastShapes([diff.shape, batchShape + [d]])!
        let rows = shape.reduce(1, *) / Swift.max(batches * d, 1)
        // [rows, B, d] → [B, d, rows]: one right-hand side per row, solved by that batch element's L.
        let rhs = diff.expanded(to: shape).reshaped([rows, batches, d]).permuted([1, 2, 0])
        let l = scaleTrilVariable.expanded(to: batchShape + [d, d]).reshaped([batches, d, d])
        let z = try! l.solve(rhs)     // L has a positive diagonal (validated), so it is invertible
        let m = z.squared().sum(axis: 1).transposed().reshaped(Array(shape.dropLast()))
        let halfLogDet = scaleTrilVariable.diagonalPart().log().sum(axis: -1)
        return m * Scalar(-0.5) - halfLogDet - Scalar(Double(d) * halfLog2Pi)
    }
    /// `μ`, broadcast over the batch.
    public var mean: Tensor<Scalar> { loc.expanded(to: batchShape + eventShape).contiguous }
    /// The diagonal of `Σ`, broadcast over the batch.
    public var variance: Tensor<Scalar> { scaleTril.squared().sum(axis: -1).expanded(to: batchShape + eventShape).contiguous }
    /// `(d/2)(1 + log 2π) + Σ log Lᵢᵢ`, per batch element.
    public func entropy() -> Tensor<Scalar> {
        let d = Double(eventShape[0])
        return halfLogDet + Scalar(d * (0.5 + halfLog2Pi))
    }

    /// `KL(p ‖ q) = ½[tr(Σq⁻¹Σp) + ‖Lq⁻¹(μq − μp)‖² − d] + Σ log Lq,ᵢᵢ − Σ log Lp,ᵢᵢ`, per element
    /// of the broadcast of the two batch shapes.
    static func klDivergence(_ p: MultivariateNormal, _ q: MultivariateNormal) -> Tensor<Scalar> {
        let d = p.eventShape[0]
        let batch = broadcastShapes([p.batchShape, q.batchShape])!
        let lp = p.scaleTril.doubles(broadcastTo: batch + [d, d]), lq = q.scaleTril.doubles(broadcastTo: batch + [d, d])
        let mp = p.loc.doubles(broadcastTo: batch + [d]), mq = q.loc.doubles(broadcastTo: batch + [d])
        var out = [Scalar]()
        var column = [Double](repeating: 0, count: d)
        /// Forward substitution `Lq⁻¹ v` in place for batch element `b`.
        func solveQ(_ b: Int, _ v: inout [Double]) {
            for i in 0..<d {
                var s = v[i]
                for j in 0..<i { s -= lq[b * d * d + i * d + j] * v[j] }
                v[i] = s / lq[b * d * d + i * d + i]
            }
        }
        for b in 0..<batch.reduce(1, *) {
            var trace = 0.0, logDet = 0.0
            for k in 0..<d {
                for i in 0..<d { column[i] = lp[b * d * d + i * d + k] }
                solveQ(b, &column)
                trace += column.reduce(0) { $0 + $1 * $1 }
                logDet += log(lq[b * d * d + k * d + k]) - log(lp[b * d * d + k * d + k])
            }
            for i in 0..<d { column[i] = mq[b * d + i] - mp[b * d + i] }
            solveQ(b, &column)
            let maha = column.reduce(0) { $0 + $1 * $1 }
            out.append(Scalar(0.5 * (trace + maha - Double(d)) + logDet))
        }
        return Tensor(shape: batch, scalars: out)
    }
}
