import NablaTensor

/// Standardization: `(x − mean) / std` per column, with the mean and standard deviation fitted
/// on training data and then applied unchanged to validation and test data (as scikit-learn's
/// `StandardScaler`: population standard deviation, and a column of zero spread is divided by 1).
///
/// ```swift
/// let scaler = Standardizer(fitting: trainX)     // [n, d]
/// let train = scaler.transform(trainX), test = scaler.transform(testX)
/// ```
public struct Standardizer<Scalar: TensorFloatingPoint>: Sendable {
    /// The mean of each column of the fitted data, shape `[d]`.
    public let mean: Tensor<Scalar>
    /// The population standard deviation of each column (1 where it is 0), shape `[d]`.
    public let scale: Tensor<Scalar>

    /// Fits the column means and standard deviations of `data` (`[n, d]`, or `[n]` for one column).
    /// - Precondition: at least one row.
    public init(fitting data: Tensor<Scalar>) {
        let m = Columns(data)
        precondition(m.rows > 0, "Standardizer: cannot fit on zero rows")
        var mean = [Scalar](repeating: 0, count: m.cols), sq = [Scalar](repeating: 0, count: m.cols)
        for r in 0..<m.rows { for c in 0..<m.cols { mean[c] += m.values[r * m.cols + c] } }
        mean = mean.map { $0 / Scalar(m.rows) }
        for r in 0..<m.rows { for c in 0..<m.cols { let d = m.values[r * m.cols + c] - mean[c]; sq[c] += d * d } }
        let scale = sq.map { s -> Scalar in let v = (s / Scalar(m.rows)).squareRoot(); return v == 0 ? 1 : v }
        self.mean = Tensor(mean)
        self.scale = Tensor(scale)
    }

    /// `(x − mean) / scale`, column by column; `x` has the fitted data's column count.
    public func transform(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        Columns.map(x, mean.count, "Standardizer") { c, v in (v - mean.scalars[c]) / scale.scalars[c] }
    }

    /// `x · scale + mean`: undoes ``transform(_:)``.
    public func inverseTransform(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        Columns.map(x, mean.count, "Standardizer") { c, v in v * scale.scalars[c] + mean.scalars[c] }
    }
}

/// Min–max scaling of each column to `range` (default `0…1`), fitted on training data
/// (scikit-learn's `MinMaxScaler`; a constant column maps to the range's lower end).
public struct MinMaxScaler<Scalar: TensorFloatingPoint>: Sendable {
    /// The minimum of each fitted column.
    public let minimum: Tensor<Scalar>
    /// The maximum of each fitted column.
    public let maximum: Tensor<Scalar>
    /// The target range.
    public let range: ClosedRange<Scalar>

    /// Fits the column minima and maxima of `data` (`[n, d]` or `[n]`).
    /// - Precondition: at least one row.
    public init(fitting data: Tensor<Scalar>, range: ClosedRange<Scalar> = 0...1) {
        let m = Columns(data)
        precondition(m.rows > 0, "MinMaxScaler: cannot fit on zero rows")
        var lo = Array(m.values[0..<m.cols]), hi = lo
        for r in 0..<m.rows {
            for c in 0..<m.cols { let v = m.values[r * m.cols + c]; lo[c] = Swift.min(lo[c], v); hi[c] = Swift.max(hi[c], v) }
        }
        minimum = Tensor(lo)
        maximum = Tensor(hi)
        self.range = range
    }

    /// Each column mapped linearly from `[minimum, maximum]` to `range`.
    public func transform(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let lo = minimum.scalars, hi = maximum.scalars, a = range.lowerBound, w = range.upperBound - range.lowerBound
        return Columns.map(x, lo.count, "MinMaxScaler") { c, v in
            let span = hi[c] - lo[c]
            return span == 0 ? a : a + (v - lo[c]) / span * w
        }
    }

    /// Undoes ``transform(_:)`` (constant columns come back as their constant).
    public func inverseTransform(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let lo = minimum.scalars, hi = maximum.scalars, a = range.lowerBound, w = range.upperBound - range.lowerBound
        return Columns.map(x, lo.count, "MinMaxScaler") { c, v in lo[c] + (v - a) / w * (hi[c] - lo[c]) }
    }
}

/// Feature maps and encodings.
public enum Features {
    /// One-hot rows: row `i` has a 1 in column `labels[i]`, zeros elsewhere; shape `[n, classes]`.
    /// - Throws: ``DataError/invalidArgument(_:)`` for a label outside `0..<classes` (naming its position).
    public static func oneHot<Scalar: TensorNumeric, Label: BinaryInteger & TensorScalar>(
        _ labels: Tensor<Label>, classes: Int, as type: Scalar.Type = Scalar.self) throws -> Tensor<Scalar> {
        let l = labels.scalars
        for (i, v) in l.enumerated() where v < 0 || v >= classes {
            throw DataError.invalidArgument("oneHot: label \(v) at position \(i) is outside 0..<\(classes)")
        }
        var out = [Scalar](repeating: 0, count: l.count * classes)
        for (i, v) in l.enumerated() { out[i * classes + Int(v)] = 1 }
        return Tensor(shape: [l.count, classes], scalars: out)
    }

    /// Every monomial of the `d` input columns of total degree `0…degree` (or `1…degree` without
    /// `bias`), in scikit-learn's `PolynomialFeatures` order: by degree, then lexicographic in the
    /// column indices. One column gives `[1, x, x², …, x^degree]`; two columns and degree 2 give
    /// `[1, x₁, x₂, x₁², x₁x₂, x₂²]`. `x` is `[n, d]` or `[n]` (one column).
    ///
    /// Each term is computed from the term it extends (its column indices without the last) times
    /// one more column, so a row costs one multiplication per output column.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public static func polynomial<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>, degree: Int,
                                                              bias: Bool = true) -> Tensor<Scalar> {
        precondition(degree >= 0, "polynomial: degree must be ≥ 0")
        let m = Columns(x)
        // Every monomial of degree 0…degree as (the index of the monomial it extends, the column it
        // multiplies by); index 0 is the constant 1, which is dropped at the end without `bias`.
        var parent: [Int] = [-1], column: [Int] = [-1], lastColumn: [Int] = [0]
        var previous = [0]
        if degree >= 1 {
            for _ in 1...degree {
                var next: [Int] = []
                for t in previous {
                    for c in (t == 0 ? 0 : lastColumn[t])..<m.cols {
                        parent.append(t); column.append(c); lastColumn.append(c)
                        next.append(parent.count - 1)
                    }
                }
                previous = next
            }
        }
        let all = parent.count, first = bias ? 0 : 1, width = all - first
        var out = [Scalar](repeating: 0, count: m.rows * width)
        var row = [Scalar](repeating: 1, count: all)
        m.values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                row.withUnsafeMutableBufferPointer { w in
                    for r in 0..<m.rows {
                        let xr = r * m.cols
                        for j in 1..<all { w[j] = w[parent[j]] * v[xr + column[j]] }
                        for j in 0..<width { o[r * width + j] = w[first + j] }
                    }
                }
            }
        }
        return Tensor(shape: [m.rows, width], scalars: out)
    }

    /// Gaussian (RBF) basis features: column `j` is exp(−‖x − centers[j]‖² / (2·width²)); with
    /// `bias`, a leading column of ones. `x` is `[n, d]` (or `[n]`), `centers` `[m, d]` (or `[m]`).
    public static func gaussian<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>, centers: Tensor<Scalar>,
                                                            width: Scalar, bias: Bool = false) -> Tensor<Scalar> {
        let a = Columns(x), c = Columns(centers)
        precondition(a.cols == c.cols, "gaussian: inputs have \(a.cols) columns, centers \(c.cols)")
        precondition(width > 0, "gaussian: width must be positive")
        let k = c.rows + (bias ? 1 : 0)
        var out = [Scalar]()
        out.reserveCapacity(a.rows * k)
        for r in 0..<a.rows {
            if bias { out.append(1) }
            for j in 0..<c.rows {
                var d2: Scalar = 0
                for q in 0..<a.cols { let d = a.values[r * a.cols + q] - c.values[j * c.cols + q]; d2 += d * d }
                out.append(Scalar.exp(-d2 / (2 * width * width)))
            }
        }
        return Tensor(shape: [a.rows, k], scalars: out)
    }

    /// The quadratic feature map of the lecture (001_95bae65057cf9e0b.txt, "Basis Functions"):
    /// Φ(x₁, x₂) = (x₁², x₂², √2·x₁x₂), ℝ² → ℝ³, applied to each row of `x` (`[n, 2]`). Its inner
    /// products are the squared inner products of the inputs: ⟨Φ(x), Φ(y)⟩ = ⟨x, y⟩².
    public static func quadratic<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 2 && x.shape[1] == 2, "quadratic: needs shape [n, 2], got \(x.shape)")
        let v = x.scalars, r2 = Scalar(2).squareRoot()
        var out = [Scalar]()
        out.reserveCapacity(v.count / 2 * 3)
        for i in stride(from: 0, to: v.count, by: 2) {
            out += [v[i] * v[i], v[i + 1] * v[i + 1], r2 * v[i] * v[i + 1]]
        }
        return Tensor(shape: [x.shape[0], 3], scalars: out)
    }
}

/// A tensor seen as rows × columns (`[n]` is one column).
struct Columns<Scalar: TensorScalar> {
    let rows: Int, cols: Int, values: [Scalar]
    init(_ x: Tensor<Scalar>) {
        precondition(x.rank == 1 || x.rank == 2, "expected shape [n] or [n, d], got \(x.shape)")
        rows = x.shape[0]
        cols = x.rank == 2 ? x.shape[1] : 1
        values = x.scalars
    }

    static func map(_ x: Tensor<Scalar>, _ expected: Int, _ who: String, _ f: (Int, Scalar) -> Scalar) -> Tensor<Scalar> {
        let m = Columns(x)
        precondition(m.cols == expected, "\(who): fitted on \(expected) columns, given \(m.cols)")
        var out = m.values
        for i in out.indices { out[i] = f(i % m.cols, out[i]) }
        return Tensor(shape: x.shape, scalars: out)
    }
}
