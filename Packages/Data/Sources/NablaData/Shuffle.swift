import NablaTensor

/// Seeded permutations that are identical on every run, platform and thread count.
///
/// The permutation of epoch `e` is a Fisher–Yates shuffle driven by
/// `PhiloxGenerator(key: seed, counter: (0, e))`: the counter's high word is the epoch, so every
/// epoch has its own stream (the streams never overlap) and any epoch can be produced alone,
/// without replaying the ones before. Bounded integers use Lemire's multiply-and-reject method
/// (unbiased), written here rather than taken from `Int.random(in:using:)`, whose algorithm the
/// standard library does not promise to keep.
public enum Shuffle {
    /// The generator of epoch `epoch` for `seed`.
    public static func generator(seed: UInt64, epoch: Int) -> PhiloxGenerator {
        PhiloxGenerator(key: seed, counter: (low: 0, high: UInt64(truncatingIfNeeded: epoch)))
    }

    /// A uniform integer in `0..<bound` (unbiased).
    /// - Precondition: `bound > 0`.
    public static func uniform(below bound: Int, using g: inout PhiloxGenerator) -> Int {
        precondition(bound > 0, "Shuffle.uniform(below:): bound must be positive")
        let b = UInt64(bound)
        var m = g.next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = g.next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// `0..<count` in the random order of `epoch` for `seed`.
    public static func permutation(count: Int, seed: UInt64, epoch: Int = 0) -> [Int] {
        var g = generator(seed: seed, epoch: epoch)
        return permutation(count: count, using: &g)
    }

    /// `0..<count` shuffled with `g` (Fisher–Yates, from the last position down).
    public static func permutation(count: Int, using g: inout PhiloxGenerator) -> [Int] {
        var p = Array(0..<count)
        shuffle(&p, using: &g)
        return p
    }

    /// Shuffles `array` in place with `g` (Fisher–Yates, from the last position down).
    public static func shuffle<T>(_ array: inout [T], using g: inout PhiloxGenerator) {
        var i = array.count - 1
        while i > 0 {
            let j = uniform(below: i + 1, using: &g)
            array.swapAt(i, j)
            i -= 1
        }
    }
}
