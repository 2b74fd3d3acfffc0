#!/bin/bash
# readme-examples.sh [--update]: the README's example outputs, made by the program.
#
# Each fenced block of README.md right after a line "<!-- example: NAME -->"
# is what example NAME below prints: the commands as the README shows them
# ("$ ..." lines) and what the program writes.  The examples run in a fresh
# temporary folder holding copies of configs/ and of the penguins table
# (tests/data/tables/penguins.csv); that folder's path prints as the
# README's ("/tmp/penguins" for the penguins folder, "." otherwise), the
# one thing that varies from run to run.
#
# Without --update: exit 0 when every block is what the program prints now,
# else print a unified diff (README as it is, README as it would be) and
# exit 1.  With --update: rewrite the blocks that differ.
#
#   REGPATH   the program (default: app/regpath of the source tree)
#   srcdir    the source tree (default: this script's parent folder)
set -euo pipefail
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
REGPATH=${REGPATH:-$srcdir/app/regpath}
update=0
[ "${1:-}" = "--update" ] && update=1
readme=$srcdir/README.md
command -v jq >/dev/null 2>&1 || { echo "readme-examples.sh: jq not found (Debian: apt-get install jq; scripts/bootstrap.sh installs it)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/regpath-readme.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$srcdir/configs" "$work/configs"
rm -rf "$work/configs/../regpath-out" "$work"/regpath-*
mkdir "$work/penguins"
cp "$srcdir/tests/data/tables/penguins.csv" "$work/penguins/"
export OMP_NUM_THREADS=1 # the results are the same for any thread count; this is the README's

# The examples, each printing its block.
compare() { (cd "$work" && "$REGPATH" --config configs/compare.json 2>&1); }
logistic() {
  echo '$ regpath --config configs/logistic.json'
  (cd "$work" && "$REGPATH" --config configs/logistic.json 2>&1) | sed -n '1,/^selected (\*)/p'
}
penguins_missing() {
  echo '$ regpath --data penguins.csv --target body_mass_g'
  (cd "$work/penguins" && "$REGPATH" --data penguins.csv --target body_mass_g 2>&1 || true)
}
penguins_mean() {
  echo '$ regpath --data penguins.csv --target body_mass_g --set data.missing=mean --set data.drop_first=true'
  (cd "$work/penguins" &&
    "$REGPATH" --data penguins.csv --target body_mass_g --set data.missing=mean \
      --set data.drop_first=true 2>&1)
}
penguins_data() { # after penguins_mean
  jq -c '.data | {rows_read, rows_dropped, categorical}' "$work/penguins/regpath-out/report.json"
}
penguins_predict() { # after penguins_mean
  echo '$ regpath predict --model regpath-out/model.json --data penguins.csv --output preds.csv'
  (cd "$work/penguins" && "$REGPATH" predict --model regpath-out/model.json --data penguins.csv \
    --output preds.csv 2>&1)
  echo "\$ head -5 preds.csv | awk -F, -v OFS=, 'NR > 1 { \$3 = sprintf(\"%.8g\", \$3) } 1'"
  head -5 "$work/penguins/preds.csv" | awk -F, -v OFS=, 'NR > 1 { $3 = sprintf("%.8g", $3) } 1'
}
sparse() { # the whole output first: sed stops reading early, which must not fail the run
  echo '$ regpath --data configs/data/word_counts.svm --output words-out'
  local out
  out=$(cd "$work" && "$REGPATH" --data configs/data/word_counts.svm --output words-out 2>&1)
  printf '%s\n' "$out" | sed -n '1,/^selected (\*)/p'
}
sparse_data() { # after sparse
  jq -c '.data | {format, storage, nnz, n_features}' "$work/words-out/report.json"
}
limits() {
  echo "\$ regpath --config configs/cv.json --set model.positive=true --set 'model.upper_limits={\"bmi\": 5}'"
  (cd "$work/configs" && "$REGPATH" --config cv.json --set model.positive=true \
    --set 'model.upper_limits={"bmi": 5}' --set output.plots=false 2>&1) |
    sed -n '/^selected (\*)/,/(intercept)/p'
}
relax() {
  echo '$ regpath --config configs/cv.json --set model.relax=true'
  (cd "$work/configs" && "$REGPATH" --config cv.json --set model.relax=true \
    --set output.plots=false 2>&1) | sed -n '3,/^selected (\*)/p'
}
multinomial() {
  echo '$ regpath --config configs/multinomial.json'
  (cd "$work" && "$REGPATH" --config configs/multinomial.json 2>&1)
}
names="limits relax compare logistic multinomial penguins_missing penguins_mean penguins_data penguins_predict sparse sparse_data"
for name in $names; do
  "$name" | sed -e "s|$work/penguins|/tmp/penguins|g" -e "s|$work|.|g" >"$work/$name.out"
done

# README.md with every marked block replaced by its example's output.
awk -v dir="$work" '
  skip && /^```$/ { skip = 0 }
  skip { next }
  fence { print; while ((getline line < (dir "/" name ".out")) > 0) print line; skip = 1; fence = 0; next }
  /^<!-- example: [a-z_]+ -->$/ { name = $3; fence = 1; seen[name] = 1 }
  { print }
  END { for (n in seen) print n > (dir "/seen") }' "$readme" >"$work/README.md"
for name in $names; do
  grep -qx "$name" "$work/seen" 2>/dev/null || { echo "readme-examples.sh: README.md has no block marked <!-- example: $name -->" >&2; exit 1; }
done
if cmp -s "$readme" "$work/README.md"; then exit 0; fi
if [ "$update" -eq 1 ]; then
  cp "$work/README.md" "$readme"
  echo "readme-examples.sh: README.md updated"
  exit 0
fi
diff -u --label "README.md (as it is)" --label "README.md (as the program prints)" "$readme" "$work/README.md" || true
echo "readme-examples.sh: README.md's examples differ from what the program prints; run scripts/readme-examples.sh --update" >&2
exit 1
