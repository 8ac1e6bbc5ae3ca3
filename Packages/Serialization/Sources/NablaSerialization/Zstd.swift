import CZstd

/// Thin wrappers over libzstd's one-shot API.
enum Zstd {
    /// Compresses `src` into one frame with the content size and XXH64 checksum flags set.
    /// `workers > 0` lets zstd split the frame's work over that many threads (same single frame).
    static func compress(_ src: UnsafeRawBufferPointer, level: Int, workers: Int = 0) throws -> [UInt8] {
        guard let cctx = ZSTD_createCCtx() else { throw SerializationError.io(path: "zstd", message: "out of memory") }
        defer { ZSTD_freeCCtx(cctx) }
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, Int32(clamping: level))
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1)
        if workers > 1 { _ = ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, Int32(workers)) }  // ignored if unsupported
        let bound = ZSTD_compressBound(src.count)
        var out = [UInt8](repeating: 0, count: bound)
        let n = out.withUnsafeMutableBytes { o in
            ZSTD_compress2(cctx, o.baseAddress, bound, src.baseAddress, src.count)
        }
        if ZSTD_isError(n) != 0 {
            throw SerializationError.io(path: "zstd", message: String(cString: ZSTD_getErrorName(n)))
        }
        out.removeSubrange(n...)
        return out
    }

    /// Decompresses exactly one frame `src` that must hold exactly `expected` bytes into `dst`.
    /// - Throws: `.malformed` when the frame's declared size differs, the frame is not exactly
    ///   `src`, or zstd reports corruption (including its content checksum).
    static func decompress(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawPointer, expected: Int,
                           format: String, entry: String) throws {
        let size = ZSTD_getFrameContentSize(src.baseAddress, src.count)
        try require(size != ZSTD_CONTENTSIZE_ERROR && size != ZSTD_CONTENTSIZE_UNKNOWN, format,
                    "entry '\(entry)': not a zstd frame with a content size")
        try require(size == UInt64(expected), format,
                    "entry '\(entry)': zstd frame holds \(size) bytes, header says \(expected)")
        let frame = ZSTD_findFrameCompressedSize(src.baseAddress, src.count)
        try require(ZSTD_isError(frame) == 0 && frame == src.count, format,
                    "entry '\(entry)': zstd frame does not span the stored bytes exactly")
        let n = ZSTD_decompress(dst, expected, src.baseAddress, src.count)
        if ZSTD_isError(n) != 0 {
            throw SerializationError.malformed(format: format,
                reason: "entry '\(entry)': zstd: \(String(cString: ZSTD_getErrorName(n)))")
        }
        try require(n == expected, format, "entry '\(entry)': zstd produced \(n) bytes, expected \(expected)")
    }
}
