#!/usr/bin/env python3
"""PyTorch on the workloads of Packages/Training/Benchmarks/TrainingBench, in float32:
one Adam step (zero_grad, forward, F.cross_entropy, backward, step) of the 2-100-3 ReLU network at
batch 300 (lr 1e-2) and of a 784-512-512-10 ReLU MLP at batch 128 (lr 1e-3), median and best per
step over 5 rounds; and the spiral example's whole run (the 3 x 100 spiral with noise 0.2, the
network, 1000 full-batch Adam steps at lr 1e-2, the training accuracy), median and best of 5.
  torch_training_bench.py            all three
  torch_training_bench.py --spiral [--one-thread]   the spiral run once (the shell times the whole process)"""
import math, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F


def spiral(classes=3, n=100, noise=0.2):
    # The course's spiral: t evenly spaced on [0, 1], angle 2π/C (2t + k) + noise·N(0, 1).
    xs, ys = [], []
    t = torch.linspace(0, 1, n)
    for k in range(classes):
        angle = 2 * math.pi / classes * (2 * t + k) + noise * torch.randn(n)
        xs.append(torch.stack([t * torch.sin(angle), t * torch.cos(angle)], dim=1))
        ys.append(torch.full((n,), k, dtype=torch.long))
    return torch.cat(xs), torch.cat(ys)


def spiral_run(steps=1000):
    torch.manual_seed(0)
    x, y = spiral()
    model = nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 3))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    correct = 0
    for _ in range(steps):
        opt.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        opt.step()
        loss_value = loss.item()                                   # what the trainer logs
        correct = (logits.argmax(dim=1) == y).sum().item()         # the epoch's accuracy
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


if "--spiral" in sys.argv:
    if "--one-thread" in sys.argv:
        torch.set_num_threads(1)
    print(f"torch spiral: accuracy {spiral_run():.4f}")
    sys.exit(0)


def time_steps(step, warmup, steps, rounds=5):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - t0) / steps)
    times.sort()
    return times[len(times) // 2], times[0]


def mlp_step(sizes, batch, lr, warmup, steps):
    torch.manual_seed(0)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    x = torch.randn(batch, sizes[0])
    y = torch.randint(0, sizes[-1], (batch,))

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return time_steps(step, warmup, steps)


def report(name, t):
    print(f"{name}: median {t[0]*1e6:.1f} µs, best {t[1]*1e6:.1f} µs per step")


default_threads = torch.get_num_threads()
print(f"torch {torch.__version__}, default {default_threads} threads")
# PyTorch's default intra-op thread pool, then one thread (faster for small ops, and on a machine
# whose cores are busy with other work); the runner divides by the faster of the two.
for threads in dict.fromkeys([default_threads, 1]):
    torch.set_num_threads(threads)
    tag = f"torch ({threads} thread{'s' if threads > 1 else ''})"
    report(f"{tag} adam step 2-100-3 relu, batch 300", mlp_step([2, 100, 3], 300, 1e-2, 300, 1000))
    report(f"{tag} adam step 784-512-512-10 relu, batch 128", mlp_step([784, 512, 512, 10], 128, 1e-3, 20, 100))
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        acc = spiral_run()
        times.append(time.perf_counter() - t0)
    times.sort()
    print(f"{tag} spiral run (data, init, 1000 full-batch Adam steps, accuracy {acc:.4f}): "
          f"median {times[2]*1e3:.1f} ms, best {times[0]*1e3:.1f} ms")
