#!/bin/bash
# bench-stream.sh: data.stream, the training rows read once into their
# sums (issue 20's streaming target).  A tall gaussian CSV
# (scripts/bench/gen_synthetic.py) is fitted (lasso path + 10-fold CV) by
#   regpath with the rows held in memory (data.stream false), and
#   regpath reading them once, a window at a time (data.stream true),
#   the same from a gzip copy (gzip -1, decompressed a window at a time),
#   the same from an svmlight copy (p and the rows from a first pass),
# and regpath predict applies the held run's model.json to the same file
# and to its svmlight copy (a window at a time, with the scores), RUNS
# times each, interleaved; the table shows medians of the wall time,
# the peak RSS, and the streamed report's largest relative difference from
# the held one's (every number, as tests/check_stream.c).  "Parse once" is
# the held run's own time to read the file into X (report.json's
# timing.load_s), against which the issue sets the streamed run's time.
#
#   scripts/bench-stream.sh [--n N] [--p P] [--runs R] [--out FILE]
#
# Defaults: 3,000,000 x 40 (about 2.3 GB of CSV), 3 runs,
# bench/results-stream.md.  Needs app/regpath (scripts/bootstrap.sh),
# python3-numpy and GNU time (scripts/bench.sh --stream installs them).
# The data stay in bench/data/stream-NxP.csv (kept for later runs).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=3000000 P=40 RUNS=3 OUT=$ROOT/bench/results-stream.md
while [ $# -gt 0 ]; do
  case $1 in
    --n) N=$2 ;;
    --p) P=$2 ;;
    --runs) RUNS=$2 ;;
    --out) OUT=$2 ;;
    *) echo "bench-stream: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
REGPATH=$ROOT/app/regpath
for f in "$REGPATH" /usr/bin/time; do
  [ -x "$f" ] || { echo "bench-stream: $f is missing (scripts/bench.sh --stream installs and builds what is needed)" >&2; exit 2; }
done

DATA=$ROOT/bench/data/stream-${N}x${P}.csv
if [ ! -f "$DATA" ]; then
  mkdir -p "$(dirname "$DATA")"
  echo "bench-stream: writing $DATA" >&2
  /usr/bin/python3 "$ROOT/scripts/bench/gen_synthetic.py" --n "$N" --p "$P" --k 10 --seed 42 \
    --out "$DATA.tmp"
  mv "$DATA.tmp" "$DATA"
fi
if [ ! -f "$DATA.gz" ]; then
  echo "bench-stream: writing $DATA.gz" >&2
  gzip -1 -c "$DATA" > "$DATA.gz.tmp"
  mv "$DATA.gz.tmp" "$DATA.gz"
fi
SVM=${DATA%.csv}.svm
if [ ! -f "$SVM" ]; then # the label (y, the last column), then x0.. as indices 1..P
  echo "bench-stream: writing $SVM" >&2
  awk -F, 'NR > 1 { printf "%s", $NF; for (j = 1; j < NF; j++) printf " %d:%s", j, $j; printf "\n" }' \
    "$DATA" > "$SVM.tmp"
  mv "$SVM.tmp" "$SVM"
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/regpath-stream.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
config() { # NAME STREAM FILE: a config for data.stream STREAM, output in $WORK/out-NAME
  printf '{"data": {"train": "%s", "target": "y", "stream": %s}, "cv": {"seed": 1}, "output": {"dir": "%s", "plots": false}}\n' \
    "$3" "$2" "$WORK/out-$1" > "$WORK/$1.json"
}
config held false "$DATA"
config streamed true "$DATA"
config gzip true "$DATA.gz"
printf '{"data": {"train": "%s", "stream": true}, "cv": {"seed": 1}, "output": {"dir": "%s", "plots": false}}\n' \
  "$SVM" "$WORK/out-svmlight" > "$WORK/svmlight.json"

# One run: wall seconds and peak RSS (KiB); the held run's load time too.
run() {
  local name=$1 t0 t1
  rm -rf "$WORK/out-$name"
  t0=$(date +%s.%N)
  /usr/bin/time -o "$WORK/rss" -f %M "$REGPATH" --config "$WORK/$name.json" -q
  t1=$(date +%s.%N)
  local load
  load=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["timing"]["load_s"])' \
    "$WORK/out-$name/report.json")
  echo "$(awk "BEGIN {print $t1 - $t0}") $(tail -n 1 "$WORK/rss") $load" >> "$WORK/$name.times"
}
# regpath predict with the held run's model on FILE (the training file or
# its svmlight copy), scored; NAME.times gets the wall time and peak RSS.
predict() { # NAME FILE
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -o "$WORK/rss" -f %M "$REGPATH" predict --model "$WORK/out-held/model.json" \
    --data "$2" --output "$WORK/preds.csv" > "$WORK/scores"
  t1=$(date +%s.%N)
  echo "$(awk "BEGIN {print $t1 - $t0}") $(tail -n 1 "$WORK/rss")" >> "$WORK/$1.times"
}
for ((k = 1; k <= RUNS; k++)); do
  run held
  run streamed
  run gzip
  run svmlight
  predict predict "$DATA"
  predict predict-svmlight "$SVM"
done

# The streamed report against the held one's (scripts/bench/report_diff.py),
# data.streamed left out.
worst() { # NAME (svmlight: its features are f1.., the CSV's x0..)
  /usr/bin/python3 "$ROOT/scripts/bench/report_diff.py" $([ "$1" = svmlight ] && echo --any-names) \
    "$WORK/out-held/report.json" "$WORK/out-$1/report.json" streamed train
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
{
  echo "# regpath benchmark: data.stream, the training rows read once into their sums"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- command: \`scripts/bench-stream.sh --n $N --p $P --runs $RUNS\`"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo "- regpath: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- data: gen_synthetic.py, $N x $P gaussian (AR(1) rho 0.5, 10 true features), $(du -m "$DATA" | cut -f1) MB of CSV; lasso path + 10-fold CV (cv.seed 1)"
  echo
  parse=$(cut -d' ' -f3 "$WORK/held.times" | median)
  echo "Parse once (the held run's read of the file into X, report.json's timing.load_s, median): $(printf '%.2f' "$parse") s."
  echo
  echo "| run | wall s (median of $RUNS) | vs parse once | peak RSS MiB | largest relative difference from the held report |"
  echo "|---|--:|--:|--:|--:|"
  for name in held streamed gzip svmlight predict predict-svmlight; do
    t=$(cut -d' ' -f1 "$WORK/$name.times" | median)
    rss=$(cut -d' ' -f2 "$WORK/$name.times" | sort -n | tail -n 1)
    case $name in
      held) what="regpath, rows held (data.stream false)" ;;
      streamed) what="regpath, rows streamed (data.stream true)" ;;
      gzip) what="regpath, rows streamed from the gzip copy ($(du -m "$DATA.gz" | cut -f1) MB)" ;;
      svmlight) what="regpath, rows streamed from an svmlight copy ($(du -m "$SVM" | cut -f1) MB; p and the rows from a first pass)" ;;
      predict) what="regpath predict, the held run's model on the same rows, scored" ;;
      predict-svmlight) what="regpath predict, the same on the svmlight copy" ;;
    esac
    printf '| %s | %.2f | %.2f | %d | %s |\n' "$what" "$t" "$(awk "BEGIN {print $t / $parse}")" \
      $((rss / 1024)) "$(case $name in streamed | gzip | svmlight) worst $name ;; *) echo - ;; esac)"
  done
} > "$OUT"
cat "$OUT"
