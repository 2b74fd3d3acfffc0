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
# A second table does the same on wide data (WIDE_N x WIDE_P in 3 shards,
# whose gaussian fits have no covariance route): regpath on the one file,
# and regpath-mpi under mpirun -np 1 and -np 2 (one thread each), whose
# processes share out the folds, each holding every row.
#
#   scripts/bench-scale.sh [--n N] [--p P] [--shards S] [--runs R] [--out FILE]
#
# Defaults: 1,000,000 x 40, 4 shards, 3 runs, bench/results-scale.md.  Needs a
# tree built with MPI (scripts/bootstrap.sh), python3-numpy and GNU time.
# The data stay in bench/data/scale-NxP-S (kept for later runs).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=1000000 P=40 SHARDS=4 RUNS=3 OUT=$ROOT/bench/results-scale.md WIDE_N=500 WIDE_P=10000
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

# The data: one file and its rows cut into S files, each with the header.
make_data() { # DIR N P S
  local dir=$1
  [ -f "$dir/all.csv" ] && return
  mkdir -p "$dir"
  echo "bench-scale: writing $dir" >&2
  /usr/bin/python3 "$ROOT/scripts/bench/gen_synthetic.py" --n "$2" --p "$3" --k 10 --seed 42 \
    --out "$dir/all.csv.tmp"
  head -n 1 "$dir/all.csv.tmp" > "$dir/header"
  tail -n +2 "$dir/all.csv.tmp" > "$dir/rows" # split -n needs a file's size
  split -n "l/$4" -d -a 3 "$dir/rows" "$dir/rows-"
  rm "$dir/rows"
  for r in "$dir"/rows-*; do cat "$dir/header" "$r" > "$dir/part-${r##*rows-}.csv" && rm "$r"; done
  mv "$dir/all.csv.tmp" "$dir/all.csv"
}
DATA=$ROOT/bench/data/scale-${N}x${P}-$SHARDS
WIDE=$ROOT/bench/data/scale-${WIDE_N}x${WIDE_P}-3
make_data "$DATA" "$N" "$P" "$SHARDS"
make_data "$WIDE" "$WIDE_N" "$WIDE_P" 3
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
config wone "\"$WIDE/all.csv\""
config wnp1 "\"$WIDE/part-*.csv\""
config wnp2 "\"$WIDE/part-*.csv\""

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
  run wone timed "$REGPATH" --config "$WORK/wone.json" -q
  run wnp1 mpirun -q --bind-to none -np 1 /usr/bin/time -a -o "$WORK/rss" -f %M "$MPI" --config "$WORK/wnp1.json" -q
  run wnp2 mpirun -q --bind-to none --oversubscribe -np 2 -x OMP_NUM_THREADS=1 /usr/bin/time -a \
    -o "$WORK/rss" -f %M "$MPI" --config "$WORK/wnp2.json" -q
done

# Run NAME's report against run BASE's (scripts/bench/report_diff.py).
worst() { # NAME BASE
  /usr/bin/python3 "$ROOT/scripts/bench/report_diff.py" "$WORK/out-$2/report.json" \
    "$WORK/out-$1/report.json"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
# Run NAME's processes and description, "NP|WHAT".
described() {
  case $1 in
    one) echo "1|regpath, one file" ;;
    shards) echo "1|regpath, $SHARDS shards" ;;
    np1) echo "1|regpath-mpi, mpirun -np 1" ;;
    np2) echo "2|regpath-mpi, mpirun -np 2" ;;
    np2file) echo "2|regpath-mpi, mpirun -np 2, the one file by bytes" ;;
    wone) echo "1|regpath, one file (two fold threads)" ;;
    wnp1) echo "1|regpath-mpi, mpirun -np 1 (two fold threads)" ;;
    wnp2) echo "2|regpath-mpi, mpirun -np 2 (one thread each)" ;;
  esac
}
# The table of runs NAME..., each against the first (the one-file run).
table() {
  local first=$1 base name t rss np what
  echo "| run | processes | wall s (median of $RUNS) | vs one file | peak RSS MiB (largest process) | largest relative difference from the one-file report |"
  echo "|---|--:|--:|--:|--:|--:|"
  base=$(cut -d' ' -f1 "$WORK/$first.times" | median)
  for name in "$@"; do
    t=$(cut -d' ' -f1 "$WORK/$name.times" | median)
    rss=$(cut -d' ' -f2 "$WORK/$name.times" | sort -n | tail -n 1)
    IFS='|' read -r np what <<< "$(described "$name")"
    printf '| %s | %s | %.2f | %.2f | %d | %s |\n' "$what" "$np" "$t" "$(awk "BEGIN {print $t / $base}")" \
      $((rss / 1024)) "$([ "$name" = "$first" ] && echo - || worst "$name" "$first")"
  done
}
{
  echo "# regpath benchmark: training rows spread over MPI processes"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- command: \`scripts/bench-scale.sh --n $N --p $P --shards $SHARDS --runs $RUNS\`"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo "- regpath: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown); $(mpirun --version | head -n 1)"
  echo "- data: gen_synthetic.py, $N x $P gaussian (AR(1) rho 0.5, 10 true features), $(du -m "$DATA/all.csv" | cut -f1) MB of CSV, cut into $SHARDS shards by lines; lasso path + 10-fold CV (cv.seed 1)"
  echo
  table one shards np1 np2 np2file
  echo
  echo "Wide data: gen_synthetic.py, $WIDE_N x $WIDE_P gaussian, $(du -m "$WIDE/all.csv" | cut -f1) MB of CSV in 3 shards; lasso path + 10-fold CV (cv.seed 1). Its fits have no covariance route, so the processes share out the folds, each holding every row."
  echo
  table wone wnp1 wnp2
} > "$OUT"
cat "$OUT"
