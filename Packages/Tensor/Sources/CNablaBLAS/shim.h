// CBLAS and LAPACKE from OpenBLAS / Netlib LAPACKE (Debian: libopenblas-dev liblapacke-dev).
#ifndef NABLA_CBLAS_SHIM_H
#define NABLA_CBLAS_SHIM_H
#include <stddef.h>
// Swift cannot import C `_Complex`; LAPACKE lets the includer choose the complex types.
typedef struct { float real, imag; } nabla_complex_float;
typedef struct { double real, imag; } nabla_complex_double;
#define lapack_complex_float nabla_complex_float
#define lapack_complex_double nabla_complex_double
#include <cblas.h>
#include <lapacke.h>
#endif
