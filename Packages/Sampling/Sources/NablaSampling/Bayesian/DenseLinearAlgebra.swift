import Foundation

/// Small dense Double linear algebra on row-major `[Double]` matrices, for the Bayesian and
/// quadrature code (matrices of a few hundred rows at most). Internal.
enum Dense {
    /// The lower Cholesky factor `L` of the symmetric positive definite `n×n` matrix `a`
    /// (`a = L·Lᵀ`), reading the lower triangle. Returns nil when a pivot is not positive.
    static func cholesky(_ a: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > 0, d.isFinite else { return nil }
            let ljj = d.squareRoot()
            l[j * n + j] = ljj
            for i in (j + 1)..<max(n, j + 1) {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / ljj
            }
        }
        return l
    }

    /// `cholesky` with jitter added to the diagonal (0, then 1e-10·mean diagonal, ×10 …) until it succeeds.
    static func choleskyJittered(_ a: [Double], _ n: Int) -> [Double] {
        if let l = cholesky(a, n) { return l }
        let scale = max((0..<n).map { abs(a[$0 * n + $0]) }.reduce(0, +) / Double(max(n, 1)), 1e-300)
        var jitter = 1e-10 * scale
        while true {
            var b = a
            for i in 0..<n { b[i * n + i] += jitter }
            if let l = cholesky(b, n) { return l }
            jitter *= 10
            precondition(jitter < 1e10 * scale, "Dense.choleskyJittered: matrix is far from positive definite")
        }
    }

    /// Solves `L·x = b` for lower-triangular `L` (forward substitution).
    static func solveLower(_ l: [Double], _ n: Int, _ b: [Double]) -> [Double] {
        var x = b
        for i in 0..<n {
            var s = x[i]
            for k in 0..<i { s -= l[i * n + k] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }

    /// Solves `Lᵀ·x = b` for lower-triangular `L` (back substitution).
    static func solveLowerTransposed(_ l: [Double], _ n: Int, _ b: [Double]) -> [Double] {
        var x = b
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<max(n, i + 1) { s -= l[k * n + i] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }

    /// Solves `U·x = b` for upper-triangular `U`.
    static func solveUpper(_ u: [Double], _ n: Int, _ b: [Double]) -> [Double] {
        var x = b
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<max(n, i + 1) { s -= u[i * n + k] * x[k] }
            x[i] = s / u[i * n + i]
        }
        return x
    }

    /// Solves `A·x = b` given the Cholesky factor `L` of `A`.
    static func choleskySolve(_ l: [Double], _ n: Int, _ b: [Double]) -> [Double] {
        solveLowerTransposed(l, n, solveLower(l, n, b))
    }

    /// `log det A = 2 Σ log Lᵢᵢ` from the Cholesky factor.
    static func logDeterminant(cholesky l: [Double], _ n: Int) -> Double {
        (0..<n).reduce(0) { $0 + 2 * log(l[$1 * n + $1]) }
    }

    /// `A⁻¹` from the Cholesky factor of `A`.
    static func inverse(cholesky l: [Double], _ n: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let c = choleskySolve(l, n, e)
            for i in 0..<n { out[i * n + j] = c[i] }
        }
        return out
    }

    /// `a·b` for `a` (m×k) and `b` (k×n).
    static func matmul(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for p in 0..<k {
                let aip = a[i * k + p]
                if aip == 0 { continue }
                for j in 0..<n { c[i * n + j] += aip * b[p * n + j] }
            }
        }
        return c
    }

    /// `a·x` for `a` (m×n).
    static func matvec(_ a: [Double], _ m: Int, _ n: Int, _ x: [Double]) -> [Double] {
        (0..<m).map { i in var s = 0.0; for j in 0..<n { s += a[i * n + j] * x[j] }; return s }
    }

    /// The transpose of the m×n matrix `a`.
    static func transpose(_ a: [Double], _ m: Int, _ n: Int) -> [Double] {
        var t = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { t[j * m + i] = a[i * n + j] } }
        return t
    }

    /// `xᵀy`.
    static func dot(_ x: [Double], _ y: [Double]) -> Double {
        var s = 0.0
        for i in x.indices { s += x[i] * y[i] }
        return s
    }

    /// The n×n identity.
    static func identity(_ n: Int) -> [Double] {
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { a[i * n + i] = 1 }
        return a
    }
}
