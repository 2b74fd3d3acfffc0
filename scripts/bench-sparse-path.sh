#!/bin/bash
# bench-sparse-path.sh: the lasso path alone on the issue's sparse sets
# (20000 x 20000, 0.25% nonzeros, Exp(1) values, 50 true features; gaussian
# and binomial), regpath against glmnet at two accuracies, one thread each.
#
#   scripts/bench-sparse-path.sh [RUNS]      (default 3; needs a built tree,
#                                             R glmnet + Matrix, python3-numpy)
#
# For each family: glmnet() on the dgCMatrix at its defaults (timed in R,
# median of RUNS), its path's worst duality gap over the null objective
# (scripts/bench/lasso_gap.py, the same formula as regpath's certificate);
# then regpath's path (bench/sparse_path.c, median of RUNS) at the defaults
# (gap <= 1e-6 of the null objective) and at glmnet's own worst gap (gap_tol
# that gap, path.tol a tenth of it).  Both tools use glmnet's grid.  The data
# is made by scripts/bench/gen_sparse.py, as scripts/bench.sh makes it, in
# bench/data/<set>-20000x20000-seed42 (kept for later runs).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
PY=/usr/bin/python3
CORES=$(nproc) # before OMP_NUM_THREADS=1, which nproc reports
BIN=$(mktemp -d "${TMPDIR:-/tmp}/regpath-sparse-path.XXXXXX")
trap 'rm -rf "$BIN"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

[ -f "$ROOT/lib/.libs/libregpath.a" ] || {
  echo "bench-sparse-path: build first (scripts/bootstrap.sh)" >&2
  exit 2
}
# shellcheck disable=SC2046 # pkg-config's words
${CC:-cc} -std=c11 -O2 -I"$ROOT/lib" "$ROOT/bench/sparse_path.c" -o "$BIN/sparse_path" \
  "$ROOT/lib/.libs/libregpath.a" $(pkg-config --libs gsl libcjson zlib) -lopenblas -lm -fopenmp

# glmnet's path on PREFIX.mtx / PREFIX.y: the median seconds of RUNS fits,
# and the last fit's path into COEF (lambda a0 beta_1..beta_p per line).
glmnet_path() {
  Rscript --vanilla - "$1" "$2" "$3" "$RUNS" <<'EOF'
suppressMessages({library(glmnet); library(Matrix)})
a <- commandArgs(TRUE)
X <- as(readMM(paste0(a[1], ".mtx")), "CsparseMatrix"); y <- scan(paste0(a[1], ".y"), quiet = TRUE)
t <- sapply(seq_len(as.integer(a[4])), function(r) system.time(fit <<- glmnet(X, y, family = a[2]))[["elapsed"]])
path <- cbind(fit$lambda, fit$a0, t(as.matrix(fit$beta)))
write.table(format(path, digits = 17), a[3], quote = FALSE, row.names = FALSE, col.names = FALSE)
cat(sprintf("seconds %.3f points %d\n", median(t), length(fit$lambda)))
EOF
}

# The value after key $1 in the line $2 ("seconds 1.2 points 100 ...").
field() { awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' <<<"$2"; }

printf '| set | glmnet path | glmnet worst gap / null | regpath at that gap | regpath at gap <= 1e-6 |\n'
printf '|---|--:|--:|--:|--:|\n'
for set in sparse:gaussian sparsebinomial:binomial; do
  name=${set%%:*} family=${set#*:}
  data="$ROOT/bench/data/$name-20000x20000-seed42"
  if [ ! -s "$data/data.svm" ]; then
    mkdir -p "$data"
    "$PY" "$ROOT/scripts/bench/gen_sparse.py" --n 20000 --p 20000 --density 0.0025 \
      --family "$family" --out "$data/data" >/dev/null
  fi
  g=$(glmnet_path "$data/data" "$family" "$BIN/coef.txt")
  gap=$("$PY" "$ROOT/scripts/bench/lasso_gap.py" --family "$family" --data "$data/data.mtx" \
    --coef "$BIN/coef.txt" | awk '$1 == "worst_gap_rel" {print $2}')
  tol=$(awk -v g="$gap" 'BEGIN {printf "%.3g", g / 10}')
  matched=$("$BIN/sparse_path" "$data/data.svm" "$family" "$tol" "$gap" "$RUNS")
  tight=$("$BIN/sparse_path" "$data/data.svm" "$family" 1e-7 1e-6 "$RUNS")
  printf '| %s (%s) | %s s, %s points | %s | %s s (gap %s, %s sweeps) | %s s (gap %s, %s sweeps) |\n' \
    "$name" "$family" "$(field seconds "$g")" "$(field points "$g")" "$gap" \
    "$(field seconds "$matched")" "$(field worst_gap_rel "$matched")" "$(field sweeps "$matched")" \
    "$(field seconds "$tight")" "$(field worst_gap_rel "$tight")" "$(field sweeps "$tight")"
done
echo "(medians of $RUNS runs, one thread each, on a machine of $CORES cores; $(date -u +%Y-%m-%d))"
