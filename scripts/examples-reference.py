#!/usr/bin/env python3
"""Reference values for the tests of the optimizer-paths, universal-approximation and
decision-boundaries examples (Examples/Tests/NablaExamplesTests/NewLectureModelTests.swift),
computed with PyTorch, NumPy and scikit-learn.

    python3 scripts/examples-reference.py

1. The first iterates of torch.optim.SGD (lr 0.07), SGD with momentum (lr 0.02, momentum 0.9),
   Adam (lr 0.3) and RMSprop (lr 0.05), all foreach=False, in float64, on the ill-conditioned
   quadratic f(w) = 0.5*(w1**2 + 25*w2**2) from (-4, 1): the same problem as
   `quadraticPaths()` in Examples/Sources/NablaExamples/OptimizerPaths.swift.
2. The mean squared error, on 1001 evenly spaced points of [-5, 5], of the piecewise-linear
   interpolant (np.interp) of f(x) = -sin(x/5) + cos(x) at n + 1 equally spaced knots, for the
   widths of `universalApproximation()`: the error of the hand-built ReLU network.
3. With `--logistic FILE` (lines "x1 x2 y": the 200 points of `logisticPathData()`): the minimizer of the mean cross-entropy without
   bias by scikit-learn, LogisticRegression(C=np.inf (no penalty), fit_intercept=False, solver="newton-cg",
   tol=1e-14), and the loss there (np.logaddexp).
4. With `--decision-boundaries STEPS FILE…`: the decision-boundary networks trained in PyTorch from
   the same initial weights on the same data (float64, Adam lr 1e-2 foreach=False, cross-entropy +
   1e-3·Σ‖W‖² over the weight matrices, full batch): final cross-entropy, penalty, accuracy. Each
   FILE is JSON {"x": [...], "y": [...], "sizes": [...], "layers": [{"w": [...], "b": [...]}]}: the
   training points and initial weights of `decisionBoundaryProblems()` / `decisionBoundaryModel()`.
The input files of 3 and 4 are written by ReferenceScriptTests (Examples/Tests/NablaExamplesTests),
which runs this script on them and checks its output against the literals in the tests.
Floats are printed with repr(), which round-trips.
"""
import sys
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # tiny tensors: threads only add overhead

STEPS = 5
curv = torch.tensor([0.5, 12.5])
for name, make in [
    ("SGD, lr 0.07", lambda p: torch.optim.SGD(p, lr=0.07, foreach=False)),
    ("momentum 0.9, lr 0.02", lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9, foreach=False)),
    ("Adam, lr 0.3", lambda p: torch.optim.Adam(p, lr=0.3, foreach=False)),
    ("RMSprop, lr 0.05", lambda p: torch.optim.RMSprop(p, lr=0.05, foreach=False)),
]:
    w = torch.tensor([-4.0, 1.0], requires_grad=True)
    opt = make([w])
    its = [w.detach().tolist()]
    for _ in range(STEPS):
        opt.zero_grad()
        (w.square() * curv).sum().backward()
        opt.step()
        its.append(w.detach().tolist())
    print(f"{name}: [" + ", ".join(f"[{a!r}, {b!r}]" for a, b in its) + "]")

f = lambda x: -np.sin(x / 5) + np.cos(x)
grid = np.linspace(-5, 5, 1001)
for n in [1, 2, 4, 8, 16, 32, 64]:
    knots = np.linspace(-5, 5, n + 1)
    err = np.mean((np.interp(grid, knots, f(knots)) - f(grid)) ** 2)
    print(f"interpolant MSE, width {n}: {float(err)!r}")

if "--logistic" in sys.argv:
    from sklearn.linear_model import LogisticRegression
    data = np.loadtxt(sys.argv[sys.argv.index("--logistic") + 1])
    X, y = data[:, :2], data[:, 2]
    m = LogisticRegression(C=np.inf, fit_intercept=False, solver="newton-cg", tol=1e-14, max_iter=10000).fit(X, y)
    w = m.coef_[0]
    print(f"logistic w*: [{float(w[0])!r}, {float(w[1])!r}], loss {float(np.mean(np.logaddexp(0, -(2 * y - 1) * (X @ w))))!r}")

if "--decision-boundaries" in sys.argv:
    import json
    i = sys.argv.index("--decision-boundaries")
    steps = int(sys.argv[i + 1])
    for path in sys.argv[i + 2:]:
        if path.startswith("--"):
            break
        d = json.load(open(path))
        s = d["sizes"]
        X = torch.tensor(d["x"]).reshape(-1, 2)
        y = torch.tensor(d["y"])
        mods = []
        for k, L in enumerate(d["layers"]):
            lin = torch.nn.Linear(s[k], s[k + 1])
            with torch.no_grad():
                lin.weight.copy_(torch.tensor(L["w"]).reshape(s[k + 1], s[k]))
                lin.bias.copy_(torch.tensor(L["b"]))
            mods.append(lin)
            if k < len(d["layers"]) - 1:
                mods.append(torch.nn.ReLU())
        m = torch.nn.Sequential(*mods)
        opt = torch.optim.Adam(m.parameters(), lr=1e-2, foreach=False)

        def penalty():
            return sum((p ** 2).sum() for n, p in m.named_parameters() if n.endswith("weight"))

        for _ in range(steps):
            opt.zero_grad()
            (torch.nn.functional.cross_entropy(m(X), y) + 1e-3 * penalty()).backward()
            opt.step()
        with torch.no_grad():
            out = m(X)
            ce = torch.nn.functional.cross_entropy(out, y).item()
            print(f"decision boundary {s}, {steps} steps: cross-entropy {ce!r}, penalty {(1e-3 * penalty()).item()!r}, "
                  f"accuracy {(out.argmax(1) == y).double().mean().item()!r}")
