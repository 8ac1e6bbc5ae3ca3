#!/usr/bin/env python3
"""PyTorch and NumPy figures for the cases of Nabla's TensorBench (Packages/Tensor/Benchmarks).

Run:  python3 benchmarks/torch_tensor_bench.py [--repeats 30] [--threads N]

Each case runs once to warm up, then `repeats` times; it prints the median and the spread
(min and max) of the rate. The cases and sizes match TensorBench exactly:
  sgemm 1024x1024 Float (GFLOP/s, 2*n^3 flops), tanh on 4M Floats (elements/s, fresh output),
  x*x+x on 4M Floats (elements/s, two ops), 64x64 Float matmul (latency, microseconds),
  standard normal 4M Floats (samples/s).
PyTorch runs with its default intra-op thread count (printed); NumPy's matmul runs on its BLAS.
`--threads N` sets both (torch.set_num_threads, and OMP/OPENBLAS/MKL_NUM_THREADS before NumPy
loads its BLAS); compare with `NABLA_NUM_THREADS=N OPENBLAS_NUM_THREADS=N TensorBench`.
"""
import argparse
import os
import platform
import statistics
import sys
import time

if "--threads" in sys.argv:
    _n = sys.argv[sys.argv.index("--threads") + 1]
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = _n

import numpy as np  # noqa: E402 (after the thread variables)
import torch  # noqa: E402


def measure(fn, repeats, inner=1):
    """Seconds per call of fn: median, min, max over `repeats` samples of `inner` calls each."""
    fn()
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t0) / inner)
    return statistics.median(samples), min(samples), max(samples)


def report(library, case, size, work, unit, times):
    """Prints one row: rate = work / time (median, and the rates at the slowest and fastest sample)."""
    med, lo, hi = times
    if unit == "us":
        print(f"{library:8} {case:10} {size:12} median {med * 1e6:10.2f} us      "
              f"[{lo * 1e6:.2f} .. {hi * 1e6:.2f}]")
    else:
        scale = {"GFLOP/s": 1e9, "Gelem/s": 1e9, "Msamples/s": 1e6}[unit]
        print(f"{library:8} {case:10} {size:12} median {work / med / scale:10.3f} {unit:10} "
              f"[{work / hi / scale:.3f} .. {work / lo / scale:.3f}]")


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (Linux), else what platform reports."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def numpy_simd():
    """NumPy's compiled-in baseline and the widest run-time dispatch target this CPU supports."""
    try:
        try:
            from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
        except ImportError:
            from numpy.core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
        active = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
        return f"baseline {'+'.join(__cpu_baseline__) or 'none'}, dispatch up to {active[-1] if active else 'none'}"
    except Exception:  # noqa: BLE001 - only informational
        return "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--threads", type=int, default=0, help="threads for torch and NumPy's BLAS (default: theirs)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    r = args.repeats
    n_big = 1 << 22          # 4M elements
    n_mm = 1024
    print(f"# {platform.processor() or platform.machine()}, python {platform.python_version()}, "
          f"torch {torch.__version__} ({torch.get_num_threads()} threads, "
          f"{torch.backends.cpu.get_cpu_capability()}), numpy {np.__version__}")
    print(f"# CPU: {cpu_model()}; torch vector ISA: {torch.backends.cpu.get_cpu_capability()}; "
          f"numpy SIMD: {numpy_simd()}")

    # torch
    g = torch.Generator().manual_seed(0)
    a = torch.randn(n_mm, n_mm, generator=g)
    b = torch.randn(n_mm, n_mm, generator=g)
    report("torch", "sgemm", "1024^3", 2 * n_mm ** 3, "GFLOP/s", measure(lambda: torch.mm(a, b), r))
    x = torch.randn(n_big, generator=g)
    report("torch", "tanh", "4M", n_big, "Gelem/s", measure(lambda: torch.tanh(x), r))
    report("torch", "x*x+x", "4M", n_big, "Gelem/s", measure(lambda: x * x + x, r))
    a64 = torch.randn(64, 64, generator=g)
    b64 = torch.randn(64, 64, generator=g)
    report("torch", "matmul64", "64^3", 2 * 64 ** 3, "us", measure(lambda: torch.mm(a64, b64), r, inner=1000))
    report("torch", "randn", "4M", n_big, "Msamples/s", measure(lambda: torch.randn(n_big), r))

    # numpy
    rng = np.random.default_rng(0)
    an = rng.standard_normal((n_mm, n_mm), dtype=np.float32)
    bn = rng.standard_normal((n_mm, n_mm), dtype=np.float32)
    report("numpy", "sgemm", "1024^3", 2 * n_mm ** 3, "GFLOP/s", measure(lambda: an @ bn, r))
    xn = rng.standard_normal(n_big, dtype=np.float32)
    report("numpy", "tanh", "4M", n_big, "Gelem/s", measure(lambda: np.tanh(xn), r))
    report("numpy", "x*x+x", "4M", n_big, "Gelem/s", measure(lambda: xn * xn + xn, r))
    a64n = rng.standard_normal((64, 64), dtype=np.float32)
    b64n = rng.standard_normal((64, 64), dtype=np.float32)
    report("numpy", "matmul64", "64^3", 2 * 64 ** 3, "us", measure(lambda: a64n @ b64n, r, inner=1000))
    report("numpy", "randn", "4M", n_big, "Msamples/s",
           measure(lambda: rng.standard_normal(n_big, dtype=np.float32), r))


if __name__ == "__main__":
    main()
