#!/bin/bash
# bench-scale.sh: the training rows spread over MPI processes (issue 20).
# A tall gaussian set (scripts/bench/gen_synthetic.py) cut into shards is
# fitted (lasso path + 10-fold CV) by
#   regpath on the one file, regpath on the shards (data.train a list),
#   regpath-mpi under mpirun -np 1 and -np 2 (each process parses its shards
#   and sums their statistics; the fits run on the sums; --bind-to none, so
#   that a process's fold threads are not held to one core), and -np 2 on
#   the one file (each process reads its half of the bytes),
# RUNS times each, interleaved; the table shows medians of the wall time, the
# largest peak RSS of one process, and each report's largest relative
# difference from the one-file run's (every number, as tests/check_mpi.c).
#
#   scripts/bench-scale.sh [--n N] [--p P] [--shards S] [--runs R] [--out FILE]
#
# Defaults: 1,000,000 x 40, 4 shards, 3 runs, bench/results-scale.md.  Needs a
# tree built with MPI (scripts/bootstrap.sh), python3-numpy and GNU time.
# The data stay in bench/data/scale-NxP-S (kept for later runs).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=1000000 P=40 SHARDS=4 RUNS=3 OUT=$ROOT/bench/results-scale.md
while [ $# -gt 0 ]; do
  case $1 in
    --n) N=$2 ;;
    --p) P=$2 ;;
    --shards) SHARDS=$2 ;;
    --runs) RUNS=$2 ;;
    --out) OUT=$2 ;;
    *) echo "bench-scale: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
REGPATH=$ROOT/app/regpath MPI=$ROOT/app/regpath-mpi
for f in "$REGPATH" "$MPI" /usr/bin/time; do
  [ -x "$f" ] || { echo "bench-scale: $f is missing (scripts/bootstrap.sh builds the programs)" >&2; exit 2; }
done
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# The data: one file and its rows cut into SHARDS files, each with the header.
DATA=$ROOT/bench/data/scale-${N}x${P}-$SHARDS
if [ ! -f "$DATA/all.csv" ]; then
  mkdir -p "$DATA"
  echo "bench-scale: writing $DATA" >&2
  /usr/bin/python3 "$ROOT/scripts/bench/gen_synthetic.py" --n "$N" --p "$P" --k 10 --seed 42 \
    --out "$DATA/all.csv.tmp"
  head -n 1 "$DATA/all.csv.tmp" > "$DATA/header"
  tail -n +2 "$DATA/all.csv.tmp" > "$DATA/rows" # split -n needs a file's size
  split -n "l/$SHARDS" -d -a 3 "$DATA/rows" "$DATA/rows-"
  rm "$DATA/rows"
  for r in "$DATA"/rows-*; do cat "$DATA/header" "$r" > "$DATA/part-${r##*rows-}.csv" && rm "$r"; done
  mv "$DATA/all.csv.tmp" "$DATA/all.csv"
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/regpath-scale.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
config() { # NAME TRAIN: a config for data.train TRAIN, output in $WORK/out-NAME
  printf '{"data": {"train": %s, "target": "y"}, "cv": {"seed": 1}, "output": {"dir": "%s", "plots": false}}\n' \
    "$2" "$WORK/out-$1" > "$WORK/$1.json"
}
config one "\"$DATA/all.csv\""
config shards "\"$DATA/part-*.csv\""
config np1 "\"$DATA/part-*.csv\""
config np2 "\"$DATA/part-*.csv\""
config np2file "\"$DATA/all.csv\""

# One run: wall seconds and the largest peak RSS (KiB) over its processes.
run() {
  local name=$1 t0 t1
  shift
  rm -f "$WORK/rss"
  t0=$(date +%s.%N)
  "$@" > /dev/null
  t1=$(date +%s.%N)
  echo "$(awk "BEGIN {print $t1 - $t0}") $(sort -n "$WORK/rss" | tail -n 1)" >> "$WORK/$name.times"
}
timed() { /usr/bin/time -a -o "$WORK/rss" -f %M "$@"; }
for ((k = 1; k <= RUNS; k++)); do
  run one timed "$REGPATH" --config "$WORK/one.json" -q
  run shards timed "$REGPATH" --config "$WORK/shards.json" -q
  run np1 mpirun -q --bind-to none -np 1 /usr/bin/time -a -o "$WORK/rss" -f %M "$MPI" --config "$WORK/np1.json" -q
  run np2 mpirun -q --bind-to none --oversubscribe -np 2 /usr/bin/time -a -o "$WORK/rss" -f %M "$MPI" \
    --config "$WORK/np2.json" -q
  run np2file mpirun -q --bind-to none --oversubscribe -np 2 /usr/bin/time -a -o "$WORK/rss" -f %M \
    "$MPI" --config "$WORK/np2file.json" -q
done

# Each report against the one-file run's (scripts/bench/report_diff.py).
worst() {
  /usr/bin/python3 "$ROOT/scripts/bench/report_diff.py" "$WORK/out-one/report.json" \
    "$WORK/out-$1/report.json"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
{
  echo "# regpath benchmark: training rows spread over MPI processes"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- command: \`scripts/bench-scale.sh --n $N --p $P --shards $SHARDS --runs $RUNS\`"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo "- regpath: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown); $(mpirun --version | head -n 1)"
  echo "- data: gen_synthetic.py, $N x $P gaussian (AR(1) rho 0.5, 10 true features), $(du -m "$DATA/all.csv" | cut -f1) MB of CSV, cut into $SHARDS shards by lines; lasso path + 10-fold CV (cv.seed 1)"
  echo
  echo "| run | processes | wall s (median of $RUNS) | vs one file | peak RSS MiB (largest process) | largest relative difference from the one-file report |"
  echo "|---|--:|--:|--:|--:|--:|"
  base=$(cut -d' ' -f1 "$WORK/one.times" | median)
  for name in one shards np1 np2 np2file; do
    t=$(cut -d' ' -f1 "$WORK/$name.times" | median)
    rss=$(cut -d' ' -f2 "$WORK/$name.times" | sort -n | tail -n 1)
    case $name in
      one) what="regpath, one file"; np=1 ;;
      shards) what="regpath, $SHARDS shards"; np=1 ;;
      np1) what="regpath-mpi, mpirun -np 1"; np=1 ;;
      np2) what="regpath-mpi, mpirun -np 2"; np=2 ;;
      np2file) what="regpath-mpi, mpirun -np 2, the one file by bytes"; np=2 ;;
    esac
    printf '| %s | %s | %.2f | %.2f | %d | %s |\n' "$what" "$np" "$t" "$(awk "BEGIN {print $t / $base}")" \
      $((rss / 1024)) "$([ $name = one ] && echo - || worst $name)"
  done
} > "$OUT"
cat "$OUT"
