import NablaTensor
import NablaAutograd

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
    ///
    /// Under `vmap` (`x` batched) each element's indices differ, so the lookup is the product of
    /// their one-hot rows (a constant built from the whole batch's values) with the table: the
    /// matrix product's batching rule then gives every element its own rows and its own gradient of
    /// the table (per-sample gradients). It costs `numEmbeddings` times more than a gather, and is
    /// used only under `vmap`.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
        guard x.isBatched else { return self(x.value.map { Int($0) } as Tensor<Int>) }
        let n = weight.shape[0], d = weight.shape[1]
        let oneHot = x.elementwiseOnBatch { x in
            let flat = x.value.flattened().scalars.map { Int($0) }
            precondition(flat.allSatisfy { $0 >= 0 && $0 < n }, "Embedding: an index is outside 0..<\(n)")
            let rows = Tensor<Scalar>.oneHot(Tensor(shape: [flat.count], scalars: flat), classes: n)
            return Variable(rows.reshaped(x.shape + [n]))
        }
        var table = weight.variable
        if let p = paddingIndex {
            // The padding row's values, but no gradient into it.
            let isPadding = Tensor<Bool>(shape: [n, 1], scalars: (0..<n).map { $0 == p }).expanded(to: [n, d])
            table = Variable.where(isPadding.contiguous, table.detached(), table)
        }
        return oneHot.matmul(table)
    }
}
