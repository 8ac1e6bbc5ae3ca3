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
        private var frame: UnsafeMutableRawPointer? = nil
        private var frameSize = 0
        /// Tensors up to `oneShotLimit` bytes (default 16 MiB) are shuffled whole and compressed in
        /// one call (`ZSTD_compress2`), about 10% faster than streaming them; larger ones stream
        /// through block-sized buffers.
        let oneShotLimit: Int

        init(chunkSize: Int = 1 << 20, oneShotLimit: Int = 16 << 20) throws {
            self.oneShotLimit = oneShotLimit
            guard let c = ZSTD_createCCtx() else { throw SerializationError.io(path: "zstd", message: "out of memory") }
            cctx = c
            self.chunkSize = chunkSize
            chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 64)
        }

        deinit {
            ZSTD_freeCCtx(cctx)
            chunk.deallocate()
            scratch?.deallocate()
            frame?.deallocate()
        }

        /// The shuffle scratch, grown to at least `n` bytes.
        private func scratch(_ n: Int) -> UnsafeMutablePointer<UInt8> {
            if scratchSize < n {
                scratch?.deallocate()
                scratchSize = n
                scratch = .allocate(capacity: n)
            }
            return scratch!
        }

        /// Compresses `src` into one frame (content size and checksum flags set) and hands the
        /// frame to `emit` in pieces of at most `chunkSize` bytes as they are produced (for
        /// tensors above `oneShotLimit`; smaller ones in one call), so memory stays bounded
        /// whatever the tensor's size. `workers > 1` lets zstd use that many threads
        /// (still one frame). With `shuffleWidth > 1` each block of ``ByteShuffle/blockElements``
        /// elements is shuffled into a block-sized scratch buffer just before zstd reads it.
        /// `hashLog > 0` overrides the level's hash table size (log2 of its entries).
        ///
        /// Stops early and returns `false` as soon as more than `limit` bytes would have been
        /// emitted (the caller then stores the data raw); returns `true` once the whole frame was emitted.
        /// - Throws: what `emit` throws, or an error from zstd.
        func compress(_ src: UnsafeRawBufferPointer, level: Int, workers: Int = 0, shuffleWidth: Int = 1, hashLog: Int = 0,
                      limit: Int = .max, emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
            ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters)
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, Int32(clamping: level))
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1)
            if workers > 1 { _ = ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, Int32(workers)) }  // ignored if unsupported
            if hashLog > 0 { ZSTD_CCtx_setParameter(cctx, ZSTD_c_hashLog, Int32(hashLog)) }
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
            precondition(src.count % w == 0, "Zstd.compress: \(src.count) bytes are not whole \(w)-byte elements")
            let count = src.count / w
            let s = src.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) }
            if src.count <= oneShotLimit {
                var input = src
                if w > 1, let s {
                    let whole = scratch(src.count)
                    ByteShuffle.shuffle(s, whole, count: count, width: w)
                    input = UnsafeRawBufferPointer(start: whole, count: src.count)
                }
                let bound = ZSTD_compressBound(src.count)
                if frameSize < bound {
                    frame?.deallocate()
                    frameSize = bound
                    frame = .allocate(byteCount: bound, alignment: 64)
                }
                let n = try check(ZSTD_compress2(cctx, frame, bound, input.baseAddress, input.count))
                if n > limit { return false }
                var i = 0
                while i < n {
                    try emit(UnsafeRawBufferPointer(start: frame! + i, count: min(chunkSize, n - i)))
                    i += chunkSize
                }
                return true
            }
            guard w > 1, let s1 = s else { return try feed(src.baseAddress, src.count, end: true) }
            let block = scratch(ByteShuffle.blockElements * w)
            var i = 0
            repeat {
                let m = min(ByteShuffle.blockElements, count - i)
                ByteShuffle.shuffleBlock(s1 + i * w, block, count: m, width: w)
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
