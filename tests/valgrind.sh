#!/bin/bash
# valgrind.sh: `make check-valgrind`.  Every check program under valgrind
# (CK_FORK=no, so that the tests run in the process valgrind watches), with
# the command-line suite pointed at the real program so that valgrind
# follows it into each run (--trace-children; programs under /usr and /bin,
# such as gnuplot, are not followed); then the program itself on
# configs/cv.json, on predict, and on a bad config and bad data.  Any
# valgrind error or definite/indirect leak fails it: through the exit code,
# and through the per-process logs in tests/valgrind/, which must all be
# empty.  Each test case (Check's TCase, found by its tcase_create line in
# the suite's source, or check_cli's cli_case) runs as a job of its own
# (CK_RUN_CASE), two at a time (REGPATH_VALGRIND_JOBS, default 2), the
# longest first.  (Runs of this step killed with exit 137 partway came from
# Check, not from the load: a SIGINT meant for a program that reached the
# forked child before its exec ran Check's handler, which kills the whole
# process group under CK_FORK=no; tests/testutil.h, tu_fork, says how the
# suites prevent it.)
# Test cases tagged "slow" are left out here (CK_EXCLUDE_TAGS): the glmnet
# agreement of every cross-validated curve, each a path refitted ten times
# more, work that valgrind would stretch to an hour on code the other cases
# already take valgrind through; make check and the sanitizer build run them.
#
#   tests/valgrind.sh PROGRAM...     (from make: srcdir, builddir, LIBTOOL,
#                                     VALGRIND and VALGRIND_FLAGS set)
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
VALGRIND=${VALGRIND:-valgrind}
read -r -a libtool <<<"${LIBTOOL:-$builddir/libtool}" # "/bin/bash .../libtool" from make
read -r -a flags <<<"${VALGRIND_FLAGS:--q --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --trace-children=yes --trace-children-skip=/usr/*,/bin/*,/sbin/*}"
command -v "$VALGRIND" >/dev/null 2>&1 || {
  echo "check-valgrind: $VALGRIND not found (Debian: apt-get install valgrind)" >&2
  exit 1
}
logs=$builddir/tests/valgrind
rm -rf "$logs"
mkdir -p "$logs"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/regpath-vg.XXXXXX") || exit 1
real=$builddir/app/regpath
[ -f "$builddir/app/.libs/regpath" ] && real=$builddir/app/.libs/regpath
# The real program finds the uninstalled libregpath.so here: the suites link
# the library's objects statically, so libtool's execute mode no longer puts
# lib/.libs on their path, and the programs they start inherit theirs.
export LD_LIBRARY_PATH="$builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
jobs=${REGPATH_VALGRIND_JOBS:-2}

# One job: suite $1, only its test case $2 when given; its verdict line into
# $logs/<suite>[.<n>].verdict.
job() {
  local t=$1 case=${2:-} name start res
  name=${t##*/}${3:+.$3}
  start=$(date +%s)
  if env srcdir="$srcdir" builddir="$builddir" REGPATH="$real" CK_FORK=no CK_EXCLUDE_TAGS=slow CK_DEFAULT_TIMEOUT=3000 \
      ${case:+CK_RUN_CASE="$case"} REGPATH_TEST_GUARD_SECONDS=1800 "${libtool[@]}" --mode=execute \
      "$VALGRIND" "${flags[@]}" --error-exitcode=1 --log-file="$logs/$name.%p.log" "$t" \
      >"$logs/$name.out" 2>&1; then
    res=PASS
  else
    res=FAIL
  fi
  echo "$res: valgrind $t${case:+ ($case)} ($(($(date +%s) - start)) s)" | tee "$logs/$name.verdict"
}

# The test cases of suite $1, one per line, from its source (none for a
# program that is not a Check suite, e.g. the fuzz replay: it runs whole).
cases_of() {
  local src="$srcdir/tests/${1##*/}.c"
  [ -f "$src" ] && sed -n -e 's/.*tcase_create("\([^"]*\)").*/\1/p' \
    -e 's/.*cli_case(s, "\([^"]*\)").*/\1/p' "$src"
}

# The jobs, longest first as measured under valgrind, the rest after: a
# suite with one test case runs whole.
order=()
for slow in check_cli check_cv check_weights check_glm check_config check_tables check_path check_plots; do
  for t in "$@"; do [ "${t##*/}" = "$slow" ] && order+=("$t"); done
done
for t in "$@"; do
  case " ${order[*]} " in *" $t "*) ;; *) order+=("$t") ;; esac
done
for t in "${order[@]}"; do
  mapfile -t cases < <(cases_of "$t")
  [ "${#cases[@]}" -gt 1 ] || cases=("")
  k=0
  for c in "${cases[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    k=$((k + 1))
    if [ -n "$c" ]; then job "$t" "$c" "$k" & else job "$t" & fi
  done
done
wait

failed=$(cat "$logs"/*.verdict | grep -c '^FAIL' || true)
runs=$(ls "$logs"/*.verdict | wc -l)
run() {
  local want=$1 what=$2 code=0
  shift 2
  runs=$((runs + 1))
  "${libtool[@]}" --mode=execute "$VALGRIND" "${flags[@]}" --error-exitcode=99 \
    --log-file="$logs/regpath.%p.log" "$@" >"$logs/run-$what.out" 2>&1 || code=$?
  if [ "$code" -eq "$want" ]; then
    echo "PASS: valgrind regpath ($what, exit $code)"
  else
    echo "FAIL: valgrind regpath ($what): exit $code, expected $want"
    failed=$((failed + 1))
  fi
}
run 0 cv.json "$builddir/app/regpath" --config "$srcdir/configs/cv.json" --output "$tmp/out" \
  --set output.render=none --quiet
run 0 predict "$builddir/app/regpath" predict --model "$tmp/out/model.json" \
  --data "$srcdir/configs/data/diabetes.csv" --output "$tmp/pred.csv" --quiet
printf '{"data": {"train": "bad.csv"}, "cv": {"folds": "ten"}}\n' >"$tmp/bad-config.json"
run 2 bad-config "$builddir/app/regpath" --config "$tmp/bad-config.json" --output "$tmp/out2"
printf 'a,b,y\n1,2,3\n4,x,6\n7,8,9\n' >"$tmp/bad.csv"
printf '{"data": {"train": "bad.csv", "categorical": "none"}, "cv": {"folds": 2}}\n' >"$tmp/bad-data.json"
run 3 bad-data "$builddir/app/regpath" --config "$tmp/bad-data.json" --output "$tmp/out2"
for f in "$logs"/*.log; do
  if [ -s "$f" ]; then
    echo "valgrind reported in $f:"
    sed 's/^/  /' "$f" | head -n 60
    failed=$((failed + 1))
  fi
done
echo "check-valgrind: $runs runs, $failed problems (logs in $logs)"
if [ "$failed" -ne 0 ]; then
  for f in "$logs"/*.out; do echo "== $f"; tail -n 30 "$f"; done
  exit 1
fi
rm -rf "$tmp"
