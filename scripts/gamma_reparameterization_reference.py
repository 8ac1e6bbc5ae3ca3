"""Reference values for the reparameterized gamma family (Packages/Sampling/Tests/.../GammaReparameterizationTests.swift).

    python3 scripts/gamma_reparameterization_reference.py

- polygamma and gammaincinv from SciPy;
- dx/da along P(a, x) = u fixed, to 30 digits with mpmath (-dP/da / dP/dx), beside torch._standard_gamma_grad
  (PyTorch's single-precision approximation of the same quantity, evaluated in float64);
- PyTorch's rsample gradients for fixed gamma draws: Gamma.rsample is _standard_gamma(alpha) / rate, whose
  backward is _standard_gamma_grad(alpha, sample); the function below records exactly that for a given sample,
  and the Beta / Dirichlet / StudentT compositions of the Swift code are built on it.
"""
import mpmath as mp
import numpy as np
import scipy, scipy.special as sp
import torch

mp.mp.dps = 40
torch.set_default_dtype(torch.float64)
print("scipy", scipy.__version__, "torch", torch.__version__, "mpmath", mp.__version__)

for n, x in [(1, 0.3), (1, 2.5), (2, 0.7), (3, 4.2), (1, 25.0), (2, 100.0)]:
    print(f"polygamma({n}, {x}) = {float(sp.polygamma(n, x))!r}")
for a, p in [(0.3, 0.2), (0.7, 0.9), (2.5, 0.5), (9.0, 0.05), (50.0, 0.99), (1.0, 0.999)]:
    print(f"gammaincinv({a}, {p}) = {float(sp.gammaincinv(a, p))!r}")

def exact_grad(a, x):
    a, x = mp.mpf(a), mp.mpf(x)
    dPda = mp.diff(lambda s: mp.gammainc(s, 0, x, regularized=True), a)
    f = x ** (a - 1) * mp.exp(-x) / mp.gamma(a)
    return -dPda / f

pairs = [(0.3, 0.05), (0.7, 1.3), (1.0, 0.5), (2.5, 1.7), (2.5, 6.0), (9.0, 4.0), (9.0, 15.0), (50.0, 60.0), (200.0, 180.0)]
for a, x in pairs:
    t = torch._standard_gamma_grad(torch.tensor([a]), torch.tensor([x])).item()
    print(f"dx/da({a}, {x}): exact {float(exact_grad(a, x))!r}  torch {t!r}")

class FixedGamma(torch.autograd.Function):
    """torch.distributions.Gamma(alpha, 1).rsample() with the drawn value fixed to `sample`."""
    @staticmethod
    def forward(ctx, alpha, sample):
        ctx.save_for_backward(alpha, sample)
        return sample.clone()
    @staticmethod
    def backward(ctx, grad):
        alpha, sample = ctx.saved_tensors
        return grad * torch._standard_gamma_grad(alpha, sample), None

# Beta(2.0, 3.5) from gammas g1 = 1.2, g2 = 2.7: d(x)/d(alpha, beta)
a = torch.tensor(2.0, requires_grad=True); b = torch.tensor(3.5, requires_grad=True)
g1 = FixedGamma.apply(a, torch.tensor(1.2)); g2 = FixedGamma.apply(b, torch.tensor(2.7))
x = g1 / (g1 + g2); x.backward()
print("beta", x.item(), a.grad.item(), b.grad.item())
# Dirichlet([1.5, 2, 3]) from gammas [0.8, 2.1, 3.3]: d(x . [1, 2, 3])/d alpha
al = torch.tensor([1.5, 2.0, 3.0], requires_grad=True)
g = FixedGamma.apply(al, torch.tensor([0.8, 2.1, 3.3]))
x = g / g.sum(); (x * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print("dirichlet", x.tolist(), al.grad.tolist())
# StudentT(nu = 4.5, loc = 0.5, scale = 2) from z = 0.7 and gamma G = 1.9 (shape nu/2): d x / d(nu, loc, scale)
nu = torch.tensor(4.5, requires_grad=True); loc = torch.tensor(0.5, requires_grad=True); sc = torch.tensor(2.0, requires_grad=True)
G = FixedGamma.apply(nu / 2, torch.tensor(1.9))
x = loc + sc * 0.7 / torch.sqrt(2 * G / nu); x.backward()
print("studentt", x.item(), nu.grad.item(), loc.grad.item(), sc.grad.item())
