# References for the small-step fast paths (issue 11):
#   Packages/Tensor/Tests/NablaTensorTests/SoftmaxCrossEntropyKernelTests.swift
#     F.cross_entropy in float32 on a [300, 3] batch whose rows span scales 0.5 to 1e6, on rows with
#     inf / -inf / NaN / ±1e30 logits, and in float64 for 1, 2, 4 and 5 classes;
#   Packages/Optimizers/Tests/NablaOptimizersTests/AdamStateTests.swift
#     Adam in float32 over two parameters whose step counts differ (the second has no gradient in
#     the first step), and the same run resumed from a state dict after two steps.
#   python3 scripts/torch_small_step_reference.py
import torch
import torch.nn.functional as F

def f32(xs):
    return "[" + ", ".join(repr(float(v)) for v in xs) + "]"

def ce(logits, target, dtype, reduction):
    x = torch.tensor(logits, dtype=dtype, requires_grad=True)
    loss = F.cross_entropy(x, torch.tensor(target), reduction=reduction)
    loss.backward()
    return loss.item(), x.grad.flatten().tolist()

# 1. [300, 3], float32: x[i][j] = (((7i + 13j) mod 17) - 8) * scale[i mod 4], t[i] = 5i mod 3.
scales = [0.5, 3.0, 100.0, 1e6]
logits = [[float(((7 * i + 13 * j) % 17) - 8) * scales[i % 4] for j in range(3)] for i in range(300)]
target = [(5 * i) % 3 for i in range(300)]
for reduction in ["mean", "sum"]:
    loss, grad = ce(logits, target, torch.float32, reduction)
    print("batch300", reduction, "loss", repr(loss))
    print("  grad rows 0-7", f32(grad[:24]))
    print("  grad rows 296-299", f32(grad[-12:]))

# 2. Rows with non-finite or huge logits, one row at a time (float32, mean over one row).
rows = [([float("inf"), 0.0, 1.0], 0), ([float("inf"), 0.0, 1.0], 1), ([float("-inf"), 0.0, 1.0], 0),
        ([float("-inf"), 0.0, 1.0], 1), ([0.0, float("nan"), 1.0], 2), ([1e30, -1e30, 0.0], 1),
        ([float("-inf")] * 3, 0), ([88.0, -88.0, 88.0], 2)]
for row, t in rows:
    loss, grad = ce([row], [t], torch.float32, "mean")
    print("row", row, t, "loss", repr(loss), "grad", grad)

# 3. 1, 2, 4 and 5 classes in float64 (sum).
for c in [1, 2, 4, 5]:
    lg = [[0.25 * ((3 * i + 5 * j) % 11) - 1.0 for j in range(c)] for i in range(3)]
    tg = [i % c for i in range(3)]
    loss, grad = ce(lg, tg, torch.float64, "sum")
    print("classes", c, "loss", repr(loss), "grad", grad)

# 4. Adam(lr=0.01) in float32: p from [1, -2, 0.5], q from [0.25, 4]; loss Σp² at step 1, Σp² + Σq²
#    at steps 2 and 3 (q has no gradient at step 1, so its step count lags p's by one).
def adam_run(steps, resume_after=None):
    p = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    q = torch.tensor([0.25, 4.0], requires_grad=True)
    opt = torch.optim.Adam([p, q], lr=0.01, foreach=False)
    for k in range(steps):
        if resume_after is not None and k == resume_after:
            sd = opt.state_dict()
            p = p.detach().clone().requires_grad_(True)
            q = q.detach().clone().requires_grad_(True)
            opt = torch.optim.Adam([p, q], lr=0.5, foreach=False)
            opt.load_state_dict(sd)
        opt.zero_grad()
        loss = (p * p).sum() + ((q * q).sum() if k > 0 else 0)
        loss.backward()
        opt.step()
    return p, q, opt

p, q, opt = adam_run(3)
print("adam p", f32(p.detach().tolist()), "q", f32(q.detach().tolist()))
for name, t in [("p", p), ("q", q)]:
    st = opt.state[t]
    print(" ", name, "step", float(st["step"]), "exp_avg", f32(st["exp_avg"].tolist()),
          "exp_avg_sq", f32(st["exp_avg_sq"].tolist()))
p2, q2, _ = adam_run(3, resume_after=2)
print("resumed after 2: p", f32(p2.detach().tolist()), "q", f32(q2.detach().tolist()))
