#!/usr/bin/env bash
# Time the CSV reader (rp_table_read_csv) of this tree against an older commit's, on the same
# generated numeric file: N rows x P columns (default 100000 x 50) of decimals as R's write.csv
# writes them (15 significant digits; every fifth column integers), seed 42. Both readers are
# compiled here with the same compiler and flags into bench/csv_load.c, and run alternately
# (old, new, old, new, ...) so that both see the same load; the table shows the median of the
# runs, the ratio old / new, and MB/s (file bytes / median seconds). The new reader is also
# timed on the gzip-compressed file. Big files stay in a temporary folder, removed at the end.
# Writes bench/results-csv.md (see bench/README.md). Run `scripts/bench-csv.sh --help`.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=100000
COLS=50
REPEAT=5
BASELINE=main
OUT="$ROOT/bench/results-csv.md"
CC=${CC:-cc}
CFLAGS_BENCH="-std=c11 -O2 -g"
DATA_SEED=42

COMMAND_LINE="scripts/bench-csv.sh${*:+ $(printf '%q ' "$@")}"
COMMAND_LINE=${COMMAND_LINE% }

usage() {
  cat <<'USAGE'
usage: scripts/bench-csv.sh [--rows N] [--cols P] [--repeat N] [--baseline REF] [--out FILE]

  --rows N        data rows of the generated file (default 100000)
  --cols P        columns (default 50)
  --repeat N      runs of each reader; the table shows medians (default 5)
  --baseline REF  the git commit whose reader is "old" (default main)
  --out FILE      where the results go (default bench/results-csv.md)
The compiler is $CC (default cc), with -std=c11 -O2 -g for both readers.
USAGE
}

die() {
  echo "bench-csv: error: $*" >&2
  exit 2
}
say() { echo "bench-csv: $*" >&2; }

while [ $# -gt 0 ]; do
  case $1 in
    --rows | --cols | --repeat | --baseline | --out)
      [ $# -ge 2 ] || die "$1 needs a value"
      case $1 in
        --rows) ROWS=$2 ;;
        --cols) COLS=$2 ;;
        --repeat) REPEAT=$2 ;;
        --baseline) BASELINE=$2 ;;
        --out) OUT=$2 ;;
      esac
      shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
for v in "$ROWS" "$COLS" "$REPEAT"; do [[ $v =~ ^[1-9][0-9]*$ ]] || die "not a positive count: $v"; done
git -C "$ROOT" rev-parse --verify -q "$BASELINE^{commit}" >/dev/null || die "no commit $BASELINE"
pkg-config --exists gsl zlib || die "needs GSL and zlib (scripts/bootstrap.sh installs them)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-csv.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

say "generating $ROWS x $COLS in $TMP"
awk -v n="$ROWS" -v p="$COLS" -v seed="$DATA_SEED" 'BEGIN {
  srand(seed)
  for (j = 1; j <= p; j++) printf "%sx%d", (j > 1 ? "," : ""), j
  print ""
  for (i = 1; i <= n; i++) {
    for (j = 1; j <= p; j++) {
      z = sqrt(-2 * log(rand() + 1e-300)) * cos(6.283185307179586 * rand())
      if (j % 5 == 0) printf "%s%d", (j > 1 ? "," : ""), int(z * 100)
      else printf "%s%.15g", (j > 1 ? "," : ""), z
    }
    print ""
  }
}' >"$TMP/data.csv"
gzip -c -6 "$TMP/data.csv" >"$TMP/data.csv.gz"
BYTES=$(stat -c %s "$TMP/data.csv")

# The reader's files of a tree: the ones that exist at that commit.
build() { # build SRC OUT
  local src=$1 files=() f
  for f in table.c csv_input.c csv_record.c csv_number.c csv_levels.c error.c text.c memory.c; do
    [ -f "$src/lib/$f" ] && files+=("$src/lib/$f")
  done
  # shellcheck disable=SC2046,SC2086
  "$CC" $CFLAGS_BENCH -I"$TMP/cfg" -I"$src/lib" "$ROOT/bench/csv_load.c" "${files[@]}" -o "$2" \
    $(pkg-config --libs gsl zlib) -lm
}
mkdir -p "$TMP/cfg" "$TMP/old"
# memory.c wants the configure results it reads; the reader needs none.
# (build-config.h today; config.h in baselines from before its rename.)
printf '#define RP_BLAS_BUFFER_BYTES 0\n' >"$TMP/cfg/build-config.h"
cp "$TMP/cfg/build-config.h" "$TMP/cfg/config.h"
git -C "$ROOT" archive "$BASELINE" lib | tar -x -C "$TMP/old"
say "building the readers of $BASELINE and of this tree"
build "$TMP/old" "$TMP/load_old"
build "$ROOT" "$TMP/load_new"

: >"$TMP/old.txt"; : >"$TMP/new.txt"; : >"$TMP/gz.txt"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= REPEAT; r++)); do
  say "run $r of $REPEAT"
  "$TMP/load_old" "$TMP/data.csv" 1 >>"$TMP/old.txt"
  "$TMP/load_new" "$TMP/data.csv" 1 >>"$TMP/new.txt"
  "$TMP/load_new" "$TMP/data.csv.gz" 1 >>"$TMP/gz.txt"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
# Same shape and sum of values from both readers, or the timing means nothing.
[ "$(cut -d' ' -f2- "$TMP/old.txt" | sort -u)" = "$(cut -d' ' -f2- "$TMP/new.txt" | sort -u)" ] ||
  die "the readers disagree: $(head -1 "$TMP/old.txt") vs $(head -1 "$TMP/new.txt")"
[ "$(cut -d' ' -f2- "$TMP/new.txt" | sort -u)" = "$(cut -d' ' -f2- "$TMP/gz.txt" | sort -u)" ] ||
  die "the gzip file reads differently from the plain one"

median() { cut -d' ' -f1 "$1" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
OLD=$(median "$TMP/old.txt"); NEW=$(median "$TMP/new.txt"); GZ=$(median "$TMP/gz.txt")
row() { awk -v b="$BYTES" -v s="$2" -v base="$OLD" -v name="$1" \
  'BEGIN { printf "| %s | %.3f | %.0f | %.2f |\n", name, s, b / s / 1e6, base / s }'; }
OLD_REV=$(git -C "$ROOT" rev-parse --short "$BASELINE")
NEW_REV=$(git -C "$ROOT" rev-parse --short HEAD)
[ -z "$(git -C "$ROOT" status --porcelain -- lib)" ] || NEW_REV="$NEW_REV-dirty"
{
  echo "# CSV load time"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- command: \`$COMMAND_LINE\`"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load at start $LOAD_START, at end $LOAD_END"
  echo "- compiler: $("$CC" --version | head -1), $CFLAGS_BENCH for both readers"
  echo "- data: $ROWS rows x $COLS columns, $BYTES bytes (R-style decimals, 15 significant digits; every fifth column integers; seed $DATA_SEED); gzip -6 copy $(stat -c %s "$TMP/data.csv.gz") bytes"
  echo "- timed: one rp_table_read_csv with default options (bench/csv_load.c), median of $REPEAT runs, old and new alternating"
  echo
  echo "| reader | median s | MB/s (plain bytes) | speed-up over old |"
  echo "|---|--:|--:|--:|"
  row "old: $BASELINE ($OLD_REV), plain" "$OLD"
  row "new: this tree ($NEW_REV), plain" "$NEW"
  row "new: this tree ($NEW_REV), gzip" "$GZ"
  echo
  echo "All runs (seconds): old $(cut -d' ' -f1 "$TMP/old.txt" | tr '\n' ' ')/ new $(cut -d' ' -f1 "$TMP/new.txt" | tr '\n' ' ')/ gzip $(cut -d' ' -f1 "$TMP/gz.txt" | tr '\n' ' ')"
} >"$OUT"
cat "$OUT"
