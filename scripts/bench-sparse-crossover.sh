#!/usr/bin/env bash
# Where a sparse X stops paying: the lasso path + 10-fold CV held dense and sparse, at
# several densities, for the gaussian family on a wide set (the dense naive route) and a
# tall one (the dense covariance route) and for the binomial family (bench/sparse_crossover.c).
# Each line is the median of RUNS runs per storage, the two in turn, and their ratio within
# this run. The threshold of data.storage "auto" (RP_SPARSE_AUTO_DENSITY, lib/tuning.h) is
# read off this table: bench/results-sparse.md.
#
# usage: scripts/bench-sparse-crossover.sh [RUNS]     (after scripts/bootstrap.sh; one thread)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT
# shellcheck disable=SC2046 # pkg-config's words
${CC:-cc} -std=c11 -O2 -I"$ROOT/lib" "$ROOT/bench/sparse_crossover.c" -o "$BIN/crossover" \
  "$ROOT/lib/.libs/libregpath.a" $(pkg-config --libs gsl libcjson zlib) -lopenblas -lm -fopenmp
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
for d in 0.02 0.05 0.1 0.2; do
  "$BIN/crossover" 1000 3000 "$d" gaussian "$RUNS"
  "$BIN/crossover" 3000 500 "$d" gaussian "$RUNS"
  "$BIN/crossover" 2000 500 "$d" binomial "$RUNS"
done
