/// Repeating a whole tensor along its axes.
extension Tensor {
    /// The tensor repeated `multiples[i]` times along each axis. Mirrors `torch.Tensor.repeat`
    /// and `numpy.tile`.
    ///
    /// When `multiples` is longer than the rank, the shape is first padded with leading 1s, so
    /// `[2, 3]` tiled by `[4, 1, 2]` has shape `[4, 2, 6]`. Built as one broadcast view
    /// `[m₀, d₀, m₁, d₁, …]` (stride 0 on the repeat axes) copied once.
    /// - Precondition: `multiples.count ≥ rank` and no multiple is negative.
    @inlinable public func tiled(_ multiples: [Int]) -> Tensor {
        precondition(multiples.count >= rank, "repeat: \(multiples) has fewer entries than the rank of shape \(_shape)")
        precondition(multiples.allSatisfy { $0 >= 0 }, "repeat: negative multiple in \(multiples)")
        let lead = multiples.count - rank
        var shape: [Int] = [], strides: [Int] = [], result: [Int] = []
        let _strides = self._strides
        for (i, m) in multiples.enumerated() {
            let d = i < lead ? 1 : _shape[i - lead]
            let s = i < lead ? 0 : _strides[i - lead]
            shape += [m, d]
            strides += [0, s]
            result.append(m * d)
        }
        return Tensor(storage: storage, shape: shape, strides: strides, offset: _offset).copied().reshaped(result)
    }

    /// The tensor repeated along each axis; see ``tiled(_:)``.
    @inlinable public func tiled(_ multiples: Int...) -> Tensor { tiled(multiples) }
}
