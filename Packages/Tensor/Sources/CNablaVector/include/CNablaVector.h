#ifndef CNABLA_VECTOR_H
#define CNABLA_VECTOR_H
// Whole-buffer elementwise kernels at the widest vector width the CPU has, chosen at run time.
//
// On Linux x86-64 the transcendental functions are SLEEF's (libsleef, ≤ 1.0 ulp `_u10` variants),
// called 4 (SSE2), 8 (AVX2+FMA) or 16 (AVX-512F) floats at a time; the ISA-specific loops are
// compiled through function attributes (`target("avx2,fma")`, `target("avx512f")`), not compiler
// flags. Elsewhere (macOS, other architectures) every function reports "not handled" and the
// caller keeps its portable Swift kernels.

#ifdef __cplusplus
extern "C" {
#endif

/// Dispatch levels, in increasing width.
enum {
    /// No C kernels: the caller's portable Swift kernels run.
    NABLA_VECTOR_PORTABLE = 0,
    NABLA_VECTOR_SSE2 = 1,
    NABLA_VECTOR_AVX2 = 2,
    NABLA_VECTOR_AVX512 = 3,
    NABLA_VECTOR_NEON = 4,
    /// Tests only: every function returns its argument unchanged (a deliberately wrong kernel,
    /// to show that the accuracy tests catch one).
    NABLA_VECTOR_BROKEN_FOR_TESTS = 99,
};

/// The functions, numbered as NablaTensor's `UnaryFunction` cases.
enum {
    NABLA_FN_EXP = 0, NABLA_FN_LOG = 1, NABLA_FN_LOG1P = 2, NABLA_FN_EXPM1 = 3, NABLA_FN_SQRT = 4,
    NABLA_FN_SIN = 5, NABLA_FN_COS = 6, NABLA_FN_TAN = 7, NABLA_FN_TANH = 8, NABLA_FN_SIGMOID = 9,
    NABLA_FN_ERF = 10,
};

/// The widest level this CPU (and this build) supports.
int nabla_vector_best_level(void);
/// The level in use: `NABLA_VECTOR_LEVEL` from the environment if set (a name such as `avx2` or a
/// number, capped at the best level), else the best level. Chosen once, on first use.
int nabla_vector_level(void);
/// Forces `level` (for tests and benchmarks); a negative value returns to the default. Levels the
/// CPU lacks are capped at the best level; the broken test level is refused (it exists only for
/// `nabla_unary_*_at`). Returns the level now in use.
int nabla_vector_force_level(int level);
/// "portable", "sse2", "avx2+fma", "avx512f", "neon" or "broken".
const char *nabla_vector_level_name(int level);
/// The CPU's brand string (x86 CPUID), or "unknown".
const char *nabla_vector_cpu_model(void);

/// Applies function `fn` to `n` floats of `x`, writing `y` (`y == x` is allowed; partial overlap
/// is not). Returns 1 if done, 0 if this function has no kernel at the current level (then nothing
/// is written and the caller uses its own kernel).
int nabla_unary_f32(int fn, const float *x, float *y, long n);
/// The `Double` counterpart of `nabla_unary_f32`.
int nabla_unary_f64(int fn, const double *x, double *y, long n);
/// `nabla_unary_f32` at an explicit level instead of the current one (for tests: each level, and
/// the broken one, without changing the level other threads use). Returns 0 for a level the CPU
/// lacks.
int nabla_unary_f32_at(int level, int fn, const float *x, float *y, long n);
/// `nabla_unary_f64` at an explicit level.
int nabla_unary_f64_at(int level, int fn, const double *x, double *y, long n);

/// Binary arithmetic ops for `nabla_binary_f32`.
enum { NABLA_BIN_ADD = 0, NABLA_BIN_SUB = 1, NABLA_BIN_MUL = 2, NABLA_BIN_DIV = 3 };

/// `y[i] = a[i] op b[i]` for `n` floats at the current level (`y` may equal `a` or `b`; partial
/// overlap is not allowed). With `stream` nonzero a fresh output (`y` neither `a` nor `b`) of at
/// least 1 MiB is written with non-temporal stores, which bypass the caches; pass
/// `nabla_streams_output` of the whole op's output size. Returns 1 if done, 0 if the level has no
/// kernel for it (portable and SSE2, where the caller's Swift loop is as wide): then nothing is
/// written.
int nabla_binary_f32(int op, const float *a, const float *b, float *y, long n, int stream);
/// `nabla_binary_f32` at an explicit level (for tests). Returns 0 for a level the CPU lacks.
int nabla_binary_f32_at(int level, int op, const float *a, const float *b, float *y, long n, int stream);

/// The size in bytes of the last-level cache of CPU 0, read once from
/// /sys/devices/system/cpu/cpu0/cache (the highest level of type Data or Unified); else glibc's
/// `sysconf(_SC_LEVEL3_CACHE_SIZE)`, else 32 MiB. (On the 2-vCPU AMD EPYC guest of
/// docs/performance.md sysfs says 32 MiB and sysconf 384 MiB, the host's total.)
long nabla_last_level_cache_bytes(void);
/// Whether an arithmetic op should write its fresh output of `output_bytes` with streaming stores:
/// only when the output is larger than the last-level cache, so that it could not still be there
/// when the next op reads it. Below that, ordinary stores leave it in the cache, which is what
/// the next op of an expression (`x * x + x`) wants.
int nabla_streams_output(long output_bytes);

/// The largest inner dimension `k` the small-GEMM kernels take (each C block is accumulated over
/// the whole of k in registers; longer products belong to BLAS).
#define NABLA_SMALL_GEMM_MAX_K 1024

/// `C ← alpha·op(A)·op(B) + beta·C` for an `m×n` result through a register-tiled AVX-512 microkernel
/// (for the small products where BLAS's packing costs more than the arithmetic, and for others on
/// CPUs where it outruns OpenBLAS's kernels; see NablaTensor's `usesGEMMKernel`).
/// Every operand is addressed through two strides, so transposes are free: element (i, p) of op(A)
/// is `a[i*rsa + p*csa]`, (p, j) of op(B) is `b[p*rsb + j*csb]`, (i, j) of C is `c[i*rsc + j*csc]`.
/// C must not overlap A or B; it is not read when `beta` is 0. Returns 1 if done, 0 if not handled
/// (the current level is not AVX-512, `k` is above `NABLA_SMALL_GEMM_MAX_K`, an empty product, or no
/// memory for the packed B): then nothing was written and the caller uses BLAS.
int nabla_small_sgemm(long m, long n, long k, float alpha, const float *a, long rsa, long csa,
                      const float *b, long rsb, long csb, float beta, float *c, long rsc, long csc);
/// The `Double` counterpart of `nabla_small_sgemm`.
int nabla_small_dgemm(long m, long n, long k, double alpha, const double *a, long rsa, long csa,
                      const double *b, long rsb, long csb, double beta, double *c, long rsc, long csc);
/// `nabla_small_sgemm` at an explicit level (tests); 0 for any level but AVX-512, or one the CPU lacks.
int nabla_small_sgemm_at(int level, long m, long n, long k, float alpha, const float *a, long rsa, long csa,
                         const float *b, long rsb, long csb, float beta, float *c, long rsc, long csc);
/// `nabla_small_dgemm` at an explicit level.
int nabla_small_dgemm_at(int level, long m, long n, long k, double alpha, const double *a, long rsa, long csa,
                         const double *b, long rsb, long csb, double beta, double *c, long rsc, long csc);
/// `nabla_small_sgemm_at` with a linear layer's epilogue in the same pass over C: then
/// `C[i, j] += bias[j]` when `bias` is not NULL (n entries; added to the rounded product, as a
/// separate add would) and `C[i, j] = max(C[i, j], 0)` when `relu` is set (NaN gives 0).
int nabla_small_sgemm_at_epilogue(int level, long m, long n, long k, float alpha, const float *a, long rsa, long csa,
                                  const float *b, long rsb, long csb, float beta, float *c, long rsc, long csc,
                                  const float *bias, int relu);
/// The `Double` counterpart of `nabla_small_sgemm_at_epilogue`.
int nabla_small_dgemm_at_epilogue(int level, long m, long n, long k, double alpha, const double *a, long rsa, long csa,
                                  const double *b, long rsb, long csb, double beta, double *c, long rsc, long csc,
                                  const double *bias, int relu);

/// One pass over a dense `rows×cols` Float cotangent `ct` for a linear layer's backward: when
/// `mask` is not NULL, `g = ct·1[mask > 0]` (into `g` when not NULL; a product, so a NaN cotangent
/// stays NaN); and, when `sums` is not NULL, `sums[j] += Σᵢ g[i, j]` (or of `ct` without a mask),
/// rows added in order. AVX-512 at that level, a plain loop otherwise (same results).
void nabla_mask_colsum_f32(const float *ct, const float *mask, float *g, float *sums, long rows, long cols);

/// `nabla_mask_colsum_f32` for a linear layer with `k` ≤ 4 inputs whose input gradient is not
/// needed: instead of writing g, accumulates the weight gradient `dw[j, c] = Σᵢ x[i, c]·g[i, j]`
/// (`dw` row-major `cols×k`, overwritten; `x[i, c]` at `x[i*rsx + c*csx]`), rows in order with one
/// FMA each, as the GEMM kernel does. Returns 0, writing nothing, below AVX-512 or outside its limits.
int nabla_linear_weight_grad_narrow_f32(const float *ct, const float *mask, const float *x, long rsx, long csx,
                                        long rows, long cols, long k, float *sums, float *dw);

/// Runs `fn(ctx, piece)` for every piece in `0..<pieces`, on the calling thread and up to
/// `threads - 1` persistent worker threads (started on first use), and returns when all are done.
/// Participant k of T (the caller is 0) first takes the pieces [k·pieces/T, (k+1)·pieces/T) in
/// order, then takes the remaining pieces of the others from their ends, so each thread touches the
/// same memory op after op while a late thread delays the job by one piece at most. Workers spin
/// (yielding the CPU every few µs) for up to 100 µs for the next job, then park. A call made while
/// another is running (from another thread, or nested inside a piece) runs all its pieces on its
/// own thread.
void nabla_parallel_for(long pieces, int threads, void (*fn)(void *ctx, long piece), void *ctx);

#ifdef __cplusplus
}
#endif
#endif
