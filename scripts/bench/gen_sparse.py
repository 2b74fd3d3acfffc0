#!/usr/bin/python3
"""Write a synthetic sparse data set as svmlight and Matrix Market, for the sparse benchmark sets.

X is n x p, each entry stored independently with probability `density` (the count of stored
entries is Binomial(n p, density), their positions drawn without replacement), its value drawn
from Exp(1); k columns carry signal, with coefficients +-U(0.5, 2). With s = X b the linear
signal: gaussian y = s + N(0, (sd(s) / snr)^2); binomial y is 1 with probability
1 / (1 + exp(-2 (s - mean(s)) / sd(s))).

usage: gen_sparse.py --n 20000 --p 20000 --density 0.0025 [--k 50] [--snr 3] [--seed 42]
                     [--family gaussian|binomial] --out PREFIX
writes
  PREFIX.svm  svmlight, one row a line: "label idx:val ..." (1-based indices, increasing),
              what regpath reads; a row with no stored entry is its label alone
  PREFIX.mtx  Matrix Market coordinate real general (n p nnz, then "i j value" lines,
              1-based, row by row), what R reads with Matrix::readMM
  PREFIX.y    the labels, one per line (R: scan)
Every number is written with 10 significant digits, the same text in the three files, so that
every tool reads the same doubles. The entries never need n x p memory: only their flat
positions are drawn. Needs numpy only (Debian: python3-numpy).
"""
import argparse

import numpy as np

CHUNK = 1 << 16  # entries formatted per write


def main():
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
    if not 0 < a.density <= 1:
        ap.error(f"--density: expected a number in (0, 1], got {a.density}")

    r = np.random.default_rng(a.seed)
    nnz = r.binomial(a.n * a.p, a.density)
    flat = np.sort(r.choice(a.n * a.p, size=nnz, replace=False))
    rows, cols = flat // a.p, flat % a.p  # row-major order: rows increasing, columns within a row
    del flat
    vals = r.exponential(1.0, size=nnz)
    b = np.zeros(a.p)
    idx = r.choice(a.p, min(a.k, a.p), replace=False)
    b[idx] = r.choice([-1, 1], len(idx)) * r.uniform(0.5, 2, len(idx))
    s = np.bincount(rows, weights=vals * b[cols], minlength=a.n)
    scale = max(np.std(s), 1e-12)
    if a.family == "gaussian":
        y = s + r.standard_normal(a.n) * scale / a.snr
    else:
        y = (r.random(a.n) < 1 / (1 + np.exp(-(s - s.mean()) / scale * 2))).astype(float)

    # The same decimal text for a value in every file (Python floats format faster than numpy's).
    labels = [f"{v:.10g}" for v in y.tolist()]
    starts = np.searchsorted(rows, np.arange(a.n + 1)).tolist()
    with open(a.out + ".svm", "w") as f:
        for i in range(a.n):
            lo, hi = starts[i], starts[i + 1]
            items = "".join(f" {c}:{v:.10g}" for c, v in zip((cols[lo:hi] + 1).tolist(), vals[lo:hi].tolist()))
            f.write(f"{labels[i]}{items}\n")
    with open(a.out + ".mtx", "w") as f:
        f.write("%%MatrixMarket matrix coordinate real general\n")
        f.write(f"{a.n} {a.p} {nnz}\n")
        for lo in range(0, nnz, CHUNK):
            hi = min(lo + CHUNK, nnz)
            f.write("".join(f"{i} {c} {v:.10g}\n" for i, c, v in
                            zip((rows[lo:hi] + 1).tolist(), (cols[lo:hi] + 1).tolist(), vals[lo:hi].tolist())))
    with open(a.out + ".y", "w") as f:
        f.write("".join(v + "\n" for v in labels))


if __name__ == "__main__":
    main()
