#!/usr/bin/python3
"""Lasso duality gap of a path, computed the same way for every tool.

The problem is the standardized lasso regpath and glmnet solve: X_s the columns centred and
scaled to unit variance (1/n formula), b the standardized coefficients (original-scale
coefficient times the column's sd), lam the path's alpha (l1_ratio 1).

gaussian, with y_c = y - mean(y):

    P(b)     = ||r||^2 / (2n) + lam * ||b||_1,          r = y_c - X_s b
    theta    = s * r / n,   s = min(1, lam / max_j |X_s_j' r| / n)   (dual feasible)
    D(theta) = s * <r, y_c> / n - s^2 * ||r||^2 / (2n)
             = (||y_c||^2 - ||y_c - s r||^2) / (2n)
    gap      = P(b) - D(theta) >= 0,   relative to the null objective ||y_c||^2 / (2n).

This is regpath's certificate (lib/cd_certificate.c) and scikit-learn's, up to the factor n.

binomial, y in {0, 1}, the intercept b0 held at its value (eta = b0 + X_s b on the
standardized scale, mu = 1 / (1 + exp(-eta))):

    P(b)     = (1/n) sum_i [log(1 + exp(eta_i)) - y_i eta_i] + lam * ||b||_1
    g_j      = <X_s_j, y - mu> / n,   s = min(1, lam / max_j |g_j|)
    q_i      = y_i + s (mu_i - y_i)                                   (in [0, 1])
    D        = -(1/n) sum_i [q_i log q_i + (1 - q_i) log(1 - q_i)]  - b0 * s * sum_i (y_i - mu_i) / n
    gap      = P(b) - D >= 0,   relative to the null objective: P at b = 0 with the best
               intercept, -[ybar log ybar + (1 - ybar) log(1 - ybar)] = nulldev / (2n).

(D is the Fenchel dual at v = s (mu - y): the conjugate of log(1 + e^eta) - y eta is
q log q + (1-q) log(1-q) at q = v + y, and b0 enters through b0 * sum_i v_i / n.)

poisson, y >= 0 counts, mu = exp(eta): the same with the cumulant e^eta and its conjugate
q log q - q:

    P(b)     = (1/n) sum_i [exp(eta_i) - y_i eta_i] + lam * ||b||_1
    D        = -(1/n) sum_i [q_i log q_i - q_i]  - b0 * s * sum_i (y_i - mu_i) / n
    null     = (1/n) sum_i [y_i log(y_i / ybar) - (y_i - ybar)] = nulldev / (2n).

Sparse data (a benchmark set's data.mtx, Matrix Market, with its labels in data.y beside it)
is read as its nonzeros and never densified (20000 x 20000 would be 3.2 GB): X_s is applied
implicitly, X_s w = X (w / sd) - (mean . w / sd) 1 and X_s' r = (X' r - mean sum(r)) / sd,
with np.bincount over the coordinate lists, and the column sds come from the two-pass sums
over the nonzeros (the zeros of a column contribute (n - nnz_j) mean_j^2). --dense forms the
dense matrix instead, for checking the two ways against each other on a small set.

usage:
    lasso_gap.py [--family binomial|poisson] --data data.csv|data.mtx --report report.json
        regpath's own worst gap next to a recomputation from its report's coefficients
    lasso_gap.py [--family binomial|poisson] --data data.csv|data.mtx --coef coef.txt [--dense]
        "worst_gap_rel" and "null_objective" lines for a glmnet path written by
        glmnet_cv.R (one line per lambda: lambda a0 beta_1 .. beta_p, original scale)
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
    """Gaussian: gaps of the standardized solutions B_std (n_alphas x p), and the null objective."""
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


def xlogx(q):
    """q log q, with 0 log 0 = 0."""
    q = np.asarray(q, dtype=float)
    return np.where(q > 0, q * np.log(np.where(q > 0, q, 1.0)), 0.0)


# The IRLS families: the cumulant A(eta), the mean A'(eta), and the conjugate A*(q) of the loss
# A(eta) - y eta at q (its domain: [0, 1] for binomial, q >= 0 for poisson).
GLM = {
    "binomial": (lambda eta: np.logaddexp(0.0, eta),
                 lambda eta: np.exp(-np.logaddexp(0.0, -eta)),  # 1 / (1 + exp(-eta)) without overflow
                 lambda q: xlogx(q) + xlogx(1 - q)),
    "poisson": (np.exp, np.exp, lambda q: xlogx(q) - q),
}


def glm_null(family, y):
    """The objective at b = 0 with the best intercept, less its smallest possible value:
    nulldev / (2n)."""
    ybar = y.mean()
    if family == "binomial":
        return -(xlogx(ybar) + xlogx(1 - ybar))
    return np.mean(xlogx(y) - y * np.log(ybar) - (y - ybar))


def glm_gaps(family, Xs, y, alphas, b0, B_std):
    """Binomial or poisson: gaps of the standardized solutions (b0[k], B_std[k]), and the null
    objective."""
    cumulant, mean, conjugate = GLM[family]
    n = Xs.shape[0]
    B_std = np.asarray(B_std, dtype=float).reshape(len(alphas), Xs.shape[1])
    Eta = np.asarray(b0, dtype=float)[None, :] + Xs @ B_std.T  # n x n_alphas
    Mu = mean(Eta)
    G = np.abs(Xs.T @ (y[:, None] - Mu)).max(axis=0) / n  # max_j |g_j| per alpha
    gaps = np.empty(len(alphas))
    for k, lam in enumerate(alphas):
        eta, mu = Eta[:, k], Mu[:, k]
        primal = np.mean(cumulant(eta) - y * eta) + lam * np.abs(B_std[k]).sum()
        s = 1.0 if G[k] <= lam else lam / G[k]
        q = y + s * (mu - y)
        dual = -np.mean(conjugate(q)) - b0[k] * s * np.mean(y - mu)
        gaps[k] = primal - dual
    return gaps, glm_null(family, y)


class Coo:
    """A sparse n x p matrix as its nonzeros: 0-based rows, cols and their values. Repeated
    (row, col) entries add up into one, as R's conversion to a dgCMatrix does; the column sds
    below need each position once."""

    def __init__(self, n, p, rows, cols, vals):
        self.shape = (n, p)
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        key = cols * n + rows
        uniq, inv = np.unique(key, return_inverse=True)
        if uniq.size < key.size:
            vals = np.bincount(inv, weights=vals, minlength=uniq.size)
            rows, cols = uniq % n, uniq // n
        self.rows, self.cols, self.vals = rows, cols, np.asarray(vals, dtype=float)

    def dense(self):
        X = np.zeros(self.shape)
        np.add.at(X, (self.rows, self.cols), self.vals)
        return X


class SparseStandardized:
    """X_s = (X - 1 mean') / sd for a Coo X, applied without forming it: `Xs @ W` (W p x K)
    and `Xs.T @ R` (R n x K) give what the dense X_s would, so lasso_gaps and glm_gaps take
    either."""

    def __init__(self, X):
        n, p = self.shape = X.shape
        self.X = X
        rows, cols, vals = X.rows, X.cols, X.vals
        self.mean = np.bincount(cols, weights=vals, minlength=p) / n
        dev = vals - self.mean[cols]  # two-pass sums, as standardize() does on the dense matrix
        nz = np.bincount(cols, minlength=p)
        sd = np.sqrt((np.bincount(cols, weights=dev * dev, minlength=p) + (n - nz) * self.mean ** 2) / n)
        sd[sd == 0] = 1.0
        self.sd = sd

    def __matmul__(self, W):
        """X_s W = X (W / sd) - 1 (mean' W / sd), over the entries of the columns W uses."""
        W = np.asarray(W, dtype=float)
        n, p = self.shape
        W = W / self.sd[:, None]
        offset = self.mean @ W
        X = self.X
        used = np.any(W != 0, axis=1)[X.cols]  # a path uses few columns
        rows, cols, vals = X.rows[used], X.cols[used], X.vals[used]
        out = np.empty((n, W.shape[1]))
        for k in range(W.shape[1]):
            out[:, k] = np.bincount(rows, weights=vals * W[cols, k], minlength=n) - offset[k]
        return out

    @property
    def T(self):
        return _SparseStandardizedT(self)


class _SparseStandardizedT:
    """X_s' as `Xs.T @ R` needs it."""

    def __init__(self, s):
        self.s = s

    def __matmul__(self, R):
        """X_s' R = (X' R - mean 1' R) / sd, one column of R at a time."""
        s, X = self.s, self.s.X
        R = np.asarray(R, dtype=float)
        p = s.shape[1]
        out = np.empty((p, R.shape[1]))
        for k in range(R.shape[1]):
            r = R[:, k]
            out[:, k] = (np.bincount(X.cols, weights=X.vals * r[X.rows], minlength=p) - s.mean * r.sum()) / s.sd
        return out


def path_gaps(family, X, y, alphas, a0, B):
    """Gaps of a path given on the original scale (intercepts a0, coefficients B: n_alphas x p).
    X is a dense array, or a Coo that is standardized implicitly."""
    if isinstance(X, Coo):
        Xs = SparseStandardized(X)
        sd, mean = Xs.sd, Xs.mean
    else:
        Xs, sd = standardize(X)
        mean = X.mean(axis=0)
    B = np.asarray(B, dtype=float)
    if family == "gaussian":
        return lasso_gaps(Xs, y, alphas, B * sd)
    # eta = a0 + X b = (a0 + mean(X) . b) + X_s (b * sd): the intercept on the standardized scale
    b0 = np.asarray(a0, dtype=float) + B @ mean
    return glm_gaps(family, Xs, y, alphas, b0, B * sd)


def load_csv(path):
    """The benchmark CSVs: header, numbers, target last."""
    d = np.loadtxt(path, delimiter=",", skiprows=1)
    return d[:, :-1], d[:, -1]


def load_mtx(path):
    """A sparse set: X from Matrix Market (coordinate real general, 1-based) as a Coo, and y
    from the .y file beside it (one label a line). Repeated entries add up, as readMM's."""
    with open(path) as f:
        line = f.readline()
        if not line.startswith("%%MatrixMarket matrix coordinate real general"):
            sys.exit(f"lasso_gap.py: {path}: not a Matrix Market coordinate real general file")
        while line.startswith("%"):
            line = f.readline()
        n, p, nnz = (int(t) for t in line.split())
        d = np.loadtxt(f, ndmin=2).reshape(-1, 3)
    if d.shape[0] != nnz:
        sys.exit(f"lasso_gap.py: {path}: {d.shape[0]} entries, the header says {nnz}")
    y = np.loadtxt(path[:-len(".mtx")] + ".y", ndmin=1)
    if y.shape[0] != n:
        sys.exit(f"lasso_gap.py: {len(y)} labels for {n} rows")
    return Coo(n, p, d[:, 0].astype(np.int64) - 1, d[:, 1].astype(np.int64) - 1, d[:, 2]), y


def load_data(path, dense=False):
    """X and y of a benchmark set: a CSV, or a sparse set's .mtx (a Coo, or with dense=True
    the dense matrix)."""
    if not path.endswith(".mtx"):
        return load_csv(path)
    X, y = load_mtx(path)
    return (X.dense() if dense else X), y


def selftest_gaussian():
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
    print(f"gaussian, tight solve: worst gap/null {gaps.max() / null:.2e} (min {gaps.min() / null:.2e})")
    ok &= gaps.max() / null < 1e-10 and gaps.min() > -1e-12 * null
    print(f"gaussian, at alpha_max: gap/null {gaps[0] / null:.2e}")
    ok &= abs(gaps[0]) < 1e-14 * null
    # scikit-learn's own gap is in its objective 0.5||r||^2 + n*alpha*||w||_1, i.e. n times ours
    print(f"gaussian, sklearn's gaps / n vs ours: max |diff|/null {np.abs(sk_gaps / n - gaps).max() / null:.2e}")
    bad = coefs.T.copy()
    bad[10] *= 1.05
    bgaps, _ = lasso_gaps(Xs, y, alphas, bad)
    print(f"gaussian, coefs x1.05 at point 10: gap/null {bgaps[10] / null:.2e}")
    ok &= bgaps[10] > 1e-6 * null
    # Brute check of the dual value against its other form (||y||^2 - ||y - s r||^2)/(2n).
    k = 12
    r = yc - Xs @ coefs[:, k]
    s = min(1.0, alphas[k] / (np.abs(Xs.T @ r).max() / n))
    d2 = (yc @ yc - np.sum((yc - s * r) ** 2)) / (2 * n)
    d1 = s * (r @ yc) / n - s * s * (r @ r) / (2 * n)
    ok &= abs(d1 - d2) < 1e-12 * null
    return ok


def glm_cd(family, Xs, y, lam, b0, b):
    """The reference solution of the GLM self-tests: Newton steps (intercept included),
    each solved by coordinate descent on the weighted least-squares problem to machine
    precision, until a step moves nothing by more than 1e-13 (quadratic convergence)."""
    n = len(y)
    for _ in range(100):
        mu = GLM[family][1](b0 + Xs @ b)
        w = mu * (1 - mu) if family == "binomial" else mu
        z = (y - mu) / w  # working residual
        b_old, b0_old = b.copy(), b0
        for _ in range(10000):
            d = np.sum(w * z) / np.sum(w)  # the intercept's step
            b0 += d
            z -= d
            moved = abs(d)
            for j in range(len(b)):
                xw = w * Xs[:, j]
                h = xw @ Xs[:, j] / n
                u = xw @ z / n + h * b[j]
                bj = np.sign(u) * max(abs(u) - lam, 0.0) / h
                z -= Xs[:, j] * (bj - b[j])
                moved = max(moved, abs(bj - b[j]))
                b[j] = bj
            if moved < 1e-15:
                break
        if max(abs(b0 - b0_old), np.abs(b - b_old).max()) < 1e-13:
            break
    return b0, b


def reference_path(family, Xs, y, alphas, b0):
    """Tight solves (glm_cd) warm-started down `alphas` from intercept b0 and b = 0: the
    intercepts B0 and coefficients B, one row per alpha."""
    b = np.zeros(Xs.shape[1])
    B0, B = [], []
    for lam in alphas:
        b0, b = glm_cd(family, Xs, y, lam, b0, b.copy())
        B0.append(b0)
        B.append(b.copy())
    return np.array(B0), np.array(B)


def check_tight_path(family, X, Xs, sd, y, alphas, B0, B, at_max_tol):
    """The gaps of a tight path: ~0 everywhere, 0 at alpha_max (to at_max_tol of the null
    objective), and the same from original-scale coefficients (path_gaps' conversion of the
    intercept).  Returns (ok, gaps, null)."""
    gaps, null = glm_gaps(family, Xs, y, alphas, B0, B)
    print(f"{family}, tight solve: worst gap/null {gaps.max() / null:.2e} (min {gaps.min() / null:.2e})")
    ok = gaps.max() / null < 1e-10 and gaps.min() > -1e-12 * null
    print(f"{family}, at alpha_max: gap/null {gaps[0] / null:.2e}")
    ok &= abs(gaps[0]) < at_max_tol * null
    ogaps, _ = path_gaps(family, X, y, alphas, B0 - (B / sd) @ X.mean(axis=0), B / sd)
    print(f"{family}, from original-scale coefficients: max |diff|/null {np.abs(ogaps - gaps).max() / null:.2e}")
    ok &= np.abs(ogaps - gaps).max() < 1e-12 * null
    return ok, gaps, null


def selftest_binomial():
    """The same checks for the binomial gap, against the reference solver above."""
    rng = np.random.default_rng(0)
    n, p = 200, 8
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3, p) + rng.uniform(-2, 2, p)
    Xs, sd = standardize(X)
    y = (rng.random(n) < 1 / (1 + np.exp(-(0.3 + Xs[:, :3] @ np.array([1.5, -1.0, 0.5]))))).astype(float)
    ybar = y.mean()
    amax = np.abs(Xs.T @ (y - ybar)).max() / n
    alphas = amax * np.logspace(0, -3, 12)
    B0, B = reference_path("binomial", Xs, y, alphas, np.log(ybar / (1 - ybar)))
    ok, gaps, null = check_tight_path("binomial", X, Xs, sd, y, alphas, B0, B, 1e-14)
    bad_b, bad_b0 = B.copy(), B0.copy()
    bad_b[6] *= 1.05
    bad_b0[8] += 0.05  # a wrong intercept, the coefficients optimal for the right one
    bgaps, _ = glm_gaps("binomial", Xs, y, alphas, bad_b0, bad_b)
    print(f"binomial, coefs x1.05 at point 6: gap/null {bgaps[6] / null:.2e}; "
          f"intercept + 0.05 at point 8: {bgaps[8] / null:.2e}")
    ok &= bgaps[6] > 1e-6 * null and bgaps[8] > -1e-12 * null
    # Weak duality: D at point 5 (b0 held) is below P at random coefficients with that b0.
    k = 5
    Eta = B0[k] + Xs @ B[k]
    mu = 1 / (1 + np.exp(-Eta))
    s = min(1.0, alphas[k] / (np.abs(Xs.T @ (y - mu)).max() / n))
    q = y + s * (mu - y)
    dual = -np.mean(xlogx(q) + xlogx(1 - q)) - B0[k] * s * np.mean(y - mu)
    for _ in range(100):
        bb = B[k] + rng.standard_normal(p) * 0.3
        eta = B0[k] + Xs @ bb
        ok &= np.mean(np.logaddexp(0, eta) - y * eta) + alphas[k] * np.abs(bb).sum() >= dual - 1e-15
    return ok


def selftest_poisson():
    """Poisson: gap ~0 for tight solves, 0 at alpha_max, > 0 off the optimum, and the same
    from original-scale coefficients."""
    rng = np.random.default_rng(1)
    n, p = 200, 8
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3, p) + rng.uniform(-2, 2, p)
    Xs, sd = standardize(X)
    y = rng.poisson(np.exp(0.5 + Xs[:, :3] @ np.array([0.6, -0.4, 0.2]))).astype(float)
    amax = np.abs(Xs.T @ (y - y.mean())).max() / n
    alphas = amax * np.logspace(0, -3, 12)
    B0, B = reference_path("poisson", Xs, y, alphas, np.log(y.mean()))
    ok, _, null = check_tight_path("poisson", X, Xs, sd, y, alphas, B0, B, 1e-13)
    bad = B.copy()
    bad[6] *= 1.05
    bgaps, _ = glm_gaps("poisson", Xs, y, alphas, B0, bad)
    print(f"poisson, coefs x1.05 at point 6: gap/null {bgaps[6] / null:.2e}")
    ok &= bgaps[6] > 1e-6 * null
    return ok


def selftest_sparse():
    """The implicit standardization of a Coo X against the dense one: X_s w, X_s' r, and the
    three families' gaps of the same paths (an all-zero column, a one-entry column, and a
    repeated entry, which adds up, among them)."""
    rng = np.random.default_rng(2)
    n, p = 150, 12
    mask = rng.random((n, p)) < 0.15
    mask[:, 3] = False  # all zero: sd 1, as standardize() makes it
    mask[:, 5] = False
    mask[7, 5] = True  # one entry
    rows, cols = np.nonzero(mask)
    vals = rng.exponential(1.0, rows.size)
    rows, cols, vals = np.append(rows, rows[0]), np.append(cols, cols[0]), np.append(vals, 0.25)
    X = Coo(n, p, rows, cols, vals)
    D = X.dense()
    Xs, sd = standardize(D)
    S = SparseStandardized(X)
    W, R = rng.standard_normal((p, 3)), rng.standard_normal((n, 3))
    W[[1, 8]] = 0.0
    err = max(np.abs(S.sd - sd).max(), np.abs(S @ W - Xs @ W).max(), np.abs(S.T @ R - Xs.T @ R).max())
    print(f"sparse, implicit X_s against the dense one: max |diff| {err:.1e}")
    ok = err < 1e-12
    s = D @ np.where(np.arange(p) < 3, 1.0, 0.0)
    ys = {"gaussian": s + rng.standard_normal(n),
          "binomial": (rng.random(n) < 1 / (1 + np.exp(-(s - s.mean())))).astype(float),
          "poisson": rng.poisson(np.exp(0.3 * s)).astype(float)}
    alphas = np.logspace(-1, -3, 6)
    for family, y in ys.items():
        B = rng.standard_normal((len(alphas), p)) * (rng.random((len(alphas), p)) < 0.4) * 0.3
        a0 = rng.standard_normal(len(alphas)) * 0.1
        gs, ns = path_gaps(family, X, y, alphas, a0, B)
        gd, nd = path_gaps(family, D, y, alphas, a0, B)
        diff = max(np.abs(gs - gd).max(), abs(ns - nd)) / nd
        print(f"sparse, {family}: gaps from the Coo and from the dense matrix: max |diff|/null {diff:.1e}")
        ok &= diff < 1e-12
    return ok


def selftest():
    ok = selftest_gaussian()
    ok &= selftest_binomial()
    ok &= selftest_poisson()
    ok &= selftest_sparse()
    print("selftest", "ok" if ok else "FAILED")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", default="gaussian", choices=["gaussian", "binomial", "poisson"])
    ap.add_argument("--data")
    ap.add_argument("--report")
    ap.add_argument("--coef")
    ap.add_argument("--dense", action="store_true", help="form a .mtx set's dense matrix (a check)")
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args()
    if a.selftest:
        return selftest()
    X, y = load_data(a.data, a.dense)
    if a.coef:
        c = np.loadtxt(a.coef, ndmin=2)  # lambda a0 beta_1 .. beta_p
        gaps, null = path_gaps(a.family, X, y, c[:, 0], c[:, 1], c[:, 2:])
        print(f"worst_gap_rel {gaps.max() / null:.6e}")
        print(f"null_objective {null:.12g}")
        return 0
    with open(a.report) as f:
        fit = json.load(f)["fits"][0]
    path = fit["path"]
    gaps, null = path_gaps(a.family, X, y, np.array(path["alphas"]), path["intercept"], path["coef"])
    own = np.array(path["dual_gap"], dtype=float) / path["null_objective"]
    print(f"recomputed_worst_gap_rel {gaps.max() / null:.6e}")
    print(f"reported_worst_gap_rel {own.max():.6e}")
    print(f"null_objective_recomputed {null:.12g} reported {path['null_objective']:.12g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
