#!/usr/bin/python3
"""Turn scripts/bench.sh's raw measurements into bench/results.md.

usage: summarize.py --runs runs.tsv --meta meta.tsv --sets sets.tsv --out results.md [--work DIR]

runs.tsv: set tool rep status wall_s rss_kb proc_wall_s cpu_s gap_rel n_alphas alpha_max alpha_min note
          (wall_s: regpath's whole process; glmnet's and sklearn's in-process fit time;
          proc_wall_s and cpu_s, user + system: the whole process)
meta.tsv: key value
sets.tsv: set n p family (gaussian, binomial or poisson) [density nnz] (the last two for a
          sparse set: the share of X's entries drawn to be stored, and how many are)
DIR/<set>/alphas-regpath.txt, alphas-glmnet.txt: the two grids, compared in the write-up.
"""
import argparse
import os
import statistics

TOOLS = ["regpath", "glmnet", "sklearn"]
TIME_TARGET = 0.5  # regpath's time / glmnet's
TIME_AIM = 0.2
GAP_TARGET = 1e-5  # worst gap / null objective
TIME_TARGET_BY_SET = {"sonar": 1.0}  # Sonar: within glmnet's time, regpath's process start included
GAP_TARGET_GLM = 1e-6  # binomial and poisson: issue 18's certificate
FOOTPRINT_MIB = 6  # regpath's peak RSS on a tiny set (Sonar): the memory target means nothing below it
GAP_TARGET_SPARSE = 1e-6  # the sparse sets, either family (issue 19)
MEM_TARGET_SPARSE_MIB = 100  # the sparse sets' peak RSS (issue 19), whatever the density
MIB = 1024.0 * 1024.0


def read_tsv(path, ncols):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                cells = line.split("\t")
                rows.append(cells + [""] * (ncols - len(cells)))
    return rows


def num(s):
    try:
        return float(s)
    except ValueError:
        return None


class Tool:
    """One tool on one set: its runs summarized."""

    def __init__(self, runs):
        self.runs = runs
        ok = [r for r in runs if r["status"] == "ok"]
        bad = [r for r in runs if r["status"] != "ok"]
        self.status = "ok" if ok and not bad else (bad[0]["status"] if bad else "not run")
        self.walls = [num(r["wall_s"]) for r in ok]
        self.median = statistics.median(self.walls) if ok and not bad else None
        proc = [num(r["proc_wall_s"]) for r in ok if num(r["proc_wall_s"]) is not None]
        self.proc_median = statistics.median(proc) if proc else None
        cpu = [num(r["cpu_s"]) for r in ok if num(r["cpu_s"]) is not None]
        self.cpu_median = statistics.median(cpu) if cpu else None
        rss = [num(r["rss_kb"]) for r in ok if num(r["rss_kb"]) is not None]
        self.rss_mib = max(rss) / 1024.0 if rss else None
        gaps = [num(r["gap_rel"]) for r in ok if num(r["gap_rel"]) is not None]
        self.gap = max(gaps) if gaps else None
        first = ok[0] if ok else (runs[0] if runs else {})
        self.n_alphas = first.get("n_alphas", "")
        self.alpha_max = first.get("alpha_max", "")
        self.alpha_min = first.get("alpha_min", "")
        notes = sorted({r["note"] for r in runs if r["note"]})
        self.note = "; ".join(notes)

    def cell_time(self):
        return f"{self.median:.2f}" if self.median is not None else self.status

    def cell_gap(self):
        return f"{self.gap:.1e}" if self.gap is not None else "–"

    def cell_rss(self):
        return f"{self.rss_mib:.0f}" if self.rss_mib is not None else "–"


def ratio(a, b):
    if a.median is None or b.median is None or b.median <= 0:
        return None
    return a.median / b.median


def fmt_ratio(r):
    return f"{r:.2f}" if r is not None else "–"


def read_grid(path):
    try:
        with open(path) as f:
            return [float(x) for x in f.read().split()]
    except OSError:
        return None


def grid_check(work, s):
    """How regpath's grid compares with glmnet's lambda sequence on set s."""
    if not work:
        return None
    rp = read_grid(os.path.join(work, s, "alphas-regpath.txt"))
    gl = read_grid(os.path.join(work, s, "alphas-glmnet.txt"))
    if not rp or not gl:
        return None
    m = min(len(rp), len(gl))
    rel = max(abs(a - b) / b for a, b in zip(rp[:m], gl[:m]))
    text = f"regpath {len(rp)} alphas, glmnet {len(gl)}; the first {m} agree to {rel:.1e} (relative)"
    if rel > 1e-9:
        text += " -- **the grids differ**"
    elif len(rp) != len(gl):
        text += " (glmnet's early stop, made on its looser solutions, ends elsewhere)"
    return text


# When regpath fits on the p x p Gram matrix (covariance updates): this mirrors
# rp_fit_uses_gram() in lib/fit_source.c; keep the two in step.
GRAM_ALWAYS_BELOW = 500
GRAM_MAX_COLUMNS = 4096
GRAM_RULE = (f"p < {GRAM_ALWAYS_BELOW}, or p <= {GRAM_MAX_COLUMNS} and n >= p "
             "(rp_fit_uses_gram in lib/fit_source.c)")


def uses_gram(n, p, family):
    """Only the gaussian family can fit on the Gram matrix; binomial works on the columns."""
    return family == "gaussian" and (p < GRAM_ALWAYS_BELOW or (p <= GRAM_MAX_COLUMNS and n >= p))


def mem_target_mib(n, p, family, sparse=False):
    """The issue's memory target: 2 x 8np bytes, plus the p x p Gram matrix when it is used;
    a flat 100 MiB on the sparse sets (issue 19), which must never need n x p memory."""
    if sparse:
        return MEM_TARGET_SPARSE_MIB
    return (2 * 8 * n * p + (8 * p * p if uses_gram(n, p, family) else 0)) / MIB


def fmt_density(d):
    """0.0025 as 0.25%."""
    return f"{100 * float(d):g}%"


def growth_table(sets, family, sparse, res):
    """The sparse sets of each family by their count of nonzeros: does the cost follow it?"""
    L = ["## Sparse sets: cost against the nonzeros", ""]
    L.append("The same n x p at each density: a cost that followed n x p would stay flat down a "
             "family's rows, one that follows the nonzeros grows with them. x: relative to the "
             "family's sparsest set in this run.")
    L.append("")
    L.append("| family | set | n x p | density | nonzeros | x | time s: regpath | x | glmnet | x "
             "| peak RSS MiB: regpath | x | glmnet |")
    L.append("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")

    def rel(v, v0):
        return f"{v / v0:.2f}" if v is not None and v0 else "–"

    for fam in sorted({family[s] for s, _, _ in sets if s in sparse}):
        rows = sorted(((s, n, p) for s, n, p in sets if s in sparse and family[s] == fam),
                      key=lambda t: int(sparse[t[0]][1]))
        s0 = rows[0][0]
        nnz0 = int(sparse[s0][1])
        rp0, gl0 = res[(s0, "regpath")], res[(s0, "glmnet")]
        for s, n, p in rows:
            rp, gl = res[(s, "regpath")], res[(s, "glmnet")]
            nnz = int(sparse[s][1])
            L.append(f"| {fam} | {s} | {n} x {p} | {fmt_density(sparse[s][0])} | {nnz} | {rel(nnz, nnz0)} "
                     f"| {rp.cell_time()} | {rel(rp.median, rp0.median)} | {gl.cell_time()} "
                     f"| {rel(gl.median, gl0.median)} | {rp.cell_rss()} | {rel(rp.rss_mib, rp0.rss_mib)} "
                     f"| {gl.cell_rss()} |")
    L.append("")
    L.append("- glmnet's peak RSS includes R with glmnet and Matrix loaded (about 200 MiB on its "
             "own) and the Matrix Market file read into triplets, so it is only indicative.")
    L.append("- The work also depends on the path: its length (each tool's early stop) and how many "
             "features enter, which the density changes too.")
    L.append("")
    return L


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--meta", required=True)
    ap.add_argument("--sets", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--work")
    a = ap.parse_args()

    keys = ["set", "tool", "rep", "status", "wall_s", "rss_kb", "proc_wall_s", "cpu_s", "gap_rel", "n_alphas",
            "alpha_max", "alpha_min", "note"]
    runs = [dict(zip(keys, r)) for r in read_tsv(a.runs, len(keys))]
    meta = {k: v for k, v in read_tsv(a.meta, 2)}
    set_rows = read_tsv(a.sets, 6)
    sets = [(r[0], int(r[1]), int(r[2])) for r in set_rows]
    family = {r[0]: r[3] or "gaussian" for r in set_rows}
    sparse = {r[0]: (r[4], r[5]) for r in set_rows if r[4]}  # set: (density, nnz)
    dense_families = {family[s] for s, _, _ in sets if s not in sparse}
    glm_sets = [s for s, _, _ in sets if family[s] != "gaussian"]  # the IRLS families
    glms = " and ".join(sorted({family[s] for s in glm_sets}))
    repeat = meta.get("repeat", "?")
    quick = meta.get("quick") == "1"
    # glmnet's thresh: its default, or the --glmnet-thresh the script passed to every glmnet run.
    thresh_set = meta.get("glmnet_thresh", "default") != "default"
    thresh = meta["glmnet_thresh"] if thresh_set else "1e-7"
    thresh_how = "--glmnet-thresh" if thresh_set else "glmnet's default"
    thresh_arg = f", thresh = {thresh}" if thresh_set else ""

    res = {(s, t): Tool([r for r in runs if r["set"] == s and r["tool"] == t]) for s, _, _ in sets
           for t in TOOLS}

    L = []
    L.append("# regpath benchmark: 10-fold cross-validated lasso path" + (" (--quick)" if quick else ""))
    L.append("")
    L.append(f"- date: {meta.get('date', '?')}")
    L.append(f"- command: `{meta.get('command', '?')}`")
    L.append(f"- machine: {meta.get('machine', '?')}")
    L.append(f"- load average (1, 5, 15 min): {meta.get('load_start', '?')} at the start, "
             f"{meta.get('load_end', '?')} at the end")
    L.append(f"- regpath: {meta.get('regpath', '?')}")
    L.append(f"- R glmnet: {meta.get('glmnet', '?')}")
    L.append(f"- glmnet thresh: {thresh} ({thresh_how})")
    L.append(f"- scikit-learn: {meta.get('sklearn', '?')}")
    L.append(f"- {meta.get('python', '?')}; BLAS: {meta.get('blas', '?')}")
    L.append("")
    skipped = [name for name, key in (("R glmnet", "glmnet"), ("scikit-learn", "sklearn"))
               if meta.get(key, "").startswith("skipped")]
    if skipped:
        L.append(f"**Skipped: {' and '.join(skipped)}** (see above); their columns are empty and the "
                 "time target cannot be judged without glmnet.")
        L.append("")
    L.append(f"Timings are medians of {repeat} runs per tool and data set on a shared, noisy machine; "
             "the tools' runs are interleaved and the ratios are taken between medians of the same "
             f"run of the script. A run longer than {meta.get('timeout', '?')} s is killed and shown "
             "as `timeout`.")
    L.append("")
    L.append("## Results")
    L.append("")
    # The density / nonzeros column only when a sparse set is in the run: the dense-only
    # tables keep their columns.
    head_x, align_x = ("| X: density, nonzeros ", "|--:") if sparse else ("", "")
    L.append(f"| set | n x p {head_x}| time s: regpath | glmnet | sklearn | regpath / glmnet | regpath / sklearn "
             "| worst gap / null obj.: regpath | glmnet | sklearn | peak RSS MiB: regpath | glmnet | sklearn "
             "| regpath memory target MiB |")
    L.append(f"|---|---{align_x}|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for s, n, p in sets:
        rp, gl, sk = (res[(s, t)] for t in TOOLS)
        cell_x = ""
        if sparse:
            cell_x = f"| {fmt_density(sparse[s][0])}, {sparse[s][1]} " if s in sparse else "| dense "
        L.append(f"| {s} | {n} x {p} {cell_x}| {rp.cell_time()} | {gl.cell_time()} | {sk.cell_time()} "
                 f"| {fmt_ratio(ratio(rp, gl))} | {fmt_ratio(ratio(rp, sk))} "
                 f"| {rp.cell_gap()} | {gl.cell_gap()} | {sk.cell_gap()} "
                 f"| {rp.cell_rss()} | {gl.cell_rss()} | {sk.cell_rss()} "
                 f"| {mem_target_mib(n, p, family[s], s in sparse):.0f} |")
    L.append("")
    L.append("- time: regpath's is the whole `regpath --config ...` process (reading the CSV, the "
             "full-data path, the 10 fold paths, writing report.json; no plots). glmnet's is "
             f"`system.time(cv.glmnet(x, y, foldid = foldid, alpha = 1{thresh_arg}))` in R, "
             "after the data are read. "
             "scikit-learn's is `LassoCV(alphas = grid, cv = PredefinedSplit(folds)).fit(Xs, y)`, after "
             "the data are read and standardized."
             + (f" On {glms}, glmnet's call is `cv.glmnet(x, y, family = family, foldid = foldid, "
                f"alpha = 1, type.measure = \"deviance\"{thresh_arg})`, and scikit-learn is not "
                "run (LogisticRegressionCV has another grid and penalty parameterization; it has "
                "no penalized Poisson CV)."
                if glm_sets else "")
             + (" On the sparse sets, regpath reads `data.svm` (svmlight) and holds X sparse "
                "(`data.storage` \"sparse\"), so its time includes parsing that file; glmnet gets the "
                "same X as a dgCMatrix (`Matrix::readMM` of `data.mtx`, read before its timed region), "
                "which runs its sparse routines; scikit-learn is not run."
                if sparse else ""))
    L.append("- worst gap / null obj.: the largest duality gap along the full-data path divided by the "
             "null objective ||y - mean(y)||^2 / (2n), on the standardized problem. regpath reports it "
             "(`path.dual_gap`, `path.null_objective`); for glmnet (`cv$glmnet.fit`) and scikit-learn "
             "(`lasso_path` on all rows with LassoCV's grid and tol) the benchmark computes it from "
             "their coefficients with the same formula (scripts/bench/lasso_gap.py); glmnet's "
             f"is at thresh {thresh} ({thresh_how})."
             + (f" On {glms}, the gap is that of the l1-penalized GLM with the intercept "
                "held, and the null objective is that of the intercept-only fit, "
                "nulldev / (2n) (formulas in scripts/bench/lasso_gap.py)." if glm_sets else ""))
    L.append("- peak RSS: the maximum resident set size of the whole process (GNU time), largest "
             "over the runs. For glmnet and scikit-learn that includes the interpreter and the copies "
             "made while reading the CSV, so it is only indicative.")
    L.append("- regpath memory target: 2 x 8np bytes, plus 8p^2 for the Gram matrix when regpath "
             f"uses one: {GRAM_RULE}, gaussian only" + (f" ({glms} run on the columns)" if glm_sets else "")
             + (f"; on the sparse sets, {MEM_TARGET_SPARSE_MIB} MiB whatever the density (issue 19)"
                if sparse else "")
             + ". MiB = 2^20 bytes.")
    L.append("")

    L.append("## Targets")
    L.append("")
    for s, n, p in sets:
        rp, gl = res[(s, "regpath")], res[(s, "glmnet")]
        r = ratio(rp, gl)
        time_target = TIME_TARGET_BY_SET.get(s, TIME_TARGET)
        gap_target = GAP_TARGET if family[s] == "gaussian" else GAP_TARGET_GLM
        if s in sparse:
            gap_target = GAP_TARGET_SPARSE
        if r is not None:
            verdict = "PASS" if r <= time_target else "FAIL"
            aim = "met" if r <= TIME_AIM else "not met"
            L.append(f"- {s}: time, regpath / glmnet = {r:.2f} <= {time_target}: **{verdict}** "
                     f"(aim {TIME_AIM}: {aim})")
        elif rp.median is None:
            L.append(f"- {s}: time: **FAIL** (regpath: {rp.status})")
        else:
            L.append(f"- {s}: time: not measured (glmnet: {gl.status})")
        if rp.gap is not None:
            verdict = "PASS" if rp.gap <= gap_target else "FAIL"
            L.append(f"- {s}: duality gap, worst gap / null objective = {rp.gap:.1e} <= {gap_target:.0e}: "
                     f"**{verdict}**")
        else:
            L.append(f"- {s}: duality gap: **FAIL** (regpath: {rp.status})")
        target = mem_target_mib(n, p, family[s], s in sparse)
        if target < FOOTPRINT_MIB:
            L.append(f"- {s}: memory: not judged (a target of {target:.1f} MiB is below the "
                     f"program's own footprint, about {FOOTPRINT_MIB} MiB)")
        elif rp.rss_mib is not None:
            verdict = "PASS" if rp.rss_mib <= target else "FAIL"
            L.append(f"- {s}: memory, peak RSS {rp.rss_mib:.0f} MiB <= {target:.0f} MiB: **{verdict}**")
        else:
            L.append(f"- {s}: memory: **FAIL** (regpath: {rp.status})")
    if quick and len(sparse) < len(sets):
        L.append("- (--quick: at these sizes the memory target is below the program's own footprint; "
                 "it means something only on the full sets.)")
    if quick and sparse:
        L.append("- (--quick: the sparse sets' targets are set for 20000 x 20000; at a tenth of n "
                 "and p they are no test.)")
    L.append("")
    if sparse:
        L += growth_table(sets, family, sparse, res)

    L.append("## Details")
    L.append("")
    grids = [(s, grid_check(a.work, s)) for s, _, _ in sets]
    for s, g in grids:
        if g:
            L.append(f"- {s}, grid: {g}")
    if any(g for _, g in grids):
        L.append("")
    L.append("| set | tool | status | times s (each run) | process wall s | process CPU s | alphas "
             "| alpha_max | CV alpha_min | note |")
    L.append("|---|---|---|---|--:|--:|--:|--:|--:|---|")
    for s, _, _ in sets:
        for t in TOOLS:
            x = res[(s, t)]
            times = ", ".join(f"{w:.2f}" for w in x.walls) or "–"
            pm = f"{x.proc_median:.2f}" if x.proc_median is not None else "–"
            pc = f"{x.cpu_median:.2f}" if x.cpu_median is not None else "–"
            L.append(f"| {s} | {t} | {x.status} | {times} | {pm} | {pc} | {x.n_alphas or '–'} "
                     f"| {x.alpha_max or '–'} | {x.alpha_min or '–'} | {x.note} |")
    L.append("")
    L.append("## The problem, the same for every tool")
    L.append("")
    dense_sets = [(s, n, p) for s, n, p in sets if s not in sparse]
    if dense_sets:
        shapes = ", ".join(f"{s} {n} x {p}" for s, n, p in dense_sets)
        if quick:
            shapes += " (--quick: divided by 10)"
        L.append("- Data: scripts/bench/gen_synthetic.py (AR(1) features, rho 0.5, 20 true coefficients, "
                 f"SNR 3), seed {meta.get('data_seed', '?')}; {shapes}."
                 + (" binomial: `--family binomial`, y ~ Bernoulli(1 / (1 + exp(-2 s / sd(s)))) with s the "
                    "linear signal." if "binomial" in dense_families else "")
                 + (" poisson: `--family poisson`, y ~ Poisson(exp(0.5 s / sd(s)))." if "poisson" in dense_families else "")
                 + (" sonar: mlbench's Sonar, 208 x 60, read from tests/data/sonar.csv (Class R = 1), not "
                    "generated." if "sonar" in family else ""))
    if sparse:
        shapes = ", ".join(f"{s} {n} x {p} at {fmt_density(sparse[s][0])} ({sparse[s][1]} nonzeros)"
                           for s, n, p in sets if s in sparse)
        if quick:
            shapes += " (--quick: n and p divided by 10, the same density)"
        L.append("- Sparse data: scripts/bench/gen_sparse.py, seed "
                 f"{meta.get('data_seed', '?')}: each entry of X stored with probability the density, "
                 "its value Exp(1); 50 true coefficients +-U(0.5, 2); gaussian SNR 3, binomial y ~ "
                 "Bernoulli(1 / (1 + exp(-2 (s - mean(s)) / sd(s)))) with s the linear signal; "
                 f"{shapes}. The same numbers (10 significant digits) in data.svm for regpath and in "
                 "data.mtx + data.y for glmnet and the gap.")
    folds = meta.get("folds", "10")
    L.append(f"- Lasso (l1_ratio 1), standardized columns, intercept, {folds}-fold cross-validation with "
             + (f"the CV measure mse, and for {glms} the l1-penalized GLM with the CV "
                "measure deviance (regpath `cv.metric`, glmnet `type.measure`); " if glm_sets else "")
             + "the same fold for each row in the three tools (regpath `cv.fold_ids`, glmnet `foldid`, "
             f"scikit-learn `PredefinedSplit`): 1..{folds} repeated to n and shuffled by a permutation "
             f"with seed {meta.get('fold_seed', '?')}.")
    min_ratio = meta.get("alpha_min_ratio", "default")
    if min_ratio == "default":
        L.append("- Grid: glmnet's default, 100 alphas from alpha_max down to 1e-2 of it when n < p, "
                 "else 1e-4 (`lambda.min.ratio = ifelse(nobs < nvars, 0.01, 1e-04)`: 1e-4 for mid "
                 "and the sparse sets, where n == p), with glmnet's early stop. regpath generates it itself (its config sets "
                 "`path.alpha_min_ratio` to that value); glmnet likewise; scikit-learn is given glmnet's "
                 "lambda sequence (regpath's grid when glmnet did not run).")
    else:
        L.append(f"- Grid: 100 alphas from alpha_max down to {min_ratio} of it (--alpha-min-ratio; "
                 f"glmnet's `lambda.min.ratio = {min_ratio}`, regpath's `path.alpha_min_ratio`), with "
                 "glmnet's early stop. scikit-learn is given glmnet's lambda sequence (regpath's grid "
                 "when glmnet did not run).")
    L.append("- Convergence: each tool's default" + (" but glmnet's thresh" if thresh_set else "")
             + f". regpath: tol 1e-7 and gap_tol 1e-6; glmnet: thresh {thresh} (a bound on the "
             "squared coordinate step, not on the gap); scikit-learn: tol 1e-4 (gap <= 1e-4 "
             "||y_c||^2, i.e. up to 2e-4 of the null objective).")
    L.append("- scikit-learn does not standardize: X is standardized once on all rows (1/n variance) "
             "before the timed fit, whereas regpath and glmnet standardize each fold on its own rows. "
             "Its CV alpha_min can differ slightly for that reason.")
    L.append("- glmnet and scikit-learn run on one core: OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and "
             "MKL_NUM_THREADS are set to 1 for them (glmnet's Fortran is single-threaded anyway; this "
             "stops a threaded BLAS from lending scikit-learn the other cores). regpath runs in the "
             "caller's environment" + (" too, with the same variables (--one-core)" if meta.get("one_core") == "1" else "")
             + "; its process CPU time above shows whether it used more than one core.")
    L.append("- Details: process wall s and process CPU s (user + system) are medians over the runs, of "
             "the whole process, interpreter start-up and data reading included for the peers.")
    text = "\n".join(L) + "\n"
    with open(a.out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
