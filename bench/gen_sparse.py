#!/usr/bin/python3
"""Write a synthetic sparse data set as svmlight (label idx:val ..., 1-based) and Matrix Market.

X is n x p with each entry stored independently with probability `density`, its value drawn
from Exp(1); k columns carry signal (coefficients +-U(0.5, 2) / (density mean), so that each
true feature moves the linear predictor by about the same amount at any density).
usage: gen_sparse.py --n 20000 --p 20000 --density 0.0025 [--k 50] [--snr 3] [--seed 42]
                     [--family gaussian|binomial] --out PREFIX
writes PREFIX.svm (regpath) and PREFIX.mtx + PREFIX.y (R: Matrix::readMM, scan).
Needs numpy (Debian: python3-numpy).
"""
import argparse
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, required=True)
ap.add_argument("--p", type=int, required=True)
ap.add_argument("--density", type=float, required=True)
ap.add_argument("--k", type=int, default=50)
ap.add_argument("--snr", type=float, default=3.0)
ap.add_argument("--seed", type=int, default=42)
ap.add_argument("--family", default="gaussian", choices=["gaussian", "binomial"])
ap.add_argument("--out", required=True)
a = ap.parse_args()
r = np.random.default_rng(a.seed)
nnz = r.binomial(a.n * a.p, a.density)
flat = np.unique(r.choice(a.n * a.p, size=nnz, replace=False))
rows, cols = flat // a.p, flat % a.p  # row-major order: rows increasing, columns within a row
vals = r.exponential(1.0, size=flat.size)
b = np.zeros(a.p)
idx = r.choice(a.p, min(a.k, a.p), replace=False)
b[idx] = r.choice([-1, 1], len(idx)) * r.uniform(0.5, 2, len(idx))
s = np.bincount(rows, weights=vals * b[cols], minlength=a.n)
scale = max(np.std(s), 1e-12)
if a.family == "gaussian":
    y = s + r.standard_normal(a.n) * scale / a.snr
else:
    y = (r.random(a.n) < 1 / (1 + np.exp(-(s - s.mean()) / scale * 2))).astype(float)
starts = np.searchsorted(rows, np.arange(a.n + 1))
with open(a.out + ".svm", "w") as f:
    for i in range(a.n):
        lo, hi = starts[i], starts[i + 1]
        items = " ".join(f"{c + 1}:{v:.10g}" for c, v in zip(cols[lo:hi], vals[lo:hi]))
        f.write(f"{y[i]:.10g} {items}\n")
with open(a.out + ".mtx", "w") as f:
    f.write("%%MatrixMarket matrix coordinate real general\n")
    f.write(f"{a.n} {a.p} {flat.size}\n")
    for i, c, v in zip(rows, cols, vals):
        f.write(f"{i + 1} {c + 1} {v:.10g}\n")
np.savetxt(a.out + ".y", y, fmt="%.10g")
