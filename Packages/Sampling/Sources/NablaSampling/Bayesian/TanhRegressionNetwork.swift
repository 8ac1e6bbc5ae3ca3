import Foundation

/// A one-hidden-layer tanh network on scalar inputs, f(x; θ) = Σⱼ vⱼ tanh(wⱼx + bⱼ) + c, whose
/// weights are one flat vector θ = [w (H), b (H), v (H), c] of 3H + 1 numbers: the small Bayesian
/// neural network of docs/bayesian.md (NablaSampling cannot use NablaLayers, and samplers want
/// flat vectors anyway).
///
/// With the prior θ ~ 𝒩(0, s²I) and the likelihood yₙ ~ 𝒩(f(xₙ; θ), σ²), ``logPosterior(inputs:targets:noiseStandardDeviation:priorStandardDeviation:)``
/// gives the target of ``MCMC`` (hand-written gradient, checked against Autograd in the tests)
/// and ``logJoint(inputs:targets:noiseStandardDeviation:priorStandardDeviation:)`` the batched
/// log joint of ``VariationalInference``; ``MonteCarloPrediction`` averages f over either's draws.
///
/// ```swift
/// let net = TanhRegressionNetwork(hiddenUnits: 10)               // 31 weights
/// let target = net.logPosterior(inputs: x, targets: y, noiseStandardDeviation: 0.2)
/// let run = try MCMC.sample(target, kernel: .nuts(), seed: 0)
/// let p = MonteCarloPrediction.predict(draws: run, noiseVariance: 0.04) { theta in net(theta, xTest) }
/// ```
public struct TanhRegressionNetwork: Sendable {
    /// The number H of hidden units.
    public let hiddenUnits: Int
    /// The number 3H + 1 of weights.
    public var parameterCount: Int { 3 * hiddenUnits + 1 }

    /// A network of `hiddenUnits` tanh units (1-H-1).
    public init(hiddenUnits: Int = 10) {
        precondition(hiddenUnits >= 1, "TanhRegressionNetwork: hiddenUnits must be ≥ 1, got \(hiddenUnits)")
        self.hiddenUnits = hiddenUnits
    }

    /// f(x; θ) at the inputs `x` (`[n]`) for one weight vector `theta` (`[3H + 1]`); `[n]`.
    public func callAsFunction(_ theta: Tensor<Double>, _ x: Tensor<Double>) -> Tensor<Double> {
        precondition(theta.count == parameterCount, "TanhRegressionNetwork: \(theta.count) weights for \(parameterCount)")
        return Tensor(evaluate(theta.scalars, x.scalars))
    }

    /// f(x; θₛ) for a batch of weight vectors `theta` (`[S, 3H + 1]`) at the inputs `x` (`[n]`),
    /// on the Autograd tape; `[S, n]`.
    public func callAsFunction(_ theta: Variable<Double>, _ x: Tensor<Double>) -> Variable<Double> {
        precondition(theta.rank == 2 && theta.shape[1] == parameterCount,
                     "TanhRegressionNetwork: weights of shape \(theta.shape); expected [S, \(parameterCount)]")
        let s = theta.shape[0], h = hiddenUnits, n = x.count
        let w = theta[TensorIndex.all, 0..<h].reshaped([s, 1, h])
        let b = theta[TensorIndex.all, h..<(2 * h)].reshaped([s, 1, h])
        let v = theta[TensorIndex.all, (2 * h)..<(3 * h)].reshaped([s, 1, h])
        let c = theta[TensorIndex.all, (3 * h)..<(3 * h + 1)]
        let hidden = (w * x.reshaped([1, n, 1]) + b).tanh()
        return (hidden * v).sum(axis: 2) + c
    }

    /// The batched log joint ln 𝒩(y | f(x; θ), σ²I) + ln 𝒩(θ | 0, s²I) for ``VariationalInference``:
    /// `[S, 3H + 1]` → `[S]`.
    public func logJoint(inputs x: Tensor<Double>, targets y: Tensor<Double>, noiseStandardDeviation sigma: Double,
                         priorStandardDeviation prior: Double = 1) -> (Variable<Double>) -> Variable<Double> {
        let n = Double(x.count), p = Double(parameterCount)
        let constant = -n * log(sigma * (2 * Double.pi).squareRoot()) - p * log(prior * (2 * Double.pi).squareRoot())
        return { theta in
            let r = Variable(y.reshaped([1, x.count])) - self(theta, x)
            return (r * r).sum(axis: 1) * (-0.5 / (sigma * sigma)) + (theta * theta).sum(axis: 1) * (-0.5 / (prior * prior)) + constant
        }
    }

    /// The same log joint, for one weight vector, with its gradient written by hand (backpropagation
    /// through one tanh layer): the target of ``MCMC``.
    public func logPosterior(inputs x: Tensor<Double>, targets y: Tensor<Double>, noiseStandardDeviation sigma: Double,
                             priorStandardDeviation prior: Double = 1) -> GradientLogDensityFunction {
        let xs = x.scalars, ys = y.scalars, h = hiddenUnits, p = parameterCount
        let n = Double(xs.count)
        let constant = -n * log(sigma * (2 * Double.pi).squareRoot()) - Double(p) * log(prior * (2 * Double.pi).squareRoot())
        let precision = 1 / (sigma * sigma), priorPrecision = 1 / (prior * prior)
        return GradientLogDensityFunction(dimension: p) { theta, g in
            var lp = constant
            for k in 0..<p { g[k] = -priorPrecision * theta[k]; lp -= 0.5 * priorPrecision * theta[k] * theta[k] }
            var hidden = [Double](repeating: 0, count: h)
            for (xn, yn) in zip(xs, ys) {
                var f = theta[3 * h]
                for j in 0..<h { hidden[j] = Foundation.tanh(theta[j] * xn + theta[h + j]); f += theta[2 * h + j] * hidden[j] }
                let r = (yn - f) * precision
                lp -= 0.5 * (yn - f) * r
                g[3 * h] += r
                for j in 0..<h {
                    let back = r * theta[2 * h + j] * (1 - hidden[j] * hidden[j])
                    g[2 * h + j] += r * hidden[j]
                    g[j] += back * xn
                    g[h + j] += back
                }
            }
            return lp
        }
    }

    /// f at `x` for the flat weights `theta`.
    func evaluate(_ theta: [Double], _ x: [Double]) -> [Double] {
        let h = hiddenUnits
        return x.map { xn in
            var f = theta[3 * h]
            for j in 0..<h { f += theta[2 * h + j] * Foundation.tanh(theta[j] * xn + theta[h + j]) }
            return f
        }
    }
}
