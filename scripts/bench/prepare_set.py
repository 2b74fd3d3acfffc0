#!/usr/bin/python3
"""Make one benchmark data set, unless it is already there.

usage: prepare_set.py --dir DIR --n N --p P [--family gaussian|binomial|poisson] [--seed 42]
                     [--folds 10] [--fold-seed 1] [--alpha-min-ratio R] [--csv FILE]
                     [--density D]

Writes, into DIR:
  data.csv      gen_synthetic.py's output (features x0..x{p-1}, target y last; with
                --family binomial, y is 0 or 1; poisson, counts), or with --csv a copy of
                that real data set (numbers, its target last, which is renamed y; it must
                be N x P)
  or, with --density (a sparse set, gaussian or binomial), gen_sparse.py's output:
  data.svm      X and y as svmlight, the file regpath reads
  data.mtx      X as Matrix Market, data.y the labels: what glmnet_cv.R and lasso_gap.py read
  foldid.txt    the fold (1..K) of each row, one per line: 1..K repeated to n and
                shuffled by a seeded permutation. Every tool gets these same folds.
  DONE          written after those two; when it is present they are not made again.
  regpath.json  the regpath config (rewritten every time): lasso of the family (CV metric
                "mse" for gaussian, "deviance" for binomial), standardized, intercept,
                glmnet's default grid (or --alpha-min-ratio), cv.fold_ids = the folds above,
                no plots. A sparse set's data is data.svm (svmlight by its name; its features
                have no names, so no data.target), held sparse (data.storage), with
                data.n_features = P: the file's largest index is p only when the last
                column has a stored entry.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CV_METRIC = {"gaussian": "mse", "binomial": "deviance", "poisson": "deviance"}  # glmnet's type.measure


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--p", type=int, required=True)
    ap.add_argument("--family", default="gaussian", choices=sorted(CV_METRIC))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--fold-seed", type=int, default=1)
    ap.add_argument("--alpha-min-ratio", type=float)
    ap.add_argument("--csv")
    ap.add_argument("--density", type=float)
    a = ap.parse_args()
    if a.density is not None and (a.csv or a.family not in ("gaussian", "binomial")):
        ap.error("--density (a sparse set) is generated, gaussian or binomial")

    done = os.path.join(a.dir, "DONE")
    if not os.path.exists(done):
        generate(a, done)
    write_config(a)


def generate(a, done):
    os.makedirs(a.dir, exist_ok=True)
    csv = os.path.join(a.dir, "data.csv")
    if a.csv:
        copy_real(a, csv)
    elif a.density is not None:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_sparse.py"), "--n", str(a.n), "--p", str(a.p),
                        "--density", repr(a.density), "--seed", str(a.seed), "--family", a.family,
                        "--out", os.path.join(a.dir, "data")], check=True)
    else:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_synthetic.py"), "--n", str(a.n),
                        "--p", str(a.p), "--seed", str(a.seed), "--family", a.family, "--out", csv],
                       check=True)

    rng = np.random.default_rng(a.fold_seed)
    foldid = rng.permutation(np.resize(np.arange(1, a.folds + 1), a.n))
    np.savetxt(os.path.join(a.dir, "foldid.txt"), foldid, fmt="%d")
    with open(done, "w") as f:
        density = f" density={a.density!r}" if a.density is not None else ""
        f.write(f"family={a.family} n={a.n} p={a.p}{density} seed={a.seed} folds={a.folds} fold_seed={a.fold_seed}\n")


def copy_real(a, csv):
    """A real data set as the benchmark reads one: its rows as they are, the target renamed y."""
    with open(a.csv) as f:
        header = f.readline().rstrip("\n").split(",")
        rows = f.read()
    n = rows.count("\n")
    if (n, len(header) - 1) != (a.n, a.p):
        sys.exit(f"prepare_set.py: {a.csv} is {n} x {len(header) - 1}, not {a.n} x {a.p}")
    with open(csv, "w") as f:
        f.write(",".join(header[:-1] + ["y"]) + "\n" + rows)


def write_config(a):
    foldid = np.loadtxt(os.path.join(a.dir, "foldid.txt"), dtype=int, ndmin=1)
    # glmnet's default lambda.min.ratio is ifelse(nobs < nvars, 0.01, 1e-04): 1e-4 also when
    # n == p (the mid set). Given explicitly, so that the grid is glmnet's whatever regpath's
    # own default rule is; the grid is otherwise generated as usual, early stop included.
    ratio = a.alpha_min_ratio or (1e-2 if a.n < a.p else 1e-4)
    if a.density is None:
        data = {"train": "data.csv", "target": "y"}
    else:
        data = {"train": "data.svm", "n_features": a.p, "storage": "sparse"}
    config = {
        "data": data,
        "model": {"family": a.family, "l1_ratio": 1, "standardize": True, "fit_intercept": True},
        "path": {"n_alphas": 100, "alpha_min_ratio": ratio},
        "cv": {"fold_ids": [int(f) for f in foldid], "metric": CV_METRIC[a.family], "rule": "1se"},
        "output": {"dir": "regpath-out", "plots": False, "render": "none"},
    }
    with open(os.path.join(a.dir, "regpath.json"), "w") as f:
        json.dump(config, f)
        f.write("\n")


if __name__ == "__main__":
    main()
