#!/usr/bin/env python3
"""NumPy counterpart of Packages/Sampling/Benchmarks/BayesBench: the same propagation methods'
forward passes on a d-100-100-1 tanh network (d = 2, 10), and the Bayesian linear regression
predictive (mean Φm, variance rowsum((ΦS)∘Φ) + 1/β) on 10⁶ points with 17 features.
Weights differ from the Swift run (different generator); the cost is what is compared.
Usage: python3 benchmarks/bayes_numpy_bench.py
"""
import time
import numpy as np

def best(f, repeats=3):
    t = float("inf")
    for _ in range(repeats):
        s = time.perf_counter(); f(); t = min(t, time.perf_counter() - s)
    return t * 1000

rng = np.random.default_rng(0)
for d in (2, 10):
    W = [rng.standard_normal((100, d)) / np.sqrt(d), rng.standard_normal((100, 100)) / 10, rng.standard_normal((1, 100)) / 10]
    b = [0.1 * rng.standard_normal(100), 0.1 * rng.standard_normal(100), 0.1 * rng.standard_normal(1)]
    def f(x):
        h = np.tanh(x @ W[0].T + b[0]); h = np.tanh(h @ W[1].T + b[1]); return h @ W[2].T + b[2]
    mu = np.zeros(d); L = 0.3 * np.eye(d)
    def mc():
        y = f(mu + rng.standard_normal((10_000, d)) @ L.T); return y.mean(0), np.cov(y.T)
    def lin():
        # Jacobian by the chain rule (what reverse mode does), then J Σ Jᵀ.
        a1 = mu @ W[0].T + b[0]; h1 = np.tanh(a1); a2 = h1 @ W[1].T + b[1]; h2 = np.tanh(a2)
        J = W[2] @ ((1 - h2**2)[:, None] * W[1]) @ ((1 - h1**2)[:, None] * W[0])
        return J @ (L @ L.T) @ J.T
    def ut():
        pts = np.vstack([mu, mu + np.sqrt(d) * L.T, mu - np.sqrt(d) * L.T]); y = f(pts)
        w = np.r_[0, np.full(2 * d, 1 / (2 * d))]; m = w @ y; return m, ((y - m).T * w) @ (y - m)
    print(f"## numpy {np.__version__}, {d}-100-100-1 tanh: MC 10^4 {best(mc):.3f} ms, linearization {best(lin):.3f} ms, unscented {best(ut):.3f} ms")

x = np.linspace(-5, 5, 1_000_000) / 5
S = np.eye(17) * 1e-3; m = rng.standard_normal(17); beta = 50.0
def feats(): return np.vander(x, 17, increasing=True)
Phi = feats()
def pred(): return Phi @ m, np.einsum("ij,ij->i", Phi @ S, Phi) + 1 / beta
print(f"## numpy BLR predictive, 10^6 points, 17 features: features {best(feats):.1f} ms, predict {best(pred):.1f} ms")
