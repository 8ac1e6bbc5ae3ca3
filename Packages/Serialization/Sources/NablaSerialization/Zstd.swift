import CZstd
import Foundation

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

    /// A heap buffer that carries compressed bytes from a compressor to the writer (``BufferPool``).
    final class FrameBuffer: @unchecked Sendable {
        let base: UnsafeMutableRawPointer
        let capacity: Int
        /// Bytes in use.
        var count = 0
        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(byteCount: max(capacity, 1), alignment: 64)
        }
        deinit { base.deallocate() }
        var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
    }

    /// Recycles ``FrameBuffer``s among the threads of one save, so that frames are compressed
    /// straight into memory that is already mapped (fresh buffers cost a page fault per 4 KiB,
    /// which showed up as 10% of a save) and are never copied on their way to the file.
    final class BufferPool: @unchecked Sendable {
        private let lock = NSLock()
        private var free: [FrameBuffer] = []
        /// A buffer of at least `capacity` bytes (the smallest free one that fits, or a new one).
        func take(_ capacity: Int) -> FrameBuffer {
            lock.lock()
            defer { lock.unlock() }
            var best = -1
            for (i, b) in free.enumerated() where b.capacity >= capacity && (best < 0 || b.capacity < free[best].capacity) { best = i }
            if best >= 0 {
                let b = free.remove(at: best)
                b.count = 0
                return b
            }
            return FrameBuffer(capacity: capacity)
        }
        /// Returns `buffer` for reuse.
        func give(_ buffer: FrameBuffer) {
            lock.lock()
            free.append(buffer)
            lock.unlock()
        }
    }

    /// Compresses tensors one after another into frames, reusing one zstd context and one
    /// shuffle scratch buffer (fresh ones for every tensor cost page faults). Not thread-safe: one
    /// per thread.
    final class StreamCompressor {
        let cctx: OpaquePointer
        let chunkSize: Int
        private var scratch: UnsafeMutablePointer<UInt8>? = nil
        private var scratchSize = 0
        /// Tensors up to `oneShotLimit` bytes (default 16 MiB) are shuffled whole and compressed in
        /// one call (`ZSTD_compress2`) into one buffer, about 10% faster than streaming them;
        /// larger ones stream through a block-sized scratch into `chunkSize` buffers.
        let oneShotLimit: Int

        init(chunkSize: Int = 1 << 20, oneShotLimit: Int = 16 << 20) throws {
            self.oneShotLimit = oneShotLimit
            guard let c = ZSTD_createCCtx() else { throw SerializationError.io(path: "zstd", message: "out of memory") }
            cctx = c
            self.chunkSize = chunkSize
        }

        deinit {
            ZSTD_freeCCtx(cctx)
            scratch?.deallocate()
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

        /// Compresses `src` into one frame (content size and checksum flags set), written into
        /// buffers taken from `pool` and handed to `emit` in order as they fill (whoever receives a
        /// buffer gives it back to the pool). Tensors above `oneShotLimit` stream out in
        /// `chunkSize` pieces, so memory stays bounded whatever the tensor's size; smaller ones
        /// come as one buffer. `workers > 1` lets zstd use that many threads (still one frame).
        /// With `shuffleWidth > 1` the bytes are byte-shuffled first (block by block when
        /// streaming). `hashLog > 0` overrides the level's hash table size (log2 of its entries).
        ///
        /// Stops early and returns `false` as soon as more than `limit` bytes would have been
        /// emitted (the caller then stores the data raw); returns `true` once the whole frame was emitted.
        /// - Throws: what `emit` throws, or an error from zstd.
        func compress(_ src: UnsafeRawBufferPointer, level: Int, workers: Int = 0, shuffleWidth: Int = 1, hashLog: Int = 0,
                      limit: Int = .max, pool: BufferPool, emit: (FrameBuffer) throws -> Void) throws -> Bool {
            ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters)
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, Int32(clamping: level))
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1)
            if workers > 1 { _ = ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, Int32(workers)) }  // ignored if unsupported
            if hashLog > 0 { ZSTD_CCtx_setParameter(cctx, ZSTD_c_hashLog, Int32(hashLog)) }
            ZSTD_CCtx_setPledgedSrcSize(cctx, UInt64(src.count))
            let w = shuffleWidth
            precondition(src.count % w == 0, "Zstd.compress: \(src.count) bytes are not whole \(w)-byte elements")
            let count = src.count / w
            let s = src.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) }
            let cctx = self.cctx, chunkSize = self.chunkSize
            if src.count <= oneShotLimit {
                var input = src
                if w > 1, let s {
                    let whole = scratch(src.count)
                    ByteShuffle.shuffle(s, whole, count: count, width: w)
                    input = UnsafeRawBufferPointer(start: whole, count: src.count)
                }
                let bound = ZSTD_compressBound(src.count)
                let frame = pool.take(bound)
                let n = ZSTD_compress2(cctx, frame.base, bound, input.baseAddress, input.count)
                if ZSTD_isError(n) != 0 || n > limit {
                    pool.give(frame)
                    _ = try check(n)
                    return false
                }
                frame.count = n
                try emit(frame)
                return true
            }
            var out = pool.take(chunkSize)
            var output = ZSTD_outBuffer(dst: out.base, size: chunkSize, pos: 0)
            var emitted = 0
            defer { pool.give(out) }             // the buffer being filled when we leave (empty or abandoned)
            /// Feeds `n` bytes at `p`; returns false once the output passed `limit`.
            func feed(_ p: UnsafeRawPointer?, _ n: Int, end: Bool) throws -> Bool {
                var input = ZSTD_inBuffer(src: p, size: n, pos: 0)
                while true {
                    let left = try check(ZSTD_compressStream2(cctx, &output, &input, end ? ZSTD_e_end : ZSTD_e_continue))
                    let finished = end ? left == 0 : input.pos == input.size
                    if output.pos == output.size || (finished && end && output.pos > 0) {
                        emitted += output.pos
                        if emitted > limit { return false }
                        out.count = output.pos
                        let full = out
                        out = pool.take(chunkSize)
                        output = ZSTD_outBuffer(dst: out.base, size: chunkSize, pos: 0)
                        try emit(full)
                    }
                    if finished { return true }
                }
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
        let pool = BufferPool()
        _ = try StreamCompressor().compress(src, level: level, shuffleWidth: shuffleWidth, pool: pool) {
            out += $0.bytes
            pool.give($0)
        }
        return out
    }

    /// Checks that `src` is exactly one zstd frame (not a skippable frame) with the content-checksum
    /// flag set, declaring `expected` content bytes.
    static func checkFrame(_ src: UnsafeRawBufferPointer, expected: Int, format: String, entry: String) throws {
        // Frame header (RFC 8878 §3.1.1): magic 0xFD2FB528, then the descriptor byte, whose bit 2 is
        // the Content_Checksum_flag. The format requires it so that every decoded byte is checked.
        try require(src.count >= 6 && src.loadUnaligned(as: UInt32.self) == UInt32(0xFD2F_B528).littleEndian, format,
                    "entry '\(entry)': not a zstd frame (bad magic)")
        try require(src[4] & 0x04 != 0, format, "entry '\(entry)': zstd frame has no content checksum (the format requires one)")
        let size = ZSTD_getFrameContentSize(src.baseAddress, src.count)
        try require(size != ZSTD_CONTENTSIZE_ERROR && size != ZSTD_CONTENTSIZE_UNKNOWN, format,
                    "entry '\(entry)': not a zstd frame with a content size")
        try require(size == UInt64(expected), format,
                    "entry '\(entry)': zstd frame holds \(size) bytes, header says \(expected)")
        let frame = ZSTD_findFrameCompressedSize(src.baseAddress, src.count)
        try require(ZSTD_isError(frame) == 0 && frame == src.count, format,
                    "entry '\(entry)': zstd frame does not span the stored bytes exactly")
    }

    /// Decodes the frame `src` (checked as ``checkFrame(_:expected:format:entry:)``) through a 128 KiB
    /// buffer, handing each decoded piece to `body`: memory stays bounded whatever `expected` is.
    /// zstd checks the frame's content checksum at its end.
    static func decompressStreaming(_ src: UnsafeRawBufferPointer, expected: Int, format: String, entry: String,
                                    body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try checkFrame(src, expected: expected, format: format, entry: entry)
        guard let dctx = ZSTD_createDCtx() else { throw SerializationError.outOfMemory(what: "a zstd decoder", bytes: 0) }
        defer { ZSTD_freeDCtx(dctx) }
        let size = 128 << 10
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        var input = ZSTD_inBuffer(src: src.baseAddress, size: src.count, pos: 0)
        var produced = 0
        while true {
            var output = ZSTD_outBuffer(dst: buffer, size: size, pos: 0)
            let left = ZSTD_decompressStream(dctx, &output, &input)
            if ZSTD_isError(left) != 0 {
                throw SerializationError.malformed(format: format, reason: "entry '\(entry)': zstd: \(String(cString: ZSTD_getErrorName(left)))")
            }
            produced += output.pos
            try require(produced <= expected, format, "entry '\(entry)': zstd frame holds more than \(expected) bytes")
            try body(UnsafeRawBufferPointer(start: buffer, count: output.pos))
            if left == 0 { break }                              // frame complete, checksum verified
            if input.pos == input.size && output.pos < output.size {
                throw SerializationError.malformed(format: format, reason: "entry '\(entry)': truncated zstd frame")
            }
        }
        try require(input.pos == input.size, format, "entry '\(entry)': zstd frame does not span the stored bytes exactly")
        try require(produced == expected, format, "entry '\(entry)': zstd produced \(produced) bytes, expected \(expected)")
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
