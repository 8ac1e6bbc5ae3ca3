"""Reference values for the Bayesian-integration tests of NablaSampling (issue 14):
Laplace-approximated Bayesian logistic regression, Bayesian quadrature, and expectation
propagation for probit regression.

    python3 benchmarks/bayes_integration_reference.py laplace|bq|ep

NumPy / SciPy only; every number the Swift tests paste is printed with repr (17 digits).
"""
import sys
import numpy as np
from scipy import optimize, integrate, stats, special


def logistic_data(n=30):
    """The deterministic data set of BayesianLogisticRegressionTests: [1, x1, x2] and labels."""
    i = np.arange(n, dtype=float)
    x1 = -3 + 6 * i / (n - 1)
    x2 = np.sin(1.7 * i)
    t = (x1 + 0.5 * x2 + 0.8 * np.cos(3.1 * i) > 0.4).astype(float)
    return np.column_stack([np.ones(n), x1, x2]), t


def laplace():
    phi, t = logistic_data()
    alpha = 1.0
    def nlp(w):
        a = phi @ w
        return np.sum(np.logaddexp(0, a) - t * a) + alpha / 2 * w @ w
    def grad(w):
        return phi.T @ (special.expit(phi @ w) - t) + alpha * w
    res = optimize.minimize(nlp, np.zeros(3), jac=grad, method="BFGS", options={"gtol": 1e-13})
    w = res.x
    for _ in range(5):                       # polish by Newton on the closed-form Hessian
        s = special.expit(phi @ w)
        h = phi.T @ (phi * (s * (1 - s))[:, None]) + alpha * np.eye(3)
        w = w - np.linalg.solve(h, grad(w))
    s = special.expit(phi @ w)
    h = phi.T @ (phi * (s * (1 - s))[:, None]) + alpha * np.eye(3)
    cov = np.linalg.inv(h)
    print("labels", t.astype(int).tolist(), "sum", t.sum())
    print("w_MAP", [repr(float(v)) for v in w])
    print("H", [repr(float(v)) for v in h.ravel()])
    print("-log p(w_MAP|t) + const", repr(float(nlp(w))))
    # Laplace log evidence: -E(w) + M/2 log α... ln p(t) ≈ ln p(t|w) + ln N(w|0, α⁻¹I) + M/2 ln 2π − ½ ln|H|
    m = 3
    logev = -(np.sum(np.logaddexp(0, phi @ w) - t * (phi @ w))) + m / 2 * np.log(alpha) - alpha / 2 * w @ w \
        - 0.5 * np.linalg.slogdet(h)[1]
    print("laplace log evidence", repr(float(logev)))
    # Predictive at test points: probit approximation and the exact integral over the Laplace Gaussian.
    tests = np.array([[1, -2.0, 0.3], [1, 0.0, 0.0], [1, 0.4, -1.0], [1, 2.5, 0.9], [1, 6.0, -2.0]])
    rng = np.random.default_rng(0)
    draws = rng.multivariate_normal(w, cov, size=2_000_000)
    for x in tests:
        mu = x @ w; var = x @ cov @ x
        kappa = 1 / np.sqrt(1 + np.pi * var / 8)
        probit = special.expit(kappa * mu)
        exact = integrate.quad(lambda a: special.expit(a) * stats.norm.pdf(a, mu, np.sqrt(var)), -np.inf, np.inf, epsabs=1e-13)[0]
        mc = special.expit(draws @ x)
        print("x", x.tolist(), "mu_a", repr(float(mu)), "var_a", repr(float(var)), "probit", repr(float(probit)), "quad", repr(float(exact)),
              "mc", repr(float(mc.mean())), "se", repr(float(mc.std() / np.sqrt(len(mc)))), "map", repr(float(special.expit(mu))))


def probit_data(n=40):
    """The data set of BayesianProbitRegressionTests: [1, x] and labels ±1."""
    i = np.arange(n, dtype=float)
    x = -2 + 4 * i / (n - 1)
    y = np.where(1.3 * x - 0.3 + 0.9 * np.sin(2.3 * i) > 0, 1.0, -1.0)
    return np.column_stack([np.ones(n), x]), y


def ep_function_space(phi, y, sigma0, sweeps=200, tol=1e-13):
    """EP for GP probit classification (Rasmussen & Williams Algorithm 3.5, sequential, the
    evidence as in GPML's infEP) with the kernel K = Φ Σ₀ Φᵀ of the linear model."""
    n = len(y)
    K = phi @ sigma0 @ phi.T
    ttau = np.zeros(n); tnu = np.zeros(n)
    Sigma = K.copy(); mu = np.zeros(n)
    for sweep in range(sweeps):
        old = np.concatenate([ttau, tnu])
        for i in range(n):
            tau_c = 1 / Sigma[i, i] - ttau[i]; nu_c = mu[i] / Sigma[i, i] - tnu[i]
            mc, vc = nu_c / tau_c, 1 / tau_c
            z = y[i] * mc / np.sqrt(1 + vc)
            r = np.exp(stats.norm.logpdf(z) - stats.norm.logcdf(z))
            mhat = mc + y[i] * vc * r / np.sqrt(1 + vc)
            vhat = vc - vc ** 2 * r * (z + r) / (1 + vc)
            dtt = 1 / vhat - tau_c - ttau[i]
            ttau[i] += dtt; tnu[i] = mhat / vhat - nu_c
            si = Sigma[:, i].copy()
            Sigma = Sigma - dtt / (1 + dtt * si[i]) * np.outer(si, si)
            mu = Sigma @ tnu
        sW = np.sqrt(ttau)
        L = np.linalg.cholesky(np.eye(n) + np.outer(sW, sW) * K)
        V = np.linalg.solve(L, sW[:, None] * K)
        Sigma = K - V.T @ V; mu = Sigma @ tnu
        if np.max(np.abs(np.concatenate([ttau, tnu]) - old)) < tol:
            break
    tau_n = 1 / np.diag(Sigma) - ttau; nu_n = mu / np.diag(Sigma) - tnu
    lZ = stats.norm.logcdf(y * (nu_n / tau_n) / np.sqrt(1 + 1 / tau_n))
    nlZ = (np.sum(np.log(np.diag(L))) - np.sum(lZ) - tnu @ Sigma @ tnu / 2
           - nu_n @ ((ttau / tau_n * nu_n - 2 * tnu) / (ttau + tau_n)) / 2
           + np.sum(tnu ** 2 / (tau_n + ttau)) / 2 - np.sum(np.log(1 + ttau / tau_n)) / 2)
    # The weight posterior from the sites: Λ = Σ₀⁻¹ + ΦᵀT̃Φ, m = Λ⁻¹Φᵀν̃.
    lam = np.linalg.inv(sigma0) + phi.T @ (phi * ttau[:, None])
    cov = np.linalg.inv(lam); m = cov @ phi.T @ tnu
    return m, cov, -nlZ, sweep + 1


def exact_moments(phi, y, sigma0, half=8.0, n=1201):
    """ln p(y), E[w], Cov[w] of the exact posterior by the trapezoidal rule on a grid (d = 1 or 2),
    centred on the EP mean ± `half` EP standard deviations."""
    m, cov, _, _ = ep_function_space(phi, y, sigma0)
    d = len(m)
    axes = [np.linspace(m[k] - half * np.sqrt(cov[k, k]), m[k] + half * np.sqrt(cov[k, k]), n) for k in range(d)]
    grids = np.meshgrid(*axes, indexing="ij")
    W = np.stack([g.ravel() for g in grids], axis=1)
    logp = stats.multivariate_normal(np.zeros(d), sigma0).logpdf(W) + \
        stats.norm.logcdf((W @ phi.T) * y).sum(axis=1)
    shift = logp.max()
    p = np.exp(logp - shift).reshape([n] * d)
    def integrate_grid(f):
        for k in reversed(range(d)):
            f = np.trapezoid(f, axes[k], axis=k)
        return f
    Z = integrate_grid(p)
    mean = [integrate_grid(p * grids[k]) / Z for k in range(d)]
    return np.log(Z) + shift, np.array(mean)


def ep():
    phi, y = probit_data()
    print("labels", ((y + 1) / 2).astype(int).tolist())
    for name, design in [("2-D [1, x]", phi), ("1-D [x]", phi[:, 1:])]:
        d = design.shape[1]
        s0 = np.eye(d)
        m, cov, logz, sweeps = ep_function_space(design, y, s0)
        print(name, "EP sweeps", sweeps)
        print("  EP mean", [repr(float(v)) for v in m])
        print("  EP cov", [repr(float(v)) for v in cov.ravel()])
        print("  EP log Z", repr(float(logz)))
        lz, mean = exact_moments(design, y, s0)
        print("  exact log Z (grid)", repr(float(lz)), "exact mean", [repr(float(v)) for v in mean])
        if d == 2:
            s0 = np.array([[2.0, 0.5], [0.5, 1.0]])
            m, cov, logz, sweeps = ep_function_space(design, y, s0)
            print("  Σ₀ = [[2, 0.5], [0.5, 1]]: EP mean", [repr(float(v)) for v in m], "cov", [repr(float(v)) for v in cov.ravel()], "log Z", repr(float(logz)))
        if d == 1:
            f = lambda w: stats.norm.pdf(w) * np.exp(stats.norm.logcdf(y * design[:, 0] * w).sum())
            print("  exact log Z (quad)", repr(float(np.log(integrate.quad(f, -10, 10, epsabs=1e-14, points=[m[0]])[0]))))


def bq_gram(x, ell, sf, jitter):
    d2 = (((x[:, None, :] - x[None, :, :]) / ell) ** 2).sum(-1)
    return sf ** 2 * (np.exp(-0.5 * d2) + jitter * np.eye(len(x)))


def bq_log_ml(x, f, ell, sf, jitter):
    K = bq_gram(x, ell, sf, jitter)
    L = np.linalg.cholesky(K)
    a = np.linalg.solve(L.T, np.linalg.solve(L, f))
    return -0.5 * f @ a - np.log(np.diag(L)).sum() - len(f) / 2 * np.log(2 * np.pi)


def bq_integral(x, f, b, B, ell, sf, jitter):
    """Rasmussen & Ghahramani (2003): E[Z] = zᵀK⁻¹f, V[Z] = s²|2A⁻¹B + I|^(−½) − zᵀK⁻¹z."""
    d = x.shape[1]
    A = np.diag(ell ** 2)
    K = bq_gram(x, ell, sf, jitter)
    diff = x - b
    z = sf ** 2 / np.sqrt(np.linalg.det(np.linalg.solve(A, B) + np.eye(d))) * \
        np.exp(-0.5 * np.einsum("ij,jk,ik->i", diff, np.linalg.inv(A + B), diff))
    kinv_f = np.linalg.solve(K, f); kinv_z = np.linalg.solve(K, z)
    return z @ kinv_f, sf ** 2 / np.sqrt(np.linalg.det(2 * np.linalg.solve(A, B) + np.eye(d))) - z @ kinv_z


def bq_fit(x, f, ell0, sf0, jitter):
    """Maximizes the log marginal likelihood over (log ℓ, log s) from (ℓ₀, s₀)."""
    d = x.shape[1]
    obj = lambda th: -bq_log_ml(x, f, np.exp(th[:d]), np.exp(th[d]), jitter)
    # L-BFGS-B alone stops ~0.003 nats short (its ftol test); polish with BFGS on the same objective.
    res = optimize.minimize(obj, np.log(np.append(ell0, sf0)), method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-10})
    res = optimize.minimize(obj, res.x, method="BFGS", options={"gtol": 1e-9, "maxiter": 10000})
    return np.exp(res.x[:d]), np.exp(res.x[d]), -res.fun


def bq():
    jitter = 1e-8
    b1, B1 = np.zeros(1), np.eye(1)
    cases = [("x^2", lambda x: x[:, 0] ** 2, 1.0), ("cos x", lambda x: np.cos(x[:, 0]), np.exp(-0.5))]
    for name, fn, truth in cases:
        print(name, "truth", repr(float(truth)))
        for n in [3, 5, 7, 9, 13]:
            x = np.linspace(-3, 3, n)[:, None]; f = fn(x)
            m, v = bq_integral(x, f, b1, B1, np.array([1.0]), 1.0, jitter)
            print(f"  n={n} fixed ell=1 s=1: mean", repr(float(m)), "var", repr(float(v)), "logml", repr(float(bq_log_ml(x, f, np.array([1.0]), 1.0, jitter))))
            ell, sf, lml = bq_fit(x, f, np.array([1.0]), 1.0, jitter)
            m, v = bq_integral(x, f, b1, B1, ell, sf, jitter)
            print(f"  n={n} ML ell", repr(float(ell[0])), "s", repr(float(sf)), "logml", repr(float(lml)), "mean", repr(float(m)), "var", repr(float(v)), "err", float(m - truth))
    # 2-D: E[cos(aᵀx)] under N(μ, Σ) = cos(aᵀμ) exp(−½ aᵀΣa).
    a = np.array([1.0, 0.5]); mu = np.array([0.3, -0.2]); S = np.array([[0.5, 0.2], [0.2, 0.8]])
    truth = np.cos(a @ mu) * np.exp(-0.5 * a @ S @ a)
    print("2-D cos(x1 + x2/2), mu", mu.tolist(), "Sigma", S.ravel().tolist(), "truth", repr(float(truth)))
    g = np.linspace(-2.4, 2.4, 7)
    X = np.array([[u, v] for u in g for v in g])
    f = np.cos(X @ a)
    m, v = bq_integral(X, f, mu, S, np.array([1.0, 1.5]), 0.8, jitter)
    print("  7x7 fixed ell=(1,1.5) s=0.8: mean", repr(float(m)), "var", repr(float(v)), "logml", repr(float(bq_log_ml(X, f, np.array([1.0, 1.5]), 0.8, jitter))))
    ell, sf, lml = bq_fit(X, f, np.array([1.0, 1.0]), 1.0, jitter)
    m, v = bq_integral(X, f, mu, S, ell, sf, jitter)
    print("  7x7 ML ell", [repr(float(e)) for e in ell], "s", repr(float(sf)), "logml", repr(float(lml)), "mean", repr(float(m)), "var", repr(float(v)), "err", float(m - truth))


def bnn():
    """The 1-10-1 tanh network of TanhRegressionNetwork at θₖ = 0.5 sin(k + 1): f, the log joint
    and its gradient by JAX (float64)."""
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    H = 10
    theta = 0.5 * np.sin(np.arange(3 * H + 1) + 1.0)
    x = np.linspace(-5, 5, 7); y = np.cos(x); sigma, prior = 0.2, 1.0
    def f(th, x):
        w, b, v, c = th[:H], th[H:2 * H], th[2 * H:3 * H], th[3 * H]
        return jnp.tanh(jnp.outer(x, w) + b) @ v + c
    def logjoint(th):
        return jnp.sum(jax.scipy.stats.norm.logpdf(y, f(th, x), sigma)) + jnp.sum(jax.scipy.stats.norm.logpdf(th, 0, prior))
    print("f", [repr(float(v)) for v in f(theta, x)])
    print("log joint", repr(float(logjoint(theta))))
    print("gradient", [repr(float(v)) for v in jax.grad(logjoint)(jnp.array(theta))])


if __name__ == "__main__":
    {"laplace": laplace, "ep": ep, "bq": bq, "bnn": bnn}[sys.argv[1]]()
