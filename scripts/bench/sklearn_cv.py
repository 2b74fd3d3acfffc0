#!/usr/bin/python3
"""scikit-learn's LassoCV on a benchmark set, timed on the fit only.

usage: sklearn_cv.py --data data.csv --foldid foldid.txt --out out.txt
                     [--alphas alphas.txt] [--gap]

- scikit-learn does not standardize, so X is standardized here first (centred, unit
  variance with the 1/n formula, on the whole data set), outside the timed region. The other
  tools standardize inside their fit, on each fold's own rows; this is the one difference.
- The grid is the one in --alphas (glmnet's lambda sequence, or regpath's grid, which uses
  the same formula and early stop). Without it, glmnet's formula: 100 alphas from alpha_max
  down to 1e-2 of it when n < p, else 1e-4, with no early stop.
- The folds are foldid.txt's (1..K), through PredefinedSplit.
- Everything else is LassoCV's default: fit_intercept, tol 1e-4 (a duality-gap tolerance:
  gap <= tol * ||y_c||^2, i.e. up to 2e-4 of the null objective), n_jobs None (one core).
- The timed region is LassoCV(...).fit(Xs, y): the 10 fold paths plus the refit at the
  chosen alpha.
- With --gap, the full-data path is then computed with lasso_path on the same grid and tol
  (what LassoCV runs on each fold, here on all rows; outside the timed region), and its
  duality gap reported relative to the null objective (scripts/bench/lasso_gap.py).

out.txt gets "key value" lines.
"""
import argparse
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lasso_gap  # noqa: E402


def glmnet_grid(Xs, y, n_alphas=100):
    n, p = Xs.shape
    yc = y - y.mean()
    amax = np.abs(Xs.T @ yc).max() / n
    ratio = 1e-2 if n < p else 1e-4  # glmnet: ifelse(nobs < nvars, 0.01, 1e-04)
    return amax * np.exp(np.linspace(0.0, np.log(ratio), n_alphas))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--foldid", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--alphas")
    ap.add_argument("--gap", action="store_true")
    a = ap.parse_args()

    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LassoCV, lasso_path
    from sklearn.model_selection import PredefinedSplit

    X, y = lasso_gap.load_csv(a.data)
    foldid = np.loadtxt(a.foldid, dtype=int)
    assert len(foldid) == len(y)
    Xs, _ = lasso_gap.standardize(X)
    Xs = np.ascontiguousarray(Xs)
    del X
    if a.alphas:
        alphas = np.loadtxt(a.alphas, ndmin=1)
        grid_source = os.path.basename(a.alphas)
    else:
        alphas = glmnet_grid(Xs, y)
        grid_source = "formula"

    n_warn = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        t0 = time.perf_counter()
        model = LassoCV(alphas=alphas, cv=PredefinedSplit(foldid - 1), fit_intercept=True).fit(Xs, y)
        elapsed = time.perf_counter() - t0
        n_warn = sum(issubclass(w.category, ConvergenceWarning) for w in caught)

    res = {
        "time_s": f"{elapsed:.4f}",
        "n_alphas": len(alphas),
        "alpha_max": f"{alphas[0]:.10g}",
        "alpha_min": f"{model.alpha_:.10g}",
        "grid": grid_source,
        "convergence_warnings": n_warn,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
    }
    if a.gap:
        yc = y - y.mean()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            _, coefs, _ = lasso_path(Xs, yc, alphas=alphas, tol=model.tol, max_iter=model.max_iter)
        res["gap_path_convergence_warnings"] = sum(
            issubclass(w.category, ConvergenceWarning) for w in caught)
        gaps, null = lasso_gap.lasso_gaps(Xs, y, alphas, coefs.T)
        res["worst_gap_rel"] = f"{gaps.max() / null:.6e}"
        res["null_objective"] = f"{null:.12g}"
    with open(a.out, "w") as f:
        for k, v in res.items():
            f.write(f"{k} {v}\n")


if __name__ == "__main__":
    main()
