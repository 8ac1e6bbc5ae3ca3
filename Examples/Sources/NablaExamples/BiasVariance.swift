import Foundation
import NablaTensor
import NablaData
import NablaPlot

/// The bias–variance decomposition of polynomial regression on the sine data, by Monte Carlo.
///
/// For each degree, `dataSets` training sets of N = 20 points are drawn
/// (`Generators.sineRegression(count: 20, seed: 1000 + m)`) and fitted by least squares. At
/// `testPoints` evenly spaced x in [−4.5, 4.5] (inside the data's range, so no fit extrapolates),
/// with f̄(x) the mean fit: bias² = mean_x (f̄ − f)², variance = mean_x mean_m (f_m − f̄)²,
/// noise = σ² = 0.04, and the expected squared error is estimated with a fresh noisy target
/// y = f(x) + σε for every (m, x) (Philox seed 99).
public struct BiasVarianceResult: Sendable {
    /// One row per degree.
    public struct Row: Sendable {
        /// The polynomial degree.
        public var degree: Int
        /// bias², variance and the noise σ².
        public var biasSquared: Double, variance: Double, noise: Double
        /// The Monte Carlo estimate of E[(y − f_m(x))²].
        public var expectedError: Double
        /// Its standard error: the standard deviation of (y − f_m)² − (f − f_m)² − σ² over the
        /// samples, divided by √(samples). `expectedError − (noise + bias² + variance)` is the mean
        /// of that term, so it is zero up to Monte Carlo error.
        public var standardError: Double
    }
    /// The rows, by degree.
    public var rows: [Row]
    /// The figure `bias-variance.svg`.
    public var figures: [(name: String, svg: String)]
}

/// Estimates the decomposition for each degree.
public func biasVariance(degrees: [Int] = [1, 3, 5, 7, 9], dataSets: Int = 200, testPoints: Int = 50) throws -> BiasVarianceResult {
    let sigma = 0.2
    let xs = linspace(-4.5, 4.5, testPoints)
    let f = xs.map(Generators.sineTarget)
    var rows: [BiasVarianceResult.Row] = []
    for degree in degrees {
        var fits: [[Double]] = []
        for m in 0..<dataSets {
            let d = Generators.sineRegression(count: 20, noise: sigma, seed: 1000 + UInt64(m))
            let w = try lstsq(d.x.scalars.map { legendreFeatures($0, degree: degree) }, d.y.scalars)
            fits.append(xs.map { dot(legendreFeatures($0, degree: degree), w) })
        }
        let fbar = (0..<testPoints).map { j in fits.reduce(0) { $0 + $1[j] } / Double(dataSets) }
        let bias2 = mse(fbar, f)
        let variance = fits.reduce(0) { $0 + mse($1, fbar) } / Double(dataSets)
        var g = PhiloxGenerator(seed: 99)
        var sumErr = 0.0, terms: [Double] = []
        for fit in fits {
            for j in 0..<testPoints {
                let y = f[j] + sigma * normal(&g)
                let e = (y - fit[j]) * (y - fit[j])
                sumErr += e
                terms.append(e - (f[j] - fit[j]) * (f[j] - fit[j]) - sigma * sigma)
            }
        }
        let n = Double(terms.count)
        let tm = terms.reduce(0, +) / n
        let sd = (terms.reduce(0) { $0 + ($1 - tm) * ($1 - tm) } / (n - 1)).squareRoot()
        rows.append(.init(degree: degree, biasSquared: bias2, variance: variance, noise: sigma * sigma,
                          expectedError: sumErr / n, standardError: sd / n.squareRoot()))
    }
    var fig = Figure(title: "Bias–variance decomposition (200 data sets of N = 20)", xLabel: "degree", yLabel: "log₁₀ error")
    let ds = rows.map { Double($0.degree) }
    fig.line(x: ds, y: rows.map { log10($0.biasSquared) }, label: "bias²")
    fig.line(x: ds, y: rows.map { log10($0.variance) }, label: "variance")
    fig.line(x: ds, y: rows.map { log10($0.noise) }, label: "noise σ²", dashed: true)
    fig.line(x: ds, y: rows.map { log10($0.expectedError) }, label: "expected squared error", width: 3)
    fig.scatter(x: ds, y: rows.map { log10($0.noise + $0.biasSquared + $0.variance) }, label: "noise + bias² + variance",
                color: Color(hex: 0x000000))
    return BiasVarianceResult(rows: rows, figures: [("bias-variance.svg", fig.svg())])
}

extension BiasVarianceResult {
    /// The printed summary.
    public var output: ExampleOutput {
        var lines = ["degree      bias²    variance   noise   noise+bias²+var   E[(y−f̂)²] ± SE"]
        for r in rows {
            lines.append(String(format: "%6d  %9.5f  %9.5f  %6.3f   %12.6f   %12.6f ± %.6f", r.degree, r.biasSquared, r.variance,
                                r.noise, r.noise + r.biasSquared + r.variance, r.expectedError, r.standardError))
        }
        return ExampleOutput(lines: lines, figures: figures)
    }
}

/// L1 (lasso) by proximal gradient against L2 (ridge): only L1 gives exact zeros.
///
/// Degree-16 Legendre features of the 20 sine points; lasso minimizes
/// (1/2N)‖y − Φw‖² + α·Σ_{j≥1}|w_j| by ISTA (step 1/L, L = σ_max(Φ)²/N; the proximal step is
/// soft thresholding w_j ← sign(v_j)·max(|v_j| − α/L, 0), the intercept is not penalized), run
/// until no weight moves by more than 1e-13. Ridge minimizes (1/2N)‖y − Φw‖² + (λ/2)Σ_{j≥1}w_j² at
/// the same strength λ = α.
public struct LassoResult: Sendable {
    /// α.
    public var alpha: Double
    /// The lasso weights.
    public var lasso: [Double]
    /// The ridge weights.
    public var ridge: [Double]
    /// ISTA's iterations.
    public var iterations: Int
    /// Weights exactly 0 in each.
    public var lassoZeros: Int, ridgeZeros: Int
    /// The figure `lasso-vs-ridge.svg`: |w_j| of each on a log scale.
    public var figures: [(name: String, svg: String)]
}

/// Fits lasso and ridge; see ``LassoResult``.
public func lasso(alpha: Double = 0.01, maxIterations: Int = 200_000) throws -> LassoResult {
    let d = Generators.sineRegression(count: 20, seed: 0)
    let phi = d.x.scalars.map { legendreFeatures($0, degree: 16) }
    let y = d.y.scalars
    let n = Double(phi.count), p = 17
    let smax = try tensor(phi).singularValues().scalars.max()!
    let L = smax * smax / n
    var w = [Double](repeating: 0, count: p)
    var it = 0
    while it < maxIterations {
        it += 1
        let r = zip(apply(phi, w), y).map { $0 - $1 }
        var moved = 0.0
        var next = w
        for j in 0..<p {
            var gj = 0.0
            for i in phi.indices { gj += phi[i][j] * r[i] }
            let v = w[j] - gj / n / L
            next[j] = j == 0 ? v : (v > 0 ? 1 : -1) * max(abs(v) - alpha / L, 0)
            moved = max(moved, abs(next[j] - w[j]))
        }
        w = next
        if moved < 1e-13 { break }
    }
    // Ridge at the same strength: (1/2N)‖r‖² + (α/2)‖w‖² ⇔ ‖r‖² + Nα‖w‖².
    let wr = try ridge(phi, y, lambda: n * alpha)
    var fig = Figure(title: "Degree-16 weights: L1 (lasso, α = \(alpha)) vs L2 (ridge)", xLabel: "Legendre index j",
                     yLabel: "log₁₀ |w_j| (exact zeros at −16)")
    let js = (0..<p).map(Double.init)
    fig.line(x: js, y: wr.map { log10(max(abs($0), 1e-16)) }, label: "ridge: \(wr.filter { $0 == 0 }.count) zeros")
    fig.line(x: js, y: w.map { log10(max(abs($0), 1e-16)) }, label: "lasso: \(w.filter { $0 == 0 }.count) zeros")
    fig.scatter(x: js, y: w.map { log10(max(abs($0), 1e-16)) }, color: Color.palette[1])
    return LassoResult(alpha: alpha, lasso: w, ridge: wr, iterations: it, lassoZeros: w.filter { $0 == 0 }.count,
                       ridgeZeros: wr.filter { $0 == 0 }.count, figures: [("lasso-vs-ridge.svg", fig.svg())])
}

extension LassoResult {
    /// The printed summary.
    public var output: ExampleOutput {
        ExampleOutput(lines: [
            "α = \(alpha); ISTA converged in \(iterations) iterations",
            "lasso weights: " + lasso.map { fmt($0, 4) }.joined(separator: " "),
            "ridge weights: " + ridge.map { fmt($0, 4) }.joined(separator: " "),
            "exact zeros: lasso \(lassoZeros) of 16 penalized, ridge \(ridgeZeros)",
        ], figures: figures)
    }
}
