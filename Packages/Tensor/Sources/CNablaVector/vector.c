// Run-time dispatched elementwise kernels; see include/CNablaVector.h.
#include "CNablaVector.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#if defined(__linux__) && defined(__x86_64__)
#define NABLA_HAVE_SLEEF_X86 1
#include <cpuid.h>
#include <immintrin.h>

// ---------------------------------------------------------------------------------------------
// SLEEF functions (names and signatures of sleef.h 3.5). `_u10`: at most 1.0 ulp; `_u05`: 0.5
// ulp (the correctly rounded square root). sleef.h declares the AVX2 and AVX-512 variants only
// when the translation unit is compiled with -mavx2/-mavx512f, which a SwiftPM manifest cannot ask
// for without unsafeFlags; and without those flags C passes 256- and 512-bit vectors in memory
// rather than in ymm0/zmm0 as SLEEF expects, even inside `target("avx2")` functions. So the SSE2
// variants are called from C directly, and the wider ones through the loops of vloop.S, which
// only need their addresses.
#define SLEEF_FUNCS(X) X(exp, u10) X(log, u10) X(log1p, u10) X(expm1, u10) X(sqrt, u05) \
    X(sin, u10) X(cos, u10) X(tan, u10) X(tanh, u10) X(erf, u10)
#define DECLARE(f, u) __m128 Sleef_##f##f4_##u##sse2(__m128); __m128d Sleef_##f##d2_##u##sse2(__m128d); \
    void Sleef_##f##f8_##u##avx2(void); void Sleef_##f##d4_##u##avx2(void);                           \
    void Sleef_##f##f16_##u##avx512f(void); void Sleef_##f##d8_##u##avx512f(void);
SLEEF_FUNCS(DECLARE)
#undef DECLARE

void nabla_vloop_ymm(const void *fn, const void *x, void *y, long nvec);
void nabla_vloop_zmm(const void *fn, const void *x, void *y, long nvec);

#define T_AVX2 __attribute__((target("avx2,fma")))
#define T_AVX512 __attribute__((target("avx512f")))

// Sigmoid 1/(1 + e^-x), as e^x/(1 + e^x) for negative x so that nothing overflows: with
// e = exp(-|x|), (x >= 0 ? 1 : e) / (1 + e). NaN propagates through e.
static inline __m128 sigmoid_f4(__m128 x) {
    __m128 one = _mm_set1_ps(1.0f);
    __m128 e = Sleef_expf4_u10sse2(_mm_or_ps(x, _mm_set1_ps(-0.0f)));
    __m128 ge = _mm_cmpge_ps(x, _mm_setzero_ps());
    return _mm_div_ps(_mm_or_ps(_mm_and_ps(ge, one), _mm_andnot_ps(ge, e)), _mm_add_ps(one, e));
}
static inline __m128d sigmoid_d2(__m128d x) {
    __m128d one = _mm_set1_pd(1.0);
    __m128d e = Sleef_expd2_u10sse2(_mm_or_pd(x, _mm_set1_pd(-0.0)));
    __m128d ge = _mm_cmpge_pd(x, _mm_setzero_pd());
    return _mm_div_pd(_mm_or_pd(_mm_and_pd(ge, one), _mm_andnot_pd(ge, e)), _mm_add_pd(one, e));
}

// SSE2 loops: whole vectors, then the tail through a zero-padded stack buffer.
#define LOOP(name, T, VT, W, LOAD, STORE, FUNC)                                            \
    static void name(const T *x, T *y, long n) {                                          \
        long i = 0;                                                                        \
        for (; i + (W) <= n; i += (W)) { VT v = LOAD(x + i); STORE(y + i, FUNC(v)); }      \
        if (i < n) {                                                                       \
            T buf[W];                                                                      \
            memset(buf, 0, sizeof buf);                                                    \
            memcpy(buf, x + i, (size_t)(n - i) * sizeof(T));                               \
            VT v = LOAD(buf);                                                              \
            STORE(buf, FUNC(v));                                                           \
            memcpy(y + i, buf, (size_t)(n - i) * sizeof(T));                               \
        }                                                                                  \
    }

// AVX2/AVX-512 loops: the assembly loop over whole vectors, the tail through a padded buffer.
#define WIDE_LOOP(name, T, W, VLOOP, FN)                                                   \
    static void name(const T *x, T *y, long n) {                                          \
        long whole = n / (W);                                                              \
        VLOOP((const void *)FN, x, y, whole);                                              \
        long i = whole * (W);                                                              \
        if (i < n) {                                                                       \
            T buf[W] __attribute__((aligned(64)));                                         \
            memset(buf, 0, sizeof buf);                                                    \
            memcpy(buf, x + i, (size_t)(n - i) * sizeof(T));                               \
            VLOOP((const void *)FN, buf, buf, 1);                                          \
            memcpy(y + i, buf, (size_t)(n - i) * sizeof(T));                               \
        }                                                                                  \
    }

#define LOOPS_FOR(f, u)                                                                     \
    LOOP(f##_f4, float, __m128, 4, _mm_loadu_ps, _mm_storeu_ps, Sleef_##f##f4_##u##sse2)    \
    LOOP(f##_d2, double, __m128d, 2, _mm_loadu_pd, _mm_storeu_pd, Sleef_##f##d2_##u##sse2)  \
    WIDE_LOOP(f##_f8, float, 8, nabla_vloop_ymm, Sleef_##f##f8_##u##avx2)                   \
    WIDE_LOOP(f##_d4, double, 4, nabla_vloop_ymm, Sleef_##f##d4_##u##avx2)                  \
    WIDE_LOOP(f##_f16, float, 16, nabla_vloop_zmm, Sleef_##f##f16_##u##avx512f)             \
    WIDE_LOOP(f##_d8, double, 8, nabla_vloop_zmm, Sleef_##f##d8_##u##avx512f)
SLEEF_FUNCS(LOOPS_FOR)
LOOP(sigmoid_f4l, float, __m128, 4, _mm_loadu_ps, _mm_storeu_ps, sigmoid_f4)
LOOP(sigmoid_d2l, double, __m128d, 2, _mm_loadu_pd, _mm_storeu_pd, sigmoid_d2)

// Wider sigmoids: e = exp(-|x|) for a block into a stack buffer with the SLEEF loop, then the
// select and division at the same width.
#define SIGMOID_BLOCK 512
static T_AVX2 void sigmoid_f8l(const float *x, float *y, long n) {
    float e[SIGMOID_BLOCK] __attribute__((aligned(64)));
    for (long i = 0; i < n; i += SIGMOID_BLOCK) {
        long m = n - i < SIGMOID_BLOCK ? n - i : SIGMOID_BLOCK;
        for (long j = 0; j < m; j++) e[j] = -__builtin_fabsf(x[i + j]);
        exp_f8(e, e, m);
        long j = 0;
        __m256 one = _mm256_set1_ps(1.0f);
        for (; j + 8 <= m; j += 8) {
            __m256 v = _mm256_loadu_ps(x + i + j), ev = _mm256_load_ps(e + j);
            __m256 ge = _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_GE_OQ);
            _mm256_storeu_ps(y + i + j, _mm256_div_ps(_mm256_blendv_ps(ev, one, ge), _mm256_add_ps(one, ev)));
        }
        for (; j < m; j++) y[i + j] = (x[i + j] >= 0 ? 1.0f : e[j]) / (1.0f + e[j]);
    }
}
static T_AVX2 void sigmoid_d4l(const double *x, double *y, long n) {
    double e[SIGMOID_BLOCK] __attribute__((aligned(64)));
    for (long i = 0; i < n; i += SIGMOID_BLOCK) {
        long m = n - i < SIGMOID_BLOCK ? n - i : SIGMOID_BLOCK;
        for (long j = 0; j < m; j++) e[j] = -__builtin_fabs(x[i + j]);
        exp_d4(e, e, m);
        long j = 0;
        __m256d one = _mm256_set1_pd(1.0);
        for (; j + 4 <= m; j += 4) {
            __m256d v = _mm256_loadu_pd(x + i + j), ev = _mm256_load_pd(e + j);
            __m256d ge = _mm256_cmp_pd(v, _mm256_setzero_pd(), _CMP_GE_OQ);
            _mm256_storeu_pd(y + i + j, _mm256_div_pd(_mm256_blendv_pd(ev, one, ge), _mm256_add_pd(one, ev)));
        }
        for (; j < m; j++) y[i + j] = (x[i + j] >= 0 ? 1.0 : e[j]) / (1.0 + e[j]);
    }
}
static T_AVX512 void sigmoid_f16l(const float *x, float *y, long n) {
    float e[SIGMOID_BLOCK] __attribute__((aligned(64)));
    for (long i = 0; i < n; i += SIGMOID_BLOCK) {
        long m = n - i < SIGMOID_BLOCK ? n - i : SIGMOID_BLOCK;
        for (long j = 0; j < m; j++) e[j] = -__builtin_fabsf(x[i + j]);
        exp_f16(e, e, m);
        long j = 0;
        __m512 one = _mm512_set1_ps(1.0f);
        for (; j + 16 <= m; j += 16) {
            __m512 v = _mm512_loadu_ps(x + i + j), ev = _mm512_load_ps(e + j);
            __mmask16 ge = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_GE_OQ);
            _mm512_storeu_ps(y + i + j, _mm512_div_ps(_mm512_mask_blend_ps(ge, ev, one), _mm512_add_ps(one, ev)));
        }
        for (; j < m; j++) y[i + j] = (x[i + j] >= 0 ? 1.0f : e[j]) / (1.0f + e[j]);
    }
}
static T_AVX512 void sigmoid_d8l(const double *x, double *y, long n) {
    double e[SIGMOID_BLOCK] __attribute__((aligned(64)));
    for (long i = 0; i < n; i += SIGMOID_BLOCK) {
        long m = n - i < SIGMOID_BLOCK ? n - i : SIGMOID_BLOCK;
        for (long j = 0; j < m; j++) e[j] = -__builtin_fabs(x[i + j]);
        exp_d8(e, e, m);
        long j = 0;
        __m512d one = _mm512_set1_pd(1.0);
        for (; j + 8 <= m; j += 8) {
            __m512d v = _mm512_loadu_pd(x + i + j), ev = _mm512_load_pd(e + j);
            __mmask8 ge = _mm512_cmp_pd_mask(v, _mm512_setzero_pd(), _CMP_GE_OQ);
            _mm512_storeu_pd(y + i + j, _mm512_div_pd(_mm512_mask_blend_pd(ge, ev, one), _mm512_add_pd(one, ev)));
        }
        for (; j < m; j++) y[i + j] = (x[i + j] >= 0 ? 1.0 : e[j]) / (1.0 + e[j]);
    }
}

// tanh at AVX2 and AVX-512: SLEEF's tanhf_u10 keeps 1 ulp with double-float arithmetic and
// costs 131 instructions per 8 floats (callgrind, Sleef_tanhf8_u10avx2), against 43 per 4 for the
// portable Swift kernel; its u35 variant (55 per 8) misses the bound of the tests on tanh(0.5).
// So these two levels run the portable kernel's algorithm (NablaTensor's `Float._vtanh`: the
// same reduction and coefficients, fitted by scripts/kernel_polynomials.py), with FMA, at 8 and
// 16 lanes: sign(x)·e/(e + 2), e = expm1(2·min(|x|, 9.5)), expm1 by Cody–Waite reduction
// x = n·ln2 + r and e^r − 1 = r + r²·P(r). Checked by TranscendentalKernelTests like the others.
#define TANH_BODY(P, SI, set1, set1i, add, sub, mul, div, fmadd, fnmadd, min, and_si, or_si, add32,        \
                  sub32, slli32, cast_ps, cast_si)                                                        \
    (void)fmadd;                                                        \
    SI xi = cast_si(x);                                                                                  \
    SI sign = and_si(xi, set1i((int)0x80000000u));                                                       \
    P a = cast_ps(and_si(xi, set1i(0x7FFFFFFF)));                                                        \
    P ac = min(set1(9.5f), a);                        /* NaN stays NaN (min returns its 2nd operand) */ \
    P x2 = add(ac, ac);                                                                                  \
    P magic = set1(0x1.8p23f);                                                                           \
    P t = fmadd(x2, set1(1.44269504f), magic);                                                           \
    P nf = sub(t, magic);                                                                                \
    SI n = sub32(cast_si(t), set1i(0x4B400000));                                                         \
    P r = fnmadd(nf, set1(0x1.62ep-1f), x2);                                                             \
    r = fnmadd(nf, set1(0x1.0bfbe8p-15f), r);                                                            \
    P p = set1(0.0013926176f);                                                                           \
    p = fmadd(p, r, set1(0.0083631731f));                                                                \
    p = fmadd(p, r, set1(0.041666555f));                                                                 \
    p = fmadd(p, r, set1(0.16666577f));                                                                  \
    p = fmadd(p, r, set1(0.5f));                                                                         \
    P em1 = add(r, mul(mul(r, r), p));            /* no FMA in these two: rounds as the Swift kernel */ \
    P s = cast_ps(slli32(add32(n, set1i(127)), 23));                                                     \
    P e = add(sub(s, set1(1.0f)), mul(s, em1));                                                          \
    P q = div(e, add(e, set1(2.0f)));                                                                    \
    return cast_ps(or_si(cast_si(q), sign));

static inline T_AVX512 __m512 tanh16(__m512 x) {
    TANH_BODY(__m512, __m512i, _mm512_set1_ps, _mm512_set1_epi32, _mm512_add_ps, _mm512_sub_ps, _mm512_mul_ps,
              _mm512_div_ps, _mm512_fmadd_ps, _mm512_fnmadd_ps, _mm512_min_ps, _mm512_and_si512, _mm512_or_si512,
              _mm512_add_epi32, _mm512_sub_epi32, _mm512_slli_epi32, _mm512_castsi512_ps, _mm512_castps_si512)
}
static inline T_AVX2 __m256 tanh8(__m256 x) {
    TANH_BODY(__m256, __m256i, _mm256_set1_ps, _mm256_set1_epi32, _mm256_add_ps, _mm256_sub_ps, _mm256_mul_ps,
              _mm256_div_ps, _mm256_fmadd_ps, _mm256_fnmadd_ps, _mm256_min_ps, _mm256_and_si256, _mm256_or_si256,
              _mm256_add_epi32, _mm256_sub_epi32, _mm256_slli_epi32, _mm256_castsi256_ps, _mm256_castps_si256)
}
// Outputs of at least this many bytes per call are written with non-temporal stores (as glibc's
// memcpy does above a threshold): a chunk larger than the core's L2 cache would be evicted from it
// anyway, and streaming it out saves the read of each output line before its write (the "read for
// ownership"), a third of the memory traffic of a unary op. Measured on 4M Floats, one core, AMD
// EPYC with AVX-512: tanh 6.1 → 6.8 G/s (C microbenchmark, best of 30). Parallel.forRanges cuts
// 4M Floats into 8 chunks of 2 MiB, so this applies to tensors of about 8 MiB and more.
#define STREAM_MIN_BYTES (1L << 20)

static T_AVX512 void tanh_fast_f16(const float *x, float *y, long n) {
    long i = 0;
    if (n * (long)sizeof(float) >= STREAM_MIN_BYTES) {
        long head = (long)((64 - ((unsigned long)y & 63)) & 63) / (long)sizeof(float);   // to a 64-byte boundary
        if (head) {
            __mmask16 m = (__mmask16)((1u << head) - 1);
            _mm512_mask_storeu_ps(y, m, tanh16(_mm512_maskz_loadu_ps(m, x)));
            i = head;
        }
        for (; i + 16 <= n; i += 16) _mm512_stream_ps(y + i, tanh16(_mm512_loadu_ps(x + i)));
        _mm_sfence();   // order the streaming stores before whatever publishes the result
    }
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, tanh16(_mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(y + i, m, tanh16(_mm512_maskz_loadu_ps(m, x + i)));
    }
}
static T_AVX2 void tanh_fast_f8(const float *x, float *y, long n) {
    long i = 0;
    if (n * (long)sizeof(float) >= STREAM_MIN_BYTES) {
        long head = (long)((32 - ((unsigned long)y & 31)) & 31) / (long)sizeof(float);   // to a 32-byte boundary
        if (head) {
            __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)head), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
            _mm256_maskstore_ps(y, m, tanh8(_mm256_maskload_ps(x, m)));
            i = head;
        }
        for (; i + 8 <= n; i += 8) _mm256_stream_ps(y + i, tanh8(_mm256_loadu_ps(x + i)));
        _mm_sfence();
    }
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, tanh8(_mm256_loadu_ps(x + i)));
    if (i < n) {
        float buf[8] = {0};
        memcpy(buf, x + i, (size_t)(n - i) * sizeof(float));
        _mm256_storeu_ps(buf, tanh8(_mm256_loadu_ps(buf)));
        memcpy(y + i, buf, (size_t)(n - i) * sizeof(float));
    }
}

typedef void (*kernel_f32)(const float *, float *, long);
typedef void (*kernel_f64)(const double *, double *, long);

// Indexed by [level - 1][function]. `t` picks the tanh: SLEEF's at SSE2, the ported kernel above
// at AVX2 and AVX-512.
#define ROW(s, t)                                                                                  \
    { exp_##s, log_##s, log1p_##s, expm1_##s, sqrt_##s, sin_##s, cos_##s, tan_##s, t##_##s,        \
      sigmoid_##s##l, erf_##s }
static const kernel_f32 table_f32[3][11] = { ROW(f4, tanh), ROW(f8, tanh_fast), ROW(f16, tanh_fast) };
static const kernel_f64 table_f64[3][11] = { ROW(d2, tanh), ROW(d4, tanh), ROW(d8, tanh) };
// SLEEF's AVX2/AVX-512 tanhf loops, kept for comparison (benchmarks, and a switch back if wanted).
__attribute__((used)) static const kernel_f32 sleef_tanh_f32[2] = { tanh_f8, tanh_f16 };
#undef ROW

// Two SLEEF functions fall outside their documented bound at the edges of the range, so their
// results are patched there (found by TranscendentalKernelTests):
// - log1p is specified for x ≤ 1e38 (float) / 1e307 (double) and returns garbage above; there
//   1 + x rounds to x, so log1p(x) = log(x), taken from libm for these rare elements.
// - erf of tiny arguments (results near or below the smallest normal) is off by up to 1.9 ulps;
//   there erf(x) = x·2/√π to far below an ulp, computed in double and rounded once (float) or
//   with one fma (double).
#define FIX_BLOCK 1024
static void fixed_f32(kernel_f32 k, int fn, const float *x, float *y, long n) {
    float in[FIX_BLOCK];
    for (long i = 0; i < n; i += FIX_BLOCK) {
        long m = n - i < FIX_BLOCK ? n - i : FIX_BLOCK;
        memcpy(in, x + i, (size_t)m * sizeof(float));
        k(in, y + i, m);
        if (fn == NABLA_FN_LOG1P) {
            for (long j = 0; j < m; j++) if (in[j] > 1e38f) y[i + j] = logf(in[j]);
        } else {
            for (long j = 0; j < m; j++)
                if (fabsf(in[j]) < 1e-20f) y[i + j] = (float)((double)in[j] * 1.1283791670955126);
        }
    }
}
static void fixed_f64(kernel_f64 k, int fn, const double *x, double *y, long n) {
    double in[FIX_BLOCK];
    for (long i = 0; i < n; i += FIX_BLOCK) {
        long m = n - i < FIX_BLOCK ? n - i : FIX_BLOCK;
        memcpy(in, x + i, (size_t)m * sizeof(double));
        k(in, y + i, m);
        if (fn == NABLA_FN_LOG1P) {
            for (long j = 0; j < m; j++) if (in[j] > 1e307) y[i + j] = log(in[j]);
        } else {
            // 2/√π = c0 + c1 to about 2⁻¹⁰⁶; x·c0 + x·c1 with one fma. Scaled by 2⁵⁴ first so
            // that x·c1 is not lost below the subnormal range, then scaled back (one rounding
            // for results ≥ 2⁻¹⁰²², at most one more in the subnormal range).
            for (long j = 0; j < m; j++)
                if (fabs(in[j]) < 1e-150) {
                    double t = in[j] * 0x1p54;
                    y[i + j] = fma(t, 1.1283791670955126, t * 1.533545961316588e-17) * 0x1p-54;
                }
        }
    }
}

static int detect_best_level(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return NABLA_VECTOR_PORTABLE;
    int level = (d & (1u << 26)) ? NABLA_VECTOR_SSE2 : NABLA_VECTOR_PORTABLE;
    int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return level;
    unsigned xlo, xhi;
    __asm__ volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
    if ((xlo & 0x6) != 0x6) return level;   // the OS saves XMM and YMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return level;
    if (fma && (b & (1u << 5))) level = NABLA_VECTOR_AVX2;
    if (level == NABLA_VECTOR_AVX2 && (b & (1u << 16)) && (xlo & 0xE6) == 0xE6) level = NABLA_VECTOR_AVX512;
    return level;
}

const char *nabla_vector_cpu_model(void) {
    static char model[49];
    static atomic_int done;
    if (!atomic_load_explicit(&done, memory_order_acquire)) {
        unsigned r[12] = {0};
        unsigned top = __get_cpuid_max(0x80000000u, 0);
        if (top >= 0x80000004u) {
            for (unsigned k = 0; k < 3; k++) __get_cpuid(0x80000002u + k, &r[4 * k], &r[4 * k + 1], &r[4 * k + 2], &r[4 * k + 3]);
            char tmp[49];
            memcpy(tmp, r, 48);
            tmp[48] = 0;
            const char *s = tmp;
            while (*s == ' ') s++;
            strncpy(model, s, 48);
        } else {
            strcpy(model, "unknown");
        }
        atomic_store_explicit(&done, 1, memory_order_release);
    }
    return model;
}
#else
static int detect_best_level(void) { return NABLA_VECTOR_PORTABLE; }
const char *nabla_vector_cpu_model(void) { return "unknown"; }
#endif

static atomic_int best_level = -1;
static atomic_int current_level = -1;

int nabla_vector_best_level(void) {
    int b = atomic_load_explicit(&best_level, memory_order_relaxed);
    if (b < 0) {
        b = detect_best_level();
        atomic_store_explicit(&best_level, b, memory_order_relaxed);
    }
    return b;
}

static int parse_level(const char *s) {
    if (!strcmp(s, "portable") || !strcmp(s, "swift")) return NABLA_VECTOR_PORTABLE;
    if (!strcmp(s, "sse2")) return NABLA_VECTOR_SSE2;
    if (!strcmp(s, "avx2") || !strcmp(s, "avx2+fma")) return NABLA_VECTOR_AVX2;
    if (!strcmp(s, "avx512") || !strcmp(s, "avx512f")) return NABLA_VECTOR_AVX512;
    if (!strcmp(s, "neon")) return NABLA_VECTOR_NEON;
    char *end;
    long v = strtol(s, &end, 10);
    return (*s && !*end) ? (int)v : -1;
}

static int clamp_level(int level) {
    if (level == NABLA_VECTOR_BROKEN_FOR_TESTS) return level;
    int best = nabla_vector_best_level();
    if (level < 0) return best;
    return level > best ? best : level;
}

int nabla_vector_level(void) {
    int l = atomic_load_explicit(&current_level, memory_order_relaxed);
    if (l < 0) {
        const char *env = getenv("NABLA_VECTOR_LEVEL");
        l = clamp_level(env ? parse_level(env) : -1);
        if (l == NABLA_VECTOR_BROKEN_FOR_TESTS) l = nabla_vector_best_level();   // never from the environment
        atomic_store_explicit(&current_level, l, memory_order_relaxed);
    }
    return l;
}

int nabla_vector_force_level(int level) {
    atomic_store_explicit(&current_level, -1, memory_order_relaxed);
    if (level < 0) return nabla_vector_level();
    int l = clamp_level(level);
    if (l == NABLA_VECTOR_BROKEN_FOR_TESTS) l = nabla_vector_best_level();   // only per call
    atomic_store_explicit(&current_level, l, memory_order_relaxed);
    return l;
}

const char *nabla_vector_level_name(int level) {
    switch (level) {
    case NABLA_VECTOR_PORTABLE: return "portable";
    case NABLA_VECTOR_SSE2: return "sse2";
    case NABLA_VECTOR_AVX2: return "avx2+fma";
    case NABLA_VECTOR_AVX512: return "avx512f";
    case NABLA_VECTOR_NEON: return "neon";
    case NABLA_VECTOR_BROKEN_FOR_TESTS: return "broken";
    default: return "unknown";
    }
}

int nabla_unary_f32(int fn, const float *x, float *y, long n) {
    return nabla_unary_f32_at(nabla_vector_level(), fn, x, y, n);
}

int nabla_unary_f32_at(int level, int fn, const float *x, float *y, long n) {
    if (level != NABLA_VECTOR_BROKEN_FOR_TESTS && level > nabla_vector_best_level()) return 0;
    if (fn < 0 || fn > NABLA_FN_ERF) return 0;
    if (level == NABLA_VECTOR_BROKEN_FOR_TESTS) {
        if (y != x) memmove(y, x, (size_t)n * sizeof(float));
        return 1;
    }
#if NABLA_HAVE_SLEEF_X86
    if (level >= NABLA_VECTOR_SSE2 && level <= NABLA_VECTOR_AVX512) {
        if (fn == NABLA_FN_LOG1P || fn == NABLA_FN_ERF) fixed_f32(table_f32[level - 1][fn], fn, x, y, n);
        else table_f32[level - 1][fn](x, y, n);
        return 1;
    }
#endif
    (void)x; (void)y; (void)n;
    return 0;
}

int nabla_unary_f64(int fn, const double *x, double *y, long n) {
    return nabla_unary_f64_at(nabla_vector_level(), fn, x, y, n);
}

int nabla_unary_f64_at(int level, int fn, const double *x, double *y, long n) {
    if (level != NABLA_VECTOR_BROKEN_FOR_TESTS && level > nabla_vector_best_level()) return 0;
    if (fn < 0 || fn > NABLA_FN_ERF) return 0;
    if (level == NABLA_VECTOR_BROKEN_FOR_TESTS) {
        if (y != x) memmove(y, x, (size_t)n * sizeof(double));
        return 1;
    }
#if NABLA_HAVE_SLEEF_X86
    if (level >= NABLA_VECTOR_SSE2 && level <= NABLA_VECTOR_AVX512) {
        if (fn == NABLA_FN_LOG1P || fn == NABLA_FN_ERF) fixed_f64(table_f64[level - 1][fn], fn, x, y, n);
        else table_f64[level - 1][fn](x, y, n);
        return 1;
    }
#endif
    (void)x; (void)y; (void)n;
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Binary arithmetic on dense Float buffers at AVX2 and AVX-512 (the Swift loops are compiled for
// SSE2). IEEE addition, subtraction, multiplication and division are correctly rounded at every
// width, so the results are bit for bit those of the Swift loops. A fresh output of at least
// STREAM_MIN_BYTES (neither operand) is written with streaming stores when the caller asks
// (`nabla_streams_output`, below).
#if NABLA_HAVE_SLEEF_X86
#define BINARY_BODY(W, VT, LOAD, STORE, STREAM, MASKOP, ALIGN)                                        \
    long i = 0;                                                                                    \
    stream = stream && y != a && y != b && n * (long)sizeof(float) >= STREAM_MIN_BYTES;            \
    if (stream) {                                                                                  \
        for (; i < n && ((unsigned long)(y + i) & (ALIGN - 1)); i++) y[i] = scalar_op(op, a[i], b[i]); \
        switch (op) {                                                                              \
        case NABLA_BIN_ADD: for (; i + W <= n; i += W) STREAM(y + i, MASKOP##add(LOAD(a + i), LOAD(b + i))); break; \
        case NABLA_BIN_SUB: for (; i + W <= n; i += W) STREAM(y + i, MASKOP##sub(LOAD(a + i), LOAD(b + i))); break; \
        case NABLA_BIN_MUL: for (; i + W <= n; i += W) STREAM(y + i, MASKOP##mul(LOAD(a + i), LOAD(b + i))); break; \
        default: for (; i + W <= n; i += W) STREAM(y + i, MASKOP##div(LOAD(a + i), LOAD(b + i))); break; \
        }                                                                                          \
        _mm_sfence();                                                                              \
    }                                                                                              \
    switch (op) {                                                                                  \
    case NABLA_BIN_ADD: for (; i + W <= n; i += W) STORE(y + i, MASKOP##add(LOAD(a + i), LOAD(b + i))); break; \
    case NABLA_BIN_SUB: for (; i + W <= n; i += W) STORE(y + i, MASKOP##sub(LOAD(a + i), LOAD(b + i))); break; \
    case NABLA_BIN_MUL: for (; i + W <= n; i += W) STORE(y + i, MASKOP##mul(LOAD(a + i), LOAD(b + i))); break; \
    default: for (; i + W <= n; i += W) STORE(y + i, MASKOP##div(LOAD(a + i), LOAD(b + i))); break; \
    }                                                                                              \
    for (; i < n; i++) y[i] = scalar_op(op, a[i], b[i]);

static inline float scalar_op(int op, float x, float z) {
    switch (op) {
    case NABLA_BIN_ADD: return x + z;
    case NABLA_BIN_SUB: return x - z;
    case NABLA_BIN_MUL: return x * z;
    default: return x / z;
    }
}
#define ps512_add _mm512_add_ps
#define ps512_sub _mm512_sub_ps
#define ps512_mul _mm512_mul_ps
#define ps512_div _mm512_div_ps
#define ps256_add _mm256_add_ps
#define ps256_sub _mm256_sub_ps
#define ps256_mul _mm256_mul_ps
#define ps256_div _mm256_div_ps
static T_AVX512 void binary_f16(int op, const float *a, const float *b, float *y, long n, int stream) {
    BINARY_BODY(16, __m512, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_stream_ps, ps512_, 64)
}
static T_AVX2 void binary_f8(int op, const float *a, const float *b, float *y, long n, int stream) {
    BINARY_BODY(8, __m256, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_stream_ps, ps256_, 32)
}
#endif

int nabla_binary_f32_at(int level, int op, const float *a, const float *b, float *y, long n, int stream) {
    if (level > nabla_vector_best_level() || op < NABLA_BIN_ADD || op > NABLA_BIN_DIV) return 0;
#if NABLA_HAVE_SLEEF_X86
    if (level == NABLA_VECTOR_AVX512) { binary_f16(op, a, b, y, n, stream); return 1; }
    if (level == NABLA_VECTOR_AVX2) { binary_f8(op, a, b, y, n, stream); return 1; }
#endif
    (void)a; (void)b; (void)y; (void)n; (void)stream;
    return 0;
}

int nabla_binary_f32(int op, const float *a, const float *b, float *y, long n, int stream) {
    return nabla_binary_f32_at(nabla_vector_level(), op, a, b, y, n, stream);
}

// ---------------------------------------------------------------------------------------------
// When arithmetic outputs stream. Measured on the 2-vCPU AMD EPYC guest (32 MiB L3; C
// microbenchmark of `t = x*x` then `t += x`, two threads, 2026-11-27 22:15 UTC): streaming the
// product cost 10.3 → 7.4 G/s at 4M Floats (16 MiB), 9.9 → 8.2 at 6M, 8.3 → 7.7 at 8M (32 MiB),
// and gained only at 16M (64 MiB: 6.0 → 6.2), because `+ x` reads the product back from DRAM
// instead of the cache. So outputs stream only when they are larger than the last-level cache.
static long read_cache_size_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char buf[64] = {0};
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    if (got == 0) return -1;
    char *end;
    long v = strtol(buf, &end, 10);
    if (end == buf || v <= 0) return -1;
    if (*end == 'K') v <<= 10;
    else if (*end == 'M') v <<= 20;
    else if (*end == 'G') v <<= 30;
    return v;
}

static long detect_last_level_cache(void) {
    long best_level = 0, best_size = -1;
    for (int i = 0; i < 16; i++) {
        char path[96], text[32] = {0};
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t got = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        if (got == 0 || !strncmp(text, "Instruction", 11)) continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
        long level = read_cache_size_file(path);
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
        long size = read_cache_size_file(path);
        if (level > best_level && size > 0) { best_level = level; best_size = size; }
    }
    if (best_size > 0) return best_size;
#if defined(_SC_LEVEL3_CACHE_SIZE)
    long s = sysconf(_SC_LEVEL3_CACHE_SIZE);
    if (s > 0) return s;
#endif
    return 32L << 20;
}

long nabla_last_level_cache_bytes(void) {
    static atomic_long cached;
    long v = atomic_load_explicit(&cached, memory_order_relaxed);
    if (v <= 0) {
        v = detect_last_level_cache();
        atomic_store_explicit(&cached, v, memory_order_relaxed);
    }
    return v;
}

int nabla_streams_output(long output_bytes) {
    return output_bytes > nabla_last_level_cache_bytes();
}
