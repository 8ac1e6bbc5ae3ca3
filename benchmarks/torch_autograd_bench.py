"""PyTorch's figures for the cases of Packages/Autograd/Benchmarks/AutogradBench (same sizes, float64).

Run: python3 benchmarks/torch_autograd_bench.py
"""
import time

import torch

# One thread: at these sizes Nabla runs single-threaded too, and with 2 threads on the shared
# 2-core machine torch.func timings swing between ~1 ms and ~30 ms (thread contention).
torch.set_num_threads(1)
torch.manual_seed(0)


def measure(repeats, body):
    for _ in range(3):
        body()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        body()
        times.append(time.perf_counter() - t0)
    return sorted(times)


def report(label, times, per=1.0, unit="ms", scale=1e3):
    med = times[len(times) // 2] / per * scale
    print(f"{label}: median {med:.3f} {unit} (min {times[0] / per * scale:.3f}, max {times[-1] / per * scale:.3f}, {len(times)} runs)")


dt = torch.float64
chain_length = 200
w = torch.randn(4, 4, dtype=dt) * 0.5
b = torch.randn(4, 4, dtype=dt) * 0.1
x0 = torch.randn(4, 4, dtype=dt)


def chain_step():
    x = x0.clone().requires_grad_()
    wv = w.clone().requires_grad_()
    bv = b.clone().requires_grad_()
    y = x
    for i in range(chain_length):
        k = i % 4
        if k == 0:
            y = y * wv
        elif k == 1:
            y = y + bv
        elif k == 2:
            y = torch.tanh(y)
        else:
            y = torch.sin(y)
    torch.autograd.grad(y.sum(), (x, wv, bv))


report(f"chain of {chain_length} 4x4 ops (elementwise), forward+backward per op (float64)",
       measure(200, chain_step), per=chain_length + 1, unit="µs", scale=1e6)

W = torch.randn(100, 100, dtype=dt) * 0.1
bias = torch.randn(100, dtype=dt)
x = torch.randn(100, dtype=dt)


def layer(x):
    return torch.tanh(W @ x + bias)


report("jacobian of tanh(Wx+b), 100→100, torch.func.jacrev", measure(20, lambda: torch.func.jacrev(layer)(x)))
report("jacobian of tanh(Wx+b), 100→100, torch.func.jacfwd", measure(20, lambda: torch.func.jacfwd(layer)(x)))

A = torch.randn(100, 100, dtype=dt)


def quadratic(x):
    return x @ (A @ x)


report("hessian of xᵀAx, n = 100, torch.func.hessian (jacfwd(jacrev))", measure(20, lambda: torch.func.hessian(quadratic)(x)))
report("hessian of xᵀAx, n = 100, jacrev(jacrev)", measure(20, lambda: torch.func.jacrev(torch.func.jacrev(quadratic))(x)))

# Per-sample gradients (vmap of grad) of a 784-512-512-10 ReLU MLP's squared error, batch 128, float32.
mx, my = torch.randn(128, 784), torch.randn(128, 10)
mparams = [torch.randn(784, 512) * 0.03, torch.zeros(512), torch.randn(512, 512) * 0.04, torch.zeros(512),
           torch.randn(512, 10) * 0.04, torch.zeros(10)]


def mlp_loss(p, x, y):
    h1 = torch.relu(x @ p[0] + p[1])
    h2 = torch.relu(h1 @ p[2] + p[3])
    return ((h2 @ p[4] + p[5] - y) ** 2).mean()


report("per-sample gradients, MLP 784-512-512-10, batch 128, float32, torch.func.vmap(grad)",
       measure(5, lambda: torch.func.vmap(torch.func.grad(mlp_loss), in_dims=(None, 0, 0))(mparams, mx, my)))

# The same through a module: torch.func.functional_call on nn.Sequential, each sample a batch of one
# (the torch.func per-sample-gradients recipe; Nabla's perSampleGradients(of:inputs:targets:_:)).
mlp_module = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512),
                                 torch.nn.ReLU(), torch.nn.Linear(512, 10))
module_params = {k: v.detach() for k, v in mlp_module.named_parameters()}


def module_loss(p, x, y):
    out = torch.func.functional_call(mlp_module, p, (x.unsqueeze(0),))
    return ((out - y.unsqueeze(0)) ** 2).mean()


report("per-sample gradients, the same through nn.Sequential (functional_call, samples [1, 784])",
       measure(5, lambda: torch.func.vmap(torch.func.grad(module_loss), in_dims=(None, 0, 0))(module_params, mx, my)))
