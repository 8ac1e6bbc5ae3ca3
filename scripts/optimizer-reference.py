#!/usr/bin/env python3
"""Reference values for NablaOptimizers' tests, computed with PyTorch (CPU, foreach=False).

    python3 scripts/optimizer-reference.py > /tmp/reference.txt

Every number in Packages/Optimizers/Tests/NablaOptimizersTests/*Tests.swift that is attributed to
PyTorch was printed by this script (torch 2.x, x86-64 with AVX-512; PyTorch's CPU kernels fuse
`a + b*c` into FMAs, which NablaOptimizers reproduces). Floats are printed with repr(), which
round-trips, so Swift parses the same doubles.
"""
import math
import torch

torch.set_default_dtype(torch.float64)  # so `step`, `mu_product` are float64 too


def show(name, values):
    print(f"{name}: [{', '.join(repr(float(v)) for v in values)}]")


def square(make, x0, steps, dtype=torch.float64):
    """Minimizes sum(x**2) from x0; returns the flattened iterates."""
    x = torch.tensor(x0, dtype=dtype, requires_grad=True)
    opt = make([x])
    out = []
    for _ in range(steps):
        opt.zero_grad()
        (x * x).sum().backward()
        opt.step()
        out += x.detach().tolist()
    return out, opt, x


O = torch.optim
print("# The issue's cases (x0 = 1)")
show("sgd", square(lambda p: O.SGD(p, lr=0.1, foreach=False), [1.0], 3)[0])
show("sgdMomentum", square(lambda p: O.SGD(p, lr=0.1, momentum=0.9, foreach=False), [1.0], 3)[0])
show("sgdNesterov", square(lambda p: O.SGD(p, lr=0.1, momentum=0.9, nesterov=True, foreach=False), [1.0], 3)[0])
adam = square(lambda p: O.Adam(p, lr=0.1, foreach=False), [1.0], 100)[0]
show("adam", adam[:3]); show("adam100", [adam[99]])
show("adamW", square(lambda p: O.AdamW(p, lr=0.1, weight_decay=0.01, foreach=False), [1.0], 3)[0])
show("rmsprop", square(lambda p: O.RMSprop(p, lr=0.01, foreach=False), [1.0], 3)[0])
show("adagrad", square(lambda p: O.Adagrad(p, lr=0.01, foreach=False), [1.0], 3)[0])

print("# Options, x0 = [1, -2, 0.5], 6 steps, iterates flattened")
V = [1.0, -2.0, 0.5]
cases = {
    "sgdAll": lambda p: O.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01, foreach=False),
    "sgdNesterovMaximize": lambda p: O.SGD(p, lr=0.01, momentum=0.5, nesterov=True, weight_decay=0.1, maximize=True, foreach=False),
    "adamAmsgradDecay": lambda p: O.Adam(p, lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True, foreach=False),
    "adamMaximize": lambda p: O.Adam(p, lr=0.01, maximize=True, foreach=False),
    "adamWAmsgrad": lambda p: O.AdamW(p, lr=0.1, amsgrad=True, foreach=False),
    "rmspropCentered": lambda p: O.RMSprop(p, lr=0.01, alpha=0.9, centered=True, momentum=0.9, weight_decay=0.1, foreach=False),
    "rmspropMomentum": lambda p: O.RMSprop(p, lr=0.01, momentum=0.5, foreach=False),
    "adagradOptions": lambda p: O.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1, foreach=False),
    "adadelta": lambda p: O.Adadelta(p, foreach=False),
    "adadeltaOptions": lambda p: O.Adadelta(p, lr=0.5, rho=0.8, weight_decay=0.1, foreach=False),
    "adamax": lambda p: O.Adamax(p, lr=0.1, foreach=False),
    "adamaxDecay": lambda p: O.Adamax(p, lr=0.1, betas=(0.8, 0.9), weight_decay=0.1, foreach=False),
    "nadam": lambda p: O.NAdam(p, lr=0.1, foreach=False),
    "nadamDecoupled": lambda p: O.NAdam(p, lr=0.1, weight_decay=0.1, decoupled_weight_decay=True, momentum_decay=0.01, foreach=False),
    "nadamCoupled": lambda p: O.NAdam(p, lr=0.1, weight_decay=0.1, foreach=False),
}
for name, make in cases.items():
    show(name, square(make, V, 6)[0])
# RAdam rectifies from step 6 on with the default betas: run 10 steps.
show("radam", square(lambda p: O.RAdam(p, lr=0.1, foreach=False), V, 10)[0])
show("radamDecoupled", square(lambda p: O.RAdam(p, lr=0.1, weight_decay=0.1, decoupled_weight_decay=True, foreach=False), V, 10)[0])
show("radamCoupled", square(lambda p: O.RAdam(p, lr=0.1, weight_decay=0.1, foreach=False), V, 10)[0])

print("# State after 2 steps of Adam(lr=0.1, amsgrad) from [1, -2, 0.5]")
_, opt, x = square(lambda p: O.Adam(p, lr=0.1, amsgrad=True, foreach=False), V, 2)
sd = opt.state_dict()
for k, v in sd["state"][0].items():
    show("state.0." + k, v.reshape(-1).tolist())

print("# Float32 Adam(lr=0.1), 3 steps from [1, -2, 0.5] (default dtype float32)")
torch.set_default_dtype(torch.float32)
show("adamFloat", square(lambda p: O.Adam(p, lr=0.1, foreach=False), V, 3, dtype=torch.float32)[0])
torch.set_default_dtype(torch.float64)

print("# Schedules: SGD(lr=0.1), get_last_lr() after construction then after each step")
def sched(make, steps, metrics=None, opt_make=None, extra=None):
    p = torch.zeros(1, requires_grad=True)
    opt = opt_make([p]) if opt_make else O.SGD([p], lr=0.1)
    s = make(opt)
    lrs = [s.get_last_lr()[0]]
    extras = [extra(opt)] if extra else []
    for i in range(steps):
        opt.step()
        if metrics is not None:
            s.step(metrics[i])
        else:
            s.step()
        lrs.append(s.get_last_lr()[0])
        if extra: extras.append(extra(opt))
    return lrs, extras

S = torch.optim.lr_scheduler
show("stepLR", sched(lambda o: S.StepLR(o, step_size=3, gamma=0.5), 10)[0])
show("multiStepLR", sched(lambda o: S.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.1), 8)[0])
show("exponentialLR", sched(lambda o: S.ExponentialLR(o, gamma=0.9), 6)[0])
show("cosineAnnealingLR", sched(lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.01), 14)[0])
show("cosineWarmRestarts", sched(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001), 12)[0])
show("cosineWarmRestartsConstant", sched(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=4), 9)[0])
show("linearLR", sched(lambda o: S.LinearLR(o, start_factor=0.25, total_iters=4), 7)[0])
show("linearLRDecay", sched(lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=3), 5)[0])
lrs, moms = sched(lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=10), 9,
                  opt_make=lambda p: O.SGD(p, lr=0.1, momentum=0.9), extra=lambda o: o.param_groups[0]["momentum"])
show("oneCycleLR", lrs); show("oneCycleMomentum", moms)
lrs, b1 = sched(lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=12, anneal_strategy="linear", three_phase=True), 11,
                opt_make=lambda p: O.Adam(p, lr=0.1), extra=lambda o: o.param_groups[0]["betas"][0])
show("oneCycleLinearThreePhase", lrs); show("oneCycleBeta1", b1)
metrics = [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1]
show("reduceOnPlateau", sched(lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=1, cooldown=1, min_lr=0.01), 12, metrics=metrics)[0])
show("reduceOnPlateauMaxAbs", sched(lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.1, patience=0, threshold=0.05, threshold_mode="abs"), 12, metrics=metrics)[0])
show("chained", sched(lambda o: S.ChainedScheduler([S.ExponentialLR(o, gamma=0.9), S.StepLR(o, step_size=2, gamma=0.5)]), 6)[0])
show("sequential", sched(lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=3), S.ExponentialLR(o, gamma=0.9)], milestones=[3]), 7)[0])
show("sequentialCosine", sched(lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.5, total_iters=2), S.CosineAnnealingLR(o, T_max=4)], milestones=[2]), 7)[0])

print("# Gradient clipping: grads [3, -4] and [[1, 2], [-2, 0.5]]")
def clip(max_norm, norm_type):
    a = torch.zeros(2, requires_grad=True); b = torch.zeros(2, 2, requires_grad=True)
    a.grad = torch.tensor([3.0, -4.0]); b.grad = torch.tensor([[1.0, 2.0], [-2.0, 0.5]])
    total = torch.nn.utils.clip_grad_norm_([a, b], max_norm, norm_type=norm_type)
    return [total.item()] + a.grad.tolist() + b.grad.reshape(-1).tolist()
show("clipNorm2", clip(1.0, 2.0)); show("clipNormInf", clip(2.0, math.inf)); show("clipNorm1", clip(100.0, 1.0))
show("clipNorm3", clip(1.0, 3.0))

print("# LBFGS on Rosenbrock from [-1.5, 2]: x and loss after each step(closure)")
def rosen(line_search, lr, steps, history=10, max_iter=20):
    x = torch.tensor([-1.5, 2.0], requires_grad=True)
    opt = O.LBFGS([x], lr=lr, max_iter=max_iter, history_size=history, line_search_fn=line_search)
    def closure():
        opt.zero_grad()
        loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
        loss.backward()
        return loss
    out = []
    for _ in range(steps):
        opt.step(closure)
        out += x.detach().tolist() + [closure().item()]
    st = opt.state[x]
    return out, st["func_evals"], st["n_iter"]
out, fe, ni = rosen("strong_wolfe", 1.0, 3); show("lbfgsWolfe", out); print("lbfgsWolfeEvals:", fe, ni)
out, fe, ni = rosen(None, 0.01, 3, history=5, max_iter=10); show("lbfgsPlain", out); print("lbfgsPlainEvals:", fe, ni)

print("# Adam at vector width: 37 elements x0[i] = (i - 18) / 7, 3 steps, the last iterate")
print("# (two 16-lane AVX-512 vectors of Float and a tail of 5; four 8-lane vectors of Double and a tail)")
W = [(i - 18) / 7 for i in range(37)]
wide = {
    "adamWide": lambda p: O.Adam(p, lr=0.1, foreach=False),
    "adamWideDecayMaximize": lambda p: O.Adam(p, lr=0.01, weight_decay=0.1, maximize=True, foreach=False),
    "adamWWide": lambda p: O.AdamW(p, lr=0.1, betas=(0.3, 0.9), weight_decay=0.5, foreach=False),
}
for dtype, suffix in [(torch.float64, ""), (torch.float32, "Float")]:
    torch.set_default_dtype(dtype)
    for name, make in wide.items():
        show(name + suffix, square(make, W, 3, dtype=dtype)[0][-37:])
torch.set_default_dtype(torch.float64)
