#!/usr/bin/env python3
"""NumPyro's NUTS on the model of Packages/Sampling/Benchmarks/MCMCBench: an ill-conditioned
100-D Gaussian N(0, diag(sigma^2)), sigma log-spaced from 0.1 to 10, float64.

4 chains x (1000 warm-up + 1000 draws), diagonal mass matrix, target acceptance 0.8, max tree
depth 10 (NumPyro's defaults). Times each full run (warm-up included) and reports the bulk ESS
(ArviZ, min and mean over the components) per second. The first run of each chain method
includes JAX's compilation; later runs reuse it. Usage:
    XLA_FLAGS=--xla_force_host_platform_device_count=2 python3 benchmarks/numpyro_mcmc_bench.py [repeats]
"""
import os, sys, time
os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=2")
import numpy as np
import jax, jax.numpy as jnp
jax.config.update("jax_enable_x64", True)
import numpyro, numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS
import arviz as az

repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
d = 100
scales = jnp.asarray(10.0 ** (-1 + 2 * np.arange(d) / (d - 1)))

def model():
    numpyro.sample("x", dist.Normal(0.0, scales).to_event(1))

def potential(x):
    return 0.5 * jnp.sum((x / scales) ** 2)

for method in ["vectorized", "sequential"]:
    for label, kernel_kw in [("model", dict(model=model)), ("potential", dict(potential_fn=potential))]:
        kernel = NUTS(**kernel_kw)
        mcmc = MCMC(kernel, num_warmup=1000, num_samples=1000, num_chains=4, chain_method=method, progress_bar=False)
        for rep in range(repeats):
            key = jax.random.PRNGKey(rep)
            kw = {} if label == "model" else dict(init_params=jnp.asarray(
                np.random.default_rng(rep).uniform(-2, 2, size=(4, d))))
            t0 = time.perf_counter()
            mcmc.run(key, extra_fields=("num_steps", "diverging"), **kw)
            x = mcmc.get_samples(group_by_chain=True)
            x = np.asarray(x["x"] if label == "model" else x)
            secs = time.perf_counter() - t0
            ess = np.asarray([az.ess(x[:, :, i], method="bulk") for i in range(d)], dtype=float)
            rhat = max(float(az.rhat(x[:, :, i])) for i in range(d))
            extra = mcmc.get_extra_fields(group_by_chain=True)
            grads = float(np.mean(np.asarray(extra["num_steps"])))
            div = int(np.sum(np.asarray(extra["diverging"])))
            print(f"numpyro {method:10s} {label:9s} run {rep}: {secs:.3f} s (warm-up incl.{', compile incl.' if rep == 0 else ''}), "
                  f"ESS bulk min {ess.min():.0f} mean {ess.mean():.0f}, min ESS/s {ess.min() / secs:.0f}, mean ESS/s {ess.mean() / secs:.0f}, "
                  f"grads/draw {grads:.1f}, max R-hat {rhat:.4f}, divergences {div}", flush=True)
print(f"numpyro {numpyro.__version__}, jax {jax.__version__}, devices {jax.device_count()}")
