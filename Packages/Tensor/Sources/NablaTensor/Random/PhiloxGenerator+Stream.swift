extension PhiloxGenerator {
    /// The tag in the high counter word of the blocks that derive stream keys: data blocks would
    /// reach it only after 2⁶³·2⁶⁴ draws, so a stream key never reuses a block of the data stream.
    @usableFromInline static let streamTag: UInt64 = 0x8000_5EED_57E4_0000

    /// Independent stream number `index` of this generator, without advancing it: the same counter
    /// under a key derived from this key and `index` (one Philox block, `(index, tag)` under this
    /// key). Unlike ``split(into:)``, stream `i` does not depend on how many streams are taken or
    /// on any other draw, which is what `vmap` needs: element `i` of a batch draws from stream `i`,
    /// so its numbers are the same whatever the batch size. Streams of streams
    /// (`g.stream(2).stream(5)`) are again independent (nested `vmap`).
    ///
    /// - Precondition: `index ≥ 0`.
    @inlinable public func stream(_ index: Int) -> PhiloxGenerator {
        precondition(index >= 0, "PhiloxGenerator.stream: index must be non-negative, got \(index)")
        let w = PhiloxGenerator.block(key: key, counter: (UInt64(index), PhiloxGenerator.streamTag))
        return PhiloxGenerator(key: UInt64(w.0) | UInt64(w.1) << 32, counter: counter)
    }
}
