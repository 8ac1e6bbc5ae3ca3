extension Tensor {
    /// Creates a contiguous tensor of `shape` over memory owned elsewhere, without copying.
    ///
    /// Checkpoint readers use this to hand out tensors that point straight into a memory-mapped
    /// file. The memory must stay valid and hold `Shape.count(shape)` initialized scalars until
    /// `release` runs, which happens once, when the last tensor sharing the storage is gone.
    /// Mutating the tensor writes into that memory when the storage is uniquely referenced
    /// (so map files privately, copy-on-write, e.g. `MAP_PRIVATE`).
    /// - Precondition: `base` is aligned for `Scalar` and `shape` has no negative dimension.
    @inlinable public init(shape: [Int], unsafeWrapping base: UnsafeMutablePointer<Scalar>,
                           release: @escaping @Sendable (UnsafeMutableRawPointer) -> Void) {
        for d in shape { precondition(d >= 0, "Tensor(unsafeWrapping:): negative dimension in shape \(shape)") }
        precondition(Int(bitPattern: base) % MemoryLayout<Scalar>.alignment == 0,
                     "Tensor(unsafeWrapping:): pointer is not aligned for \(Scalar.self)")
        let n = Shape.count(shape)
        self.init(storage: TensorStorage(wrapping: base, count: n, release: release), shape: shape,
                  offset: 0)
    }
}
