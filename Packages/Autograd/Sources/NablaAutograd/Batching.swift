import NablaTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Batching (vmap), JAX's `BatchTrace` over eager `Variable`s.
//
// A batched value is an ordinary `Variable` whose `value` holds the whole batch, plus a tag listing
// the `vmap` levels it is batched over: one leading axis per level, outermost level first, then the
// per-example axes. `shape` reports the per-example shape, so user code inside `vmap` sees one
// example. When a primitive receives a tagged input, `applying` hands it to `Batching`: the innermost
// level `L` is stripped (its axis becomes the input's axis 0), the op's batching rule runs on the
// stripped inputs with ordinary `Variable` ops (which dispatch again for outer levels), and `L` is put
// back on the result, whose axis 0 is the batch. Nodes are therefore always recorded on the whole
// batch ("physical" values), so gradients flow through `vmap` like through any other code, and
// rules get their own derivatives for free.
//
// Tangents and cotangents may carry tags of their own: a Jacobian pushes a batch of basis vectors
// through one forward or backward pass by tagging the tangent (or cotangent) with a fresh level,
// while the primal values it meets are unbatched; the JVP and VJP rules then run their ordinary
// `Variable` ops on tagged tangents, which dispatch to the batching rules.

/// The `vmap` levels a ``Variable`` is batched over, outermost first, and their batch sizes.
@usableFromInline final class BatchTag: Sendable {
    /// The levels, ascending: `value`'s leading axes in this order.
    @usableFromInline let levels: [Int]
    /// The batch size of each level.
    @usableFromInline let sizes: [Int]
    @usableFromInline init(levels: [Int], sizes: [Int]) {
        self.levels = levels
        self.sizes = sizes
    }
    /// A tag, or `nil` for no levels.
    @usableFromInline static func make(_ levels: [Int], _ sizes: [Int]) -> BatchTag? {
        levels.isEmpty ? nil : BatchTag(levels: levels, sizes: sizes)
    }
}

extension Variable {
    /// The same value and node, with no batch tag: the batch axes become ordinary leading axes.
    @inlinable var physical: Variable { Variable(value, node: node) }

    /// The levels this value is batched over and their sizes (empty when not batched).
    @inlinable var batchLevels: [(level: Int, size: Int)] {
        guard let b = batch else { return [] }
        return Array(zip(b.levels, b.sizes))
    }

    /// The same value without its innermost level: that level's axis becomes axis 0.
    @inlinable func removingInnermostLevel() -> Variable {
        let b = batch!
        return Variable(value, node: node, batch: BatchTag.make(Array(b.levels.dropLast()), Array(b.sizes.dropLast())))
    }

    /// `u` (not tagged), whose first `leading.count` axes belong to the levels `leading` (in that
    /// order), tagged with the levels in `keep`; the others become its first per-example axes,
    /// ordered by level. Axes are permuted (a recorded op) when the order changes.
    @usableFromInline static func regroup(_ u: Variable, _ leading: [(level: Int, size: Int)], keep: Set<Int>) -> Variable {
        let order = leading.indices.sorted {
            let a = leading[$0], b = leading[$1]
            let ka = keep.contains(a.level) ? 0 : 1, kb = keep.contains(b.level) ? 0 : 1
            return ka != kb ? ka < kb : a.level < b.level
        }
        let v = order == Array(leading.indices) ? u : u.permuted(order + Array(leading.count..<u.rank))
        let kept = order.filter { keep.contains(leading[$0].level) }
        return Variable(v.value, node: v.node, batch: BatchTag.make(kept.map { leading[$0].level }, kept.map { leading[$0].size }))
    }

    /// This value, whose axis 0 is the batch of level `level` (size `size`), tagged with that level.
    @inlinable func addingLevel(_ level: Int, size: Int) -> Variable {
        let b = batchLevels
        if b.isEmpty || b.last!.level < level {
            return Variable(value, node: node, batch: BatchTag(levels: b.map { $0.level } + [level], sizes: b.map { $0.size } + [size]))
        }
        return Variable.regroup(physical, b + [(level, size)], keep: Set(b.map { $0.level } + [level]))
    }

    /// This value with the levels `levels` removed: their axes become its first axes, by level.
    @usableFromInline func removingLevels(_ levels: Set<Int>) -> Variable {
        let b = batchLevels
        guard b.contains(where: { levels.contains($0.level) }) else { return self }
        return Variable.regroup(physical, b, keep: Set(b.map { $0.level }).subtracting(levels))
    }

    /// This value batched over level `level` too (copied `size` times if it was not).
    @usableFromInline func expandingToLevel(_ level: Int, size: Int) -> Variable {
        if batchLevels.contains(where: { $0.level == level }) { return self }
        return unsqueezed(axis: 0).expanded(to: [size] + shape).addingLevel(level, size: size)
    }

    /// This value batched over every `vmap` enclosing the current code (the inputs of a
    /// differentiation transform inside `vmap`, so that its graph never mixes batch elements).
    @usableFromInline func expandingToLiveLevels() -> Variable {
        let c = Context.current
        var v = self
        for (l, s) in zip(c.liveLevels, c.liveSizes) { v = v.expandingToLevel(l, size: s) }
        return v
    }

    /// A cotangent or tangent for a node of `self`, from `t` (of `self`'s per-example shape): `t`
    /// batched over `self`'s levels (copied if needed) with those levels made ordinary axes, so its
    /// per-example shape is the node's shape. Its other levels stay.
    @usableFromInline func nodeLevel(of t: Variable) -> Variable {
        let mine = batchLevels
        guard !mine.isEmpty else { return t }
        var v = t
        for (l, s) in mine { v = v.expandingToLevel(l, size: s) }
        return v.removingLevels(Set(mine.map { $0.level }))
    }

    /// The inverse of ``nodeLevel(of:)``: `t`, of the node's shape, seen per example of `self`.
    @usableFromInline func exampleLevel(of t: Variable) -> Variable {
        var v = t
        for (l, s) in batchLevels { v = v.addingLevel(l, size: s) }
        return v
    }
}

/// Dispatch of primitives with batched inputs to their batching rules, and the loop fallback.
@usableFromInline enum Batching {
    /// The innermost level among `tags` and its size.
    @inlinable static func innermost(_ tags: [BatchTag?]) -> (level: Int, size: Int) {
        var best = (level: -1, size: 0)
        for t in tags { if let t, t.levels.last! > best.level { best = (t.levels.last!, t.sizes.last!) } }
        return best
    }

    /// Applies unary `op` to batched `x` through its batching rule.
    @inlinable @inline(never)
    static func apply<Op: UnaryOperator, S>(_ op: Op, _ x: Variable<S>) -> Variable<S> {
        let (level, size) = innermost([x.batch])
        let r = op.batched(x.removingInnermostLevel())
        check(r, size, Op.name)
        return r.addingLevel(level, size: size)
    }

    /// Applies binary `op`, one of whose inputs is batched, through its batching rule.
    @inlinable @inline(never)
    static func apply<Op: BinaryOperator, S>(_ op: Op, _ a: Variable<S>, _ b: Variable<S>) -> Variable<S> {
        let (level, size) = innermost([a.batch, b.batch])
        let ba = a.batch?.levels.last == level, bb = b.batch?.levels.last == level
        let r = op.batched(ba ? a.removingInnermostLevel() : a, bb ? b.removingInnermostLevel() : b, batchedA: ba, batchedB: bb)
        check(r, size, Op.name)
        return r.addingLevel(level, size: size)
    }

    /// Applies `op`, one of whose inputs is batched, through its batching rule.
    @inlinable @inline(never)
    static func apply<Op: NaryOperator, S>(_ op: Op, _ inputs: [Variable<S>]) -> Variable<S> {
        let (level, size) = innermost(inputs.map { $0.batch })
        let flags = inputs.map { $0.batch?.levels.last == level }
        let r = op.batched(zip(inputs, flags).map { $1 ? $0.removingInnermostLevel() : $0 }, batched: flags)
        check(r, size, op.name)
        return r.addingLevel(level, size: size)
    }

    @usableFromInline static func check<S>(_ r: Variable<S>, _ size: Int, _ name: String) {
        precondition(r.rank >= 1 && r.shape[0] == size,
                     "vmap: the batching rule of '\(name)' returned shape \(r.shape); expected the batch (\(size)) on axis 0")
    }

    /// The loop fallback: `body` once per batch element (batched inputs indexed, the others
    /// passed whole), the results stacked. Warns once per op name.
    @usableFromInline static func loop<S>(_ name: String, _ inputs: [Variable<S>], _ batched: [Bool],
                                          _ body: ([Variable<S>]) -> Variable<S>) -> Variable<S> {
        fallbackLog.note(name)
        if let recorder = FallbackRecorder.current { recorder.note(name) }
        let size = zip(inputs, batched).first { $1 }!.0.shape[0]
        let rows = (0..<size).map { i in body(zip(inputs, batched).map { $1 ? $0[i] : $0 }) }
        return stack(rows)
    }

    /// `axes` (all when `nil`) of a per-example value of rank `rank`, moved past the batch axis.
    @inlinable static func shifted(_ axes: [Int]?, rank: Int, op: StaticString) -> [Int] {
        (axes.map { Shape.normalizeAxes($0, rank: rank, op: op) } ?? Array(0..<rank)).map { $0 + 1 }
    }

    /// Per-example `indices` for an op whose index tensor has the input's rank (`expand`): copied
    /// along a new batch axis; index vectors (`indexSelect`) are shared as they are.
    @inlinable static func sharedIndices(_ indices: Tensor<Int>, _ size: Int, expand: Bool) -> Tensor<Int> {
        expand ? indices.unsqueezed(axis: 0).expanded(to: [size] + indices.shape).contiguous : indices
    }

    /// `x` (batched or not) batched: an unbatched input copied `size` times along a new axis 0.
    @inlinable static func materialized<S>(_ x: Variable<S>, _ isBatched: Bool, size: Int) -> Variable<S> {
        isBatched ? x : x.unsqueezed(axis: 0).expanded(to: [size] + x.shape)
    }
}

/// The ops that have fallen back to a loop over the batch so far in this process.
final class FallbackLog: @unchecked Sendable {
    private var seen: [String] = []
    private let lock = RegistryLockForFallbacks()
    func note(_ name: String) {
        let first = lock.withLock { () -> Bool in
            if seen.contains(name) { return false }
            seen.append(name)
            return true
        }
        if first {
            let message = "nabla: vmap: '\(name)' has no batching rule; it runs once per batch element (correct, but slower). This is said once per op.\n"
            _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        }
    }
    var names: [String] { lock.withLock { seen } }
}

let fallbackLog = FallbackLog()

/// Collects the names of the ops that fall back to the loop while a check runs (task-local, so
/// checks running in parallel do not see each other's fallbacks).
final class FallbackRecorder: @unchecked Sendable {
    @TaskLocal static var current: FallbackRecorder?
    private var seen: [String] = []
    private let lock = RegistryLockForFallbacks()
    func note(_ name: String) { lock.withLock { if !seen.contains(name) { seen.append(name) } } }
    var names: [String] { lock.withLock { seen } }
}

import Dispatch
private final class RegistryLockForFallbacks: @unchecked Sendable {
    private let queue = DispatchQueue(label: "nabla.autograd.vmap-fallbacks")
    func withLock<R>(_ body: () throws -> R) rethrows -> R { try queue.sync(execute: body) }
}

/// The names of the ops that had no batching rule and ran once per batch element under
/// `vmap` so far in this process (each is also reported once on standard error).
public var vmapFallbackOps: [String] { fallbackLog.names }

extension Variable {
    /// Runs the elementwise composite `body` on the whole batch at once when `self` is batched (its
    /// masks and constants are computed from `value`, which then holds the batch), and keeps the tag.
    ///
    /// Use it for a composite that builds a mask or a constant from ``value`` (which inside `vmap`
    /// holds the whole batch while ``shape`` is one element's): `body` sees the batch as one
    /// ordinary value, so `Variable.where(x.value .> 0, x, x * a)` pairs the right elements. `body`
    /// must act elementwise (each output element depends on the same element of the input only).
    ///
    /// ```swift
    /// func leaky(_ x: Variable<Double>) -> Variable<Double> {
    ///     x.elementwiseOnBatch { x in Variable.where(x.value .> 0, x, x * 0.1) }
    /// }
    /// ```
    @inlinable public func elementwiseOnBatch(_ body: (Variable) -> Variable) -> Variable {
        guard let b = batch else { return body(self) }
        let r = body(physical)
        return Variable(r.value, node: r.node, batch: b)
    }
}

extension Variable {
    /// For a batching rule of an op that broadcasts (NumPy rules, aligned on the right): `self`, whose
    /// axis 0 is the batch when `batched`, with unit axes inserted after the batch axis until it has
    /// `rank` per-example axes, so that broadcasting against the other operands pairs the right axes.
    /// An unbatched operand is returned as is.
    @inlinable public func batchAligned(batched: Bool, rank r: Int) -> Variable {
        guard batched, self.rank - 1 < r else { return self }
        var s = shape
        s.insert(contentsOf: repeatElement(1, count: r - (self.rank - 1)), at: 1)
        return reshaped(s)
    }
}

/// The batching rule of a binary op that broadcasts its operands elementwise: aligns the operands
/// (see ``Variable/batchAligned(batched:rank:)``) to at least `rank` per-example axes, then applies `apply`.
@inlinable public func broadcastingBatchRule<S: TensorFloatingPoint>(
    _ a: Variable<S>, _ b: Variable<S>, batchedA: Bool, batchedB: Bool, rank: Int = 0,
    _ apply: (Variable<S>, Variable<S>) -> Variable<S>) -> Variable<S> {
    let r = Swift.max(rank, a.rank - (batchedA ? 1 : 0), b.rank - (batchedB ? 1 : 0))
    return apply(a.batchAligned(batched: batchedA, rank: r), b.batchAligned(batched: batchedB, rank: r))
}
