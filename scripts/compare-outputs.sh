#!/usr/bin/env bash
# compare-outputs.sh BASE NEW: proof that a change left every number as it was.
#
# Runs two regpath programs (e.g. a build of main and one of a branch) on
# configs/*.json and on the four benchmark sets of scripts/bench.sh (tall
# 10000x500, wide 500x10000, mid 2000x2000, binomial 5000x500; generated into
# bench/data/ when missing, with python3-numpy), and compares every output file
# but the images byte for byte; in the JSON files, the lines that must differ
# (the output folder, and the timings, keys ending in _s) are left out.
# Prints one line per run and "ALL IDENTICAL" or "SOME DIFFER"; exit 0 or 1.
# The benchmark sets take a few minutes: SETS="" compares the configs alone.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: scripts/compare-outputs.sh BASE_REGPATH NEW_REGPATH" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=$(readlink -f "$1")
NEW=$(readlink -f "$2")
SETS=${SETS-tall:10000:500:gaussian wide:500:10000:gaussian mid:2000:2000:gaussian binomial:5000:500:binomial}
work=$(mktemp -d "${TMPDIR:-/tmp}/regpath-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
differ=0

# The lines of a JSON output that are the same for equal numbers.
stable() { grep -Ev '"dir":|_s":' "$1" || true; }

# compare LABEL CONFIG: both programs on CONFIG (from its folder), their files compared.
compare() {
  local label=$1 dir file name n=0
  dir=$(dirname "$2")
  for who in base new; do
    local bin=$BASE
    [ "$who" = new ] && bin=$NEW
    (cd "$dir" && "$bin" --config "$(basename "$2")" --output "$work/$label-$who" --quiet \
      --no-progress >/dev/null 2>"$work/$label-$who.err") || echo "$label: $who exited $?"
  done
  for file in "$work/$label-base"/*; do
    name=${file##*/}
    case $name in *.png | *.svg) continue ;; esac
    n=$((n + 1))
    if [[ $name == *.json ]]; then
      cmp -s <(stable "$file") <(stable "$work/$label-new/$name") && continue
    else
      cmp -s "$file" "$work/$label-new/$name" && continue
    fi
    echo "DIFFER: $label/$name"
    differ=1
  done
  echo "$label: $n files compared"
}

for config in "$ROOT"/configs/*.json; do compare "config-$(basename "$config" .json)" "$config"; done
for set in $SETS; do
  IFS=: read -r name n p family <<<"$set"
  dir="$ROOT/bench/data/$name-${n}x$p-seed42"
  /usr/bin/python3 "$ROOT/scripts/bench/prepare_set.py" --dir "$dir" --n "$n" --p "$p" \
    --family "$family" --seed 42 --folds 10 --fold-seed 1 >/dev/null
  compare "bench-$name" "$dir/regpath.json"
done
if [ "$differ" -eq 0 ]; then echo "ALL IDENTICAL"; else echo "SOME DIFFER"; fi
exit "$differ"
