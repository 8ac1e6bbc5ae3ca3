import NablaTensor

/// Seeded train/validation/test and k-fold splits of sample indices, plain or stratified.
///
/// All of them return indices (use ``Dataset/subset(_:)`` to get datasets), are pure functions of
/// their arguments and the seed, and use ``Shuffle`` for their random orders.
public enum Splits {
    /// Shuffles `0..<count` with `seed`, then cuts it into consecutive parts of sizes
    /// `⌊fraction·count⌋`; the samples left over by the rounding go to the first part (so
    /// `[0.8, 0.1, 0.1]` of 1005 samples gives 805, 100 and 100).
    /// - Throws: ``DataError/invalidArgument(_:)`` for a negative fraction or fractions summing above 1
    ///   (a sum below 1 leaves the rest to the first part too).
    public static func random(count: Int, fractions: [Double], seed: UInt64) throws -> [[Int]] {
        let sizes = try partSizes(count: count, fractions: fractions)
        let order = Shuffle.permutation(count: count, seed: seed)
        var parts: [[Int]] = []
        var start = 0
        for s in sizes { parts.append(Array(order[start..<start + s])); start += s }
        return parts
    }

    /// A random train/validation/test split: `validation` and `test` are fractions of `count`
    /// (rounded down); the training part gets the rest.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the fractions are negative or sum above 1.
    public static func trainValidationTest(count: Int, validation: Double, test: Double, seed: UInt64) throws
        -> (train: [Int], validation: [Int], test: [Int]) {
        let p = try random(count: count, fractions: [max(0, 1 - validation - test), validation, test], seed: seed)
        return (p[0], p[1], p[2])
    }

    /// `k` folds of a seeded random order of `0..<count` (unshuffled when `shuffle` is false): fold
    /// `i` is the validation part of split `i` and the other folds, in order, its training part.
    /// The first `count % k` folds have one sample more (as scikit-learn's `KFold`).
    /// - Throws: ``DataError/invalidArgument(_:)`` unless `2 ≤ k ≤ count`.
    public static func kFold(count: Int, k: Int, seed: UInt64, shuffle: Bool = true) throws
        -> [(train: [Int], validation: [Int])] {
        guard k >= 2 && k <= count else {
            throw DataError.invalidArgument("kFold: k must be in 2...\(count) (the sample count), got \(k)")
        }
        let order = shuffle ? Shuffle.permutation(count: count, seed: seed) : Array(0..<count)
        var folds: [[Int]] = []
        var start = 0
        for i in 0..<k {
            let size = count / k + (i < count % k ? 1 : 0)
            folds.append(Array(order[start..<start + size]))
            start += size
        }
        return (0..<k).map { i in
            (folds.enumerated().filter { $0.offset != i }.flatMap { $0.element }, folds[i])
        }
    }

    /// A stratified random split of samples with class `labels`: each class is shuffled and cut
    /// by ``random(count:fractions:seed:)``'s rule on its own, so every part has the classes in
    /// the proportions of the whole (up to rounding). Each part lists its indices in increasing order.
    /// - Throws: ``DataError/invalidArgument(_:)`` for bad fractions.
    public static func stratified(labels: [Int], fractions: [Double], seed: UInt64) throws -> [[Int]] {
        _ = try partSizes(count: 0, fractions: fractions)
        var parts = Array(repeating: [Int](), count: fractions.count)
        let classes = Dictionary(grouping: labels.indices, by: { labels[$0] })
        for (c, members) in classes.sorted(by: { $0.key < $1.key }) {
            var g = PhiloxGenerator(key: seed, counter: (low: 0, high: UInt64(bitPattern: Int64(c)) ^ 0x5EED_0000_0000_0000))
            var order = members
            Shuffle.shuffle(&order, using: &g)
            let sizes = try partSizes(count: members.count, fractions: fractions)
            var start = 0
            for (p, s) in sizes.enumerated() { parts[p] += order[start..<start + s]; start += s }
        }
        return parts.map { $0.sorted() }
    }

    /// Stratified k folds: each class's samples, shuffled, are dealt round-robin to the folds
    /// (continuing from the fold where the previous class stopped), so fold sizes differ by at
    /// most one and every fold has each class in the proportions of the whole (up to one sample).
    /// - Throws: ``DataError/invalidArgument(_:)`` unless `2 ≤ k ≤ labels.count`.
    public static func stratifiedKFold(labels: [Int], k: Int, seed: UInt64) throws -> [(train: [Int], validation: [Int])] {
        guard k >= 2 && k <= labels.count else {
            throw DataError.invalidArgument("stratifiedKFold: k must be in 2...\(labels.count) (the sample count), got \(k)")
        }
        var folds = Array(repeating: [Int](), count: k)
        var next = 0
        let classes = Dictionary(grouping: labels.indices, by: { labels[$0] })
        for (c, members) in classes.sorted(by: { $0.key < $1.key }) {
            var g = PhiloxGenerator(key: seed, counter: (low: 0, high: UInt64(bitPattern: Int64(c)) ^ 0x5EED_0000_0000_0000))
            var order = members
            Shuffle.shuffle(&order, using: &g)
            for i in order { folds[next].append(i); next = (next + 1) % k }
        }
        folds = folds.map { $0.sorted() }
        return (0..<k).map { i in
            (folds.enumerated().filter { $0.offset != i }.flatMap { $0.element }.sorted(), folds[i])
        }
    }

    static func partSizes(count: Int, fractions: [Double]) throws -> [Int] {
        guard !fractions.isEmpty, fractions.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw DataError.invalidArgument("split: fractions must be finite and ≥ 0, got \(fractions)")
        }
        let total = fractions.reduce(0, +)
        guard total <= 1 + 1e-9 else {
            throw DataError.invalidArgument("split: fractions sum to \(total), above 1")
        }
        var sizes = fractions.map { Int(($0 * Double(count)).rounded(.down)) }
        sizes[0] += count - sizes.reduce(0, +)
        return sizes
    }
}
