import Foundation
import Testing
import NablaSampling

// Reference values: `python3 scripts/gamma_reparameterization_reference.py` (SciPy 1.17.1, torch 2.15.0,
// mpmath 1.3.0). dx/dα "exact" is mpmath's −(∂P/∂α)/(∂P/∂x) at 40 digits; "torch" is
// `torch._standard_gamma_grad` (a single-precision approximation, within 2e-4 of the exact value).

/// Central difference of `f` at `x` with step `h`.
private func centralDifference(_ f: (Double) -> Double, at x: Double, step h: Double) -> Double {
    (f(x + h) - f(x - h)) / (2 * h)
}

@Suite struct GammaReparameterizationTests {
    typealias SF = SpecialFunctions

    @Test func polygammaMatchesSciPy() {
        let cases: [(Int, Double, Double)] = [
            (1, 0.3, 12.245364546107734), (1, 2.5, 0.4903577561002349), (2, 0.7, -6.434992874190923),
            (3, 4.2, 0.03812584146098512), (1, 25.0, 0.04081066325722558), (2, 100.0, -0.00010100499983335001),
        ]
        for (n, x, ref) in cases { #expect(close(SF.polygamma(n, x), ref, rtol: 1e-12), "polygamma(\(n), \(x))") }
        #expect(SF.polygamma(1, 0).isNaN)
    }

    @Test func gammaQuantileMatchesSciPy() {
        let cases: [(Double, Double, Double)] = [
            (0.3, 0.2, 0.0032703395246849493), (0.7, 0.9, 1.7571285107044203), (2.5, 0.5, 2.175730095547763),
            (9.0, 0.05, 4.695227540344492), (50.0, 0.99, 67.90336158551338), (1.0, 0.999, 6.907755278982137),
        ]
        for (a, p, ref) in cases {
            #expect(close(SF.regularizedGammaPInverse(a, p), ref, rtol: 1e-12), "gammaincinv(\(a), \(p))")
        }
        #expect(SF.regularizedGammaPInverse(2, 0) == 0)
        #expect(SF.regularizedGammaPInverse(2, 1) == .infinity)
        #expect(SF.regularizedGammaPInverse(-1, 0.5).isNaN)
    }

    /// dx/dα against mpmath (exact) and torch._standard_gamma_grad (its approximation error is ~1e-4).
    @Test func quantileDerivativeMatchesMpmathAndTorch() {
        let cases: [(a: Double, x: Double, exact: Double, torch: Double)] = [
            (0.3, 0.05, 0.4947109870041313, 0.49471098700419375), (0.7, 1.3, 1.6820423939530456, 1.6821569762084054),
            (1.0, 0.5, 0.806979116825318, 0.8069784920049818), (2.5, 1.7, 0.8750443814204039, 0.8750256943451893),
            (2.5, 6.0, 1.6029866492202411, 1.6029430087332632), (9.0, 4.0, 0.6605616333141401, 0.6606786663183999),
            (9.0, 15.0, 1.3008164356778, 1.3009701843332564), (50.0, 60.0, 1.0975795857767268, 1.0975868862571256),
            (200.0, 180.0, 0.9490349251117779, 0.9491228739009201),
        ]
        for c in cases {
            let g = SF.standardGammaQuantileDerivative(c.a, c.x)
            #expect(close(g, c.exact, rtol: 1e-10), "dx/da(\(c.a), \(c.x)) = \(g), mpmath \(c.exact)")
            #expect(close(g, c.torch, rtol: 2e-4), "dx/da(\(c.a), \(c.x)) = \(g), torch \(c.torch)")
        }
        #expect(SF.standardGammaQuantileDerivative(0.5, 0) == 0)
    }

    /// dx/dα and its partials against central differences of the quantile function in Double.
    @Test func quantileDerivativesMatchFiniteDifferencesOfTheQuantile() {
        for (a, u) in [(0.4, 0.3), (1.0, 0.7), (2.5, 0.5), (7.0, 0.05), (30.0, 0.95)] {
            let x = SF.regularizedGammaPInverse(a, u)
            let fd = centralDifference({ SF.regularizedGammaPInverse($0, u) }, at: a, step: 1e-5 * a)
            #expect(close(SF.standardGammaQuantileDerivative(a, x), fd, rtol: 1e-7), "dx/da at a=\(a), u=\(u)")
            let p = SF.standardGammaQuantileDerivativePartials(a, x)
            let ga = centralDifference({ SF.standardGammaQuantileDerivative($0, x) }, at: a, step: 1e-5 * a)
            let gx = centralDifference({ SF.standardGammaQuantileDerivative(a, $0) }, at: x, step: 1e-5 * x)
            #expect(close(p.a, ga, rtol: 1e-6, atol: 1e-8), "∂g/∂a at a=\(a), x=\(x): \(p.a) vs \(ga)")
            #expect(close(p.x, gx, rtol: 1e-6, atol: 1e-8), "∂g/∂x at a=\(a), x=\(x): \(p.x) vs \(gx)")
        }
    }

    /// The registered ops pass the registry's gradient check (first and second order, reverse and forward mode).
    @Test func samplingOperatorsPassGradcheck() {
        let registry = OpRegistry()
        SamplingOperators.register(in: registry)
        #expect(registry.names == ["sampling.lgamma", "sampling.digamma", "sampling.trigamma", "sampling.standard_gamma_quantile"])
        for op in registry.all {
            for report in checkGradients(of: op) {
                #expect(report.passed, "\(op.name): \(String(describing: report.worst))")
            }
        }
    }

    /// Gamma, Beta, Dirichlet and StudentT `rsample` gradients against central differences of the
    /// same draws written through the quantile function: the test redraws the gammas with the same
    /// seed, recovers their levels `u = P(α, x)`, and differentiates `P⁻¹(α, u)` numerically in Double.
    @Test func rsampleGradientsMatchFiniteDifferencesOfTheQuantile() throws {
        let n = 40
        func gammas(_ alpha: Double, _ seed: UInt64, count: Int = n) -> [Double] {
            var g = PhiloxGenerator(seed: seed)
            return Tensor<Double>.randomGamma([count], alpha: Tensor(alpha), using: &g).scalars
        }
        func levels(_ alpha: Double, _ x: [Double]) -> [Double] { x.map { SF.regularizedGammaP(alpha, $0) } }
        func quantiles(_ alpha: Double, _ u: [Double]) -> [Double] { u.map { SF.regularizedGammaPInverse(alpha, $0) } }
        func expectClose(_ a: Double, _ b: Double, _ what: String) { #expect(close(a, b, rtol: 1e-6, atol: 1e-9), "\(what): autograd \(a), fd \(b)") }

        // Gamma(α, β): f = mean(x²), x = P⁻¹(α, u)/β.
        do {
            let (alpha, beta) = (2.5, 1.5)
            let grad = try gradient(at: Tensor([alpha, beta])) { p in
                var g = PhiloxGenerator(seed: 11)
                return try Gamma(concentration: p[0].reshaped([]), rate: p[1].reshaped([])).rsample([n], using: &g).squared().mean()
            }
            let u = levels(alpha, gammas(alpha, 11))
            let f = { (a: Double, b: Double) in quantiles(a, u).map { ($0 / b) * ($0 / b) }.reduce(0, +) / Double(n) }
            expectClose(grad.scalars[0], centralDifference({ f($0, beta) }, at: alpha, step: 1e-5), "Gamma dα")
            expectClose(grad.scalars[1], centralDifference({ f(alpha, $0) }, at: beta, step: 1e-5), "Gamma dβ")
        }
        // Gamma with α < 1 (the boosted branch of the sampler).
        do {
            let alpha = 0.35
            let grad = try gradient(at: Tensor([alpha])) { p in
                var g = PhiloxGenerator(seed: 12)
                return try Gamma(concentration: p.reshaped([]), rate: Variable(Tensor(1.0))).rsample([n], using: &g).sqrt().mean()
            }
            let u = levels(alpha, gammas(alpha, 12))
            let fd = centralDifference({ quantiles($0, u).map { $0.squareRoot() }.reduce(0, +) / Double(n) }, at: alpha, step: 1e-6)
            expectClose(grad.scalars[0], fd, "Gamma(0.35) dα")
        }
        // Beta(α, β) = X/(X + Y): the gammas are drawn X first, then Y, from one generator.
        do {
            let (alpha, beta) = (2.0, 3.5)
            let grad = try gradient(at: Tensor([alpha, beta])) { p in
                var g = PhiloxGenerator(seed: 13)
                return try Beta(concentration1: p[0].reshaped([]), concentration0: p[1].reshaped([])).rsample([n], using: &g).squared().mean()
            }
            var g = PhiloxGenerator(seed: 13)
            let x = Tensor<Double>.randomGamma([n], alpha: Tensor(alpha), using: &g).scalars
            let y = Tensor<Double>.randomGamma([n], alpha: Tensor(beta), using: &g).scalars
            let (ux, uy) = (levels(alpha, x), levels(beta, y))
            let f = { (a: Double, b: Double) in
                zip(quantiles(a, ux), quantiles(b, uy)).map { let r = $0 / ($0 + $1); return r * r }.reduce(0, +) / Double(n)
            }
            expectClose(grad.scalars[0], centralDifference({ f($0, beta) }, at: alpha, step: 1e-5), "Beta dα")
            expectClose(grad.scalars[1], centralDifference({ f(alpha, $0) }, at: beta, step: 1e-5), "Beta dβ")
        }
        // Dirichlet([1.5, 2, 0.7]) with f = mean over draws of x · [1, 2, 3].
        do {
            let alpha = [1.5, 2.0, 0.7], m = 20
            let grad = try gradient(at: Tensor(alpha)) { p in
                var g = PhiloxGenerator(seed: 14)
                return try Dirichlet(concentration: p).rsample([m], using: &g).matmul(Variable(Tensor([[1.0], [2], [3]]))).mean()
            }
            var g = PhiloxGenerator(seed: 14)
            let draws = Tensor<Double>.randomGamma([m, 3], alpha: Tensor(alpha), using: &g).scalars
            let u = draws.enumerated().map { SF.regularizedGammaP(alpha[$0.offset % 3], $0.element) }
            let f = { (a: [Double]) -> Double in
                var total = 0.0
                for r in 0..<m {
                    let q = (0..<3).map { SF.regularizedGammaPInverse(a[$0], u[3 * r + $0]) }
                    let s = q.reduce(0, +)
                    total += (q[0] + 2 * q[1] + 3 * q[2]) / s
                }
                return total / Double(m)
            }
            for i in 0..<3 {
                let fd = centralDifference({ v in var a = alpha; a[i] = v; return f(a) }, at: alpha[i], step: 1e-5)
                expectClose(grad.scalars[i], fd, "Dirichlet dα[\(i)]")
            }
        }
        // StudentT(ν, loc, scale) = loc + scale·Z/√(2G/ν), G ~ Gamma(ν/2); Z drawn first.
        do {
            let (nu, loc, scale) = (4.5, 0.5, 2.0)
            let grad = try gradient(at: Tensor([nu, loc, scale])) { p in
                var g = PhiloxGenerator(seed: 15)
                return try StudentT(degreesOfFreedom: p[0].reshaped([]), loc: p[1].reshaped([]), scale: p[2].reshaped([]))
                    .rsample([n], using: &g).squared().mean()
            }
            var g = PhiloxGenerator(seed: 15)
            let z = Tensor<Double>.randomNormal([n], using: &g).scalars
            let u = levels(nu / 2, Tensor<Double>.randomGamma([n], alpha: Tensor(nu / 2), using: &g).scalars)
            let f = { (v: Double, l: Double, s: Double) -> Double in
                zip(z, quantiles(v / 2, u)).map { let t = l + s * $0 / (2 * $1 / v).squareRoot(); return t * t }.reduce(0, +) / Double(n)
            }
            expectClose(grad.scalars[0], centralDifference({ f($0, loc, scale) }, at: nu, step: 1e-5), "StudentT dν")
            expectClose(grad.scalars[1], centralDifference({ f(nu, $0, scale) }, at: loc, step: 1e-5), "StudentT dloc")
            expectClose(grad.scalars[2], centralDifference({ f(nu, loc, $0) }, at: scale, step: 1e-5), "StudentT dscale")
        }
    }

    /// A fixed gamma draw recorded as the quantile op (as `rsample` records it), composed like Beta,
    /// Dirichlet and StudentT: gradients against PyTorch's for the same fixed draws.
    @Test func compositionsMatchTorchForFixedDraws() throws {
        func fixed(_ alpha: Variable<Double>, _ draw: Tensor<Double>) -> Variable<Double> {
            let u = Tensor(shape: draw.shape, scalars: zip(alpha.value.expanded(to: draw.shape).scalars, draw.scalars).map { SF.regularizedGammaP($0, $1) })
            return Variable.applying(StandardGammaQuantile(), alpha.expanded(to: draw.shape), Variable(u), value: draw)
        }
        let beta = gradient(at: Tensor([2.0, 3.5])) { p in
            let g1 = fixed(p[0].reshaped([]), Tensor(1.2)), g2 = fixed(p[1].reshaped([]), Tensor(2.7))
            return g1 / (g1 + g2)
        }
        #expect(close(beta.scalars[0], 0.14746791084393918, rtol: 2e-4) && close(beta.scalars[1], -0.07244776230064463, rtol: 2e-4), "\(beta)")
        let dirichlet = gradient(at: Tensor([1.5, 2.0, 3.0])) { a in
            let g = fixed(a, Tensor([0.8, 2.1, 3.3]))
            return (g / g.sum() * Variable(Tensor([1.0, 2, 3]))).sum()
        }
        for (v, ref) in zip(dirichlet.scalars, [-0.18067490050747712, -0.07238562795146061, 0.10667476667926352]) {
            #expect(close(v, ref, rtol: 2e-4), "Dirichlet \(dirichlet)")
        }
        let studentT = gradient(at: Tensor([4.5, 0.5, 2.0])) { p in
            let nu = p[0].reshaped([])
            let g = fixed(nu * 0.5, Tensor(1.9))
            return p[1].reshaped([]) + p[2].reshaped([]) * 0.7 / (g * 2 / nu).sqrt()
        }
        for (v, ref) in zip(studentT.scalars, [-0.02870453392791747, 1.0, 0.7617500626155123]) {
            #expect(close(v, ref, rtol: 2e-4), "StudentT \(studentT)")
        }
    }

    /// The reparameterization gradient is unbiased: the average of d x/dα over many draws of
    /// Beta(α, β) matches d E[x]/dα = β/(α + β)² within 4 Monte Carlo standard errors.
    @Test func betaGradientIsUnbiased() throws {
        let (alpha, beta, n) = (2.0, 3.5, 20_000)
        // One α per draw (a batch of n identical Betas), so the gradient of the sum holds each draw's dx/dα.
        let perDraw = try gradient(at: Tensor(repeating: alpha, shape: [n])) { a in
            var g = PhiloxGenerator(seed: 21)
            return try Beta(concentration1: a, concentration0: Variable(Tensor(beta))).rsample([], using: &g).sum()
        }.scalars
        let mean = perDraw.reduce(0, +) / Double(n)
        let sd = (perDraw.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)).squareRoot()
        let exact = beta / ((alpha + beta) * (alpha + beta))
        #expect(abs(mean - exact) < 4 * sd / Double(n).squareRoot(), "mean dx/dα \(mean), exact \(exact), se \(sd / Double(n).squareRoot())")
    }

    /// The Variable logProb of each family equals the tensor one and differentiates like torch's.
    @Test func differentiableLogProbMatchesTensorLogProb() throws {
        let x = Tensor([0.3, 1.7])
        let gamma = try Gamma<Double>(concentration: Tensor(2.5), rate: Tensor(1.5))
        #expect(zip(gamma.logProb(Variable(x)).scalars, gamma.logProb(x).scalars).allSatisfy { close($0, $1, rtol: 1e-12) })
        let beta = try Beta<Double>(concentration1: Tensor(2.0), concentration0: Tensor(3.5))
        #expect(zip(beta.logProb(Variable(Tensor([0.3, 0.8]))).scalars, beta.logProb(Tensor([0.3, 0.8])).scalars).allSatisfy { close($0, $1, rtol: 1e-12) })
        let t = try StudentT<Double>(degreesOfFreedom: Tensor(4.5), loc: Tensor(0.5), scale: Tensor(2.0))
        #expect(zip(t.logProb(Variable(x)).scalars, t.logProb(x).scalars).allSatisfy { close($0, $1, rtol: 1e-12) })
        let d = try Dirichlet<Double>(concentration: Tensor([1.5, 2.0, 3.0]))
        let v = Tensor([0.2, 0.3, 0.5])
        #expect(close(d.logProb(Variable(v)).scalar, d.logProb(v).scalar, rtol: 1e-12))
        // d/dα log Gamma(x; α, β) at x = 1.2, α = 2.5, β = 1.5: log β + log x − ψ(α), from torch:
        //   a = torch.tensor(2.5, requires_grad=True); D.Gamma(a, 1.5).log_prob(torch.tensor(1.2)).backward(); a.grad
        let grad = try gradient(at: Tensor(2.5)) { a in try Gamma(concentration: a, rate: Variable(Tensor(1.5))).logProb(Variable(Tensor(1.2))) }
        #expect(close(grad.scalar, -0.11536997574312413, rtol: 1e-10), "\(grad)")
    }
}
