import Foundation
import Testing
@testable import NablaData
import _NablaTestSupport

/// A dataset of 0..<n where sample i is the rows [i, i + 0.5] (inputs) and i (target).
func counting(_ n: Int) -> TensorDataset<Float, Int32> {
    TensorDataset(inputs: Tensor(shape: [n, 2], (0..<n).flatMap { [Float($0), Float($0) + 0.5] }),
                  targets: Tensor((0..<n).map { Int32($0) }))
}

@Suite struct ShuffleTests {
    @Test func permutationIsAPermutationAndDependsOnSeedAndEpoch() {
        let p = Shuffle.permutation(count: 1000, seed: 7, epoch: 0)
        #expect(p.sorted() == Array(0..<1000))
        #expect(p == Shuffle.permutation(count: 1000, seed: 7, epoch: 0))
        #expect(p != Shuffle.permutation(count: 1000, seed: 7, epoch: 1))
        #expect(p != Shuffle.permutation(count: 1000, seed: 8, epoch: 0))
    }

    /// Golden values, reproduced independently by Packages/Data/Tests/Reference/shuffle_reference.py
    /// (a Python Philox-4×32-10 with key 42, counter (0, epoch),
    /// Lemire bounded integers, Fisher–Yates from the end): a change of any of these breaks the
    /// promise that a seed gives the same order on every run and every release.
    @Test func permutationIsPinned() {
        #expect(Shuffle.permutation(count: 10, seed: 42, epoch: 0) == goldenEpoch0)
        #expect(Shuffle.permutation(count: 10, seed: 42, epoch: 3) == goldenEpoch3)
    }

    @Test func uniformIsUnbiasedEnough() {
        var g = PhiloxGenerator(seed: 1)
        var counts = [0, 0, 0]
        for _ in 0..<30_000 { counts[Shuffle.uniform(below: 3, using: &g)] += 1 }
        for c in counts { #expect(abs(c - 10_000) < 400) }   // 4σ ≈ 4·√(30000·2/9) ≈ 327
    }
}

let goldenEpoch0 = [0, 9, 1, 7, 5, 6, 8, 2, 3, 4]
let goldenEpoch3 = [9, 7, 6, 2, 3, 8, 1, 0, 5, 4]

@Suite struct DataLoaderTests {
    @Test func batchesCoverEverySampleOnce() {
        let loader = DataLoader(counting(10), batchSize: 4, shuffle: true, seed: 3)
        let batches = Array(loader.epoch(0))
        #expect(batches.map { $0.inputs.shape } == [[4, 2], [4, 2], [2, 2]])
        #expect(batches.map { $0.targets.shape } == [[4], [4], [2]])
        let seen = batches.flatMap { $0.targets.scalars.map(Int.init) }
        #expect(seen.sorted() == Array(0..<10))
        #expect(seen == loader.order(epoch: 0))
        for b in batches {
            #expect(b.indices == b.targets.scalars.map(Int.init))
            #expect(b.inputs.scalars == b.indices.flatMap { [Float($0), Float($0) + 0.5] })
        }
    }

    @Test func dropLastAndUnshuffledOrder() {
        let loader = DataLoader(counting(10), batchSize: 4, dropLast: true)
        #expect(loader.batchesPerEpoch == 2)
        let batches = Array(loader.epoch(5))
        #expect(batches.map { $0.indices } == [[0, 1, 2, 3], [4, 5, 6, 7]])
    }

    @Test func sameBatchesWhateverThePrefetchAndWorkerCount() {
        let data = counting(1000)
        let reference = DataLoader(data, batchSize: 32, shuffle: true, seed: 11, prefetch: 0)
        for epoch in 0..<3 {
            let expected = Array(reference.epoch(epoch)).map { $0.inputs.scalars }
            for (prefetch, workers) in [(1, 1), (2, 1), (2, 2), (4, 3), (8, 4)] {
                let loader = DataLoader(data, batchSize: 32, shuffle: true, seed: 11, prefetch: prefetch, workers: workers)
                #expect(Array(loader.epoch(epoch)).map { $0.inputs.scalars } == expected)
            }
        }
    }

    @Test func forInIteratesSuccessiveEpochs() {
        let loader = DataLoader(counting(50), batchSize: 50, shuffle: true, seed: 1)
        var firsts: [[Int]] = []
        for _ in 0..<3 { for b in loader { firsts.append(b.indices) } }
        #expect(firsts == (0..<3).map { loader.order(epoch: $0) })
        #expect(firsts[0] != firsts[1])
    }

    @Test func stoppingEarlyStopsTheWorkers() {
        let loader = DataLoader(counting(10_000), batchSize: 10, shuffle: true, seed: 2, prefetch: 4, workers: 2)
        for _ in 0..<20 {
            var n = 0
            for _ in loader.epoch(0) { n += 1; if n == 3 { break } }
            #expect(n == 3)
        }
    }

    /// Building a batch takes 20 ms and so does the "training step": with prefetching the two
    /// overlap (≈ 10 × 20 ms), without they add up (≈ 10 × 40 ms). Sleeps use no CPU, so the check
    /// holds on a busy machine; the bound is loose.
    @Test func prefetchingOverlapsTheTrainingStep() {
        func epochTime(prefetch: Int) -> Double {
            let loader = DataLoader(counting(10), batchSize: 1, prefetch: prefetch) { d, idx -> Int in
                usleep(20_000); return idx[0]
            }
            let t0 = Date()
            for _ in loader.epoch(0) { usleep(20_000) }
            return Date().timeIntervalSince(t0)
        }
        let sequential = epochTime(prefetch: 0), overlapped = epochTime(prefetch: 2)
        #expect(sequential > 0.39)
        #expect(overlapped < 0.75 * sequential, "prefetch 2: \(overlapped) s, none: \(sequential) s")
    }

    @Test func customCollationFromSamples() {
        let loader = DataLoader(counting(7), batchSize: 3, collateSamples: { samples in
            samples.map { $0.target.scalar }.reduce(0, +)
        })
        let sums: [Int32] = Array(loader.epoch(0))
        #expect(sums == [3, 12, 6])
    }

    @Test func customCollationFromIndicesAndSubset() {
        let sub = counting(10).subset([9, 8, 7, 6, 5])
        #expect(sub.count == 5)
        #expect(sub[0].target.scalar == 9)
        #expect(sub[1].input.scalars == [8, 8.5])
        let loader = DataLoader(sub, batchSize: 2) { d, idx in idx.map { d[$0].target.scalar } }
        #expect(Array(loader.epoch(0)) == [[9, 8], [7, 6], [5]])
    }

    @Test func iterableDatasetBatches() throws {
        struct Countdown: IterableDataset {
            func makeStream() -> AnyIterator<Int> { var i = 5; return AnyIterator { i -= 1; return i >= 0 ? i : nil } }
        }
        #expect(try Countdown().batches(of: 2) { $0 } == [[4, 3], [2, 1], [0]])
        #expect(try Countdown().batches(of: 2, dropLast: true) { $0 } == [[4, 3], [2, 1]])
    }

    @Test func gatherOfAStridedTensor() {
        let t = Tensor<Double>(shape: [3, 2], [1, 2, 3, 4, 5, 6]).transposed()   // [2, 3]
        #expect(Rows.gather(t, [1, 0, 1]).scalars == [2, 4, 6, 1, 3, 5, 2, 4, 6])
    }
}

@Suite struct SplitTests {
    @Test func randomSplitSizesAndDisjointness() throws {
        let parts = try Splits.random(count: 1005, fractions: [0.8, 0.1, 0.1], seed: 5)
        #expect(parts.map(\.count) == [805, 100, 100])
        #expect(parts.flatMap { $0 }.sorted() == Array(0..<1005))
        let tvt = try Splits.trainValidationTest(count: 1005, validation: 0.1, test: 0.1, seed: 5)
        #expect([tvt.train, tvt.validation, tvt.test] == parts)
        #expect(try Splits.random(count: 10, fractions: [0.5, 0.5], seed: 1) == (try Splits.random(count: 10, fractions: [0.5, 0.5], seed: 1)))
        #expect(throws: DataError.self) { try Splits.random(count: 10, fractions: [0.7, 0.7], seed: 1) }
        #expect(throws: DataError.self) { try Splits.random(count: 10, fractions: [-0.1], seed: 1) }
    }

    @Test func kFoldSizesLikeScikitLearn() throws {
        let folds = try Splits.kFold(count: 10, k: 3, seed: 0)
        #expect(folds.map(\.validation.count) == [4, 3, 3])
        #expect(folds.map(\.train.count) == [6, 7, 7])
        #expect(folds.flatMap(\.validation).sorted() == Array(0..<10))
        for f in folds { #expect(Set(f.train).isDisjoint(with: f.validation)) }
        let plain = try Splits.kFold(count: 5, k: 5, seed: 0, shuffle: false)
        #expect(plain.map(\.validation) == [[0], [1], [2], [3], [4]])
        #expect(throws: DataError.self) { try Splits.kFold(count: 3, k: 4, seed: 0) }
    }

    @Test func stratifiedSplitKeepsProportions() throws {
        let labels = Array(repeating: 0, count: 90) + Array(repeating: 1, count: 10)
        let parts = try Splits.stratified(labels: labels, fractions: [0.8, 0.2], seed: 3)
        #expect(parts.map(\.count) == [80, 20])
        #expect(parts[1].filter { labels[$0] == 1 }.count == 2)   // 20 % of the 10 ones
        #expect(parts[1].filter { labels[$0] == 0 }.count == 18)
        let folds = try Splits.stratifiedKFold(labels: labels, k: 5, seed: 3)
        for f in folds {
            #expect(f.validation.count == 20)
            #expect(f.validation.filter { labels[$0] == 1 }.count == 2)
        }
        #expect(folds.flatMap(\.validation).sorted() == Array(0..<100))
    }
}
