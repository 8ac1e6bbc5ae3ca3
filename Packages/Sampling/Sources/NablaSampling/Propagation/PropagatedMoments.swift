/// The mean and covariance of y = f(x) found by one of the ``PropagationMethod``s.
public struct PropagatedMoments: Sendable {
    /// E[y], `[k]`.
    public let mean: [Double]
    /// Cov[y], row-major `[k·k]`.
    public let covariance: [Double]
    /// The Monte Carlo standard error of each mean component (nil for deterministic methods).
    public let meanStandardError: [Double]?
    /// The Monte Carlo standard error of each covariance entry (nil for deterministic methods).
    public let covarianceStandardError: [Double]?
    /// How many evaluations of f the method used (a Jacobian counts as one).
    public let evaluations: Int

    /// Moments from their parts.
    public init(mean: [Double], covariance: [Double], meanStandardError: [Double]? = nil,
                covarianceStandardError: [Double]? = nil, evaluations: Int) {
        self.mean = mean
        self.covariance = covariance
        self.meanStandardError = meanStandardError
        self.covarianceStandardError = covarianceStandardError
        self.evaluations = evaluations
    }

    /// The output dimension k.
    public var dimension: Int { mean.count }

    /// The diagonal of the covariance.
    public var variance: [Double] { (0..<dimension).map { covariance[$0 * dimension + $0] } }
}
