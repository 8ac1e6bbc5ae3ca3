/// The byte-plane shuffle filter (as in Blosc and HDF5): element bytes are regrouped so that all
/// first bytes come first, then all second bytes, and so on.
///
/// For `n` elements of `w` bytes, `out[b·n + i] = in[i·w + b]`. Floating-point weights have
/// near-random low mantissa bytes but highly repetitive sign/exponent bytes; grouping the planes
/// lets zstd compress the exponent planes well instead of seeing one noisy byte stream.
enum ByteShuffle {
    /// Shuffles `count` elements of `width` bytes from `src` into `dst` (distinct buffers).
    static func shuffle(_ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer, count n: Int, width w: Int) {
        let s = src.assumingMemoryBound(to: UInt8.self), d = dst.assumingMemoryBound(to: UInt8.self)
        switch w {
        case 2: for i in 0..<n { d[i] = s[2 * i]; d[n + i] = s[2 * i + 1] }
        case 4:
            for i in 0..<n {
                d[i] = s[4 * i]; d[n + i] = s[4 * i + 1]; d[2 * n + i] = s[4 * i + 2]; d[3 * n + i] = s[4 * i + 3]
            }
        default:
            for b in 0..<w { for i in 0..<n { d[b * n + i] = s[i * w + b] } }
        }
    }

    /// The inverse of ``shuffle(_:_:count:width:)``.
    static func unshuffle(_ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer, count n: Int, width w: Int) {
        let s = src.assumingMemoryBound(to: UInt8.self), d = dst.assumingMemoryBound(to: UInt8.self)
        switch w {
        case 2: for i in 0..<n { d[2 * i] = s[i]; d[2 * i + 1] = s[n + i] }
        case 4:
            for i in 0..<n {
                d[4 * i] = s[i]; d[4 * i + 1] = s[n + i]; d[4 * i + 2] = s[2 * n + i]; d[4 * i + 3] = s[3 * n + i]
            }
        default:
            for b in 0..<w { for i in 0..<n { d[i * w + b] = s[b * n + i] } }
        }
    }
}
