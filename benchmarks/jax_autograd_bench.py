# JAX (jit, CPU, float64 where the Nabla case is Double) on the vmap-related cases of
# AutogradBench: jacrev/jacfwd of tanh(Wx+b) 100→100, the Hessian of xᵀAx (n = 100), and per-sample
# gradients of a 784-512-512-10 MLP at batch 128 (float32), with jit and eager. Run by
# run_autograd_bench.sh beside Nabla and PyTorch.
import os, time, statistics
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp


def measure(repeats, body):
    body()
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); body(); times.append(time.perf_counter() - t)
    return times


def report(label, times):
    print(f"{label}: median {statistics.median(times) * 1e3:.3f} ms (min {min(times) * 1e3:.3f}, {len(times)} runs)")


k = jax.random.split(jax.random.PRNGKey(0), 8)
W = jax.random.normal(k[0], (100, 100), jnp.float64) * 0.1
b = jax.random.normal(k[1], (100,), jnp.float64)
x = jax.random.normal(k[2], (100,), jnp.float64)
layer = lambda x: jnp.tanh(W @ x + b)
jr, jf = jax.jit(jax.jacrev(layer)), jax.jit(jax.jacfwd(layer))
report("jax jit jacrev tanh(Wx+b) 100→100", measure(20, lambda: jr(x).block_until_ready()))
report("jax jit jacfwd tanh(Wx+b) 100→100", measure(20, lambda: jf(x).block_until_ready()))
A = jax.random.normal(k[3], (100, 100), jnp.float64)
quad = lambda x: x @ (A @ x)
hf, hr = jax.jit(jax.hessian(quad)), jax.jit(jax.jacrev(jax.jacrev(quad)))
report("jax jit hessian (jacfwd(jacrev)) xᵀAx n=100", measure(20, lambda: hf(x).block_until_ready()))
report("jax jit jacrev(jacrev) xᵀAx n=100", measure(20, lambda: hr(x).block_until_ready()))
mx = jax.random.normal(k[4], (128, 784), jnp.float32); my = jax.random.normal(k[5], (128, 10), jnp.float32)
p = [jax.random.normal(k[6], (784, 512), jnp.float32) * 0.03, jnp.zeros(512, jnp.float32),
     jax.random.normal(k[7], (512, 512), jnp.float32) * 0.04, jnp.zeros(512, jnp.float32),
     jax.random.normal(k[0], (512, 10), jnp.float32) * 0.04, jnp.zeros(10, jnp.float32)]
def loss(p, x, y):
    h1 = jax.nn.relu(x @ p[0] + p[1]); h2 = jax.nn.relu(h1 @ p[2] + p[3])
    return jnp.mean((h2 @ p[4] + p[5] - y) ** 2)
ps = jax.jit(jax.vmap(jax.grad(loss), in_axes=(None, 0, 0)))
report("jax jit per-sample gradients MLP 784-512-512-10 batch 128 float32", measure(5, lambda: jax.block_until_ready(ps(p, mx, my))))
# The same transforms without jit (eager, op by op).
report("jax eager jacrev tanh(Wx+b) 100→100", measure(5, lambda: jax.jacrev(layer)(x).block_until_ready()))
report("jax eager jacfwd tanh(Wx+b) 100→100", measure(5, lambda: jax.jacfwd(layer)(x).block_until_ready()))
report("jax eager hessian (jacfwd(jacrev)) xᵀAx n=100", measure(5, lambda: jax.hessian(quad)(x).block_until_ready()))
report("jax eager jacrev(jacrev) xᵀAx n=100", measure(5, lambda: jax.jacrev(jax.jacrev(quad))(x).block_until_ready()))
report("jax eager per-sample gradients MLP 784-512-512-10 batch 128 float32",
       measure(3, lambda: jax.block_until_ready(jax.vmap(jax.grad(loss), in_axes=(None, 0, 0))(p, mx, my))))
