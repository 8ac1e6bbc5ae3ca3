import NablaTensor
import NablaAutograd

/// In training, zeroes each element with probability `p` and scales the rest by `1/(1 − p)`; in
/// evaluation, passes the input through. Mirrors `torch.nn.Dropout(p)`.
///
/// The masks come from the layer's own `PhiloxGenerator`, so a seeded model drops the same
/// elements on every run. They are drawn with `Variable.randomBernoulli(_:probability:using:)`,
/// so under `vmap` element `i` gets the mask of `generator.stream(i)`: `vmap(dropout)(x)[i]`
/// equals `dropout(x[i])` run with that stream, whatever the batch size (per-sample gradients of a
/// model with dropout are those of each sample alone).
public final class Dropout<Scalar: TensorFloatingPoint>: Layer {
    /// The probability of zeroing an element.
    public let p: Scalar
    /// The generator the masks are drawn from.
    public var generator: PhiloxGenerator
    /// Whether the layer drops (training) or passes through (evaluation).
    public var isTraining = true

    /// A dropout layer drawing its masks from `generator`.
    /// - Precondition: `0 ≤ p ≤ 1`.
    public init(p: Scalar = 0.5, generator: PhiloxGenerator) {
        precondition(p >= 0 && p <= 1, "Dropout: probability must be in [0, 1], got \(p)")
        self.p = p
        self.generator = generator
    }

    /// A dropout layer whose generator is split off the default generator.
    public convenience init(p: Scalar = 0.5) {
        var d = DefaultGenerator()
        self.init(p: p, generator: PhiloxGenerator(seed: d.next()))
    }

    /// The input with dropped elements in training; the input itself in evaluation (or when `p` is 0).
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        guard isTraining, p > 0 else { return x }
        if p == 1 { return x * Variable(Tensor<Scalar>.zeros(x.shape)) }
        // 1 where the uniform draw u < p (dropped): kept where u ≥ p, scaled by 1/(1 − p).
        let dropped = Variable<Scalar>.randomBernoulli(x.shape, probability: p, using: &generator)
        return x * ((1 - dropped) * (1 / (1 - p)))
    }
}

/// Flattens axes `startAxis…endAxis` into one. Mirrors `torch.nn.Flatten(start_dim=1, end_dim=-1)`.
public final class Flatten<Scalar: TensorFloatingPoint>: Layer {
    /// The first axis flattened (default 1, keeping the batch axis).
    public let startAxis: Int
    /// The last axis flattened (default −1).
    public let endAxis: Int
    /// A flatten layer.
    public init(startAxis: Int = 1, endAxis: Int = -1) { self.startAxis = startAxis; self.endAxis = endAxis }
    /// The input with the axes merged.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        let r = Swift.max(x.rank, 1)
        let s = startAxis < 0 ? startAxis + r : startAxis, e = endAxis < 0 ? endAxis + r : endAxis
        precondition(s >= 0 && e < r && s <= e, "Flatten: axes \(startAxis)…\(endAxis) out of range for shape \(x.shape)")
        if x.rank == 0 { return x.reshaped([1]) }
        let merged = x.shape[s...e].reduce(1, *)
        return x.reshaped(Array(x.shape[..<s]) + [merged] + Array(x.shape[(e + 1)...]))
    }
}

/// Splits one axis into several. Mirrors `torch.nn.Unflatten(dim, unflattened_size)`.
public final class Unflatten<Scalar: TensorFloatingPoint>: Layer {
    /// The axis split.
    public let axis: Int
    /// The sizes it is split into (one may be −1).
    public let sizes: [Int]
    /// An unflatten layer.
    public init(axis: Int, sizes: [Int]) { self.axis = axis; self.sizes = sizes }
    /// The input with `axis` replaced by `sizes`.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        let a = axis < 0 ? axis + x.rank : axis
        precondition(a >= 0 && a < x.rank, "Unflatten: axis \(axis) out of range for shape \(x.shape)")
        var s = sizes
        if let k = s.firstIndex(of: -1) { s[k] = x.shape[a] / s.filter { $0 != -1 }.reduce(1, *) }
        precondition(s.reduce(1, *) == x.shape[a], "Unflatten: sizes \(sizes) do not multiply to \(x.shape[a])")
        return x.reshaped(Array(x.shape[..<a]) + s + Array(x.shape[(a + 1)...]))
    }
}

/// Rows of a weight table looked up by integer index. Mirrors `torch.nn.Embedding`: `weight` of
/// shape `[numEmbeddings, embeddingDim]` from `N(0, 1)`; the row `paddingIndex`, when given, is
/// zero and gets no gradient.
public final class Embedding<Scalar: TensorFloatingPoint>: Layer {
    /// The table, `[numEmbeddings, embeddingDim]`.
    public let weight: Parameter<Scalar>
    /// The row that is zero and not trained, if any.
    public let paddingIndex: Int?

    /// An embedding table drawn from `generator`.
    public init<G: PhiloxProtocol>(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIndex: Int? = nil, using generator: inout G) {
        var w: Tensor<Scalar> = Tensor.randomNormal([numEmbeddings, embeddingDim], using: &generator)
        if var p = paddingIndex {
            if p < 0 { p += numEmbeddings }
            precondition(p >= 0 && p < numEmbeddings, "Embedding: padding index \(paddingIndex!) out of range for \(numEmbeddings) rows")
            w[indices: [.index(p)]] = Tensor.zeros([embeddingDim])
            self.paddingIndex = p
        } else {
            self.paddingIndex = nil
        }
        weight = Parameter(w)
    }

    /// An embedding table drawn from the default generator.
    public convenience init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIndex: Int? = nil) {
        var g = DefaultGenerator()
        self.init(numEmbeddings, embeddingDim, paddingIndex: paddingIndex, using: &g)
    }

    /// `weight`.
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] { [("weight", weight)] }

    /// The rows for `indices` (any shape): a tensor of shape `indices.shape + [embeddingDim]`.
    public func callAsFunction(_ indices: Tensor<Int>) -> Variable<Scalar> {
        let n = weight.shape[0], d = weight.shape[1]
        let flat = indices.flattened()
        precondition(flat.scalars.allSatisfy { $0 >= 0 && $0 < n }, "Embedding: an index is outside 0..<\(n)")
        var rows = weight.variable.indexSelect(indices: flat, axis: 0)
        if let p = paddingIndex {
            // The same values, but no gradient into the padding row.
            let keep = Tensor<Bool>(shape: [flat.count, 1], scalars: flat.scalars.map { $0 != p }).expanded(to: [flat.count, d])
            rows = Variable.where(keep.contiguous, rows, rows.detached())
        }
        return rows.reshaped(indices.shape + [d])
    }

    /// The rows for indices given as whole numbers in a floating-point tensor (so an embedding can
    /// sit in a ``Sequential``).
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        self(x.value.map { Int($0) } as Tensor<Int>)
    }
}
