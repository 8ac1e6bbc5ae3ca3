#!/usr/bin/env python3
"""PyTorch's DataLoader on the workload of Packages/Data/Benchmarks/DataBench: 60 000 samples of
28x28 float32 with int64 labels in a TensorDataset, batch 128, shuffle=True, default collation.
Prints the best and median time of an epoch. Usage: torch_data_bench.py [epochs]"""
import sys, time
import torch
from torch.utils.data import DataLoader, TensorDataset

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
torch.manual_seed(0)
n = 60_000
data = TensorDataset(torch.rand(n, 28, 28), torch.arange(n) % 10)

def run(name, **kw):
    loader = DataLoader(data, batch_size=128, shuffle=True, **kw)
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        count = 0
        for x, y in loader:
            count += x.shape[0]
        times.append(time.perf_counter() - t0)
        assert count == n
    best, median = min(times), sorted(times)[len(times) // 2]
    print(f"torch {name}: 60000x28x28 float32, batch 128, shuffle: best {best*1e3:.1f} ms, "
          f"median {median*1e3:.1f} ms per epoch ({n/best:.0f} samples/s)")

print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
run("DataLoader(num_workers=0)")
run("DataLoader(num_workers=2)", num_workers=2)
