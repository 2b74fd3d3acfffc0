#!/usr/bin/python3
"""Write tests/data/sklearn_diabetes.json: scikit-learn's ElasticNet, Lasso and
Ridge solutions on configs/data/diabetes.csv (no standardization), the oracle
for tests/check_sklearn.c.  Needs python3-sklearn (Debian).

usage: tests/data/make_sklearn_fixture.py   (from the top of the source tree)
"""
import json
import numpy as np
import sklearn
from sklearn.linear_model import ElasticNet, Lasso, Ridge

d = np.genfromtxt("configs/data/diabetes.csv", delimiter=",", names=True)
names = list(d.dtype.names)
X = np.column_stack([d[c] for c in names[:-1]])
y = d[names[-1]]
n = X.shape[0]

cases = []
def add(kind, alpha, l1_ratio, fit_intercept, model):
    model.fit(X, y)
    cases.append({"kind": kind, "alpha": alpha, "l1_ratio": l1_ratio,
                  "fit_intercept": fit_intercept,
                  "intercept": float(model.intercept_), "coef": model.coef_.tolist()})

for fit_intercept in (True, False):
    for alpha in (10.0, 1.0, 0.1, 0.01):
        add("lasso", alpha, 1.0, fit_intercept,
            Lasso(alpha=alpha, fit_intercept=fit_intercept, tol=1e-12, max_iter=10**6))
        add("elasticnet", alpha, 0.5, fit_intercept,
            ElasticNet(alpha=alpha, l1_ratio=0.5, fit_intercept=fit_intercept, tol=1e-12, max_iter=10**6))
    for a in (1.0, 100.0, 10000.0):
        # Ridge minimizes ||y - Xw||^2 + a ||w||^2: regpath's alpha is a / n.
        add("ridge", a / n, 0.0, fit_intercept, Ridge(alpha=a, fit_intercept=fit_intercept, solver="cholesky"))

json.dump({"data": "diabetes.csv", "sklearn_version": sklearn.__version__, "n": n,
           "feature_names": names[:-1], "cases": cases},
          open("tests/data/sklearn_diabetes.json", "w"), indent=1)
print("wrote tests/data/sklearn_diabetes.json with %d cases" % len(cases))
