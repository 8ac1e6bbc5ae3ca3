import Foundation

/// Closed-form Kullback–Leibler divergences `KL(p ‖ q)` in a registry keyed by the pair of
/// distribution types, like `torch.distributions.kl.register_kl`. Built-in pairs (Float and
/// Double): Normal, LogNormal, Uniform, Exponential, Laplace, Gamma, Beta, Bernoulli, Geometric,
/// Poisson, Categorical, Dirichlet and MultivariateNormal with themselves.
public enum KL {
    /// A divergence `(p, q) → KL(p ‖ q)` on type-erased distributions (only called under the
    /// registry's contract: the rules registered are `@Sendable`).
    typealias Rule = (Any, Any) -> Any

    final class Registry: @unchecked Sendable {
        let lock = NSLock()
        var rules: [String: Rule] = [:]
        init() {}
    }
    static let registry: Registry = {
        let r = Registry()
        func add<P, Q, S: TensorFloatingPoint>(_: P.Type, _: Q.Type, _ f: @escaping @Sendable (P, Q) -> Tensor<S>) {
            r.rules[key(P.self, Q.self)] = { p, q in f(p as! P, q as! Q) }
        }
        func builtins<S: TensorFloatingPoint>(_: S.Type) {
            add(Normal<S>.self, Normal<S>.self) { (p: Normal<S>, q: Normal<S>) -> Tensor<S> in
                let vr = (p.scale / q.scale).squared(), t = ((p.loc - q.loc) / q.scale).squared()
                return (vr + t - 1 - vr.log()) * S(0.5)
            }
            add(LogNormal<S>.self, LogNormal<S>.self) { (p: LogNormal<S>, q: LogNormal<S>) -> Tensor<S> in
                let vr = (p.base.scale / q.base.scale).squared(), t = ((p.base.loc - q.base.loc) / q.base.scale).squared()
                return (vr + t - 1 - vr.log()) * S(0.5)
            }
            add(Uniform<S>.self, Uniform<S>.self) { (p: Uniform<S>, q: Uniform<S>) -> Tensor<S> in
                elementwise([p.low, p.high, q.low, q.high]) { a in
                    (a[2] > a[0] || a[3] < a[1]) ? .infinity : log((a[3] - a[2]) / (a[1] - a[0]))
                }
            }
            add(Exponential<S>.self, Exponential<S>.self) { (p: Exponential<S>, q: Exponential<S>) -> Tensor<S> in
                let r = q.rate / p.rate
                return r - r.log() - 1
            }
            add(Laplace<S>.self, Laplace<S>.self) { (p: Laplace<S>, q: Laplace<S>) -> Tensor<S> in
                elementwise([p.loc, p.scale, q.loc, q.scale]) { a in
                    let d = abs(a[0] - a[2])
                    return log(a[3] / a[1]) + d / a[3] + a[1] / a[3] * exp(-d / a[1]) - 1
                }
            }
            add(Gamma<S>.self, Gamma<S>.self) { (p: Gamma<S>, q: Gamma<S>) -> Tensor<S> in
                elementwise([p.concentration, p.rate, q.concentration, q.rate]) { a in
                    let (a1, b1, a2, b2) = (a[0], a[1], a[2], a[3])
                    return a2 * log(b1 / b2) + SF.logGamma(a2) - SF.logGamma(a1) + (a1 - a2) * SF.digamma(a1) + (b2 - b1) * a1 / b1
                }
            }
            add(Beta<S>.self, Beta<S>.self) { (p: Beta<S>, q: Beta<S>) -> Tensor<S> in
                elementwise([p.concentration1, p.concentration0, q.concentration1, q.concentration0]) { a in
                    let (a1, b1, a2, b2) = (a[0], a[1], a[2], a[3])
                    return SF.logBeta(a2, b2) - SF.logBeta(a1, b1) + (a1 - a2) * SF.digamma(a1) + (b1 - b2) * SF.digamma(b1)
                        + (a2 - a1 + b2 - b1) * SF.digamma(a1 + b1)
                }
            }
            add(Bernoulli<S>.self, Bernoulli<S>.self) { (p: Bernoulli<S>, q: Bernoulli<S>) -> Tensor<S> in
                elementwise([p.probs, q.probs]) { a in
                    let t1 = a[0] == 0 ? 0 : a[0] * (log(a[0]) - log(a[1]))
                    let t2 = a[0] == 1 ? 0 : (1 - a[0]) * (log1p(-a[0]) - log1p(-a[1]))
                    return t1 + t2
                }
            }
            add(Geometric<S>.self, Geometric<S>.self) { (p: Geometric<S>, q: Geometric<S>) -> Tensor<S> in
                elementwise([p.probs, q.probs]) { a in
                    (-xlogx(1 - a[0]) - xlogx(a[0])) / a[0] * -1 - (a[0] == 1 ? 0 : log1p(-a[1]) * (1 - a[0]) / a[0]) - log(a[1])
                }
            }
            add(Poisson<S>.self, Poisson<S>.self) { (p: Poisson<S>, q: Poisson<S>) -> Tensor<S> in
                elementwise([p.rate, q.rate]) { a in (a[0] == 0 ? 0 : a[0] * (log(a[0]) - log(a[1]))) - (a[0] - a[1]) }
            }
            add(Categorical<S>.self, Categorical<S>.self) { (p: Categorical<S>, q: Categorical<S>) -> Tensor<S> in
                p.probs.zipWith(q.probs) { a, b in a == 0 ? S(0) : a * (S.log(a) - S.log(b)) }.sum(axis: -1)
            }
            add(Dirichlet<S>.self, Dirichlet<S>.self) { (p: Dirichlet<S>, q: Dirichlet<S>) -> Tensor<S> in
                let k = p.eventShape[0]
                let a = p.concentration.scalars.map { Double($0) }, b = q.concentration.scalars.map { Double($0) }
                return Tensor(shape: p.batchShape, scalars: (0..<(a.count / k)).map { r in
                    let ar = a[(r * k)..<((r + 1) * k)], br = b[(r * k)..<((r + 1) * k)]
                    let a0 = ar.reduce(0, +), b0 = br.reduce(0, +)
                    var s = SF.logGamma(a0) - SF.logGamma(b0)
                    for (ai, bi) in zip(ar, br) { s += SF.logGamma(bi) - SF.logGamma(ai) + (ai - bi) * (SF.digamma(ai) - SF.digamma(a0)) }
                    return S(s)
                })
            }
            add(MultivariateNormal<S>.self, MultivariateNormal<S>.self) { (p: MultivariateNormal<S>, q: MultivariateNormal<S>) -> Tensor<S> in
                MultivariateNormal<S>.klDivergence(p, q)
            }
        }
        builtins(Float.self)
        builtins(Double.self)
        return r
    }()

    static func key(_ p: Any.Type, _ q: Any.Type) -> String { "\(String(reflecting: p))|\(String(reflecting: q))" }

    /// Registers (or replaces) the divergence between distributions of types `P` and `Q`.
    public static func register<P: Distribution, Q: Distribution>(
        _: P.Type, _: Q.Type, _ rule: @escaping @Sendable (P, Q) -> Tensor<P.Scalar>) {
        registry.lock.lock(); defer { registry.lock.unlock() }
        registry.rules[key(P.self, Q.self)] = { p, q in rule(p as! P, q as! Q) }
    }

    /// `KL(p ‖ q)`, of the broadcast batch shape.
    /// - Throws: ``DistributionError/invalidParameter(distribution:parameter:reason:)`` when no
    ///   closed form is registered for the pair.
    public static func divergence<P: Distribution, Q: Distribution>(_ p: P, _ q: Q) throws(DistributionError) -> Tensor<P.Scalar> {
        registry.lock.lock()
        let rule = registry.rules[key(P.self, Q.self)]
        registry.lock.unlock()
        guard let rule, let t = rule(p, q) as? Tensor<P.Scalar> else {
            throw .invalidParameter(distribution: "KL", parameter: "(\(P.self), \(Q.self))", reason: "has no registered closed form")
        }
        return t
    }
}
