/// A finite collection of samples, read by index: the input of a ``DataLoader``.
///
/// Conforming types are `Sendable` because a loader reads them from its prefetching threads;
/// `sample(at:)` must be safe to call concurrently (it is, for any type with value semantics).
public protocol Dataset: Sendable {
    /// One sample (e.g. an input and its label).
    associatedtype Sample
    /// The number of samples.
    var count: Int { get }
    /// The sample at `index`, in `0..<count`.
    func sample(at index: Int) -> Sample
}

extension Dataset {
    /// The sample at `index`, in `0..<count`.
    public subscript(index: Int) -> Sample { sample(at: index) }

    /// The samples at `indices`, as a dataset (e.g. one part of a ``Splits/random(count:fractions:seed:)`` split).
    public func subset(_ indices: [Int]) -> Subset<Self> { Subset(self, indices: indices) }
}

/// A stream of samples with no random access (lines of a huge file, a generator): iterated once
/// per pass, in order. ``IterableDataset/batches(of:dropLast:collate:)`` groups it into batches.
public protocol IterableDataset: Sendable {
    /// One sample.
    associatedtype Sample
    /// The iterator of one pass.
    associatedtype Stream: IteratorProtocol where Stream.Element == Sample
    /// Starts a new pass over the samples.
    func makeStream() throws -> Stream
}

extension IterableDataset {
    /// The samples of one pass grouped `size` at a time and collated by `collate`; with `dropLast`
    /// the final, smaller batch is skipped.
    public func batches<Batch>(of size: Int, dropLast: Bool = false,
                               collate: ([Sample]) throws -> Batch) throws -> [Batch] {
        precondition(size > 0, "batches(of:): batch size must be positive, got \(size)")
        var stream = try makeStream()
        var out: [Batch] = []
        var pending: [Sample] = []
        pending.reserveCapacity(size)
        while let s = stream.next() {
            pending.append(s)
            if pending.count == size { out.append(try collate(pending)); pending.removeAll(keepingCapacity: true) }
        }
        if !pending.isEmpty && !dropLast { out.append(try collate(pending)) }
        return out
    }
}

/// The samples of a base dataset at a list of indices, in that order.
public struct Subset<Base: Dataset>: Dataset {
    /// The dataset the samples come from.
    public let base: Base
    /// The indices into `base`.
    public let indices: [Int]

    /// The samples of `base` at `indices`.
    /// - Precondition: every index is in `0..<base.count`.
    public init(_ base: Base, indices: [Int]) {
        for i in indices { precondition(i >= 0 && i < base.count, "Subset: index \(i) is outside 0..<\(base.count)") }
        self.base = base
        self.indices = indices
    }

    /// The number of indices.
    public var count: Int { indices.count }
    /// The sample of `base` at `indices[index]`.
    public func sample(at index: Int) -> Base.Sample { base.sample(at: indices[index]) }
}

/// A dataset held in memory as two tensors whose first axis indexes the samples: `inputs`
/// (`[n, …]`) and `targets` (`[n, …]`, or `[n]` for class labels), like PyTorch's `TensorDataset`.
///
/// A ``DataLoader`` over it collates a batch by copying whole rows into one preallocated tensor
/// (one `memcpy` per sample), which is what makes it fast.
public struct TensorDataset<Input: TensorScalar, Target: TensorScalar>: Dataset {
    /// The inputs, contiguous, first axis the sample.
    public let inputs: Tensor<Input>
    /// The targets, contiguous, first axis the sample.
    public let targets: Tensor<Target>

    /// A dataset of `inputs[i]`, `targets[i]` pairs.
    /// - Precondition: both have rank ≥ 1 and the same first dimension.
    public init(inputs: Tensor<Input>, targets: Tensor<Target>) {
        precondition(inputs.rank >= 1 && targets.rank >= 1, "TensorDataset: inputs and targets need a sample axis")
        precondition(inputs.shape[0] == targets.shape[0],
                     "TensorDataset: \(inputs.shape[0]) inputs but \(targets.shape[0]) targets")
        self.inputs = inputs.contiguous
        self.targets = targets.contiguous
    }

    /// The number of samples.
    public var count: Int { inputs.shape[0] }

    /// Row `index` of the inputs and of the targets (copies).
    public func sample(at index: Int) -> (input: Tensor<Input>, target: Tensor<Target>) {
        (Rows.gather(inputs, [index]).squeezingFirst(), Rows.gather(targets, [index]).squeezingFirst())
    }

    /// The rows at `indices` of the inputs and of the targets, each copied into one new tensor.
    public func batch(_ indices: [Int]) -> TensorBatch<Input, Target> {
        TensorBatch(inputs: Rows.gather(inputs, indices), targets: Rows.gather(targets, indices), indices: indices)
    }
}

/// One batch of a ``TensorDataset``: the gathered rows and the sample indices they came from.
public struct TensorBatch<Input: TensorScalar, Target: TensorScalar>: Sendable {
    /// The inputs, shape `[batch, …]`.
    public var inputs: Tensor<Input>
    /// The targets, shape `[batch, …]`.
    public var targets: Tensor<Target>
    /// The index in the dataset of each row.
    public var indices: [Int]

    /// A batch of `inputs` and `targets` taken from the dataset rows `indices`.
    public init(inputs: Tensor<Input>, targets: Tensor<Target>, indices: [Int]) {
        self.inputs = inputs
        self.targets = targets
        self.indices = indices
    }
}

/// Row gathering: the collation step of the loaders.
public enum Rows {
    /// The rows of `tensor` (first axis) at `indices`, copied into one new contiguous tensor of
    /// shape `[indices.count] + tensor.shape.dropFirst()` with one bulk copy per row.
    /// - Precondition: every index is in `0..<tensor.shape[0]`.
    public static func gather<S: TensorScalar>(_ tensor: Tensor<S>, _ indices: [Int]) -> Tensor<S> {
        precondition(tensor.rank >= 1, "Rows.gather: the tensor needs a first axis")
        let n = tensor.shape[0]
        let rowShape = Array(tensor.shape.dropFirst())
        let row = rowShape.reduce(1, *)
        let source = tensor.isContiguous ? tensor : tensor.contiguous
        return source.withUnsafeBufferPointer { src in
            Tensor(shape: [indices.count] + rowShape) { out in
                guard let o = out.baseAddress else { return }
                for (j, i) in indices.enumerated() {
                    precondition(i >= 0 && i < n, "Rows.gather: index \(i) is outside 0..<\(n)")
                    (o + j * row).initialize(from: src.baseAddress! + i * row, count: row)
                }
            }
        }
    }
}

extension Tensor {
    /// Drops a leading axis of size 1.
    func squeezingFirst() -> Tensor {
        Tensor(shape: Array(shape.dropFirst()), scalars: scalars)
    }
}
