#!/usr/bin/env bash
# Time the coefficient-path plot against the fit it shows: for p features (1000 to 100000 by
# default) on n = 100 rows, run regpath with rendering off (the fit: path, 10-fold CV and every
# output file), then `gnuplot path.gp` in its output folder, and print a table of the medians:
# p, fit seconds, render seconds, render / fit. Two cases: a lasso (l1_ratio 1), where most
# features stay zero, and an elastic net with l1_ratio 0.1, where many are nonzero.
# Writes bench/results-plots.md (see bench/README.md). Run `scripts/bench-plots.sh --help`.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
GEN="$ROOT/scripts/bench/gen_wide.awk"
DATA_SEED=42

SIZES="1000,5000,10000,20000,100000"
ROWS=100
REPEAT=3
TIMEOUT=300
CASES="lasso,enet"
OUT=""
REGPATH=""
declare -A L1_RATIO=([lasso]=1 [enet]=0.1)

COMMAND_LINE="scripts/bench-plots.sh"
for arg in "$@"; do
  if [[ $arg =~ ^[A-Za-z0-9_./,=:+-]+$ ]]; then COMMAND_LINE+=" $arg"; else COMMAND_LINE+=" $(printf '%q' "$arg")"; fi
done

usage() {
  cat <<'EOF'
usage: scripts/bench-plots.sh [--sizes LIST] [--rows N] [--repeat N] [--cases LIST]
                              [--timeout SECONDS] [--out FILE] [--regpath PROGRAM]

  --sizes LIST       comma-separated feature counts (default 1000,5000,10000,20000,100000)
  --rows N           rows of each data set (default 100)
  --repeat N         runs of the fit and of the render per size; the table shows medians
                     (default 3)
  --cases LIST       lasso (l1_ratio 1) and/or enet (l1_ratio 0.1) (default lasso,enet)
  --timeout SECONDS  limit for one run (default 300). A render past it shows as "> SECONDS",
                     and that case renders no larger size
  --out FILE         where the results go (default bench/results-plots.md)
  --regpath PROGRAM  time this binary instead of building ./app/regpath with
                     scripts/bootstrap.sh (e.g. an older build, for a before/after table)
EOF
}

die() {
  echo "bench-plots: error: $*" >&2
  exit 2
}

say() { echo "bench-plots: $*" >&2; }

parse_args() {
  while [ $# -gt 0 ]; do
    case $1 in
      --sizes | --rows | --repeat | --cases | --timeout | --out | --regpath)
        [ $# -ge 2 ] || die "$1 needs a value"
        case $1 in
          --sizes) SIZES=$2 ;;
          --rows) ROWS=$2 ;;
          --repeat) REPEAT=$2 ;;
          --cases) CASES=$2 ;;
          --timeout) TIMEOUT=$2 ;;
          --out) OUT=$2 ;;
          --regpath) REGPATH=$2 ;;
        esac
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die "unknown option '$1' (see --help)" ;;
    esac
    shift
  done
  local v
  for v in "$ROWS" "$REPEAT" "$TIMEOUT"; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || die "--rows, --repeat, --timeout: expected a positive integer, got '$v'"
  done
  IFS=, read -r -a SIZE_LIST <<<"$SIZES"
  [ ${#SIZE_LIST[@]} -gt 0 ] || die "--sizes: empty"
  for v in "${SIZE_LIST[@]}"; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || die "--sizes: expected positive integers, got '$v'"
  done
  IFS=, read -r -a CASE_LIST <<<"$CASES"
  [ ${#CASE_LIST[@]} -gt 0 ] || die "--cases: empty"
  for v in "${CASE_LIST[@]}"; do
    [ -n "${L1_RATIO[$v]:-}" ] || die "--cases: unknown case '$v' (lasso, enet)"
  done
  [ -n "$OUT" ] || OUT="$ROOT/bench/results-plots.md"
  if [ -n "$REGPATH" ]; then
    [ -x "$REGPATH" ] || die "--regpath: '$REGPATH' is not an executable file"
    REGPATH=$(cd "$(dirname "$REGPATH")" && pwd)/$(basename "$REGPATH")
  fi
}

build_regpath() {
  if [ -z "$REGPATH" ]; then
    say "building regpath (scripts/bootstrap.sh)"
    (cd "$ROOT" && ./scripts/bootstrap.sh) >&2
    REGPATH="$ROOT/app/regpath"
  fi
  "$REGPATH" --version >/dev/null || die "$REGPATH --version failed"
  command -v gnuplot >/dev/null 2>&1 || die "gnuplot is not on PATH (Debian package gnuplot-nox)"
  command -v timeout >/dev/null 2>&1 || die "timeout (coreutils) is missing"
}

# data_dir P: the folder holding data.csv for ROWS x P, generated unless cached under
# bench/data/ (git-ignored).
data_dir() {
  local p=$1 dir="$ROOT/bench/data/plots/wide-${ROWS}x$1-seed$DATA_SEED"
  if [ ! -f "$dir/DONE" ]; then
    say "generating ${ROWS} x $p (seed $DATA_SEED) in ${dir#"$ROOT"/}"
    mkdir -p "$dir"
    awk -v n="$ROWS" -v p="$p" -v seed="$DATA_SEED" -f "$GEN" >"$dir/data.csv"
    touch "$dir/DONE"
  fi
  echo "$dir"
}

# timed COMMAND...: runs COMMAND under `timeout`; sets RUN_S (wall seconds) or RUN_S=timeout.
# A failure other than the timeout stops the benchmark.
timed() {
  local start=$EPOCHREALTIME rc=0
  timeout -k 10 "$TIMEOUT" "$@" >"$WORK/run.log" 2>&1 || rc=$?
  local end=$EPOCHREALTIME
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    RUN_S=timeout
    return
  fi
  if [ "$rc" -ne 0 ]; then
    tail -n 5 "$WORK/run.log" >&2
    die "$* failed (exit $rc)"
  fi
  RUN_S=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# bench_case CASE: every size of one case, smallest first, each as a table row in $ROWS_MD.
# Fits and renders alternate, so that a slow spell of the machine hits both alike. A render
# past the timeout is not repeated, and the larger sizes of the case are then not rendered.
bench_case() {
  local case=$1 ratio=${L1_RATIO[$1]} p rep skip=0
  for p in "${SIZE_LIST[@]}"; do
    local data out="$WORK/out" fits=() renders=() timed_out=0 fit render rf
    data=$(data_dir "$p")
    printf '{"data": {"train": "%s", "target": "y"}, "model": {"l1_ratio": %s},\n "cv": {"folds": 10, "seed": 1}, "output": {"render": "none"}}\n' \
      "$data/data.csv" "$ratio" >"$WORK/config.json"
    for ((rep = 1; rep <= REPEAT; rep++)); do
      rm -rf "$out"
      timed "$REGPATH" --config "$WORK/config.json" --output "$out" --quiet --no-progress
      [ "$RUN_S" != timeout ] || die "$case p=$p: the fit took longer than $TIMEOUT s"
      fits+=("$RUN_S")
      render="not run"
      if [ "$skip" -eq 0 ] && [ "$timed_out" -eq 0 ]; then
        timed env -C "$out" gnuplot path.gp
        render=$RUN_S
        if [ "$RUN_S" = timeout ]; then
          timed_out=1
        else
          [ -s "$out/path.png" ] || die "$case p=$p: gnuplot wrote no path.png"
          renders+=("$RUN_S")
        fi
      fi
      say "$case p=$p rep $rep: fit ${fits[-1]} s, render $render"
    done
    fit=$(median "${fits[@]}")
    if [ "$skip" -eq 1 ]; then
      render="not run"
      rf=""
    elif [ "$timed_out" -eq 1 ]; then
      render="> $TIMEOUT"
      rf=$(awk -v t="$TIMEOUT" -v f="$fit" 'BEGIN { printf "> %.0f", t / f }')
      skip=1
    else
      render=$(median "${renders[@]}")
      rf=$(awk -v r="$render" -v f="$fit" 'BEGIN { printf "%.2f", r / f }')
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$case (l1_ratio $ratio)" "$p" \
      "$(tail -n 1 "$out/path.dat" | awk '{ print $3 }')" "$fit" "$render" "$rf" \
      "$(($(stat -c %s "$out/path.gp") / 1024))" >>"$ROWS_MD"
  done
}

write_results() {
  local rev gp
  rev=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "not a git checkout")
  gp=$(gnuplot --version 2>&1 | head -n 1)
  {
    echo "# Path plot render time against the fit"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- command: \`$COMMAND_LINE\`"
    echo "- machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown CPU), load at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
    echo "- regpath: $("$REGPATH" --version 2>&1 | head -n 1) ($REGPATH; source $rev); $gp"
    echo "- data: $ROWS rows, x ~ N(0, 1) independent, 20 true features (scripts/bench/gen_wide.awk, seed $DATA_SEED); 10-fold CV, 100 alphas to 1e-2 alpha_max"
    echo "- fit: \`regpath\` with output.render \"none\" (path, CV and every output file); render: \`gnuplot path.gp\` in its output folder (PNG); median of $REPEAT runs each, in seconds"
    echo
    echo "| case | p | nonzero at the last alpha | fit s | render s | render / fit | path.gp KiB |"
    echo "|---|--:|--:|--:|--:|--:|--:|"
    cat "$ROWS_MD"
  } >"$OUT"
}

main() {
  parse_args "$@"
  build_regpath
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/regpath-bench-plots.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  ROWS_MD="$WORK/rows.md"
  : >"$ROWS_MD"
  LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
  local case
  for case in "${CASE_LIST[@]}"; do bench_case "$case"; done
  mkdir -p "$(dirname "$OUT")"
  write_results
  cat "$OUT"
  say "results written to $OUT"
}

main "$@"
