#!/usr/bin/env python3
"""Reference values for the Bayesian linear regression tests: scikit-learn's BayesianRidge
(evidence maximization, Bishop §3.5.2 / MacKay) on the sine-regression data of
Generators.sineRegression() (N = 20, seed 0), written by

    swift run --package-path Packages/Sampling bayes-examples data /tmp/bayes

Usage: python3 benchmarks/bayes_sklearn_reference.py /tmp/bayes/sine-regression.csv
Prints (degree, input scale s (features of x/s), lambda_ = alpha (prior precision), alpha_ = beta (noise precision)).
"""
import sys
import numpy as np
import sklearn
from sklearn.linear_model import BayesianRidge

data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
x, y = data[:, 0], data[:, 1]
print(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}")
for degree, scale in ((1, 1.0), (3, 1.0), (5, 1.0), (9, 1.0), (9, 5.0), (16, 5.0)):
    phi = np.vander(x / scale, degree + 1, increasing=True)
    m = BayesianRidge(fit_intercept=False, tol=1e-14, max_iter=100000, alpha_init=1 / np.var(y), lambda_init=1.0,
                      alpha_1=0, alpha_2=0, lambda_1=0, lambda_2=0)
    m.fit(phi, y)
    print(f"({degree}, {scale}, {float(m.lambda_)!r}, {float(m.alpha_)!r}),")
