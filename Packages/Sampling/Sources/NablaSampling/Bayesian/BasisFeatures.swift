import NablaData

/// A basis-function map `φ: ℝᵈ → ℝᴹ` for linear-in-the-parameters models (Bishop, PRML §3.1):
/// `y(x, w) = wᵀφ(x)`. Inputs are `[n, d]` (or `[n]` for one input column); the design matrix
/// `Φ` is `[n, M]`.
///
/// ```swift
/// let features = BasisFeatures.polynomial(degree: 16)        // [1, x, …, x¹⁶]
/// let design = features.design(x)                             // Φ, [20, 17]
/// ```
public struct BasisFeatures: Sendable {
    /// Maps `[n, d]` (or `[n]`) inputs to the `[n, M]` design matrix.
    public let map: @Sendable (Tensor<Double>) -> Tensor<Double>
    /// A short description (`"polynomial of degree 16"`).
    public let name: String

    /// Features from any map of `[n, d]` (or `[n]`) inputs to an `[n, M]` design matrix.
    public init(name: String, _ map: @escaping @Sendable (Tensor<Double>) -> Tensor<Double>) {
        self.name = name
        self.map = map
    }

    /// The design matrix `Φ` (`[n, M]`) of the inputs `x`.
    public func design(_ x: Tensor<Double>) -> Tensor<Double> { map(x) }

    /// Every monomial of total degree `0…degree` of the inputs divided by `scale` (NablaData's
    /// `Features.polynomial`, in scikit-learn's `PolynomialFeatures` order); one input gives
    /// `[1, x/s, …, (x/s)^degree]`. The same function class for every `scale`, but an isotropic
    /// prior 𝒩(0, α⁻¹I) means something sensible only when the features have comparable
    /// ranges: scale inputs to about [−1, 1] (s = 5 for x ∈ [−5, 5]).
    public static func polynomial(degree: Int, scale: Double = 1) -> BasisFeatures {
        precondition(scale > 0, "BasisFeatures.polynomial: scale must be positive")
        return BasisFeatures(name: "polynomial of degree \(degree)") {
            Features.polynomial(scale == 1 ? $0 : $0 / scale, degree: degree)
        }
    }

    /// Gaussian radial basis functions `exp(−‖x − cⱼ‖² / (2·width²))` at `centers` (`[m, d]` or
    /// `[m]`), with a leading constant column when `bias` (NablaData's `Features.gaussian`).
    public static func gaussianRBF(centers: Tensor<Double>, width: Double, bias: Bool = true) -> BasisFeatures {
        BasisFeatures(name: "\(centers.shape[0]) Gaussian RBFs of width \(width)") {
            Features.gaussian($0, centers: centers, width: width, bias: bias)
        }
    }
}
