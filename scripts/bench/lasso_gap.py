#!/usr/bin/python3
"""Lasso duality gap of a path, computed the same way for every tool.

The problem is the standardized lasso regpath and glmnet solve: with y_c = y - mean(y),
X_s the columns centred and scaled to unit variance (1/n formula) and b the standardized
coefficients (original-scale coefficient times the column's sd),

    P(b)     = ||r||^2 / (2n) + lam * ||b||_1,          r = y_c - X_s b
    theta    = s * r / n,   s = min(1, lam / max_j |X_s_j' r| / n)   (dual feasible)
    D(theta) = s * <r, y_c> / n - s^2 * ||r||^2 / (2n)
             = (||y_c||^2 - ||y_c - s r||^2) / (2n)
    gap      = P(b) - D(theta) >= 0,   relative to the null objective ||y_c||^2 / (2n).

This is regpath's certificate (lib/cd.c) and scikit-learn's, up to the factor n.

usage (check regpath's own figures against a recomputation from its report):
    lasso_gap.py --data data.csv --report report.json
    lasso_gap.py --selftest
"""
import argparse
import json
import sys

import numpy as np


def standardize(X):
    """Centred and unit-variance (1/n) columns, and the scales."""
    mean = X.mean(axis=0)
    Xc = X - mean
    sd = np.sqrt((Xc * Xc).mean(axis=0))
    sd[sd == 0] = 1.0
    return Xc / sd, sd


def lasso_gaps(Xs, y, alphas, B_std):
    """Gaps of the standardized solutions B_std (n_alphas x p), and the null objective."""
    n = Xs.shape[0]
    yc = y - y.mean()
    null = yc @ yc / (2 * n)
    B_std = np.asarray(B_std, dtype=float).reshape(len(alphas), Xs.shape[1])
    R = yc[:, None] - Xs @ B_std.T  # n x n_alphas
    G = np.abs(Xs.T @ R).max(axis=0) / n  # max_j |x_j' r| / n per alpha
    gaps = np.empty(len(alphas))
    for k, lam in enumerate(alphas):
        r = R[:, k]
        rr = r @ r
        primal = rr / (2 * n) + lam * np.abs(B_std[k]).sum()
        s = 1.0 if G[k] <= lam else lam / G[k]
        dual = s * (r @ yc) / n - s * s * rr / (2 * n)
        gaps[k] = primal - dual
    return gaps, null


def load_csv(path):
    """The benchmark CSVs: header, numbers, target last."""
    d = np.loadtxt(path, delimiter=",", skiprows=1)
    return d[:, :-1], d[:, -1]


def selftest():
    """Gap >= 0 everywhere, ~0 for tight solves, 0 at alpha_max, > 0 for a perturbed b."""
    from sklearn.linear_model import lasso_path

    rng = np.random.default_rng(0)
    n, p = 60, 8
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3, p) + rng.uniform(-2, 2, p)
    y = X[:, :3] @ np.array([2.0, -1.0, 0.5]) + rng.standard_normal(n)
    Xs, _ = standardize(X)
    yc = y - y.mean()
    amax = np.abs(Xs.T @ yc).max() / n
    alphas = amax * np.logspace(0, -3, 20)
    _, coefs, sk_gaps = lasso_path(Xs, yc, alphas=alphas, tol=1e-14, max_iter=100000)
    gaps, null = lasso_gaps(Xs, y, alphas, coefs.T)
    ok = True
    print(f"tight solve: worst gap/null {gaps.max() / null:.2e} (min {gaps.min() / null:.2e})")
    ok &= gaps.max() / null < 1e-10 and gaps.min() > -1e-12 * null
    print(f"at alpha_max: gap/null {gaps[0] / null:.2e}")
    ok &= abs(gaps[0]) < 1e-14 * null
    # scikit-learn's own gap is in its objective 0.5||r||^2 + n*alpha*||w||_1, i.e. n times ours
    print(f"sklearn's gaps / n vs ours: max |diff|/null {np.abs(sk_gaps / n - gaps).max() / null:.2e}")
    bad = coefs.T.copy()
    bad[10] *= 1.05
    bgaps, _ = lasso_gaps(Xs, y, alphas, bad)
    print(f"coefs x1.05 at point 10: gap/null {bgaps[10] / null:.2e}")
    ok &= bgaps[10] > 1e-6 * null
    # Brute check of the dual value against its other form (||y||^2 - ||y - s r||^2)/(2n).
    k = 12
    r = yc - Xs @ coefs[:, k]
    s = min(1.0, alphas[k] / (np.abs(Xs.T @ r).max() / n))
    d2 = (yc @ yc - np.sum((yc - s * r) ** 2)) / (2 * n)
    d1 = s * (r @ yc) / n - s * s * (r @ r) / (2 * n)
    ok &= abs(d1 - d2) < 1e-12 * null
    print("selftest", "ok" if ok else "FAILED")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data")
    ap.add_argument("--report")
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args()
    if a.selftest:
        return selftest()
    X, y = load_csv(a.data)
    with open(a.report) as f:
        fit = json.load(f)["fits"][0]
    path = fit["path"]
    Xs, sd = standardize(X)
    B = np.array(path["coef"], dtype=float) * sd
    gaps, null = lasso_gaps(Xs, y, np.array(path["alphas"]), B)
    own = np.array(path["dual_gap"], dtype=float) / path["null_objective"]
    print(f"recomputed_worst_gap_rel {gaps.max() / null:.6e}")
    print(f"reported_worst_gap_rel {own.max():.6e}")
    print(f"null_objective_recomputed {null:.12g} reported {path['null_objective']:.12g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
