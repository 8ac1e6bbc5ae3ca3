import CNablaVector

/// Whether a product goes to CNablaVector's register-tiled AVX-512 GEMM kernel (`nabla_small_sgemm`)
/// instead of BLAS: at ``VectorLevel/avx512``, for inner dimensions `k` up to
/// `NABLA_SMALL_GEMM_MAX_K` (1024), below ``gemmKernelLimit`` multiply-adds.
///
/// OpenBLAS packs both operands into its own panels on every `?gemm` call (and zero-fills the
/// output), which costs as much as the arithmetic for the products of a small network's training
/// step (300×2·2×100, 3×300·300×100). The kernel packs only op(B) and reads op(A) in place through
/// its strides. With tiles of up to 8 rows by 3 panels of 16 columns in registers it ran, on the
/// AVX-512 machine of docs/performance.md (2026-11-28), at 230–250 GFLOP/s on one core from 512³ to
/// 2048×2048×1024, 1.9× OpenBLAS 0.3.21 there (which runs its AVX2 "Haswell" kernels on that CPU),
/// and 1.3–2.9× OpenBLAS on the small products of `TensorBench --only gemm-sweep`. Longer products,
/// larger ones, and CPUs without AVX-512 go to BLAS.
///
/// Products of ``gemmKernelLimit`` multiply-adds and more go to OpenBLAS on its own threads (see
/// BLASThreading.swift); below that a large product is cut across Nabla's threads, whose pool keeps
/// its workers on the other core.
@inlinable func usesGEMMKernel(m: Int, n: Int, k: Int) -> Bool {
    k <= Int(NABLA_SMALL_GEMM_MAX_K) && m * n * k < gemmKernelLimit
        && nabla_vector_level() == VectorLevel.avx512.rawValue
}

/// The longest inner dimension `k` the GEMM kernel takes, `NABLA_SMALL_GEMM_MAX_K` (1024).
@inlinable var gemmKernelMaxK: Int { Int(NABLA_SMALL_GEMM_MAX_K) }

/// A longer inner dimension `k` cut into `blocks` pieces of `size` (the last one shorter), each at
/// most ``gemmKernelMaxK``, as equal as they can be (k = 1500: 750 + 750).
@inlinable func gemmKernelBlock(_ k: Int) -> (blocks: Int, size: Int) {
    let blocks = Swift.max(1, (k + gemmKernelMaxK - 1) / gemmKernelMaxK)
    return (blocks, (k + blocks - 1) / blocks)
}

/// Whether `Float.gemm` and `Double.gemm` run an m×n×k product through the GEMM kernel, k in the
/// pieces of ``gemmKernelBlock(_:)``: at AVX-512, below ``gemmKernelLimit`` multiply-adds in all.
@inlinable func usesGEMMKernelInPieces(m: Int, n: Int, k: Int) -> Bool {
    usesGEMMKernel(m: m, n: n, k: gemmKernelBlock(k).size) && m * n * k < gemmKernelLimit
}

/// Calls `body(start, count, beta)` for each piece of `k` (``gemmKernelBlock(_:)``), in order: the
/// first with the caller's `beta`, the others with 1, adding to what the earlier pieces wrote.
@inlinable func forEachGEMMPiece<S: FloatingPoint>(k: Int, beta: S, _ body: (_ start: Int, _ count: Int, _ beta: S) -> Void) {
    let (blocks, size) = gemmKernelBlock(k)
    for piece in 0..<blocks {
        let start = piece * size
        body(start, Swift.min(size, k - start), piece == 0 ? beta : 1)
    }
}

/// The size, in multiply-adds, from which a product goes to OpenBLAS's threads: 2³³ (2048³). It was
/// 2²⁷ (512³) while the kernel ran at OpenBLAS's speed per core; at 1.9× it, 1024³ through the
/// kernel on Nabla's two threads ran at 1.5–2.4× raw `cblas_sgemm` (`TensorBench --only sgemm`).
@inlinable var gemmKernelLimit: Int { 1 << 33 }

/// The strides of `op(M)` for a row-major matrix `M` with row stride `ld`: `(row, column)`.
@inlinable func operandStrides(transposed: Bool, ld: Int) -> (Int, Int) {
    transposed ? (1, ld) : (ld, 1)
}

/// `C ← alpha·op(A)·op(B) + beta·C` through the GEMM kernel at an explicit dispatch level (row-major
/// operands with row strides `lda`, `ldb`, `ldc`), for tests: the kernel is checked without
/// changing the level other threads use. Returns `false`, writing nothing, when the level has no
/// kernel (any but ``VectorLevel/avx512``, or one the CPU lacks), for a scalar type other than
/// `Float` and `Double`, or when `k` is above the kernel's limit.
public func _smallGEMM<S: TensorFloatingPoint>(
    level: VectorLevel, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: S, a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
    beta: S, c: UnsafeMutablePointer<S>, ldc: Int) -> Bool {
    let (rsa, csa) = operandStrides(transposed: transposeA, ld: lda)
    let (rsb, csb) = operandStrides(transposed: transposeB, ld: ldb)
    if S.self == Float.self {
        return nabla_small_sgemm_at(level.rawValue, m, n, k, Float(alpha),
                                    UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), rsa, csa,
                                    UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), rsb, csb, Float(beta),
                                    UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), ldc, 1) != 0
    }
    if S.self == Double.self {
        return nabla_small_dgemm_at(level.rawValue, m, n, k, Double(alpha),
                                    UnsafeRawPointer(a).assumingMemoryBound(to: Double.self), rsa, csa,
                                    UnsafeRawPointer(b).assumingMemoryBound(to: Double.self), rsb, csb, Double(beta),
                                    UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), ldc, 1) != 0
    }
    return false
}
