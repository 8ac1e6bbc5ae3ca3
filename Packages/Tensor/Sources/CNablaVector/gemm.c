// Small matrix products with a register-tiled microkernel; see include/CNablaVector.h.
//
// OpenBLAS's general GEMM path packs both operands into its own panels (and zero-fills
// its output) on every call, which dominates products such as 300×2·2×100 or 3×300·300×100 in a
// small network's training step. Here only op(B) is packed, into zero-padded panels one vector
// wide (NR columns, k rows); op(A) is read where it lies through its two strides (one broadcast
// per element), so a transposed operand costs nothing. Each MR×NR block of C is accumulated in MR
// vector registers over the whole of k (no k blocking: the caller keeps k small) and written
// once. When n is narrower than a vector and m is not, and that pays (see swap_orientation), the
// product is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ so that the wide dimension fills the lanes: only
// strides change.
//
// AVX-512F only (16 floats or 8 doubles per vector, through a function attribute, no compiler
// flags): an 8×8 AVX2 version of this kernel ran at 0.6× OpenBLAS's AVX2 ("Haswell") kernels at
// every size from 32³ up, so below AVX-512, and off x86-64, every call reports "not handled" and
// the caller uses BLAS.
#include "CNablaVector.h"
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define T_AVX512 __attribute__((target("avx512f")))

/// Rows of A per tile.
#define MR 8

// The product of `R` rows of op(A) (R ≤ MR, a compile-time constant after inlining) with one packed
// panel of op(B): acc[i] = Σ_p A[i*ra + p*ca]·bq[p*ldq …]. One broadcast FMA per row and k.
#define DEFINE_ROWS(NAME, TARGET, T, VT, NR, SET1, LOADU, FMA, ZERO)                                    \
    static inline __attribute__((always_inline)) TARGET void NAME(                                         \
        int R, long k, const T *a, long ra, long ca, const T *bq, long ldq, VT *acc) {                    \
        VT c0 = ZERO(), c1 = ZERO(), c2 = ZERO(), c3 = ZERO(), c4 = ZERO(), c5 = ZERO(), c6 = ZERO(),      \
           c7 = ZERO();                                                                                    \
        const T *ap = a;                                                                                   \
        for (long p = 0; p < k; p++, ap += ca) {                                                           \
            VT bv = LOADU(bq + p * ldq);                                                                   \
            c0 = FMA(SET1(ap[0]), bv, c0);                                                                 \
            if (R > 1) c1 = FMA(SET1(ap[1 * ra]), bv, c1);                                                 \
            if (R > 2) c2 = FMA(SET1(ap[2 * ra]), bv, c2);                                                 \
            if (R > 3) c3 = FMA(SET1(ap[3 * ra]), bv, c3);                                                 \
            if (R > 4) c4 = FMA(SET1(ap[4 * ra]), bv, c4);                                                 \
            if (R > 5) c5 = FMA(SET1(ap[5 * ra]), bv, c5);                                                 \
            if (R > 6) c6 = FMA(SET1(ap[6 * ra]), bv, c6);                                                 \
            if (R > 7) c7 = FMA(SET1(ap[7 * ra]), bv, c7);                                                 \
        }                                                                                                  \
        acc[0] = c0; acc[1] = c1; acc[2] = c2; acc[3] = c3; acc[4] = c4; acc[5] = c5; acc[6] = c6;         \
        acc[7] = c7;                                                                                       \
    }

// One driver per element type and level. `NR` lanes per vector; `VT` the vector type.
//   C[i*rsc + j*csc] = alpha·Σ_p A[i*rsa + p*csa]·B[p*rsb + j*csb] + beta·C[…]   (C not read if beta == 0)
// then, in the same pass (the epilogue of a linear layer), `+ bias[j]` when `bias_col` is set
// (`+ bias[i]` when `bias_row` is: the bias of a product computed transposed) and `max(·, 0)` when
// `relu` is set. The bias is added to the rounded product, as a separate add would; max(NaN, 0) is 0.
// m, n, k ≥ 1. `bp` is scratch for the packed B.
#define DEFINE_GEMM(NAME, TARGET, T, VT, NR, SET1, LOADU, STOREU, FMA, MUL, ADD, MAX, ZERO, MT, MLOADZ, MSTORE) \
    DEFINE_ROWS(NAME##_rows, TARGET, T, VT, NR, SET1, LOADU, FMA, ZERO)                                    \
    static TARGET void NAME##_kernel(long m, long n, long k, T alpha,                                     \
                                     const T *a, long rsa, long csa, const T *b, long rsb, long csb,       \
                                     T beta, T *c, long rsc, long csc, T *bp,                              \
                                     const T *bias_col, const T *bias_row, int relu) {                     \
        long panels = (n + (NR) - 1) / (NR);                                                              \
        /* With one block of rows each panel is read once: whole panels of a row-major op(B) are then  \
           read where they lie (row stride rsb) instead of copied first. */                                \
        int direct = m <= MR && csb == 1;                                                                  \
        /* Pack op(B): panel q holds columns q*NR ..< q*NR + NR, row p at bp[(q*k + p)*NR]. */             \
        for (long q = 0; q < panels; q++) {                                                              \
            long j0 = q * (NR), nr = n - j0 < (NR) ? n - j0 : (NR);                                        \
            T *dst = bp + q * k * (NR);                                                                    \
            if (direct && nr == (NR)) continue;                                                            \
            if (csb == 1 && nr == (NR)) {                                                                  \
                for (long p = 0; p < k; p++) STOREU(dst + p * (NR), LOADU(b + p * rsb + j0));              \
            } else if (rsb == 1) {                                                                         \
                /* A transposed B: read along its stored rows (p), write the panel's columns. */           \
                for (long l = 0; l < nr; l++) {                                                            \
                    const T *src = b + (j0 + l) * csb;                                                     \
                    for (long p = 0; p < k; p++) dst[p * (NR) + l] = src[p];                               \
                }                                                                                          \
                for (long p = 0; p < k; p++)                                                               \
                    for (long l = nr; l < (NR); l++) dst[p * (NR) + l] = 0;                                \
            } else {                                                                                       \
                for (long p = 0; p < k; p++) {                                                             \
                    const T *src = b + p * rsb + j0 * csb;                                                 \
                    long l = 0;                                                                            \
                    for (; l < nr; l++) dst[p * (NR) + l] = src[l * csb];                                  \
                    for (; l < (NR); l++) dst[p * (NR) + l] = 0;                                           \
                }                                                                                          \
            }                                                                                              \
        }                                                                                                  \
        VT valpha = SET1(alpha), vbeta = SET1(beta);                                                       \
        for (long i0 = 0; i0 < m; i0 += MR) {                                                              \
            long mr = m - i0 < MR ? m - i0 : MR;                                                           \
            const T *ai = a + i0 * rsa;                                                                    \
            for (long q = 0; q < panels; q++) {                                                            \
                long j0 = q * (NR), nr = n - j0 < (NR) ? n - j0 : (NR);                                    \
                int inPlace = direct && nr == (NR);                                                        \
                const T *bq = inPlace ? b + j0 : bp + q * k * (NR);                                        \
                long ldq = inPlace ? rsb : (NR);                                                           \
                VT acc[MR];                                                                                \
                switch (mr) {                                                                              \
                case 8: NAME##_rows(8, k, ai, rsa, csa, bq, ldq, acc); break;                                   \
                case 7: NAME##_rows(7, k, ai, rsa, csa, bq, ldq, acc); break;                                   \
                case 6: NAME##_rows(6, k, ai, rsa, csa, bq, ldq, acc); break;                                   \
                case 5: NAME##_rows(5, k, ai, rsa, csa, bq, ldq, acc); break;                                   \
                case 4: NAME##_rows(4, k, ai, rsa, csa, bq, ldq, acc); break;                                   \
                case 3: NAME##_rows(3, k, ai, rsa, csa, bq, ldq, acc); break;                                   \
                case 2: NAME##_rows(2, k, ai, rsa, csa, bq, ldq, acc); break;                                   \
                default: NAME##_rows(1, k, ai, rsa, csa, bq, ldq, acc); break;                                  \
                }                                                                                          \
                T *ci = c + i0 * rsc + j0 * csc;                                                           \
                if (csc == 1) {                                                                            \
                    /* Rows of C are dense: whole vectors, the last panel's through a lane mask. */        \
                    MT km = (MT)(nr == (NR) ? ~0u : (1u << nr) - 1);                                       \
                    VT vbias = bias_col ? MLOADZ(km, bias_col + j0) : ZERO();                              \
                    for (long i = 0; i < mr; i++) {                                                        \
                        VT r = alpha == 1 ? acc[i] : MUL(valpha, acc[i]);                                  \
                        if (beta != 0) r = FMA(vbeta, MLOADZ(km, ci + i * rsc), r);                        \
                        if (bias_col) r = ADD(r, vbias);                                                   \
                        else if (bias_row) r = ADD(r, SET1(bias_row[i0 + i]));                             \
                        if (relu) r = MAX(r, ZERO());                                                      \
                        MSTORE(ci + i * rsc, km, r);                                                       \
                    }                                                                                      \
                } else {                                                                                   \
                    T tile[MR * (NR)] __attribute__((aligned(64)));                                       \
                    for (long i = 0; i < mr; i++) STOREU(tile + i * (NR), acc[i]);                         \
                    for (long i = 0; i < mr; i++)                                                          \
                        for (long j = 0; j < nr; j++) {                                                    \
                            T v = alpha * tile[i * (NR) + j];                                              \
                            T *cij = ci + i * rsc + j * csc;                                               \
                            v = beta == 0 ? v : v + beta * *cij;                                           \
                            if (bias_col) v = v + bias_col[j0 + j];                                        \
                            else if (bias_row) v = v + bias_row[i0 + i];                                   \
                            if (relu) v = v > 0 ? v : 0;                                                   \
                            *cij = v;                                                                      \
                        }                                                                                  \
                }                                                                                          \
            }                                                                                              \
        }                                                                                                  \
    }

static inline T_AVX512 __m512 zero_ps16(void) { return _mm512_setzero_ps(); }
static inline T_AVX512 __m512d zero_pd8(void) { return _mm512_setzero_pd(); }

DEFINE_GEMM(sgemm_avx512, T_AVX512, float, __m512, 16, _mm512_set1_ps, _mm512_loadu_ps, _mm512_storeu_ps,
            _mm512_fmadd_ps, _mm512_mul_ps, _mm512_add_ps, _mm512_max_ps, zero_ps16, __mmask16, _mm512_maskz_loadu_ps,
            _mm512_mask_storeu_ps)
DEFINE_GEMM(dgemm_avx512, T_AVX512, double, __m512d, 8, _mm512_set1_pd, _mm512_loadu_pd, _mm512_storeu_pd,
            _mm512_fmadd_pd, _mm512_mul_pd, _mm512_add_pd, _mm512_max_pd, zero_pd8, __mmask8, _mm512_maskz_loadu_pd,
            _mm512_mask_storeu_pd)

// Narrow products (n ≤ 4) whose op(A) rows and op(B) columns are both contiguous (csa = rsb = 1,
// as in x·Wᵀ with W row-major and few outputs): each C[i, j] is a dot product of two contiguous
// rows, summed in NR lanes (k in steps of NR, the tail through a lane mask) and then across the
// lanes, instead of a panel of NR columns of which n are used. The epilogue is the kernel's.
#define DEFINE_DOT(NAME, TARGET, T, VT, NR, SET1, FMA, MUL, ADD, MAX, ZERO, MT, MLOADZ, REDUCE)              \
    static TARGET void NAME(long m, long n, long k, T alpha, const T *a, long rsa, const T *b, long csb,  \
                            T beta, T *c, long rsc, long csc, const T *bias_col, const T *bias_row,        \
                            int relu) {                                                                    \
        long full = k / (NR) * (NR);                                                                      \
        MT tail = (MT)((1u << (k - full)) - 1);                                                            \
        for (long i = 0; i < m; i++) {                                                                     \
            const T *ai = a + i * rsa;                                                                     \
            VT s0 = ZERO(), s1 = ZERO(), s2 = ZERO(), s3 = ZERO();                                         \
            long p = 0;                                                                                    \
            for (; p < full; p += (NR)) {                                                                  \
                VT av = MLOADZ((MT)~0u, ai + p);                                                           \
                s0 = FMA(av, MLOADZ((MT)~0u, b + p), s0);                                                  \
                if (n > 1) s1 = FMA(av, MLOADZ((MT)~0u, b + csb + p), s1);                                 \
                if (n > 2) s2 = FMA(av, MLOADZ((MT)~0u, b + 2 * csb + p), s2);                             \
                if (n > 3) s3 = FMA(av, MLOADZ((MT)~0u, b + 3 * csb + p), s3);                             \
            }                                                                                              \
            if (p < k) {                                                                                   \
                VT av = MLOADZ(tail, ai + p);                                                              \
                s0 = FMA(av, MLOADZ(tail, b + p), s0);                                                     \
                if (n > 1) s1 = FMA(av, MLOADZ(tail, b + csb + p), s1);                                    \
                if (n > 2) s2 = FMA(av, MLOADZ(tail, b + 2 * csb + p), s2);                                \
                if (n > 3) s3 = FMA(av, MLOADZ(tail, b + 3 * csb + p), s3);                                \
            }                                                                                              \
            T d[4] = {REDUCE(s0), REDUCE(s1), REDUCE(s2), REDUCE(s3)};                                     \
            for (long j = 0; j < n; j++) {                                                                 \
                T v = alpha * d[j];                                                                        \
                T *cij = c + i * rsc + j * csc;                                                            \
                v = beta == 0 ? v : v + beta * *cij;                                                       \
                if (bias_col) v = v + bias_col[j];                                                         \
                else if (bias_row) v = v + bias_row[i];                                                    \
                if (relu) v = v > 0 ? v : 0;                                                               \
                *cij = v;                                                                                  \
            }                                                                                              \
        }                                                                                                  \
    }

DEFINE_DOT(sdot_avx512, T_AVX512, float, __m512, 16, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_mul_ps,
           _mm512_add_ps, _mm512_max_ps, zero_ps16, __mmask16, _mm512_maskz_loadu_ps, _mm512_reduce_add_ps)
DEFINE_DOT(ddot_avx512, T_AVX512, double, __m512d, 8, _mm512_set1_pd, _mm512_fmadd_pd, _mm512_mul_pd,
           _mm512_add_pd, _mm512_max_pd, zero_pd8, __mmask8, _mm512_maskz_loadu_pd, _mm512_reduce_add_pd)

/// Padded size of `x` in multiples of `w`.
static inline long padded(long x, long w) { return (x + w - 1) / w * w; }

/// A rough cost of the kernel on an m×n×k product, in vector instructions: the FMAs (one per row of
/// A, panel and k), packing op(B) (a vector per panel row when its rows are dense, else one move per
/// element), and storing C element by element (its tiles' columns strided, `csc` ≠ 1).
static inline long kernel_cost(long m, long n, long k, long lanes, long csb, long csc) {
    long panels = (n + lanes - 1) / lanes;
    return m * panels * k + (csb == 1 ? k * panels : k * n) + (csc == 1 ? 0 : m * n);
}

/// Whether to compute Cᵀ = op(B)ᵀ·op(A)ᵀ instead: when n is narrow and m wide, so that m fills
/// the lanes, and that saves more than packing op(A)ᵀ and writing C by columns cost
/// (100×2·k=300 with A transposed: 6 500 against 30 300).
static inline int swap_orientation(long m, long n, long k, long lanes, long rsa, long csb, long csc, long rsc) {
    return kernel_cost(n, m, k, lanes, rsa, rsc) < kernel_cost(m, n, k, lanes, csb, csc);
}

#include <pthread.h>

// Each thread's scratch for the packed B, kept between calls (a fresh 100 KB allocation per call
// is an mmap and its page faults); freed when the thread exits.
static _Thread_local void *scratch_buffer;
static _Thread_local size_t scratch_capacity;
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static void scratch_make_key(void) { pthread_key_create(&scratch_key, free); }

static void *scratch(size_t bytes) {
    if (bytes <= scratch_capacity) return scratch_buffer;
    free(scratch_buffer);
    size_t size = (bytes + 4095) & ~(size_t)4095;
    scratch_buffer = aligned_alloc(64, size);
    scratch_capacity = scratch_buffer ? size : 0;
    pthread_once(&scratch_once, scratch_make_key);
    pthread_setspecific(scratch_key, scratch_buffer);
    return scratch_buffer;
}

#define DEFINE_DRIVER(NAME, T, KERNEL, DOT)                                                                   \
    int NAME##_epilogue(int level, long m, long n, long k, T alpha, const T *a, long rsa, long csa,       \
                        const T *b, long rsb, long csb, T beta, T *c, long rsc, long csc,                 \
                        const T *bias, int relu) {                                                         \
        if (level != NABLA_VECTOR_AVX512 || level > nabla_vector_best_level()) return 0;                    \
        if (m <= 0 || n <= 0 || k <= 0 || k > NABLA_SMALL_GEMM_MAX_K) return 0;                            \
        long lanes = 64 / (long)sizeof(T);                                                                 \
        const T *bias_col = bias, *bias_row = 0;                                                           \
        if (n <= 4 && csa == 1 && rsb == 1 && k >= lanes) {                                                \
            DOT(m, n, k, alpha, a, rsa, b, csb, beta, c, rsc, csc, bias_col, 0, relu);                     \
            return 1;                                                                                      \
        }                                                                                                  \
        if (swap_orientation(m, n, k, lanes, rsa, csb, csc, rsc)) {                                        \
            long t;                                                                                        \
            const T *p;                                                                                    \
            t = m; m = n; n = t;                                                                           \
            p = a; a = b; b = p;                                                                           \
            long ra = csb, ca = rsb, rb = csa, cb = rsa;                                                   \
            rsa = ra; csa = ca; rsb = rb; csb = cb;                                                        \
            t = rsc; rsc = csc; csc = t;                                                                   \
            bias_row = bias; bias_col = 0;                                                                 \
        }                                                                                                  \
        T *bp = (T *)scratch((size_t)(padded(n, lanes) * k) * sizeof(T));                                  \
        if (!bp) return 0;                                                                                 \
        KERNEL(m, n, k, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc, bp, bias_col, bias_row, relu); \
        return 1;                                                                                          \
    }                                                                                                      \
    int NAME(int level, long m, long n, long k, T alpha, const T *a, long rsa, long csa,                 \
             const T *b, long rsb, long csb, T beta, T *c, long rsc, long csc) {                           \
        return NAME##_epilogue(level, m, n, k, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc, 0, 0);  \
    }

DEFINE_DRIVER(nabla_small_sgemm_at, float, sgemm_avx512_kernel, sdot_avx512)
DEFINE_DRIVER(nabla_small_dgemm_at, double, dgemm_avx512_kernel, ddot_avx512)

// The backward pass of a linear layer followed by a ReLU, for Float: `g = ct·1[mask > 0]` (a
// product, so a NaN cotangent stays NaN) and the column sums of `g`, rows in order, one pass.
static T_AVX512 void mask_colsum_f32_avx512(const float *ct, const float *mask, float *g, float *sums,
                                            long rows, long cols) {
    const __m512 one = _mm512_set1_ps(1), zero = _mm512_setzero_ps();
    for (long j0 = 0; j0 < cols; j0 += 16) {
        long nr = cols - j0 < 16 ? cols - j0 : 16;
        __mmask16 km = (__mmask16)(nr == 16 ? 0xffffu : (1u << nr) - 1);
        __m512 acc = sums ? _mm512_maskz_loadu_ps(km, sums + j0) : zero;
        for (long i = 0; i < rows; i++) {
            __m512 v = _mm512_maskz_loadu_ps(km, ct + i * cols + j0);
            if (mask) {
                __mmask16 pos = _mm512_cmp_ps_mask(_mm512_maskz_loadu_ps(km, mask + i * cols + j0), zero, _CMP_GT_OQ);
                v = _mm512_mul_ps(v, _mm512_maskz_mov_ps(pos, one));
            }
            if (g) _mm512_mask_storeu_ps(g + i * cols + j0, km, v);
            acc = _mm512_add_ps(acc, v);
        }
        if (sums) _mm512_mask_storeu_ps(sums + j0, km, acc);
    }
}
#define HAVE_MASK_COLSUM_AVX512 1

// The same pass with the weight gradient of a layer with few inputs (k ≤ 4) folded in:
// dw[j, c] = Σᵢ x[i, c]·g[i, j] by one FMA per row and input, rows in order (the GEMM kernel's
// order for Wᵀ·… with one block of rows), so g is never written.
static T_AVX512 void linear_weight_grad_narrow_f32_avx512(const float *ct, const float *mask, const float *x,
                                                          long rsx, long csx, long rows, long cols, long k,
                                                          float *sums, float *dw) {
    const __m512 one = _mm512_set1_ps(1), zero = _mm512_setzero_ps();
    for (long j0 = 0; j0 < cols; j0 += 16) {
        long nr = cols - j0 < 16 ? cols - j0 : 16;
        __mmask16 km = (__mmask16)(nr == 16 ? 0xffffu : (1u << nr) - 1);
        __m512 acc = sums ? _mm512_maskz_loadu_ps(km, sums + j0) : zero;
        __m512 w0 = zero, w1 = zero, w2 = zero, w3 = zero;
        for (long i = 0; i < rows; i++) {
            __m512 v = _mm512_maskz_loadu_ps(km, ct + i * cols + j0);
            if (mask) {
                __mmask16 pos = _mm512_cmp_ps_mask(_mm512_maskz_loadu_ps(km, mask + i * cols + j0), zero, _CMP_GT_OQ);
                v = _mm512_mul_ps(v, _mm512_maskz_mov_ps(pos, one));
            }
            acc = _mm512_add_ps(acc, v);
            const float *xi = x + i * rsx;
            w0 = _mm512_fmadd_ps(_mm512_set1_ps(xi[0]), v, w0);
            if (k > 1) w1 = _mm512_fmadd_ps(_mm512_set1_ps(xi[csx]), v, w1);
            if (k > 2) w2 = _mm512_fmadd_ps(_mm512_set1_ps(xi[2 * csx]), v, w2);
            if (k > 3) w3 = _mm512_fmadd_ps(_mm512_set1_ps(xi[3 * csx]), v, w3);
        }
        if (sums) _mm512_mask_storeu_ps(sums + j0, km, acc);
        float tile[4][16] __attribute__((aligned(64)));
        _mm512_store_ps(tile[0], w0); _mm512_store_ps(tile[1], w1);
        _mm512_store_ps(tile[2], w2); _mm512_store_ps(tile[3], w3);
        for (long l = 0; l < nr; l++)
            for (long c = 0; c < k; c++) dw[(j0 + l) * k + c] = tile[c][l];
    }
}

#else
int nabla_small_sgemm_at(int level, long m, long n, long k, float alpha, const float *a, long rsa, long csa,
                         const float *b, long rsb, long csb, float beta, float *c, long rsc, long csc) {
    (void)level; (void)m; (void)n; (void)k; (void)alpha; (void)a; (void)rsa; (void)csa;
    (void)b; (void)rsb; (void)csb; (void)beta; (void)c; (void)rsc; (void)csc;
    return 0;
}
int nabla_small_dgemm_at(int level, long m, long n, long k, double alpha, const double *a, long rsa, long csa,
                         const double *b, long rsb, long csb, double beta, double *c, long rsc, long csc) {
    (void)level; (void)m; (void)n; (void)k; (void)alpha; (void)a; (void)rsa; (void)csa;
    (void)b; (void)rsb; (void)csb; (void)beta; (void)c; (void)rsc; (void)csc;
    return 0;
}
int nabla_small_sgemm_at_epilogue(int level, long m, long n, long k, float alpha, const float *a, long rsa, long csa,
                                  const float *b, long rsb, long csb, float beta, float *c, long rsc, long csc,
                                  const float *bias, int relu) {
    (void)level; (void)m; (void)n; (void)k; (void)alpha; (void)a; (void)rsa; (void)csa;
    (void)b; (void)rsb; (void)csb; (void)beta; (void)c; (void)rsc; (void)csc; (void)bias; (void)relu;
    return 0;
}
int nabla_small_dgemm_at_epilogue(int level, long m, long n, long k, double alpha, const double *a, long rsa, long csa,
                                  const double *b, long rsb, long csb, double beta, double *c, long rsc, long csc,
                                  const double *bias, int relu) {
    (void)level; (void)m; (void)n; (void)k; (void)alpha; (void)a; (void)rsa; (void)csa;
    (void)b; (void)rsb; (void)csb; (void)beta; (void)c; (void)rsc; (void)csc; (void)bias; (void)relu;
    return 0;
}
#endif

int nabla_small_sgemm(long m, long n, long k, float alpha, const float *a, long rsa, long csa,
                      const float *b, long rsb, long csb, float beta, float *c, long rsc, long csc) {
    return nabla_small_sgemm_at(nabla_vector_level(), m, n, k, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc);
}

int nabla_small_dgemm(long m, long n, long k, double alpha, const double *a, long rsa, long csa,
                      const double *b, long rsb, long csb, double beta, double *c, long rsc, long csc) {
    return nabla_small_dgemm_at(nabla_vector_level(), m, n, k, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc);
}

void nabla_mask_colsum_f32(const float *ct, const float *mask, float *g, float *sums, long rows, long cols) {
#if defined(HAVE_MASK_COLSUM_AVX512)
    if (nabla_vector_level() == NABLA_VECTOR_AVX512) {
        mask_colsum_f32_avx512(ct, mask, g, sums, rows, cols);
        return;
    }
#endif
    // Below AVX-512: branch-free inner loops over a row, which the compiler vectorizes.
    for (long i = 0; i < rows; i++) {
        const float *restrict c = ct + i * cols;
        float *restrict s = sums;
        if (mask) {
            const float *restrict m = mask + i * cols;
            if (g) {
                float *restrict gi = g + i * cols;
                for (long j = 0; j < cols; j++) gi[j] = c[j] * (m[j] > 0 ? 1.0f : 0.0f);
                if (s) for (long j = 0; j < cols; j++) s[j] += gi[j];
            } else if (s) {
                for (long j = 0; j < cols; j++) s[j] += c[j] * (m[j] > 0 ? 1.0f : 0.0f);
            }
        } else {
            if (g) { float *restrict gi = g + i * cols; for (long j = 0; j < cols; j++) gi[j] = c[j]; }
            if (s) for (long j = 0; j < cols; j++) s[j] += c[j];
        }
    }
}

int nabla_linear_weight_grad_narrow_f32(const float *ct, const float *mask, const float *x, long rsx, long csx,
                                        long rows, long cols, long k, float *sums, float *dw) {
#if defined(HAVE_MASK_COLSUM_AVX512)
    if (nabla_vector_level() == NABLA_VECTOR_AVX512 && k >= 1 && k <= 4 && rows > 0 && cols > 0) {
        linear_weight_grad_narrow_f32_avx512(ct, mask, x, rsx, csx, rows, cols, k, sums, dw);
        return 1;
    }
#endif
    (void)ct; (void)mask; (void)x; (void)rsx; (void)csx; (void)rows; (void)cols; (void)k; (void)sums; (void)dw;
    return 0;
}
