import Foundation
import NablaTensor
import NablaPlot

/// What an example hands back to the command line: the lines it prints and the figures it draws.
public struct ExampleOutput: Sendable {
    /// The result, one line per number or finding, as printed by `nabla-examples <name>`.
    public var lines: [String]
    /// The figures as `(file name, SVG document)`, written to the `--output` directory.
    public var figures: [(name: String, svg: String)]

    /// An output with `lines` and `figures`.
    public init(lines: [String], figures: [(name: String, svg: String)]) {
        self.lines = lines
        self.figures = figures
    }
}

/// One runnable example: its command-line name, a one-line description and how to run it.
public struct Example: Sendable {
    /// The name given to `nabla-examples` (e.g. `linear-regression`).
    public var name: String
    /// What the example shows, for `--help` and `--list`.
    public var summary: String
    /// Computes the example with its default (documented) settings.
    public var run: @Sendable () throws -> ExampleOutput

    /// An example named `name`.
    public init(name: String, summary: String, run: @escaping @Sendable () throws -> ExampleOutput) {
        self.name = name
        self.summary = summary
        self.run = run
    }
}

// MARK: - Random numbers (Philox, so every example repeats exactly)

/// A uniform draw in [0, 1) with 53 random bits.
@inline(__always) func uniform(_ g: inout PhiloxGenerator) -> Double {
    Double(g.next() >> 11) * 0x1p-53
}

/// A standard normal draw (Box–Muller, cosine branch; two uniforms per draw).
@inline(__always) func normal(_ g: inout PhiloxGenerator) -> Double {
    let u1 = 1 - uniform(&g)            // (0, 1]
    let u2 = uniform(&g)
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}

// MARK: - Small dense linear algebra on row arrays

/// `rows` (n×d) as a `Tensor<Double>`.
func tensor(_ rows: [[Double]]) -> Tensor<Double> {
    Tensor(shape: [rows.count, rows.first?.count ?? 0], scalars: rows.flatMap { $0 })
}

/// The least-squares solution of `A w ≈ b` by LAPACK's `gelsd` (`torch.linalg.lstsq`).
func lstsq(_ A: [[Double]], _ b: [Double]) throws -> [Double] {
    try tensor(A).leastSquares(Tensor(b)).scalars
}

/// Σᵢ aᵢbᵢ.
@inline(__always) func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}

/// `A·w` for rows `A`.
func apply(_ A: [[Double]], _ w: [Double]) -> [Double] { A.map { dot($0, w) } }

/// The mean of `v`.
func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

/// The mean squared difference of `a` and `b`.
func mse(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += (a[i] - b[i]) * (a[i] - b[i]) }
    return s / Double(a.count)
}

/// `n` evenly spaced values from `a` to `b` inclusive.
func linspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
    (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }
}

/// The logistic sigmoid 1/(1 + e^{−z}), computed without overflow.
@inline(__always) func sigmoid(_ z: Double) -> Double {
    z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
}

/// A number with `digits` significant digits, for printed lines.
func fmt(_ x: Double, _ digits: Int = 6) -> String { String(format: "%.\(digits)g", x) }
