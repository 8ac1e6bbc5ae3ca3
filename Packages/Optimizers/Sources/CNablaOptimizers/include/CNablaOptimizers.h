#ifndef CNABLA_OPTIMIZERS_H
#define CNABLA_OPTIMIZERS_H
// Vectorized update loops of NablaOptimizers at AVX2+FMA or AVX-512F width (x86-64), chosen by the
// caller's dispatch level (NablaTensor's `VectorLevel`: 2 = AVX2+FMA, 3 = AVX-512F).
//
// They do PyTorch's single-tensor arithmetic in PyTorch's order, as the Swift loops do: every
// `a + b·c` that ATen fuses is one FMA instruction here (the Swift loops call `fma`, which without
// an FMA target is a library call per element), every other operation is rounded on its own, so the
// results are bit for bit those of the Swift loops.

#ifdef __cplusplus
extern "C" {
#endif

/// The per-step constants of one Adam/AdamW update (see NablaOptimizers' `AdamKernel`).
typedef struct {
    /// `decoupled`: multiply x by `decay` first (AdamW); `coupled`: add `weight_decay·x` to the
    /// gradient (fused); `maximize`: negate the gradient.
    int decoupled, coupled, maximize;
    double decay, weight_decay, w1, b2, c2, eps, neg_step_size, bias2_sqrt;
} nabla_adam_constants;

/// One Adam update of `n` Floats: `x`, `m` (`exp_avg`), `v` (`exp_avg_sq`) in place, gradient `g`.
/// Returns 1 if done, 0 if there is no kernel at `level` (then nothing is written).
int nabla_adam_f32(int level, const nabla_adam_constants *k, float *x, float *m, float *v, const float *g, long n);
/// The `Double` counterpart of `nabla_adam_f32`.
int nabla_adam_f64(int level, const nabla_adam_constants *k, double *x, double *m, double *v, const double *g, long n);

#ifdef __cplusplus
}
#endif
#endif
