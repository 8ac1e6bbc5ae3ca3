import Foundation

/// The result of evidence maximization: the fitted model and how the iteration went.
public struct EvidenceMaximization: Sendable {
    /// The model at the evidence-maximizing α and β.
    public let model: BayesianLinearRegression
    /// The effective number of parameters γ = Σᵢ λᵢ/(α + λᵢ) (Bishop eq. 3.91).
    public let effectiveParameters: Double
    /// The number of re-estimation steps taken.
    public let iterations: Int
    /// The log evidence after each step.
    public let history: [Double]
}

extension BayesianLinearRegression {
    /// Evidence maximization (type-II maximum likelihood, Bishop PRML §3.5.2): the fixed-point
    /// re-estimation α ← γ/m_Nᵀm_N, β ← (N − γ)/‖t − Φm_N‖² with γ = Σ λᵢ/(α + λᵢ), where βsᵢ²
    /// = λᵢ are the eigenvalues of βΦᵀΦ (from the singular values sᵢ of Φ, not from ΦᵀΦ), until
    /// both precisions change by less than `tolerance` relatively. The same update as
    /// scikit-learn's `BayesianRidge` (whose `lambda_` is α and `alpha_` is β).
    ///
    /// - Parameters:
    ///   - design: Φ, `[N, M]`.
    ///   - targets: t, `[N]`.
    ///   - alpha: the starting prior precision.
    ///   - beta: the starting noise precision (default `1/var(t)`, scikit-learn's start).
    ///   - tolerance: the relative change of α and β that ends the iteration.
    ///   - maxIterations: the most re-estimation steps before giving up.
    /// - Throws: ``BayesianError`` for bad shapes, or when `maxIterations` steps do not converge.
    public static func maximizingEvidence(design: Tensor<Double>, targets: Tensor<Double>, alpha: Double = 1,
                                          beta: Double? = nil, tolerance: Double = 1e-10,
                                          maxIterations: Int = 10_000) throws -> EvidenceMaximization {
        guard design.rank == 2, targets.rank == 1, design.shape[0] == targets.shape[0] else {
            throw BayesianError.invalidArgument("maximizingEvidence: design \(design.shape) and targets \(targets.shape) do not match")
        }
        let t = targets.scalars, n = Double(t.count)
        let meanT = t.reduce(0, +) / n
        let varT = t.reduce(0) { $0 + ($1 - meanT) * ($1 - meanT) } / n
        var a = alpha, b = beta ?? 1 / max(varT, 1e-300)
        let s2 = try design.singularValues().scalars.map { $0 * $0 }
        var history: [Double] = []
        for it in 1...maxIterations {
            let model = try BayesianLinearRegression(design: design, targets: targets, alpha: a, beta: b)
            history.append(model.logEvidence)
            let gamma = s2.reduce(0) { $0 + b * $1 / (a + b * $1) }
            let mm = model.posteriorMean.scalars.reduce(0) { $0 + $1 * $1 }
            let newA = gamma / mm
            guard newA.isFinite, newA < 1e300 else {
                throw BayesianError.didNotConverge("maximizingEvidence: α diverges (the evidence prefers w = 0; γ = \(gamma))")
            }
            let newB = (n - gamma) / model.residualSumOfSquares
            let done = abs(newA - a) <= tolerance * a && abs(newB - b) <= tolerance * b
            a = newA; b = newB
            if done {
                let final = try BayesianLinearRegression(design: design, targets: targets, alpha: a, beta: b)
                let g = s2.reduce(0) { $0 + b * $1 / (a + b * $1) }
                return EvidenceMaximization(model: final, effectiveParameters: g, iterations: it, history: history)
            }
        }
        throw BayesianError.didNotConverge("maximizingEvidence: no convergence in \(maxIterations) iterations (α = \(a), β = \(b))")
    }
}
