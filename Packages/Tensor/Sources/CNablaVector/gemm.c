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

/// Rows of A per full tile.
#define MR 8
/// Epilogues fixed at compile time (bits of a tile's EPI; 0 is the general one, read at run time).
enum { EPI_PLAIN = 1, EPI_BIAS_COL = 2, EPI_BIAS_ROW = 4, EPI_RELU = 8 };

// One tile of C: R rows of op(A) (R ≤ 8) times P panels of op(B) (P ≤ 4), accumulated over the
// whole of k in R·P vector registers (one broadcast of A and P FMAs per row and k) and written
// once. R and P are compile-time constants after inlining, so the accumulators never leave the
// registers: with R·P ≥ 8 independent sums the FMAs' latency is hidden even when R is small (the
// 3×100 weight gradient of a 3-class layer, k = 300, ran at a quarter of the FMA rate with one
// panel of 3 rows at a time). Row p of panel q is at bq + q·pst + p·ldq; lanes past column n are
// masked (km[q]; a zero mask marks a panel past the last one, read as zeros and not written).
// The sum of each element runs over p in order from p = 0, whatever R and P are.
// One step p of a tile: a broadcast of A per row, an FMA per row and panel.
#define TILE_FMAS(VT, SET1, FMA)                                                                                           \
    for (int r = 0; r < R; r++) {                                                                             \
        VT av = SET1(ap[r * ra]);                                                                             \
        acc[r][0] = FMA(av, b0, acc[r][0]);                                                                   \
        if (P > 1) acc[r][1] = FMA(av, b1, acc[r][1]);                                                        \
        if (P > 2) acc[r][2] = FMA(av, b2, acc[r][2]);                                                        \
        if (P > 3) acc[r][3] = FMA(av, b3, acc[r][3]);                                                        \
    }
#define DEFINE_TILE(NAME, TARGET, T, VT, NR, SET1, LOADU, STOREU, FMA, MUL, ADD, MAX, ZERO, MT, MLOADZ, MSTORE)        \
    static inline __attribute__((always_inline)) TARGET void NAME(                                            \
        const int R, const int P, const int EPI, long k, const T *a, long ra, long ca, const T *bq, long pst, \
        long ldq, int packed, const MT *km, long ncols, T *c, long rsc, long csc, const T *bias_col, const T *bias_row,  \
        int relu, T alpha, T beta) {                                                                          \
        /* EPI ≠ 0 fixes the epilogue at compile time: alpha 1, beta 0, csc 1, and EPI_BIAS_COL,     \
           EPI_BIAS_ROW, EPI_RELU as its bits say (EPI_PLAIN alone: neither). */                    \
        if (EPI) {                                                                                            \
            bias_col = (EPI & EPI_BIAS_COL) ? bias_col : 0;                                                   \
            bias_row = (EPI & EPI_BIAS_ROW) ? bias_row : 0;                                                   \
            relu = (EPI & EPI_RELU) != 0;                                                                     \
            alpha = 1; beta = 0; csc = 1;                                                                     \
        }                                                                                                     \
        VT acc[MR][4];                                                                                        \
        MT m0 = km[0], m1 = P > 1 ? km[1] : 0, m2 = P > 2 ? km[2] : 0, m3 = P > 3 ? km[3] : 0;               \
        for (int r = 0; r < R; r++)                                                                           \
            for (int q = 0; q < P; q++) acc[r][q] = ZERO();                                                   \
        /* Packed panels are zero-padded and all present: plain loads. In place, masked ones. */            \
        if (packed) {                                                                                         \
            const T *ap = a;                                                                                  \
            for (long p = 0; p < k; p++, ap += ca) {                                                          \
                const T *bp = bq + p * ldq;                                                                   \
                VT b0 = LOADU(bp), b1 = ZERO(), b2 = ZERO(), b3 = ZERO();                                     \
                if (P > 1) b1 = LOADU(bp + pst);                                                              \
                if (P > 2) b2 = LOADU(bp + 2 * pst);                                                          \
                if (P > 3) b3 = LOADU(bp + 3 * pst);                                                          \
                TILE_FMAS(VT, SET1, FMA)                                                                      \
            }                                                                                                 \
        } else {                                                                                              \
            const T *ap = a;                                                                                  \
            for (long p = 0; p < k; p++, ap += ca) {                                                          \
                const T *bp = bq + p * ldq;                                                                   \
                VT b0 = MLOADZ(m0, bp), b1 = ZERO(), b2 = ZERO(), b3 = ZERO();                                \
                if (P > 1) b1 = MLOADZ(m1, bp + pst);                                                         \
                if (P > 2) b2 = MLOADZ(m2, bp + 2 * pst);                                                     \
                if (P > 3) b3 = MLOADZ(m3, bp + 3 * pst);                                                     \
                TILE_FMAS(VT, SET1, FMA)                                                                      \
            }                                                                                                 \
        }                                                                                                     \
        if (csc == 1) {                                                                                       \
            /* Rows of C are dense: whole vectors, partial panels through their lane masks. The bias    \
               is added to the rounded product, as a separate add would; max(NaN, 0) is 0. */          \
            MT ms[4] = {m0, m1, m2, m3};                                                                      \
            VT vb[4] = {ZERO(), ZERO(), ZERO(), ZERO()};                                                      \
            if (bias_col)                                                                                     \
                for (int q = 0; q < P; q++) vb[q] = MLOADZ(ms[q], bias_col + q * (NR));                       \
            int plain = alpha == 1 && beta == 0;                                                              \
            for (int r = 0; r < R; r++) {                                                                     \
                T *cr = c + r * rsc;                                                                          \
                VT rb = bias_row ? SET1(bias_row[r]) : ZERO();                                                \
                for (int q = 0; q < P; q++) {                                                                 \
                    VT v = acc[r][q];                                                                         \
                    if (!plain) {                                                                             \
                        if (alpha != 1) v = MUL(SET1(alpha), v);                                              \
                        if (beta != 0) v = FMA(SET1(beta), MLOADZ(ms[q], cr + q * (NR)), v);                  \
                    }                                                                                         \
                    if (bias_col) v = ADD(v, vb[q]);                                                          \
                    else if (bias_row) v = ADD(v, rb);                                                        \
                    if (relu) v = MAX(v, ZERO());                                                             \
                    MSTORE(cr + q * (NR), ms[q], v);                                                          \
                }                                                                                             \
            }                                                                                                 \
        } else {                                                                                              \
            T tile[MR * (NR)] __attribute__((aligned(64)));                                                   \
            for (int q = 0; q < P; q++) {                                                                     \
                long nr = ncols - q * (NR) < (NR) ? ncols - q * (NR) : (NR);                                  \
                if (nr <= 0) break;                                                                           \
                for (int r = 0; r < R; r++) STOREU(tile + r * (NR), acc[r][q]);                               \
                for (int r = 0; r < R; r++)                                                                   \
                    for (long j = 0; j < nr; j++) {                                                           \
                        T v = alpha * tile[r * (NR) + j];                                                     \
                        T *cij = c + r * rsc + (q * (NR) + j) * csc;                                          \
                        v = beta == 0 ? v : v + beta * *cij;                                                  \
                        if (bias_col) v = v + bias_col[q * (NR) + j];                                         \
                        else if (bias_row) v = v + bias_row[r];                                               \
                        if (relu) v = v > 0 ? v : 0;                                                          \
                        *cij = v;                                                                             \
                    }                                                                                         \
            }                                                                                                 \
        }                                                                                                     \
    }

// One driver per element type and level. `NR` lanes per vector; `VT` the vector type.
//   C[i*rsc + j*csc] = alpha·Σ_p A[i*rsa + p*csa]·B[p*rsb + j*csb] + beta·C[…]   (C not read if beta == 0)
// then, in the same pass (the epilogue of a linear layer), `+ bias[j]` when `bias_col` is set
// (`+ bias[i]` when `bias_row` is: the bias of a product computed transposed) and `max(·, 0)` when
// `relu` is set. m, n, k ≥ 1. `bp` is scratch for the packed B.
// Blocks of 8 rows take 3 panels at a time (24 accumulators); the last m mod 8 rows go as a block
// of 4 and then one of 3, 2 or 1 rows, 4 panels at a time.
// The full blocks of 8 rows with epilogue E (a macro, used inside NAME##_kernel).
#define NAME_rows8_impl(NAME, E)                                                                             \
    for (; i0 + MR <= m; i0 += MR)                                                                            \
        NAME##_block(MR, 3, E, n, k, a + i0 * rsa, rsa, csa, bq, pst, ldq, !direct, c + i0 * rsc, rsc, csc, bias_col, \
                     bias_row ? bias_row + i0 : 0, relu, alpha, beta)
#define DEFINE_GEMM(NAME, TARGET, T, VT, NR, SET1, LOADU, STOREU, FMA, MUL, ADD, MAX, ZERO, MT, MLOADZ, MSTORE) \
    DEFINE_TILE(NAME##_tile, TARGET, T, VT, NR, SET1, LOADU, STOREU, FMA, MUL, ADD, MAX, ZERO, MT, MLOADZ, MSTORE)  \
    /* One block of R rows at a, all of C's panels, P at a time (fewer in the last group). */              \
    static inline __attribute__((always_inline)) TARGET void NAME##_block(                                    \
        const int R, const int P, const int EPI, long n, long k, const T *a, long rsa, long csa, const T *bq, \
        long pst, long ldq, int packed, T *c, long rsc, long csc, const T *bias_col, const T *bias_row, int relu, T alpha,        \
        T beta) {                                                                                             \
        long panels = (n + (NR) - 1) / (NR);                                                                 \
        for (long q0 = 0; q0 < panels; q0 += P) {                                                             \
            MT km[4];                                                                                         \
            for (int q = 0; q < 4; q++) {                                                                     \
                long left = n - (q0 + q) * (NR);                                                              \
                km[q] = (MT)(left <= 0 ? 0u : left >= (NR) ? ~0u : (1u << left) - 1);                        \
            }                                                                                                 \
            const T *b0 = bq + q0 * pst;                                                                      \
            T *c0 = c + q0 * (NR) * csc;                                                                      \
            const T *bc = bias_col ? bias_col + q0 * (NR) : 0;                                                \
            long g = panels - q0 < P ? panels - q0 : P, ncols = n - q0 * (NR);                                \
            if (g == P)                                                                                       \
                NAME##_tile(R, P, EPI, k, a, rsa, csa, b0, pst, ldq, packed, km, ncols, c0, rsc, csc, bc, bias_row, relu,  \
                            alpha, beta);                                                                     \
            else if (g == 1)                                                                                  \
                NAME##_tile(R, 1, EPI, k, a, rsa, csa, b0, pst, ldq, packed, km, ncols, c0, rsc, csc, bc, bias_row, relu,  \
                            alpha, beta);                                                                     \
            else if (g == 2)                                                                                  \
                NAME##_tile(R, P > 2 ? 2 : P, EPI, k, a, rsa, csa, b0, pst, ldq, packed, km, ncols, c0, rsc, csc, bc,      \
                            bias_row, relu, alpha, beta);                                                     \
            else                                                                                              \
                NAME##_tile(R, P > 3 ? 3 : P, EPI, k, a, rsa, csa, b0, pst, ldq, packed, km, ncols, c0, rsc, csc, bc,      \
                            bias_row, relu, alpha, beta);                                                     \
        }                                                                                                     \
    }                                                                                                         \
    static TARGET void NAME##_kernel(long m, long n, long k, T alpha,                                        \
                                     const T *a, long rsa, long csa, const T *b, long rsb, long csb,          \
                                     T beta, T *c, long rsc, long csc, T *bp,                                 \
                                     const T *bias_col, const T *bias_row, int relu) {                        \
        long panels = (n + (NR) - 1) / (NR);                                                                 \
        /* A row-major op(B) is read where it lies (row stride rsb; the last panel's lanes past n      \
           masked) when it is read once (one block of rows) or is small enough to stay in the L1     \
           cache; otherwise it is packed into contiguous zero-padded panels, row p of panel q at      \
           bp[(q*k + p)*NR]. */                                                                       \
        int direct = csb == 1 && (m <= 4 || k * n * (long)sizeof(T) <= 16384);                              \
        const T *bq = b;                                                                                      \
        long pst = NR, ldq = rsb;                                                                             \
        if (!direct) {                                                                                        \
            for (long q = 0; q < panels; q++) {                                                              \
                long j0 = q * (NR), nr = n - j0 < (NR) ? n - j0 : (NR);                                      \
                T *dst = bp + q * k * (NR);                                                                  \
                if (csb == 1 && nr == (NR)) {                                                                \
                    for (long p = 0; p < k; p++) STOREU(dst + p * (NR), LOADU(b + p * rsb + j0));            \
                } else if (rsb == 1) {                                                                       \
                    /* A transposed B: read along its stored rows (p), write the panel's columns. */         \
                    for (long l = 0; l < nr; l++) {                                                          \
                        const T *src = b + (j0 + l) * csb;                                                   \
                        for (long p = 0; p < k; p++) dst[p * (NR) + l] = src[p];                             \
                    }                                                                                        \
                    for (long p = 0; p < k; p++)                                                             \
                        for (long l = nr; l < (NR); l++) dst[p * (NR) + l] = 0;                              \
                } else {                                                                                     \
                    for (long p = 0; p < k; p++) {                                                           \
                        const T *src = b + p * rsb + j0 * csb;                                               \
                        long l = 0;                                                                          \
                        for (; l < nr; l++) dst[p * (NR) + l] = src[l * csb];                                \
                        for (; l < (NR); l++) dst[p * (NR) + l] = 0;                                         \
                    }                                                                                        \
                }                                                                                            \
            }                                                                                                \
            bq = bp; pst = k * (NR); ldq = NR;                                                                \
        }                                                                                                     \
        long i0 = 0;                                                                                          \
        int epi = alpha == 1 && beta == 0 && csc == 1                                                         \
            ? EPI_PLAIN | (bias_col ? EPI_BIAS_COL : bias_row ? EPI_BIAS_ROW : 0) | (relu ? EPI_RELU : 0) : 0;   \
        switch (epi) {                                                                                        \
        case EPI_PLAIN: NAME_rows8_impl(NAME, EPI_PLAIN); break;                                                       \
        case EPI_PLAIN | EPI_RELU: NAME_rows8_impl(NAME, EPI_PLAIN | EPI_RELU); break;                                 \
        case EPI_PLAIN | EPI_BIAS_COL: NAME_rows8_impl(NAME, EPI_PLAIN | EPI_BIAS_COL); break;                         \
        case EPI_PLAIN | EPI_BIAS_COL | EPI_RELU: NAME_rows8_impl(NAME, EPI_PLAIN | EPI_BIAS_COL | EPI_RELU); break;   \
        case EPI_PLAIN | EPI_BIAS_ROW: NAME_rows8_impl(NAME, EPI_PLAIN | EPI_BIAS_ROW); break;                         \
        case EPI_PLAIN | EPI_BIAS_ROW | EPI_RELU: NAME_rows8_impl(NAME, EPI_PLAIN | EPI_BIAS_ROW | EPI_RELU); break;   \
        default: NAME_rows8_impl(NAME, 0); break;                                                                      \
        }                                                                                                     \
        if (m - i0 >= 4) {                                                                                    \
            NAME##_block(4, 4, 0, n, k, a + i0 * rsa, rsa, csa, bq, pst, ldq, !direct, c + i0 * rsc, rsc, csc, bias_col,  \
                         bias_row ? bias_row + i0 : 0, relu, alpha, beta);                                    \
            i0 += 4;                                                                                          \
        }                                                                                                     \
        long r = m - i0;                                                                                      \
        const T *ai = a + i0 * rsa;                                                                           \
        T *ci = c + i0 * rsc;                                                                                 \
        const T *br = bias_row ? bias_row + i0 : 0;                                                           \
        if (r == 3) NAME##_block(3, 4, 0, n, k, ai, rsa, csa, bq, pst, ldq, !direct, ci, rsc, csc, bias_col, br, relu, alpha, beta); \
        else if (r == 2) NAME##_block(2, 4, 0, n, k, ai, rsa, csa, bq, pst, ldq, !direct, ci, rsc, csc, bias_col, br, relu, alpha, beta); \
        else if (r == 1) NAME##_block(1, 4, 0, n, k, ai, rsa, csa, bq, pst, ldq, !direct, ci, rsc, csc, bias_col, br, relu, alpha, beta); \
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
// lanes, instead of a panel of NR columns of which n are used. A tile of R rows and all NC = n
// columns goes at once (R·NC ≤ 24 sums in flight, each row of A loaded once per step and the NC
// rows of B held in registers); the lanes of its R·NC sums are added by transposing reductions
// (REDUCE_ROWS: lane l of the result is the sum of the l-th vector's lanes, added in the same
// pairs as `_mm512_reduce_add_*`, so every C[i, j] is the bits of a one-at-a-time dot product),
// whose lanes are then C's elements in row-major order: one masked store when C's rows are NC
// wide and dense, else a scatter. The epilogue is the GEMM kernel's.
#define DEFINE_DOT(NAME, TARGET, T, VT, NR, SET1, LOADU, STOREU, FMA, MUL, ADD, MAX, ZERO, MT, MLOADZ, MSTORE, \
                   REDUCE_ROWS, IT, IDX, INDEX_LOAD, SCATTER)                                                  \
    /* One tile: rows i0 ..< i0 + rows (rows ≤ R; rows past the last repeat row i0, read, never       \
       written) against the NC columns. `vec` says whether the vector epilogue applies (beta 0,     \
       no bias per row); `bias` holds, per reduction, the bias of each lane's column. */             \
    static inline __attribute__((always_inline)) TARGET void NAME##_tile(                                 \
        const int R, const int NC, long rows, long k, const T *a, long rsa, const T *b, long csb,          \
        T alpha, T beta, T *c, long rsc, long csc, const T *bias_col, const T *bias_row, int relu,        \
        int vec, int dense, const VT *bias, const IT *offsets) {                                          \
        long full = k / (NR) * (NR);                                                                      \
        MT tail = (MT)((1u << (k - full)) - 1);                                                            \
        const T *ar[8];                                                                                    \
        for (int r = 0; r < R; r++) ar[r] = a + (r < rows ? r : 0) * rsa;                                  \
        VT s[24];                                                                                          \
        for (int f = 0; f < R * NC; f++) s[f] = ZERO();                                                    \
        long p = 0;                                                                                        \
        for (; p < full; p += (NR)) {                                                                      \
            VT bv[4];                                                                                      \
            for (int j = 0; j < NC; j++) bv[j] = LOADU(b + j * csb + p);                                   \
            for (int r = 0; r < R; r++) {                                                                  \
                VT av = LOADU(ar[r] + p);                                                                  \
                for (int j = 0; j < NC; j++) s[r * NC + j] = FMA(av, bv[j], s[r * NC + j]);                \
            }                                                                                              \
        }                                                                                                  \
        if (p < k) {                                                                                       \
            VT bv[4];                                                                                      \
            for (int j = 0; j < NC; j++) bv[j] = MLOADZ(tail, b + j * csb + p);                            \
            for (int r = 0; r < R; r++) {                                                                  \
                VT av = MLOADZ(tail, ar[r] + p);                                                           \
                for (int j = 0; j < NC; j++) s[r * NC + j] = FMA(av, bv[j], s[r * NC + j]);                \
            }                                                                                              \
        }                                                                                                  \
        for (int g = 0; g * (NR) < R * NC; g++) {                                                          \
            long valid = rows * NC - g * (NR);                                                             \
            if (valid <= 0) break;                                                                         \
            if (valid > (NR)) valid = (NR);                                                                \
            VT grp[NR];                                                                                    \
            for (int l = 0; l < (NR); l++) grp[l] = g * (NR) + l < R * NC ? s[g * (NR) + l] : ZERO();      \
            VT v = REDUCE_ROWS(grp);                                                                       \
            if (vec) {                                                                                     \
                MT lm = (MT)(valid == (NR) ? ~0u : (1u << valid) - 1);                                     \
                if (alpha != 1) v = MUL(SET1(alpha), v);                                                   \
                if (bias_col) v = ADD(v, bias[g]);                                                         \
                if (relu) v = MAX(v, ZERO());                                                              \
                if (dense) MSTORE(c + g * (NR), lm, v);                                                    \
                else SCATTER(c, lm, offsets[g], v);                                                        \
                continue;                                                                                  \
            }                                                                                              \
            T d[NR] __attribute__((aligned(64)));                                                          \
            STOREU(d, v);                                                                                  \
            for (long l = 0; l < valid; l++) {                                                             \
                long r = (g * (NR) + l) / NC, j = (g * (NR) + l) % NC;                                     \
                T v = alpha * d[l];                                                                        \
                T *cij = c + r * rsc + j * csc;                                                            \
                v = beta == 0 ? v : v + beta * *cij;                                                       \
                if (bias_col) v = v + bias_col[j];                                                         \
                else if (bias_row) v = v + bias_row[r];                                                    \
                if (relu) v = v > 0 ? v : 0;                                                               \
                *cij = v;                                                                                  \
            }                                                                                              \
        }                                                                                                  \
    }                                                                                                      \
    static inline __attribute__((always_inline)) TARGET void NAME##_run(                                  \
        const int R, const int NC, long m, long k, T alpha, const T *a, long rsa, const T *b, long csb,   \
        T beta, T *c, long rsc, long csc, const T *bias_col, const T *bias_row, int relu) {                \
        const int G = (R * NC + (NR) - 1) / (NR); /* at most 24 / 8 */                                    \
        /* Per reduction: each lane's column bias and its offset in C from the tile's first row. */        \
        VT bias[3];                                                                                        \
        IT offsets[3];                                                                                     \
        int dense = rsc == NC && csc == 1;                                                                 \
        int vec = beta == 0 && !bias_row && (dense || (R - 1) * rsc + (NC - 1) * csc <= 0x7fffffffL);     \
        for (int g = 0; g < G; g++) {                                                                      \
            T bl[NR] __attribute__((aligned(64)));                                                         \
            IDX ol[NR] __attribute__((aligned(64)));                                                       \
            for (int l = 0; l < (NR); l++) {                                                               \
                long f = g * (NR) + l, r = f / NC, j = f % NC;                                             \
                bl[l] = bias_col && f < R * NC ? bias_col[j] : 0;                                          \
                ol[l] = (IDX)(f < R * NC && vec ? r * rsc + j * csc : 0);                                  \
            }                                                                                              \
            bias[g] = LOADU(bl);                                                                           \
            offsets[g] = INDEX_LOAD(ol);                                                                   \
        }                                                                                                  \
        for (long i0 = 0; i0 < m; i0 += R)                                                                 \
            NAME##_tile(R, NC, m - i0 < R ? m - i0 : R, k, a + i0 * rsa, rsa, b, csb, alpha, beta,         \
                        c + i0 * rsc, rsc, csc, bias_col, bias_row ? bias_row + i0 : 0, relu, vec, dense,  \
                        bias, offsets);                                                                    \
    }                                                                                                      \
    static TARGET void NAME(long m, long n, long k, T alpha, const T *a, long rsa, const T *b, long csb,  \
                            T beta, T *c, long rsc, long csc, const T *bias_col, const T *bias_row,        \
                            int relu) {                                                                    \
        switch (n) {                                                                                       \
        case 1: NAME##_run(8, 1, m, k, alpha, a, rsa, b, csb, beta, c, rsc, csc, bias_col, bias_row, relu); break; \
        case 2: NAME##_run(8, 2, m, k, alpha, a, rsa, b, csb, beta, c, rsc, csc, bias_col, bias_row, relu); break; \
        case 3: NAME##_run(8, 3, m, k, alpha, a, rsa, b, csb, beta, c, rsc, csc, bias_col, bias_row, relu); break; \
        default: NAME##_run(6, 4, m, k, alpha, a, rsa, b, csb, beta, c, rsc, csc, bias_col, bias_row, relu); break; \
        }                                                                                                  \
    }

// Lane r ← the sum of s[r]'s 16 lanes, for r < 16, in _mm512_reduce_add_ps's pairs: lanes l and
// l + 8, then l + 4, l + 2, l + 1. Each step halves the vectors and the lanes each keeps per row.
static inline __attribute__((always_inline)) T_AVX512 __m512 reduce_rows_ps16(const __m512 *s) {
    __m512 t[8], u[4], w[2];
    // t[h]: lanes 0–7 hold s[2h]'s pairs (l, l+8), lanes 8–15 s[2h+1]'s.
    for (int h = 0; h < 8; h++)
        t[h] = _mm512_add_ps(_mm512_shuffle_f32x4(s[2 * h], s[2 * h + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_f32x4(s[2 * h], s[2 * h + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    // u[h]: quarter q holds 4 partial sums of row 4h + q (pairs l, l+4 of t's halves).
    for (int h = 0; h < 4; h++)
        u[h] = _mm512_add_ps(_mm512_shuffle_f32x4(t[2 * h], t[2 * h + 1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_f32x4(t[2 * h], t[2 * h + 1], _MM_SHUFFLE(3, 1, 3, 1)));
    // w[h]: in quarter q, lanes 0–1 hold row 8h + q's 2 partial sums, lanes 2–3 row 8h + 4 + q's.
    for (int h = 0; h < 2; h++)
        w[h] = _mm512_add_ps(_mm512_shuffle_ps(u[2 * h], u[2 * h + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_ps(u[2 * h], u[2 * h + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    // In quarter q: rows q, q + 4, q + 8, q + 12; the permutation puts row r in lane r.
    __m512 x = _mm512_add_ps(_mm512_shuffle_ps(w[0], w[1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_ps(w[0], w[1], _MM_SHUFFLE(3, 1, 3, 1)));
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    return _mm512_permutexvar_ps(order, x);
}

// The same for 8 Double vectors: pairs l and l + 4, then l + 2, then l + 1.
static inline __attribute__((always_inline)) T_AVX512 __m512d reduce_rows_pd8(const __m512d *s) {
    __m512d t[4], u[2];
    // t[h]: lanes 0–3 hold s[2h]'s pairs (l, l+4), lanes 4–7 s[2h+1]'s.
    for (int h = 0; h < 4; h++)
        t[h] = _mm512_add_pd(_mm512_shuffle_f64x2(s[2 * h], s[2 * h + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_f64x2(s[2 * h], s[2 * h + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    // u[h]: quarter q (2 lanes) holds row 4h + q's pairs (l, l+2).
    for (int h = 0; h < 2; h++)
        u[h] = _mm512_add_pd(_mm512_shuffle_f64x2(t[2 * h], t[2 * h + 1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_f64x2(t[2 * h], t[2 * h + 1], _MM_SHUFFLE(3, 1, 3, 1)));
    // Lane 2q holds row q's sum, lane 2q + 1 row q + 4's.
    __m512d x = _mm512_add_pd(_mm512_unpacklo_pd(u[0], u[1]), _mm512_unpackhi_pd(u[0], u[1]));
    const __m512i order = _mm512_setr_epi64(0, 2, 4, 6, 1, 3, 5, 7);
    return _mm512_permutexvar_pd(order, x);
}

static inline __attribute__((always_inline)) T_AVX512 void scatter_ps(float *base, __mmask16 m, __m512i index, __m512 v) {
    _mm512_mask_i32scatter_ps(base, m, index, v, 4);
}
static inline __attribute__((always_inline)) T_AVX512 void scatter_pd(double *base, __mmask8 m, __m512i index, __m512d v) {
    _mm512_mask_i64scatter_pd(base, m, index, v, 8);
}
static inline __attribute__((always_inline)) T_AVX512 __m512i load_index(const void *p) { return _mm512_load_si512(p); }

DEFINE_DOT(sdot_avx512, T_AVX512, float, __m512, 16, _mm512_set1_ps, _mm512_loadu_ps, _mm512_store_ps, _mm512_fmadd_ps,
           _mm512_mul_ps, _mm512_add_ps, _mm512_max_ps, zero_ps16, __mmask16, _mm512_maskz_loadu_ps, _mm512_mask_storeu_ps,
           reduce_rows_ps16, __m512i, int, load_index, scatter_ps)
DEFINE_DOT(ddot_avx512, T_AVX512, double, __m512d, 8, _mm512_set1_pd, _mm512_loadu_pd, _mm512_store_pd, _mm512_fmadd_pd,
           _mm512_mul_pd, _mm512_add_pd, _mm512_max_pd, zero_pd8, __mmask8, _mm512_maskz_loadu_pd, _mm512_mask_storeu_pd,
           reduce_rows_pd8, __m512i, long, load_index, scatter_pd)

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
// Four panels of 16 columns go at once (P, a constant after inlining), so that four sums are in
// flight instead of one add's latency per row.
static inline __attribute__((always_inline)) T_AVX512 void mask_colsum_panels(
    const int P, const float *ct, const float *mask, float *g, float *sums, long rows, long cols, long j0) {
    const __m512 one = _mm512_set1_ps(1), zero = _mm512_setzero_ps();
    __mmask16 km[4];
    __m512 acc[4];
    for (int q = 0; q < P; q++) {
        long left = cols - j0 - 16 * q;
        km[q] = (__mmask16)(left >= 16 ? 0xffffu : (1u << left) - 1);
        acc[q] = sums ? _mm512_maskz_loadu_ps(km[q], sums + j0 + 16 * q) : zero;
    }
    for (long i = 0; i < rows; i++) {
        for (int q = 0; q < P; q++) {
            long o = i * cols + j0 + 16 * q;
            __m512 v = _mm512_maskz_loadu_ps(km[q], ct + o);
            if (mask) {
                __mmask16 pos = _mm512_cmp_ps_mask(_mm512_maskz_loadu_ps(km[q], mask + o), zero, _CMP_GT_OQ);
                v = _mm512_mul_ps(v, _mm512_maskz_mov_ps(pos, one));
            }
            if (g) _mm512_mask_storeu_ps(g + o, km[q], v);
            acc[q] = _mm512_add_ps(acc[q], v);
        }
    }
    if (sums)
        for (int q = 0; q < P; q++) _mm512_mask_storeu_ps(sums + j0 + 16 * q, km[q], acc[q]);
}

static T_AVX512 void mask_colsum_f32_avx512(const float *ct, const float *mask, float *g, float *sums,
                                            long rows, long cols) {
    long panels = (cols + 15) / 16, q0 = 0;
    for (; q0 + 4 <= panels; q0 += 4) mask_colsum_panels(4, ct, mask, g, sums, rows, cols, 16 * q0);
    switch (panels - q0) {
    case 3: mask_colsum_panels(3, ct, mask, g, sums, rows, cols, 16 * q0); break;
    case 2: mask_colsum_panels(2, ct, mask, g, sums, rows, cols, 16 * q0); break;
    case 1: mask_colsum_panels(1, ct, mask, g, sums, rows, cols, 16 * q0); break;
    default: break;
    }
}
#define HAVE_MASK_COLSUM_AVX512 1

// The same pass with the weight gradient of a layer with few inputs (K ≤ 4) folded in:
// dw[j, c] = Σᵢ x[i, c]·g[i, j] by one FMA per row and input, rows in order (the GEMM kernel's
// order for Wᵀ·… with one block of rows), so g is never written. P panels of 16 columns at once.
static inline __attribute__((always_inline)) T_AVX512 void weight_grad_panels(
    const int P, const int K, const float *ct, const float *mask, const float *x, long rsx, long csx, long rows,
    long cols, long j0, float *sums, float *dw) {
    const __m512 one = _mm512_set1_ps(1), zero = _mm512_setzero_ps();
    __mmask16 km[4];
    __m512 acc[4], w[4][4];
    for (int q = 0; q < P; q++) {
        long left = cols - j0 - 16 * q;
        km[q] = (__mmask16)(left >= 16 ? 0xffffu : (1u << left) - 1);
        acc[q] = sums ? _mm512_maskz_loadu_ps(km[q], sums + j0 + 16 * q) : zero;
        for (int c = 0; c < K; c++) w[q][c] = zero;
    }
    for (long i = 0; i < rows; i++) {
        const float *xi = x + i * rsx;
        __m512 xb[4];
        for (int c = 0; c < K; c++) xb[c] = _mm512_set1_ps(xi[c * csx]);
        for (int q = 0; q < P; q++) {
            long o = i * cols + j0 + 16 * q;
            __m512 v = _mm512_maskz_loadu_ps(km[q], ct + o);
            if (mask) {
                __mmask16 pos = _mm512_cmp_ps_mask(_mm512_maskz_loadu_ps(km[q], mask + o), zero, _CMP_GT_OQ);
                v = _mm512_mul_ps(v, _mm512_maskz_mov_ps(pos, one));
            }
            acc[q] = _mm512_add_ps(acc[q], v);
            for (int c = 0; c < K; c++) w[q][c] = _mm512_fmadd_ps(xb[c], v, w[q][c]);
        }
    }
    for (int q = 0; q < P; q++) {
        if (sums) _mm512_mask_storeu_ps(sums + j0 + 16 * q, km[q], acc[q]);
        float tile[4][16] __attribute__((aligned(64)));
        for (int c = 0; c < K; c++) _mm512_store_ps(tile[c], w[q][c]);
        long nr = cols - j0 - 16 * q < 16 ? cols - j0 - 16 * q : 16;
        for (long l = 0; l < nr; l++)
            for (int c = 0; c < K; c++) dw[(j0 + 16 * q + l) * K + c] = tile[c][l];
    }
}

#define WEIGHT_GRAD_K(K)                                                                                     \
    do {                                                                                                     \
        for (; q0 + 4 <= panels; q0 += 4)                                                                    \
            weight_grad_panels(4, K, ct, mask, x, rsx, csx, rows, cols, 16 * q0, sums, dw);                  \
        switch (panels - q0) {                                                                               \
        case 3: weight_grad_panels(3, K, ct, mask, x, rsx, csx, rows, cols, 16 * q0, sums, dw); break;       \
        case 2: weight_grad_panels(2, K, ct, mask, x, rsx, csx, rows, cols, 16 * q0, sums, dw); break;       \
        case 1: weight_grad_panels(1, K, ct, mask, x, rsx, csx, rows, cols, 16 * q0, sums, dw); break;       \
        default: break;                                                                                      \
        }                                                                                                    \
    } while (0)

static T_AVX512 void linear_weight_grad_narrow_f32_avx512(const float *ct, const float *mask, const float *x,
                                                          long rsx, long csx, long rows, long cols, long k,
                                                          float *sums, float *dw) {
    long panels = (cols + 15) / 16, q0 = 0;
    switch (k) {
    case 1: WEIGHT_GRAD_K(1); break;
    case 2: WEIGHT_GRAD_K(2); break;
    case 3: WEIGHT_GRAD_K(3); break;
    default: WEIGHT_GRAD_K(4); break;
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
