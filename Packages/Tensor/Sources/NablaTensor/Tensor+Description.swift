/// NumPy-style printing: nested brackets, aligned columns, and `...` elision for large tensors.
extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
    /// Axes longer than this are elided to their first and last three entries.
    @usableFromInline static var elisionThreshold: Int { 1000 }

    /// The elements in nested brackets, e.g. `[[1.0, 2.0], [3.0, 4.0]]` printed over two lines.
    public var description: String {
        let values = scalars
        let elide = count > Tensor.elisionThreshold
        let strides = Shape.contiguousStrides(_shape)
        // Format every printed element first so columns can be aligned.
        func text(_ v: Scalar) -> String {
            if let d = v as? Double { return Tensor.format(d) }
            if let f = v as? Float { return Tensor.format(f) }
            return "\(v)"
        }
        var width = 0
        if !elide { for v in values { width = Swift.max(width, text(v).count) } } else { width = 1 }
        func pad(_ s: String) -> String { String(repeating: " ", count: Swift.max(0, width - s.count)) + s }
        func render(axis: Int, offset: Int, indent: Int) -> String {
            if axis == rank { return pad(text(values[offset])) }
            let n = _shape[axis]
            var indices = Array(0..<n)
            var gap = -1
            if elide && n > 6 { indices = [0, 1, 2, n - 3, n - 2, n - 1]; gap = 3 }
            var parts: [String] = []
            for (p, i) in indices.enumerated() {
                if p == gap { parts.append("...") }
                parts.append(render(axis: axis + 1, offset: offset + i * strides[axis], indent: indent + 1))
            }
            if axis == rank - 1 { return "[" + parts.joined(separator: ", ") + "]" }
            let sep = "," + String(repeating: "\n", count: rank - axis - 1) + String(repeating: " ", count: indent + 1)
            return "[" + parts.joined(separator: sep) + "]"
        }
        if count == 0 { return "[]" }
        return render(axis: 0, offset: 0, indent: 0)
    }

    /// `description` followed by shape and dtype.
    public var debugDescription: String { "Tensor<\(Scalar.self)>(shape: \(_shape)) \(description)" }

    /// Shortest round-tripping text in the value's own precision (`0.1` prints as `0.1` for a Float).
    @usableFromInline static func format<F: FloatingPoint & CustomStringConvertible>(_ x: F) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return "\(x)"
    }
}
