"""Normal and gamma generation: Nabla (SamplingBench, release) beside NumPy and PyTorch in one run.

    python3 benchmarks/sampling_bench.py [count]

Builds nothing: run `swift build -c release --package-path Packages/Sampling --product SamplingBench` first.
Same thread count for every library (torch.set_num_threads = NABLA_NUM_THREADS = cores).
"""
import os, subprocess, sys, time
import numpy as np
import torch

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
threads = os.cpu_count()
torch.set_num_threads(threads)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def best(f, reps=7):
    b = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter(); f(); b = min(b, time.perf_counter() - t0)
    return b * 1e3

rng = np.random.default_rng(0)
rows = [
    ("torch.randn float32", best(lambda: torch.randn(n, dtype=torch.float32))),
    ("numpy standard_normal f32", best(lambda: rng.standard_normal(n, dtype=np.float32))),
    ("torch._standard_gamma a=2.5", best(lambda: torch._standard_gamma(torch.full((n,), 2.5)))),
    ("numpy standard_gamma a=2.5", best(lambda: rng.standard_gamma(2.5, n, dtype=np.float32))),
    ("torch._standard_gamma a=0.5", best(lambda: torch._standard_gamma(torch.full((n,), 0.5)))),
    ("numpy standard_gamma a=0.5", best(lambda: rng.standard_gamma(0.5, n, dtype=np.float32))),
]
print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), numpy {np.__version__}, n={n}")
for name, ms in rows:
    print(f"{name:30s} best={ms:8.2f} ms  {ms * 1e6 / n:6.2f} ns/sample")
exe = os.path.join(root, "Packages/Sampling/.build/release/SamplingBench")
if os.path.exists(exe):
    print(subprocess.run([exe, str(n)], capture_output=True, text=True, env={**os.environ, "NABLA_NUM_THREADS": str(threads)}).stdout, end="")
else:
    print("(build SamplingBench in release mode to include Nabla)")
