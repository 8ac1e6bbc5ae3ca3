/// Factory functions with PyTorch's names and semantics.
extension Tensor where Scalar: TensorNumeric {
    /// A tensor of zeros. Mirrors `torch.zeros`.
    @inlinable public static func zeros(_ shape: [Int]) -> Tensor { Tensor(zeroedShape: shape) }
    /// A tensor of ones. Mirrors `torch.ones`.
    @inlinable public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: .one, shape: shape) }
    /// A tensor filled with `value`. Mirrors `torch.full`.
    @inlinable public static func full(_ shape: [Int], _ value: Scalar) -> Tensor { Tensor(repeating: value, shape: shape) }
    /// Zeros with the shape of `other`. Mirrors `torch.zeros_like`.
    @inlinable public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }
    /// Ones with the shape of `other`. Mirrors `torch.ones_like`.
    @inlinable public static func ones(like other: Tensor) -> Tensor { ones(other.shape) }

    /// The `n×m` identity (ones on the diagonal). Mirrors `torch.eye`.
    @inlinable public static func eye(_ n: Int, _ m: Int? = nil) -> Tensor {
        let cols = m ?? n
        var t = Tensor(zeroedShape: [n, cols])
        t.withUnsafeMutableBufferPointer { b in
            for i in 0..<Swift.min(n, cols) { b[i * cols + i] = .one }
        }
        return t
    }

    /// A matrix with `diagonal` on its main diagonal. Mirrors `torch.diag` for a vector.
    @inlinable public static func diagonal(_ diagonal: Tensor) -> Tensor {
        precondition(diagonal.rank == 1, "diagonal: expected a vector, got shape \(diagonal.shape)")
        let n = diagonal.count
        let d = diagonal.scalars
        var t = Tensor(zeroedShape: [n, n])
        t.withUnsafeMutableBufferPointer { b in for i in 0..<n { b[i * n + i] = d[i] } }
        return t
    }
}

extension Tensor where Scalar: TensorNumeric & Strideable, Scalar.Stride: SignedNumeric {
    /// `start, start + step, …` up to but excluding `end`. Mirrors `torch.arange`.
    @inlinable public static func arange(_ start: Scalar, _ end: Scalar, step: Scalar = .one) -> Tensor {
        precondition(step != .zero, "arange: step must not be zero")
        var values: [Scalar] = []
        var x = start
        while step > .zero ? x < end : x > end {
            values.append(x)
            x = x + step
        }
        return Tensor(values)
    }
    /// `0, 1, …, end − 1`. Mirrors `torch.arange(end)`.
    @inlinable public static func arange(_ end: Scalar) -> Tensor { arange(.zero, end) }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// `count` evenly spaced values from `start` to `end` inclusive. Mirrors `torch.linspace`.
    @inlinable public static func linspace(_ start: Scalar, _ end: Scalar, count: Int) -> Tensor {
        precondition(count >= 0, "linspace: count must be non-negative, got \(count)")
        if count == 1 { return Tensor([start]) }
        let step = (end - start) / Scalar(count - 1)
        // Fill from both ends, as torch does, so the last value is exactly `end`.
        return Tensor(shape: [count]) { b in
            let half = count / 2
            for i in 0..<count {
                b.baseAddress!.advanced(by: i).initialize(to: i < half ? start + step * Scalar(i)
                                                          : end - step * Scalar(count - 1 - i))
            }
        }
    }
}
