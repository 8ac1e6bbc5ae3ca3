import NablaTensor
import NablaAutograd

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
