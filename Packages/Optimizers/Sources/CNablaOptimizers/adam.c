// Adam/AdamW update loops; see include/CNablaOptimizers.h.
#include "CNablaOptimizers.h"
#include <math.h>

// No contraction: only the fused operations written as fma below are fused, as in the Swift loops.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#if defined(__x86_64__)
#include <immintrin.h>

#define T_AVX2 __attribute__((target("avx2,fma")))
#define T_AVX512 __attribute__((target("avx512f")))

// AVX-512F has no floating-point xor (that is AVX-512DQ): through the integer one.
static inline T_AVX512 __m512 xor_ps16(__m512 a, __m512 b) {
    return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a), _mm512_castps_si512(b)));
}
static inline T_AVX512 __m512d xor_pd8(__m512d a, __m512d b) {
    return _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(a), _mm512_castpd_si512(b)));
}

// The element update, scalar (the tails): exactly AdamKernel's Swift loop.
#define SCALAR_UPDATE(T, FMA, SQRT)                                                                \
    for (; i < n; i++) {                                                                            \
        T xi = x[i];                                                                                \
        if (k->decoupled) xi = xi * decay;                                                          \
        T gi = g[i];                                                                                \
        if (k->maximize) gi = -gi;                                                                  \
        if (k->coupled) gi = FMA(wd, xi, gi);                                                       \
        T d = gi - m[i];                                                                            \
        m[i] = small_w1 ? FMA(w1, d, m[i]) : FMA(-d, one_minus_w1, gi);                            \
        v[i] = FMA(c2 * gi, gi, v[i] * b2);                                                         \
        T denom = SQRT(v[i]) / bias2_sqrt + eps;                                                    \
        x[i] = xi + neg_step * m[i] / denom;                                                        \
    }

#define CONSTANTS(T)                                                                               \
    const T decay = (T)k->decay, wd = (T)k->weight_decay, w1 = (T)k->w1, b2 = (T)k->b2;            \
    const T c2 = (T)k->c2, eps = (T)k->eps, neg_step = (T)k->neg_step_size;                        \
    const T bias2_sqrt = (T)k->bias2_sqrt, one_minus_w1 = (T)1 - w1;                               \
    const int small_w1 = (w1 < 0 ? -w1 : w1) < (T)0.5;

// The vector loop: the same operations on W lanes.
#define VECTOR_LOOP(W, VT, SET1, LOAD, STORE, ADD, SUB, MUL, DIV, SQRT, FMADD, XOR)                  \
    const VT vdecay = SET1(decay), vwd = SET1(wd), vw1 = SET1(w1), vb2 = SET1(b2), vc2 = SET1(c2); \
    const VT veps = SET1(eps), vneg = SET1(neg_step), vb2s = SET1(bias2_sqrt);                     \
    const VT vomw1 = SET1(one_minus_w1), sign = SET1(-0.0);                                         \
    for (; i + (W) <= n; i += (W)) {                                                                \
        VT xi = LOAD(x + i);                                                                        \
        if (k->decoupled) xi = MUL(xi, vdecay);                                                     \
        VT gi = LOAD(g + i);                                                                        \
        if (k->maximize) gi = XOR(gi, sign);                                                        \
        if (k->coupled) gi = FMADD(vwd, xi, gi);                                                    \
        VT mi = LOAD(m + i), d = SUB(gi, mi);                                                       \
        mi = small_w1 ? FMADD(vw1, d, mi) : FMADD(XOR(d, sign), vomw1, gi);                        \
        VT vi = FMADD(MUL(vc2, gi), gi, MUL(LOAD(v + i), vb2));                                     \
        STORE(m + i, mi);                                                                           \
        STORE(v + i, vi);                                                                           \
        VT denom = ADD(DIV(SQRT(vi), vb2s), veps);                                                  \
        STORE(x + i, ADD(xi, DIV(MUL(vneg, mi), denom)));                                           \
    }

static T_AVX2 void adam_f32_avx2(const nabla_adam_constants *k, float *x, float *m, float *v, const float *g, long n) {
    CONSTANTS(float)
    long i = 0;
    VECTOR_LOOP(8, __m256, _mm256_set1_ps, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_add_ps, _mm256_sub_ps,
                _mm256_mul_ps, _mm256_div_ps, _mm256_sqrt_ps, _mm256_fmadd_ps, _mm256_xor_ps)
    SCALAR_UPDATE(float, fmaf, sqrtf)
}

static T_AVX512 void adam_f32_avx512(const nabla_adam_constants *k, float *x, float *m, float *v, const float *g, long n) {
    CONSTANTS(float)
    long i = 0;
    VECTOR_LOOP(16, __m512, _mm512_set1_ps, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_add_ps, _mm512_sub_ps,
                _mm512_mul_ps, _mm512_div_ps, _mm512_sqrt_ps, _mm512_fmadd_ps, xor_ps16)
    SCALAR_UPDATE(float, fmaf, sqrtf)
}

static T_AVX2 void adam_f64_avx2(const nabla_adam_constants *k, double *x, double *m, double *v, const double *g, long n) {
    CONSTANTS(double)
    long i = 0;
    VECTOR_LOOP(4, __m256d, _mm256_set1_pd, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_add_pd, _mm256_sub_pd,
                _mm256_mul_pd, _mm256_div_pd, _mm256_sqrt_pd, _mm256_fmadd_pd, _mm256_xor_pd)
    SCALAR_UPDATE(double, fma, sqrt)
}

static T_AVX512 void adam_f64_avx512(const nabla_adam_constants *k, double *x, double *m, double *v, const double *g, long n) {
    CONSTANTS(double)
    long i = 0;
    VECTOR_LOOP(8, __m512d, _mm512_set1_pd, _mm512_loadu_pd, _mm512_storeu_pd, _mm512_add_pd, _mm512_sub_pd,
                _mm512_mul_pd, _mm512_div_pd, _mm512_sqrt_pd, _mm512_fmadd_pd, xor_pd8)
    SCALAR_UPDATE(double, fma, sqrt)
}

/// Whether the CPU has AVX2+FMA (level 2) or AVX-512F (level 3) with the OS saving the registers.
static int cpu_has(int level) {
    __builtin_cpu_init();
    if (level == 2) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (level == 3) return __builtin_cpu_supports("avx512f");
    return 0;
}

int nabla_adam_f32(int level, const nabla_adam_constants *k, float *x, float *m, float *v, const float *g, long n) {
    if (level == 3 && cpu_has(3)) { adam_f32_avx512(k, x, m, v, g, n); return 1; }
    if (level == 2 && cpu_has(2)) { adam_f32_avx2(k, x, m, v, g, n); return 1; }
    return 0;
}

int nabla_adam_f64(int level, const nabla_adam_constants *k, double *x, double *m, double *v, const double *g, long n) {
    if (level == 3 && cpu_has(3)) { adam_f64_avx512(k, x, m, v, g, n); return 1; }
    if (level == 2 && cpu_has(2)) { adam_f64_avx2(k, x, m, v, g, n); return 1; }
    return 0;
}
#else
int nabla_adam_f32(int level, const nabla_adam_constants *k, float *x, float *m, float *v, const float *g, long n) {
    (void)level; (void)k; (void)x; (void)m; (void)v; (void)g; (void)n;
    return 0;
}
int nabla_adam_f64(int level, const nabla_adam_constants *k, double *x, double *m, double *v, const double *g, long n) {
    (void)level; (void)k; (void)x; (void)m; (void)v; (void)g; (void)n;
    return 0;
}
#endif
