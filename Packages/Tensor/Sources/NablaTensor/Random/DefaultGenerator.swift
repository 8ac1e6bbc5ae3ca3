#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process-wide generator behind `Tensor.randomNormal(_:)` and friends when no generator is
/// passed: PyTorch's default generator, with `DefaultGenerator.seed(_:)` as `torch.manual_seed`.
///
/// Its state is one Philox key and counter behind a lock, so concurrent callers each get disjoint
/// counter blocks (never the same numbers), and the sequence after `seed(_:)` is reproducible in
/// single-threaded code. Prefer an explicit ``PhiloxGenerator`` in library code.
public struct DefaultGenerator: PhiloxProtocol, RandomNumberGenerator, Sendable {
    /// A handle on the shared state; all handles share it.
    public init() {}

    /// Reseeds the shared generator (key `seed`, counter 0). Mirrors `torch.manual_seed`.
    public static func seed(_ seed: UInt64) {
        state.withLock { $0 = PhiloxGenerator(seed: seed) }
    }

    /// A copy of the shared generator's current state (to save with a checkpoint).
    public static var current: PhiloxGenerator { state.withLock { $0 } }

    /// Reserves `blocks` counter blocks of the shared generator.
    public mutating func reserve(blocks: UInt64) -> (key: UInt64, start: (UInt64, UInt64)) {
        DefaultGenerator.state.withLock { $0.reserve(blocks: blocks) }
    }

    /// The next 64 random bits of the shared generator.
    public mutating func next() -> UInt64 {
        DefaultGenerator.state.withLock { $0.next() }
    }

    /// Seeded with 0 at start-up, so an unseeded program is still deterministic.
    static let state = LockedState(PhiloxGenerator(seed: 0))
}

/// A value behind a pthread mutex (available on every supported OS version, unlike `Mutex`).
final class LockedState<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// Normal samples from the shared ``DefaultGenerator``. Mirrors `torch.randn` / `torch.normal`.
    public static func randomNormal(_ shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1) -> Tensor {
        var g = DefaultGenerator()
        return randomNormal(shape, mean: mean, standardDeviation: standardDeviation, using: &g)
    }

    /// Uniform samples in `range` from the shared ``DefaultGenerator``. Mirrors `torch.rand`.
    public static func randomUniform(_ shape: [Int], in range: Range<Scalar> = 0..<1) -> Tensor {
        var g = DefaultGenerator()
        return randomUniform(shape, in: range, using: &g)
    }
}
