#!/usr/bin/python3
"""Write a synthetic regression data set as CSV (header; target in the last column, named y).

Features are AR(1)-correlated Gaussians (corr(x_j, x_k) = rho^|j-k|); k of them carry signal.
usage: gen_synthetic.py --n 10000 --p 500 [--k 20] [--rho 0.5] [--snr 3] [--seed 42]
                        [--family gaussian|binomial|poisson] --out FILE.csv
Shapes used for benchmarks: tall 10000x500, wide 500x10000, mid 2000x2000.
Needs numpy (Debian: python3-numpy).
Copy of gen_synthetic.py from the shared tools folder (outside this repository), kept here
so that scripts/bench.sh needs nothing outside the checkout. Keep the two in step.
"""
import argparse
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, required=True)
ap.add_argument("--p", type=int, required=True)
ap.add_argument("--k", type=int, default=20)
ap.add_argument("--rho", type=float, default=0.5)
ap.add_argument("--snr", type=float, default=3.0)
ap.add_argument("--seed", type=int, default=42)
ap.add_argument("--family", default="gaussian", choices=["gaussian", "binomial", "poisson"])
ap.add_argument("--out", required=True)
a = ap.parse_args()
r = np.random.default_rng(a.seed)
X = r.standard_normal((a.n, a.p))
c = np.sqrt(1 - a.rho * a.rho)
for j in range(1, a.p):
    X[:, j] = a.rho * X[:, j - 1] + c * X[:, j]
b = np.zeros(a.p)
idx = r.choice(a.p, min(a.k, a.p), replace=False)
b[idx] = r.choice([-1, 1], len(idx)) * r.uniform(0.5, 2, len(idx))
s = X @ b
if a.family == "gaussian":
    y = s + r.standard_normal(a.n) * np.std(s) / a.snr
elif a.family == "binomial":
    y = (r.random(a.n) < 1 / (1 + np.exp(-s / max(np.std(s), 1e-12) * 2))).astype(float)
else:
    y = r.poisson(np.exp(0.5 * s / max(np.std(s), 1e-12))).astype(float)
hdr = ",".join([f"x{j}" for j in range(a.p)] + ["y"])
np.savetxt(a.out, np.column_stack([X, y]), delimiter=",", fmt="%.10g", header=hdr, comments="")
