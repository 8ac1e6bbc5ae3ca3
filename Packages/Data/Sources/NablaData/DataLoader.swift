import Foundation
import NablaTensor

/// Batches of a ``Dataset``, in a seeded random order, collated and prefetched on background threads.
///
/// ```swift
/// let data = TensorDataset(inputs: images, targets: labels)          // [60000, 784], [60000]
/// let loader = DataLoader(data, batchSize: 128, shuffle: true, seed: 42)
/// for epoch in 0..<10 {
///     for batch in loader.epoch(epoch) {                              // TensorBatch<Float, Int32>
///         step(batch.inputs, batch.targets)
///     }
/// }
/// ```
///
/// - Order: with `shuffle`, epoch `e` visits the samples in ``Shuffle/permutation(count:seed:epoch:)``
///   order: a pure function of `(seed, e)`, so every run, and every number of `workers`, sees the
///   same batches. Without `shuffle`, samples come in index order.
/// - Batches: consecutive runs of `batchSize` samples of that order; the last one is smaller
///   unless `dropLast`.
/// - Collation: `collate(dataset, indices)` builds a batch; for a ``TensorDataset`` the default
///   copies each sample's row into one preallocated tensor (see ``Rows/gather(_:_:)``).
/// - Prefetching: `workers` background threads build the next `prefetch` batches while the caller
///   uses the current one, so a training step never waits for a batch that could already have
///   been built. Batches are handed over in order. `prefetch: 0` builds each batch on the caller's
///   thread when it is asked for. Stopping early (a `break`) stops the workers.
public final class DataLoader<D: Dataset, Batch: Sendable>: Sequence, Sendable {
    /// The dataset.
    public let dataset: D
    /// Samples per batch.
    public let batchSize: Int
    /// Whether each epoch visits the samples in a new random order.
    public let shuffle: Bool
    /// The seed of the random orders.
    public let seed: UInt64
    /// Whether the last, smaller batch of an epoch is skipped.
    public let dropLast: Bool
    /// How many batches may be built ahead of the one the caller is using (0: none, build on demand).
    public let prefetch: Int
    /// The number of background threads building batches (when `prefetch > 0`).
    public let workers: Int
    /// Builds a batch from the dataset and the indices of its samples.
    public let collate: @Sendable (D, [Int]) -> Batch
    /// The epoch that the next `makeIterator()` (a plain `for batch in loader`) starts.
    private let nextEpoch = Locked(0)

    /// A loader with a custom collation from sample indices.
    /// - Parameters:
    ///   - dataset: the samples.
    ///   - batchSize: samples per batch (positive).
    ///   - shuffle: visit the samples in a new seeded random order each epoch.
    ///   - seed: the seed of those orders.
    ///   - dropLast: skip an epoch's last batch when it has fewer than `batchSize` samples.
    ///   - prefetch: batches built ahead by the background threads (0: build on demand, no thread).
    ///   - workers: background threads building batches.
    ///   - collate: builds one batch from the dataset and its sample indices; called concurrently
    ///     from the worker threads.
    public init(_ dataset: D, batchSize: Int, shuffle: Bool = false, seed: UInt64 = 0, dropLast: Bool = false,
                prefetch: Int = 2, workers: Int = 1, collate: @escaping @Sendable (D, [Int]) -> Batch) {
        precondition(batchSize > 0, "DataLoader: batchSize must be positive, got \(batchSize)")
        precondition(prefetch >= 0, "DataLoader: prefetch must be ≥ 0, got \(prefetch)")
        precondition(workers >= 1, "DataLoader: workers must be ≥ 1, got \(workers)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.dropLast = dropLast
        self.prefetch = prefetch
        self.workers = workers
        self.collate = collate
    }

    /// A loader whose batches are collated from the samples themselves by `collateSamples`
    /// (e.g. to pad sequences of different lengths).
    public convenience init(_ dataset: D, batchSize: Int, shuffle: Bool = false, seed: UInt64 = 0,
                            dropLast: Bool = false, prefetch: Int = 2, workers: Int = 1,
                            collateSamples: @escaping @Sendable ([D.Sample]) -> Batch) {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, seed: seed, dropLast: dropLast,
                  prefetch: prefetch, workers: workers) { d, indices in collateSamples(indices.map { d.sample(at: $0) }) }
    }

    /// The number of batches in one epoch.
    public var batchesPerEpoch: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The sample indices of epoch `epoch`, in visiting order.
    public func order(epoch: Int) -> [Int] {
        shuffle ? Shuffle.permutation(count: dataset.count, seed: seed, epoch: epoch) : Array(0..<dataset.count)
    }

    /// The sample indices of each batch of epoch `epoch`.
    public func batchIndices(epoch: Int) -> [[Int]] {
        let order = self.order(epoch: epoch)
        return (0..<batchesPerEpoch).map { b in Array(order[(b * batchSize)..<Swift.min(order.count, (b + 1) * batchSize)]) }
    }

    /// The batches of epoch `epoch` (independent of the epochs iterated before).
    public func epoch(_ epoch: Int) -> Epoch {
        Epoch(loader: self, epoch: epoch)
    }

    /// Iterates the next epoch: the first `for batch in loader` is epoch 0, the next epoch 1, …
    public func makeIterator() -> Iterator {
        let e = nextEpoch.withLock { e in defer { e += 1 }; return e }
        return Iterator(loader: self, epoch: e)
    }

    /// The batches of one epoch, in order.
    public struct Epoch: Sequence {
        /// The loader.
        public let loader: DataLoader
        /// The epoch number (the random order's index).
        public let epoch: Int
        /// Starts building this epoch's batches.
        public func makeIterator() -> Iterator { Iterator(loader: loader, epoch: epoch) }
    }

    /// Produces the batches of one epoch; its worker threads stop when it is released.
    public final class Iterator: IteratorProtocol {
        private let loader: DataLoader
        private let plan: [[Int]]
        private var position = 0
        private let pipeline: Prefetcher<Batch>?

        init(loader: DataLoader, epoch: Int) {
            self.loader = loader
            plan = loader.batchIndices(epoch: epoch)
            if loader.prefetch > 0 && !plan.isEmpty {
                let plan = self.plan, dataset = loader.dataset, collate = loader.collate
                pipeline = Prefetcher(count: plan.count, capacity: loader.prefetch,
                                      workers: Swift.min(loader.workers, plan.count)) { b in collate(dataset, plan[b]) }
            } else {
                pipeline = nil
            }
        }

        deinit { pipeline?.cancel() }

        /// The next batch, or `nil` after the epoch's last.
        public func next() -> Batch? {
            guard position < plan.count else { return nil }
            defer { position += 1 }
            if let pipeline { return pipeline.take(position) }
            return loader.collate(loader.dataset, plan[position])
        }
    }
}

extension DataLoader {
    /// A loader over a ``TensorDataset`` whose batches copy the sampled rows into one preallocated
    /// tensor each for inputs and targets.
    public convenience init<Input, Target>(_ dataset: TensorDataset<Input, Target>, batchSize: Int,
                                           shuffle: Bool = false, seed: UInt64 = 0, dropLast: Bool = false,
                                           prefetch: Int = 2, workers: Int = 1)
    where D == TensorDataset<Input, Target>, Batch == TensorBatch<Input, Target> {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, seed: seed, dropLast: dropLast,
                  prefetch: prefetch, workers: workers) { d, indices in d.batch(indices) }
    }
}

/// Builds items `0..<count` on background threads, at most `capacity` ahead of the consumer,
/// and hands them over in order. All shared state is guarded by `condition`.
final class Prefetcher<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let capacity: Int
    private var claimed = 0          // next item a worker will build
    private var taken = 0            // next item the consumer will take
    private var ready: [Int: Item] = [:]
    private var cancelled = false

    init(count: Int, capacity: Int, workers: Int, make: @escaping @Sendable (Int) -> Item) {
        self.count = count
        self.capacity = capacity
        for w in 0..<workers {
            let thread = Thread { [self] in self.work(make) }
            thread.name = "nabla.DataLoader.worker\(w)"
            thread.start()
        }
    }

    private func work(_ make: (Int) -> Item) {
        while true {
            condition.lock()
            while !cancelled && claimed < count && claimed - taken >= capacity { condition.wait() }
            if cancelled || claimed >= count { condition.unlock(); return }
            let b = claimed
            claimed += 1
            condition.unlock()
            let item = make(b)
            condition.lock()
            ready[b] = item
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Waits for item `index` (which must be the next one in order) and returns it.
    func take(_ index: Int) -> Item {
        condition.lock()
        defer { condition.unlock() }
        precondition(index == taken, "Prefetcher: items are taken in order")
        while ready[index] == nil { condition.wait() }
        let item = ready.removeValue(forKey: index)!
        taken += 1
        condition.broadcast()
        return item
    }

    /// Stops the workers after the items they are building.
    func cancel() {
        condition.lock()
        cancelled = true
        ready.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// A value guarded by a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
