/// Scratch memory for kernels (im2col columns, a GEMM's staging rows, partial sums): blocks of
/// ``scratchCacheMinimumBytes`` and more are taken from and given back to ``LargeBlockCache``, so
/// a kernel called once per training step reuses the same pages. A fresh block of a few hundred
/// KiB is an `mmap` whose every 4 KiB page faults and is zero-filled on first touch; ConvBench's
/// convolutions allocated 0.25–1 MiB of columns per call and core.
@usableFromInline func _allocateScratch(bytes: Int) -> UnsafeMutableRawPointer {
    if bytes >= scratchCacheMinimumBytes {
        // A new block as tensors get theirs (64-byte aligned, 2 MiB pages from 4 MiB on).
        return LargeBlockCache.shared.take(bytes: bytes) ?? LargeBlockCache.allocate(bytes: bytes)
    }
    return UnsafeMutableRawPointer.allocate(byteCount: Swift.max(bytes, 1), alignment: 64)
}

/// Gives back a block of `bytes` bytes from ``_allocateScratch(bytes:)``: kept by
/// ``LargeBlockCache`` for the next caller when large enough, freed otherwise.
@usableFromInline func _deallocateScratch(_ block: UnsafeMutableRawPointer, bytes: Int) {
    if bytes >= scratchCacheMinimumBytes && LargeBlockCache.shared.put(block, bytes: bytes) { return }
    block.deallocate()
}

/// The smallest scratch block recycled through ``LargeBlockCache`` (64 KiB; glibc maps blocks
/// from 128 KiB on by default).
@usableFromInline let scratchCacheMinimumBytes = 1 << 16

extension Tensor {
    /// Uninitialized scratch room for `count` scalars, 64-byte aligned; give it back with
    /// ``_deallocateScratch(_:count:)``.
    @inlinable static func _allocateScratch(count: Int) -> UnsafeMutablePointer<Scalar> {
        NablaTensor._allocateScratch(bytes: count * MemoryLayout<Scalar>.stride).bindMemory(to: Scalar.self, capacity: count)
    }

    /// Gives back scratch room for `count` scalars from ``_allocateScratch(count:)``.
    @inlinable static func _deallocateScratch(_ block: UnsafeMutablePointer<Scalar>, count: Int) {
        NablaTensor._deallocateScratch(UnsafeMutableRawPointer(block), bytes: count * MemoryLayout<Scalar>.stride)
    }
}

extension Tensor {
    /// An uninitialized dense tensor of `shape` whose buffer, from ``scratchCacheMinimumBytes`` on,
    /// is taken from ``LargeBlockCache`` and given back to it when the last tensor lets go: the
    /// activations and gradients of a training step (a 300×100 Float layer output is 120 KB, below
    /// the 256 KiB from which tensor storage recycles its blocks) reuse the previous step's pages
    /// instead of glibc trimming its heap after the step and faulting the pages in again.
    ///
    /// The buffer is wrapped (as mapped memory is), so in-place arithmetic on the result copies
    /// first; the layer kernels that use this write their results once and do not mutate them.
    @inlinable static func _recycled(shape: [Int]) -> Tensor {
        let n = Shape.count(shape)
        let bytes = n * MemoryLayout<Scalar>.stride
        guard bytes >= scratchCacheMinimumBytes else {
            return Tensor(storage: TensorStorage(uninitializedCount: n), shape: shape, offset: 0)
        }
        let block = NablaTensor._allocateScratch(bytes: bytes).bindMemory(to: Scalar.self, capacity: n)
        let storage = TensorStorage(wrapping: block, count: n) { NablaTensor._deallocateScratch($0, bytes: bytes) }
        return Tensor(storage: storage, shape: shape, offset: 0)
    }
}
