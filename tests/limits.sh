#!/bin/bash
# limits.sh: under an address-space limit the program ends, with exit 0 or
# 6 (out of memory), within a minute, every time: on configs/cv.json and on
# a 3000 x 3000 set, at ulimit -v 100, 200, 350 and 800 MB (and, with
# --all, at every 50 MB from 60 to 800).  OpenBLAS once made such runs hang.
#
#   tests/limits.sh [--all] [--repeat N]
#
# Not under the sanitizers: ASan reserves terabytes of address space, so
# no ulimit -v leaves it room to start (the script says so and skips).
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
REGPATH=${REGPATH:-$builddir/app/regpath}
limits="100 200 350 800"
repeat=1
while [ $# -gt 0 ]; do
  case $1 in
    --all) limits=$(seq 60 50 800) ;;
    --repeat) repeat=$2; shift ;;
  esac
  shift
done
if [ "${SANITIZERS:-no}" = yes ]; then
  echo "SKIP: limits.sh: a sanitizer build cannot start under ulimit -v (ASan maps terabytes of shadow memory)"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/regpath-limits.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$srcdir/configs/data/diabetes.csv" "$work/"
awk -v n=3000 -v p=3000 'BEGIN { srand(7); for (j = 1; j <= p; j++) printf "x%d,", j; print "y";
  for (i = 1; i <= n; i++) { s = 0; for (j = 1; j <= p; j++) { v = rand() * 2 - 1; s += (j <= 10) * v * j;
    printf "%.4f,", v } printf "%.4f\n", s + rand() } }' > "$work/big.csv"
cat > "$work/cv.json" <<'JSON'
{"data": {"train": "diabetes.csv"}, "output": {"dir": "out-cv"}}
JSON
cat > "$work/big.json" <<'JSON'
{"data": {"train": "big.csv"}, "cv": {"folds": 5}, "path": {"n_alphas": 20, "alpha_min_ratio": 0.05},
 "output": {"dir": "out-big"}}
JSON

failures=0 runs=0
for config in cv big; do
  for mb in $limits; do
    for r in $(seq 1 "$repeat"); do
      start=$(date +%s%N)
      (ulimit -v $((mb * 1024)); exec timeout -s KILL 60 "$REGPATH" --config "$work/$config.json" \
        --quiet --no-progress) >/dev/null 2>"$work/err.txt"
      code=$?
      ms=$((($(date +%s%N) - start) / 1000000))
      runs=$((runs + 1))
      printf '%-4s ulimit -v %4d MB: exit %d in %5d ms %s\n' "$config" "$mb" "$code" "$ms" "$(head -c 150 "$work/err.txt")"
      if [ $code -ne 0 ] && [ $code -ne 6 ]; then
        echo "FAIL: $config at $mb MB: exit $code (137: killed after 60 s)"
        failures=$((failures + 1))
      fi
    done
  done
done
echo "limits: $runs runs, $failures failures"
[ $failures -eq 0 ]
