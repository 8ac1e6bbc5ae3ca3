import CZstd

/// Thin wrappers over libzstd. Frames always carry their content size and XXH64 content checksum.
///
/// The shuffled variants apply or undo the byte-shuffle filter one block at a time while
/// streaming, so no tensor-sized scratch buffer is needed and the filter stays in cache.
enum Zstd {
    static func check(_ code: Int) throws -> Int {
        if ZSTD_isError(code) != 0 {
            throw SerializationError.io(path: "zstd", message: String(cString: ZSTD_getErrorName(code)))
        }
        return code
    }

    /// Compresses tensors one after another into frames handed out in chunks, reusing one zstd
    /// context, one output chunk and one shuffle block (fresh buffers for every tensor cost page
    /// faults that showed up as 7% of encoding time). Not thread-safe: one per thread.
    final class StreamCompressor {
        let cctx: OpaquePointer
        let chunkSize: Int
        let chunk: UnsafeMutableRawPointer
        private var scratch: UnsafeMutablePointer<UInt8>? = nil
        private var scratchSize = 0

        init(chunkSize: Int = 1 << 20) throws {
            guard let c = ZSTD_createCCtx() else { throw SerializationError.io(path: "zstd", message: "out of memory") }
            cctx = c
            self.chunkSize = chunkSize
            chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 64)
        }

        deinit {
            ZSTD_freeCCtx(cctx)
            chunk.deallocate()
            scratch?.deallocate()
        }

        /// Compresses `src` into one frame (content size and checksum flags set) and hands the
        /// frame to `emit` in pieces of at most `chunkSize` bytes as they are produced, so memory
        /// stays bounded whatever the tensor's size. `workers > 1` lets zstd use that many threads
        /// (still one frame). With `shuffleWidth > 1` each block of ``ByteShuffle/blockElements``
        /// elements is shuffled into a block-sized scratch buffer just before zstd reads it.
        ///
        /// Stops early and returns `false` as soon as more than `limit` bytes would have been
        /// emitted (the caller then stores the data raw); returns `true` once the whole frame was emitted.
        /// - Throws: what `emit` throws, or an error from zstd.
        func compress(_ src: UnsafeRawBufferPointer, level: Int, workers: Int = 0, shuffleWidth: Int = 1, limit: Int = .max,
                      emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
            ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters)
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, Int32(clamping: level))
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1)
            if workers > 1 { _ = ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, Int32(workers)) }  // ignored if unsupported
            ZSTD_CCtx_setPledgedSrcSize(cctx, UInt64(src.count))
            var output = ZSTD_outBuffer(dst: chunk, size: chunkSize, pos: 0)
            var emitted = 0
            let cctx = self.cctx, chunk = self.chunk
            /// Feeds `n` bytes at `p`; returns false once the output passed `limit`.
            func feed(_ p: UnsafeRawPointer?, _ n: Int, end: Bool) throws -> Bool {
                var input = ZSTD_inBuffer(src: p, size: n, pos: 0)
                while true {
                    let left = try check(ZSTD_compressStream2(cctx, &output, &input, end ? ZSTD_e_end : ZSTD_e_continue))
                    let finished = end ? left == 0 : input.pos == input.size
                    if output.pos == output.size || (finished && end && output.pos > 0) {
                        emitted += output.pos
                        if emitted > limit { return false }
                        try emit(UnsafeRawBufferPointer(start: chunk, count: output.pos))
                        output.pos = 0
                    }
                    if finished { return true }
                }
            }
            let w = shuffleWidth
            guard w > 1 else { return try feed(src.baseAddress, src.count, end: true) }
            precondition(src.count % w == 0, "Zstd.compress: \(src.count) bytes are not whole \(w)-byte elements")
            let count = src.count / w
            if scratchSize < ByteShuffle.blockElements * w {
                scratch?.deallocate()
                scratchSize = ByteShuffle.blockElements * w
                scratch = .allocate(capacity: scratchSize)
            }
            let block = scratch!
            let s = src.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var i = 0
            repeat {
                let m = min(ByteShuffle.blockElements, count - i)
                ByteShuffle.shuffleBlock(s + i * w, block, count: m, width: w)
                i += m
                guard try feed(block, m * w, end: i == count) else { return false }
            } while i < count
            return true
        }
    }

    /// Compresses into an array (tests).
    static func compressToArray(_ src: UnsafeRawBufferPointer, level: Int, shuffleWidth: Int = 1) throws -> [UInt8] {
        var out: [UInt8] = []
        _ = try StreamCompressor().compress(src, level: level, shuffleWidth: shuffleWidth) { out += $0 }
        return out
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
