/// One entry of a tensor subscript: an integer, a range, a strided slice, `.all`, `.newAxis` or
/// `.ellipsis`. PyTorch's and NumPy's basic indexing, spelled in Swift.
///
/// ```swift
/// t[0]                          // first row; the axis is dropped          (t[0])
/// t[1..<3, .all]                // rows 1 and 2                            (t[1:3, :])
/// t[.all, ..<2]                 // first two columns                       (t[:, :2])
/// t[-1]                         // last row                                (t[-1])
/// t[.stride(by: -1)]            // rows reversed                           (numpy t[::-1])
/// t[.stride(from: 1, by: 2)]    // every other row from 1                  (t[1::2])
/// t[.ellipsis, 0]               // first element of the last axis          (t[..., 0])
/// t[.newAxis, .all]             // a new leading axis of size 1            (t[None, :])
/// ```
///
/// Integers, Swift ranges (`1..<3`, `1...2`, `..<2`, `...1`, `2...`) and the static members below
/// are all accepted where a subscript takes ``TensorIndexConvertible`` values. Negative integers
/// and range bounds count from the end of the axis.
public struct TensorIndex: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline enum Kind: Hashable, Sendable {
        /// A single position; removes the axis.
        case index(Int)
        /// Swift range bounds (`nil` = the axis edge), checked strictly.
        case range(lower: Int?, upper: Int?, closed: Bool)
        /// Python `start:stop:step`, clamped to the axis as Python does.
        case slice(start: Int?, stop: Int?, step: Int)
        /// A new axis of size 1.
        case newAxis
        /// As many `.all` as the other entries leave unindexed.
        case ellipsis
    }

    @usableFromInline let kind: Kind

    @inlinable init(_ kind: Kind) { self.kind = kind }

    /// The Python spelling, e.g. `1:3`, `::-1`, `None`, `...`.
    public var description: String {
        func s(_ i: Int?) -> String { i.map(String.init) ?? "" }
        switch kind {
        case .index(let i): return "\(i)"
        case .range(let lo, let hi, let closed):
            return closed ? "\(s(lo))...\(s(hi))" : "\(s(lo))..<\(s(hi))"
        case .slice(let start, let stop, let step): return "\(s(start)):\(s(stop)):\(step)"
        case .newAxis: return "None"
        case .ellipsis: return "..."
        }
    }

    /// Whether this entry consumes an axis of the tensor (all but `.newAxis` and `.ellipsis`).
    @inlinable var consumesAxis: Bool {
        switch kind {
        case .newAxis, .ellipsis: return false
        default: return true
        }
    }
}

/// A value usable as one entry of a tensor subscript: `Int`, the Swift integer range types and
/// ``TensorIndex`` itself.
public protocol TensorIndexConvertible {
    /// This value as a subscript entry.
    var tensorIndex: TensorIndex { get }
}

extension TensorIndexConvertible where Self == TensorIndex {
    /// Every element of the axis. Python's `:`.
    @inlinable public static var all: TensorIndex { TensorIndex(.slice(start: nil, stop: nil, step: 1)) }

    /// A new axis of size 1 at this position. Python's `None` / `np.newaxis`.
    @inlinable public static var newAxis: TensorIndex { TensorIndex(.newAxis) }

    /// All axes not indexed by the other entries (at most one per subscript). Python's `...`.
    @inlinable public static var ellipsis: TensorIndex { TensorIndex(.ellipsis) }

    /// A single position (negative counts from the end); the axis is removed.
    @inlinable public static func index(_ i: Int) -> TensorIndex { TensorIndex(.index(i)) }

    /// Every `step`-th element from `start` up to but excluding `stop`. Python's `start:stop:step`
    /// with its rules: `nil` bounds mean the axis ends (the far end first when `step < 0`),
    /// negative bounds count from the end, and out-of-range bounds are clamped, never an error.
    /// `step` may be negative (a reversed view, as in NumPy; PyTorch rejects it).
    /// - Precondition: `step != 0`.
    @inlinable public static func stride(from start: Int? = nil, to stop: Int? = nil, by step: Int) -> TensorIndex {
        precondition(step != 0, "subscript: slice step must not be zero")
        return TensorIndex(.slice(start: start, stop: stop, step: step))
    }
}

extension TensorIndex: TensorIndexConvertible {
    /// Itself.
    @inlinable public var tensorIndex: TensorIndex { self }
}

extension Int: TensorIndexConvertible {
    /// `.index(self)`: selects one position and removes the axis.
    @inlinable public var tensorIndex: TensorIndex { TensorIndex(.index(self)) }
}

extension Range: TensorIndexConvertible where Bound == Int {
    /// Positions `lowerBound..<upperBound`; bounds may be negative (from the end).
    @inlinable public var tensorIndex: TensorIndex { TensorIndex(.range(lower: lowerBound, upper: upperBound, closed: false)) }
}

extension ClosedRange: TensorIndexConvertible where Bound == Int {
    /// Positions `lowerBound...upperBound`; bounds may be negative (from the end).
    @inlinable public var tensorIndex: TensorIndex { TensorIndex(.range(lower: lowerBound, upper: upperBound, closed: true)) }
}

extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
    /// Positions from `lowerBound` to the end.
    @inlinable public var tensorIndex: TensorIndex { TensorIndex(.range(lower: lowerBound, upper: nil, closed: false)) }
}

extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
    /// Positions before `upperBound`.
    @inlinable public var tensorIndex: TensorIndex { TensorIndex(.range(lower: nil, upper: upperBound, closed: false)) }
}

extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
    /// Positions up to and including `upperBound`.
    @inlinable public var tensorIndex: TensorIndex { TensorIndex(.range(lower: nil, upper: upperBound, closed: true)) }
}
