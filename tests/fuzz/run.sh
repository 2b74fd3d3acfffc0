#!/bin/sh
# run.sh [SECONDS]: build the libFuzzer harnesses and fuzz each for SECONDS
# (default 60), both at once (one core each), then print libFuzzer's final
# numbers per harness.  See tests/fuzz/README.md.
#
# Environment:
#   FUZZ_WORK     build and working folder (default ${TMPDIR:-/tmp}/regpath-fuzz).
#                 New corpus inputs go to $FUZZ_WORK/corpus/<harness>, crashes to
#                 $FUZZ_WORK/artifacts/<harness>/; the committed seed corpus is
#                 read, never written.
#   FUZZ_TARGETS  harnesses to run (default "csv config")
#   FUZZ_FLAGS    extra libFuzzer flags (e.g. "-use_value_profile=1")
#   CC            a clang with libFuzzer (default clang)
#   CJSON_CFLAGS, CJSON_LIBS   default from pkg-config libcjson
# Exit status: 0 when no harness found anything, 1 otherwise (or when a
# build failed).
set -eu

seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=${FUZZ_WORK:-${TMPDIR:-/tmp}/regpath-fuzz}
targets=${FUZZ_TARGETS:-csv config}
cc=${CC:-clang}
cjson_cflags=${CJSON_CFLAGS:-$(pkg-config --cflags libcjson 2>/dev/null || true)}
cjson_libs=${CJSON_LIBS:-$(pkg-config --libs libcjson 2>/dev/null || echo -lcjson)}

mkdir -p "$work/bin" "$work/obj" "$work/include"
flags="-std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
flags="$flags -fno-omit-frame-pointer -DRP_FUZZ_LIBFUZZER -I$top/lib -I$here -I$work/include"
gsl_cflags=$(pkg-config --cflags gsl 2>/dev/null || true)
gsl_libs=$(pkg-config --libs gsl 2>/dev/null || echo "-lgsl -lgslcblas")
zlib_libs=$(pkg-config --libs zlib 2>/dev/null || echo -lz)

# Every library source goes into one archive, built without libtool or
# configure; each harness then links only the objects it reaches, so moving
# code between lib/ files needs no change here.  The few sources that include
# configure's build-config.h get a stand-in with the version (and no BLAS buffer).
version=$(sed -n 's/^AC_INIT(\[regpath\], *\[\([^]]*\)\].*/\1/p' "$top/configure.ac")
printf '#define PACKAGE_VERSION "%s"\n#define VERSION PACKAGE_VERSION\n#define RP_BLAS_BUFFER_BYTES 0\n' "${version:-0}" \
  >"$work/include/build-config.h"
rm -f "$work/obj"/*.o "$work/libregpath-fuzz.a"
echo "run.sh: compiling $top/lib/*.c" >&2
for f in "$top"/lib/*.c; do
  # shellcheck disable=SC2086 # word splitting of the flag lists is intended
  $cc $flags $gsl_cflags $cjson_cflags -c "$f" \
    -o "$work/obj/$(basename "$f" .c).o"
done
ar rcs "$work/libregpath-fuzz.a" "$work"/obj/*.o
for t in $targets; do
  case $t in
    csv | config) ;;
    *) echo "run.sh: unknown harness $t (csv, config)" >&2; exit 2 ;;
  esac
  echo "run.sh: building $work/bin/fuzz_$t" >&2
  # shellcheck disable=SC2086
  $cc $flags $cjson_cflags -o "$work/bin/fuzz_$t" "$here/fuzz_$t.c" "$here/fuzz_common.c" \
    "$work/libregpath-fuzz.a" $cjson_libs $gsl_libs $zlib_libs -lm
done

status=0
for t in $targets; do
  mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
  dirs="$work/corpus/$t $here/corpus/$t"
  [ -d "$here/regressions/$t" ] && dirs="$dirs $here/regressions/$t"
  echo "run.sh: fuzz_$t for ${seconds}s, log $work/fuzz_$t.log" >&2
  # shellcheck disable=SC2086
  "$work/bin/fuzz_$t" -max_len=4096 -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -dict="$here/$t.dict" \
    -artifact_prefix="$work/artifacts/$t/" ${FUZZ_FLAGS:-} $dirs \
    >"$work/fuzz_$t.log" 2>&1 &
  echo $! >"$work/fuzz_$t.pid"
done
for t in $targets; do
  wait "$(cat "$work/fuzz_$t.pid")" || status=1
  rm -f "$work/fuzz_$t.pid"
done

# libFuzzer's closing numbers: the last status line (cov, ft, corp) and the
# -print_final_stats block (executions, exec/s).
export LC_ALL=C # the logs may quote any byte
for t in $targets; do
  log="$work/fuzz_$t.log"
  last=$(grep -aE '^#[0-9]+[[:space:]]+(INITED|NEW|REDUCE|pulse|DONE) ' "$log" | tail -n 1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
  found=$(find "$work/artifacts/$t" -type f | wc -l)
  echo "fuzz_$t: ${seconds}s, ${execs:-?} execs, ${rate:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}, artifacts $found"
  if [ "$found" -ne 0 ]; then
    status=1
    find "$work/artifacts/$t" -type f | sed 's/^/  /'
    grep -aE -A12 'ERROR|invariant broken|runtime error' "$log" | head -n 40 | sed 's/^/  /'
  fi
done
exit $status
