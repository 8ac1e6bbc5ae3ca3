import ComplexModule

/// NumPy-style printing: nested brackets, aligned columns, and `...` elision for large tensors.
extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
    /// Axes longer than this are elided to their first and last three entries.
    @usableFromInline static var elisionThreshold: Int { 1000 }

    /// The elements in nested brackets, e.g. `[[1.0, 2.0], [3.0, 4.0]]` printed over two lines.
    ///
    /// Every printed element is right-aligned to the widest printed element; in an elided tensor
    /// the width is taken over the elements shown (the first and last three of each long axis), as
    /// NumPy and PyTorch do, so the columns on either side of `...` line up. Complex elements print
    /// as `re+imi` (`0.0+1.0i`, `1.5-2.0i`).
    public var description: String {
        if count == 0 { return "[]" }
        let values = scalars
        let elide = count > Tensor.elisionThreshold
        let strides = Shape.contiguousStrides(_shape)
        func shown(_ n: Int) -> (indices: [Int], gap: Int) {
            elide && n > 6 ? ([0, 1, 2, n - 3, n - 2, n - 1], 3) : (Array(0..<n), -1)
        }
        // Format the printed elements first (each once), so that columns can be aligned.
        var texts: [Int: String] = [:]
        var width = 0
        func collect(axis: Int, offset: Int) {
            if axis == rank {
                let t = Tensor.text(values[offset])
                texts[offset] = t
                width = Swift.max(width, t.count)
                return
            }
            for i in shown(_shape[axis]).indices { collect(axis: axis + 1, offset: offset + i * strides[axis]) }
        }
        collect(axis: 0, offset: 0)
        func render(axis: Int, offset: Int, indent: Int) -> String {
            if axis == rank {
                let t = texts[offset]!
                return String(repeating: " ", count: width - t.count) + t
            }
            let (indices, gap) = shown(_shape[axis])
            var parts: [String] = []
            for (p, i) in indices.enumerated() {
                if p == gap { parts.append("...") }
                parts.append(render(axis: axis + 1, offset: offset + i * strides[axis], indent: indent + 1))
            }
            if axis == rank - 1 { return "[" + parts.joined(separator: ", ") + "]" }
            let sep = "," + String(repeating: "\n", count: rank - axis - 1) + String(repeating: " ", count: indent + 1)
            return "[" + parts.joined(separator: sep) + "]"
        }
        return render(axis: 0, offset: 0, indent: 0)
    }

    /// One element as printed: floating-point values in their own shortest round-tripping form,
    /// complex values as `re+imi`, anything else as its `description`.
    @usableFromInline static func text(_ v: Scalar) -> String {
        if let d = v as? Double { return format(d) }
        if let f = v as? Float { return format(f) }
        if let z = v as? Complex<Double> { return format(z) }
        if let z = v as? Complex<Float> { return format(z) }
        return "\(v)"
    }

    /// `re+imi` or `re-imi` (the sign of the imaginary part, `-0.0` included, picks the operator).
    @usableFromInline static func format<R: TensorFloatingPoint & CustomStringConvertible>(_ z: Complex<R>) -> String {
        let im = z.imaginary
        let negative = im.sign == .minus && !im.isNaN
        return format(z.real) + (negative ? "-" : "+") + format(negative ? -im : im) + "i"
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
