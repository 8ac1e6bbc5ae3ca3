import CZstd

/// Thin wrappers over libzstd. Frames always carry their content size and XXH64 content checksum.
///
/// The shuffled variants apply or undo the byte-shuffle filter one block at a time while
/// streaming, so no tensor-sized scratch buffer is needed and the filter stays in cache.
enum Zstd {
    static func makeContext(level: Int, workers: Int, size: Int) throws -> OpaquePointer {
        guard let cctx = ZSTD_createCCtx() else { throw SerializationError.io(path: "zstd", message: "out of memory") }
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, Int32(clamping: level))
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1)
        if workers > 1 { _ = ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, Int32(workers)) }  // ignored if unsupported
        ZSTD_CCtx_setPledgedSrcSize(cctx, UInt64(size))
        return cctx
    }

    static func check(_ code: Int) throws -> Int {
        if ZSTD_isError(code) != 0 {
            throw SerializationError.io(path: "zstd", message: String(cString: ZSTD_getErrorName(code)))
        }
        return code
    }

    /// Compresses `src` into one frame. `workers > 1` lets zstd use that many threads (still one frame).
    /// With `shuffleWidth > 1` the bytes are byte-shuffled (see ``ByteShuffle``) into a scratch
    /// buffer first. Returns the frame in a buffer of its exact length.
    static func compress(_ src: UnsafeRawBufferPointer, level: Int, workers: Int = 0, shuffleWidth: Int = 1) throws -> ByteBuffer {
        let cctx = try makeContext(level: level, workers: workers, size: src.count)
        defer { ZSTD_freeCCtx(cctx) }
        var input = src
        var scratch: ByteBuffer? = nil
        let w = shuffleWidth
        if w > 1 {
            let b = ByteBuffer(count: src.count)
            ByteShuffle.shuffle(src.baseAddress!.assumingMemoryBound(to: UInt8.self), b.base.assumingMemoryBound(to: UInt8.self),
                                count: src.count / w, width: w)
            scratch = b
            input = b.buffer
        }
        let bound = ZSTD_compressBound(src.count)
        let out = ByteBuffer(count: bound)
        let n = try withExtendedLifetime(scratch) {
            try check(ZSTD_compress2(cctx, out.base, bound, input.baseAddress, input.count))
        }
        return out.truncated(to: n)
    }

    /// Compresses into an array (tests).
    static func compressToArray(_ src: UnsafeRawBufferPointer, level: Int, shuffleWidth: Int = 1) throws -> [UInt8] {
        let b = try compress(src, level: level, workers: 0, shuffleWidth: shuffleWidth)
        return Array(b.buffer)
    }

    /// Checks that `src` is exactly one frame declaring `expected` content bytes.
    static func checkFrame(_ src: UnsafeRawBufferPointer, expected: Int, format: String, entry: String) throws {
        let size = ZSTD_getFrameContentSize(src.baseAddress, src.count)
        try require(size != ZSTD_CONTENTSIZE_ERROR && size != ZSTD_CONTENTSIZE_UNKNOWN, format,
                    "entry '\(entry)': not a zstd frame with a content size")
        try require(size == UInt64(expected), format,
                    "entry '\(entry)': zstd frame holds \(size) bytes, header says \(expected)")
        let frame = ZSTD_findFrameCompressedSize(src.baseAddress, src.count)
        try require(ZSTD_isError(frame) == 0 && frame == src.count, format,
                    "entry '\(entry)': zstd frame does not span the stored bytes exactly")
    }

    /// Decompresses exactly one frame `src` that must hold exactly `expected` bytes into `dst`,
    /// undoing the byte shuffle when `shuffleWidth > 1`.
    /// - Throws: `.malformed` when the frame's declared size differs, the frame is not exactly
    ///   `src`, or zstd reports corruption (including its content checksum).
    static func decompress(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawPointer, expected: Int,
                           shuffleWidth: Int = 1, format: String, entry: String) throws {
        try checkFrame(src, expected: expected, format: format, entry: entry)
        func fail(_ code: Int) -> SerializationError {
            .malformed(format: format, reason: "entry '\(entry)': zstd: \(String(cString: ZSTD_getErrorName(code)))")
        }
        // One-shot decompression straight into `dst` (the fastest path), then each shuffle block
        // is copied to a cache-sized buffer and unshuffled back into place.
        let n = ZSTD_decompress(dst, expected, src.baseAddress, src.count)
        if ZSTD_isError(n) != 0 { throw fail(n) }
        try require(n == expected, format, "entry '\(entry)': zstd produced \(n) bytes, expected \(expected)")
        let w = shuffleWidth
        guard w > 1 else { return }
        let count = expected / w
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: ByteShuffle.blockElements * w)
        defer { buffer.deallocate() }
        let d = dst.assumingMemoryBound(to: UInt8.self)
        var i = 0
        while i < count {
            let m = min(ByteShuffle.blockElements, count - i)
            buffer.update(from: d + i * w, count: m * w)
            ByteShuffle.unshuffleBlock(buffer, d + i * w, count: m, width: w)
            i += m
        }
    }
}
