/// How ``Tensor/padded(_:mode:)`` fills the border. Named after `torch.nn.functional.pad`'s modes.
public enum PaddingMode: String, Sendable, CaseIterable {
    /// Mirror without repeating the edge: `[1, 2, 3]` padded by 2 gives `[3, 2, 1, 2, 3, 2, 1]`.
    /// PyTorch `'reflect'`, NumPy `'reflect'`. Each pad must be shorter than its axis.
    case reflect
    /// Repeat the edge element: `[1, 2, 3]` → `[1, 1, 1, 2, 3, 3, 3]`. PyTorch `'replicate'`, NumPy `'edge'`.
    case replicate
    /// Wrap around: `[1, 2, 3]` → `[2, 3, 1, 2, 3, 1, 2]`. PyTorch `'circular'`, NumPy `'wrap'`.
    case circular
}

extension PaddingMode {
    /// Which element of axis `axis` of `shape` each position of that axis, padded by `before` and
    /// `after`, copies: the indices of the ``Tensor/indexSelect(indices:axis:)`` that pads it
    /// (`[1, 2, 3]` padded by 2 in `.reflect` mode reads `[2, 1, 0, 1, 2, 1, 0]`).
    /// - Precondition: the axis is not empty, and for `.reflect` both pads are shorter than it.
    @inlinable public func sourceIndices(before: Int, after: Int, axis: Int, of shape: [Int]) -> [Int] {
        let n = shape[axis]
        precondition(n > 0, "pad: cannot pad an empty axis \(axis) of shape \(shape) in mode \(self)")
        if self == .reflect {
            precondition(before < n && after < n,
                         "pad: reflect pads \((before: before, after: after)) must be shorter than axis \(axis) of shape \(shape)")
        }
        return (-before..<(n + after)).map { j in
            switch self {
            case .reflect: return j < 0 ? -j : (j >= n ? 2 * (n - 1) - j : j)
            case .replicate: return Swift.min(Swift.max(j, 0), n - 1)
            case .circular: return ((j % n) + n) % n
            }
        }
    }
}

/// Padding an n-dimensional tensor on both sides of any axes.
///
/// `pads` lists `(before, after)` pairs aligned with the trailing axes, like broadcasting:
/// `pads[i]` pads axis `rank - pads.count + i`. With one pair per axis this is
/// `numpy.pad(x, pads)`; `[(1, 1), (2, 2)]` on an `[N, C, H, W]` batch pads `H` by 1 and `W` by 2
/// on each side, which `torch.nn.functional.pad(x, (2, 2, 1, 1))` writes last axis first.
extension Tensor {
    /// The tensor surrounded by `value`. Mirrors `torch.nn.functional.pad(x, …, mode='constant', value=value)`.
    ///
    /// Axis `a` of size `n` padded by `(before, after)` has size `before + n + after`.
    /// - Precondition: `pads.count ≤ rank` and every pad is non-negative.
    @inlinable public func padded(_ pads: [(before: Int, after: Int)], value: Scalar) -> Tensor {
        let (shape, lead) = paddedShape(pads, op: "pad")
        let out = Tensor(repeating: value, shape: shape)
        var offset = 0
        let outStrides = out._strides
        for (i, p) in pads.enumerated() { offset += p.before * outStrides[lead + i] }
        let interior = Tensor(storage: out.storage, shape: _shape, strides: outStrides, offset: offset)
        if count > 0 { interior.assignElements(from: self, op: "pad") }
        return out
    }

    /// The tensor padded by mirroring, repeating or wrapping its own elements.
    /// Mirrors `torch.nn.functional.pad(x, …, mode=mode)` and `numpy.pad(x, pads, mode=…)`.
    /// - Precondition: `pads.count ≤ rank`, pads non-negative, padded axes non-empty, and for
    ///   `.reflect` every pad shorter than its axis (as PyTorch requires).
    @inlinable public func padded(_ pads: [(before: Int, after: Int)], mode: PaddingMode) -> Tensor {
        let (_, lead) = paddedShape(pads, op: "pad")
        var x = self
        for (i, p) in pads.enumerated() where p.before > 0 || p.after > 0 {
            let a = lead + i
            x = x.indexSelect(indices: Tensor<Int>(mode.sourceIndices(before: p.before, after: p.after, axis: a, of: _shape)),
                              axis: a)
        }
        return x
    }

    /// The padded shape and the first padded axis, after checking `pads`.
    @inlinable func paddedShape(_ pads: [(before: Int, after: Int)], op: StaticString) -> ([Int], Int) {
        precondition(pads.count <= rank, "\(op): \(pads.count) pad pairs for a tensor of shape \(_shape)")
        let lead = rank - pads.count
        var shape = _shape
        for (i, p) in pads.enumerated() {
            precondition(p.before >= 0 && p.after >= 0, "\(op): negative pad \(p) for shape \(_shape)")
            shape[lead + i] += p.before + p.after
        }
        return (shape, lead)
    }
}

extension Tensor where Scalar: TensorNumeric {
    /// The tensor surrounded by zeros. Mirrors `torch.nn.functional.pad(x, …)` with its default
    /// `value=0`; see ``padded(_:value:)``.
    @inlinable public func padded(_ pads: [(before: Int, after: Int)]) -> Tensor {
        padded(pads, value: .zero)
    }
}
