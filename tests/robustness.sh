#!/bin/bash
# robustness.sh: an earlier output folder is never lost, and signals end a
# run promptly (README, "Output files").
#
#   tests/robustness.sh [--trials N]     (make check: 2 trials; the issue's
#                                         full run: --trials 20)
#
# 1. Faults: every step of the commit fails in turn.  tests/fault/inject.c
#    (LD_PRELOAD) fails the n-th call of one libc function (each open,
#    mkdir, write, fsync, link, rename, ... of the program), for n = 1, 2,
#    ... until the run no longer reaches it; a fake gnuplot fails, writes a
#    cut image, or dies, at each render in turn; stdout is full or closed.
# 2. Signals at random times: SIGINT, SIGTERM twice (50 ms apart) and
#    SIGKILL, N trials each.
#
# After every run: exit 0 and the folder holds exactly the new run's files
# (compared with a clean run, byte for byte but for report.json's timing and
# folder name) and the files that were there before and are not regpath's;
# or exit nonzero and the folder is byte for byte the earlier one (after a
# signal that came during the swap, the new one).  SIGINT and SIGTERM end the
# program within a second.  After SIGKILL the next run removes the staging
# folder the killed run left.
set -u
trials=2
[ "${1:-}" = "--trials" ] && trials=$2
srcdir=${srcdir:-.}
builddir=${builddir:-.}
REGPATH=${REGPATH:-$builddir/app/regpath}
# In the build tree app/regpath is libtool's wrapper script.  A SIGINT that
# reaches it while it waits on a command of its own is absorbed by the
# shell (the command did not die of it, so the shell goes on), and the
# program then ran to its end: "INT at 74 ms: the program took 1509 ms to
# end".  The signals below must reach the program itself.
if [ -x "$(dirname "$REGPATH")/.libs/$(basename "$REGPATH")" ]; then
  export LD_LIBRARY_PATH="$(dirname "$REGPATH")/../lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  REGPATH=$(dirname "$REGPATH")/.libs/$(basename "$REGPATH")
fi
shim=$builddir/tests/fault/.libs/libfaultinject.so
gnuplot_real=$(command -v gnuplot || true)
failures=0
checks=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

work=$(mktemp -d "${TMPDIR:-/tmp}/regpath-robust.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

[ -f "$shim" ] || { echo "robustness.sh: $shim is not built"; exit 99; }
[ -n "$gnuplot_real" ] || { echo "robustness.sh: gnuplot is not on PATH"; exit 99; }

# ---- data and configs: a small fast run, and one slow enough to signal
cp "$srcdir/configs/data/diabetes.csv" diabetes.csv
awk -v n=3000 -v p=40 'BEGIN { srand(11); for (j = 1; j <= p; j++) printf "x%d,", j; print "y";
  for (i = 1; i <= n; i++) { s = 0; for (j = 1; j <= p; j++) { v = rand() * 2 - 1; s += (j <= 8) * v * j;
    printf "%.5f,", v } printf "%.5f\n", s + rand() } }' > slow.csv
cat > fast.json <<'EOF'
{"data": {"train": "diabetes.csv"}, "cv": {"folds": 5}, "output": {"dir": "out"}}
EOF
cat > slow.json <<'EOF'
{"data": {"train": "slow.csv"}, "model": {"l1_ratio": [1, 0.5, 0.2]},
 "path": {"gap_tol": 1e-9}, "output": {"dir": "out"}}
EOF

# ---- the folder's state, and the invariant
# A listing of folder $1: every entry with its type, and a checksum of its
# content (report.json without its timing, and with the folder's name
# taken out, so that a run into another folder compares equal).
listing() {
  (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while read -r f; do
    if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
    elif [ -d "$f" ]; then echo "$f/"
    elif [ "$f" = ./report.json ]; then echo "$f $(sed -e '/"timing"/,$d' -e '/"dir":/d' "$f" | md5sum)"
    else echo "$f $(md5sum < "$f")"; fi
  done)
}

# The earlier state: run A's files and two of the user's own.
make_old() {
  rm -rf out
  "$REGPATH" --config "$1" --set cv.seed=1 --quiet --no-progress >/dev/null 2>&1 || return 1
  echo "the user's notes" > out/notes.txt
  ln -s notes.txt out/notes-link
  listing out > old.list
}

# The new state: run B alone in a fresh folder, plus the user's files.
make_new() {
  rm -rf ref
  "$REGPATH" --config "$1" --set cv.seed=2 --set output.dir=ref --quiet --no-progress >/dev/null 2>&1 || return 1
  echo "the user's notes" > ref/notes.txt
  ln -s notes.txt ref/notes-link
  listing ref > new.list
}

# After a run that exited with $1 (signal: $2 = 1), what is in out?
check_state() {
  local code=$1 signalled=${2:-0} what=$3
  checks=$((checks + 1))
  listing out > now.list
  if cmp -s now.list old.list; then
    [ "$code" -eq 0 ] && fail "$what: exit 0 but the folder is the old one"
  elif cmp -s now.list new.list; then
    [ "$code" -ne 0 ] && [ "$signalled" -eq 0 ] && fail "$what: exit $code but the folder was replaced"
  else
    fail "$what: exit $code and the folder is neither the old one nor the new one:"
    diff old.list now.list | head -n 20
  fi
  return 0
}

# No staging folder (.out.regpath-*) beside out.
check_no_staging() {
  checks=$((checks + 1))
  local left
  left=$(ls -a | grep '^\.out\.regpath-' || true)
  [ -z "$left" ] || { fail "$1: staging left beside the folder: $left"; ls -la $left; }
}

# ---- 1. faults in every step
run_with_fault() { # op n -> exit code; sets $hit
  rm -f fault.log
  "$@" >/dev/null 2>err.txt
  local code=$?
  hit=$(cat fault.log 2>/dev/null || true)
  return $code
}

fault_sweep() {
  local op=$1 n=1 code
  while [ $n -le 400 ]; do
    make_old_from_copy
    FAULT_OP=$op FAULT_AT=$n FAULT_LOG=$work/fault.log LD_PRELOAD=$shim \
      ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
      run_with_fault "$REGPATH" --config fast.json --set cv.seed=2 --quiet --no-progress
    code=$?
    check_state $code 0 "$op call $n failed ($hit)"
    [ -n "$hit" ] || break
    case $op in # these always fail the run; the others also come after the swap
      mkdirat | write | fork | linkat | symlinkat | renameat2)
        [ $code -ne 0 ] || fail "$op call $n failed but the run exited 0" ;;
    esac
    n=$((n + 1))
  done
  echo "faults: $op failed at each of its $((n - 1)) calls in turn"
}

# Back to the earlier state, keeping the user's files themselves (the same
# inodes, as a user's files are from one run to the next).
make_old_from_copy() {
  find out -mindepth 1 ! -name notes.txt ! -name notes-link -exec rm -rf {} + 2>/dev/null
  (cd saved && find . -mindepth 1 ! -name notes.txt ! -name notes-link -exec cp -a {} ../out/ \;)
}

make_old fast.json || { echo "robustness.sh: the first run failed"; exit 99; }
rm -rf saved
cp -a out saved
make_new fast.json || { echo "robustness.sh: the reference run failed"; exit 99; }
for op in open openat mkdirat write fsync fork linkat symlinkat renameat2 fchmod unlinkat; do
  fault_sweep $op
done
check_no_staging "after the faults"

# gnuplot failing at its n-th render: exit 1, a cut image with exit 0 (a
# full disk), killed.
mkdir -p fakebin
cat > fakebin/gnuplot <<EOF
#!/bin/sh
count=\$(cat "$work/renders" 2>/dev/null || echo 0); count=\$((count + 1)); echo \$count > "$work/renders"
[ "\$count" -ne "\$FAKE_AT" ] && exec "$gnuplot_real" "\$@"
case \$FAKE_MODE in
  fail) echo 'line 3: something went wrong' >&2; exit 1 ;;
  cut) "$gnuplot_real" "\$@"; for f in *.png; do head -c 8192 "\$f" > "\$f.cut" && mv "\$f.cut" "\$f"; done; exit 0 ;;
  empty) "$gnuplot_real" "\$@"; for f in *.png; do : > "\$f"; done; exit 0 ;;
  killed) kill -9 \$\$ ;;
  sleep) exec sleep 29.417 ;; # a length no other process on the machine sleeps (pgrep below)
esac
EOF
chmod +x fakebin/gnuplot
for mode in fail cut empty killed; do
  for at in 1 2; do
    make_old_from_copy
    rm -f renders
    FAKE_MODE=$mode FAKE_AT=$at PATH="$work/fakebin:$PATH" \
      "$REGPATH" --config fast.json --set cv.seed=2 --quiet --no-progress >/dev/null 2>err.txt
    code=$?
    [ $code -eq 5 ] || fail "gnuplot $mode at render $at: exit $code, expected 5 ($(cat err.txt))"
    check_state $code 0 "gnuplot $mode at render $at"
  done
done
echo "renders: gnuplot failed, cut, emptied and killed at each render"

# A signal while gnuplot draws (for 30 s): gnuplot is killed and the
# program ends within a second; a second signal changes nothing.
for kind in TERM TERM2 INT; do
  make_old_from_copy
  rm -f renders
  FAKE_MODE=sleep FAKE_AT=1 PATH="$work/fakebin:$PATH" env --default-signal \
    "$REGPATH" --config fast.json --set cv.seed=2 --quiet --no-progress >/dev/null 2>err.txt &
  pid=$!
  for _ in $(seq 1 300); do [ -f renders ] && break; sleep 0.05; done
  sleep 0.2
  sent=$(date +%s%N)
  case $kind in
    TERM) kill -TERM $pid ;;
    TERM2) kill -TERM $pid; sleep 0.05; kill -TERM $pid 2>/dev/null ;;
    INT) kill -INT $pid ;;
  esac
  wait $pid
  code=$?
  took=$((($(date +%s%N) - sent) / 1000000))
  [ $code -gt 128 ] || fail "$kind while gnuplot draws: exit $code ($(cat err.txt))"
  [ $took -le 1000 ] || fail "$kind while gnuplot draws: the program took $took ms to end"
  check_state $code 1 "$kind while gnuplot draws"
  pgrep -fx "sleep 29.417" >/dev/null && fail "$kind while gnuplot draws: gnuplot is still running"
  echo "  $kind while gnuplot draws: exit $code, ended $took ms later"
done

# A real full disk: a 288 kB tmpfs holds one run's files (160 kB) but not a
# second beside them, and a 136 kB one not even the first.  It needs root
# (a private tmpfs in a mount namespace of its own); without it the fake
# gnuplot's cut images above stand in, and this says so.
full_disk() {
  mkdir -p disk && mount -t tmpfs -o size="$1" tmpfs disk || return 99
  "$REGPATH" --config fast.json --set output.dir="$work/disk/out" --quiet --no-progress >/dev/null 2>&1
  local first=$? code
  [ -d disk/out ] && listing disk/out > disk-before.list || : > disk-before.list
  "$REGPATH" --config fast.json --set cv.seed=2 --set output.dir="$work/disk/out" --quiet \
    --no-progress >/dev/null 2>err.txt
  code=$?
  [ -d disk/out ] && listing disk/out > disk-after.list || : > disk-after.list
  umount disk
  echo "$first $code $(cmp -s disk-before.list disk-after.list && echo same || echo changed)"
}
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
  export -f full_disk listing
  export REGPATH work
  for size in 136k 288k; do
    read -r first code same < <(unshare -m bash -c "cd '$work' && full_disk $size")
    checks=$((checks + 1))
    printf '  full disk (%s tmpfs): first run exit %s, second exit %s, folder %s\n' "$size" "$first" "$code" "$same"
    [ "$code" -eq 5 ] && [ "$same" = same ] || fail "full disk ($size): exit $code, folder $same ($(cat err.txt))"
  done
else
  echo "  full disk: not run here (a private tmpfs needs root); the cut images above stand in"
fi

# stdout full, or closed before the report.
make_old_from_copy
"$REGPATH" --config fast.json --set cv.seed=2 --report - --quiet --no-progress >/dev/full 2>err.txt
code=$?
[ $code -eq 5 ] || fail "--report - to /dev/full: exit $code, expected 5"
check_state $code 0 "--report - to /dev/full"
make_old_from_copy
("$REGPATH" --config fast.json --set cv.seed=2 --report - --quiet --no-progress 2>err.txt; echo $? > code.txt) | true
code=$(cat code.txt)
[ "$code" -eq 5 ] || fail "--report - to a closed pipe: exit $code, expected 5"
check_state "$code" 0 "--report - to a closed pipe"
check_no_staging "after the renders and stdout"
echo "stdout: full and closed"

# ---- 2. signals at random times
make_old slow.json || { echo "robustness.sh: the slow run failed"; exit 99; }
rm -rf saved
cp -a out saved
rm -rf ref
start=$(date +%s%N)
make_new slow.json || { echo "robustness.sh: the slow reference run failed"; exit 99; }
span_ms=$((($(date +%s%N) - start) / 1000000))
echo "signals: a slow run takes $span_ms ms; signals come at random times within it"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

signal_trial() { # kind trial
  local kind=$1 t=$2 pid delay code sent took
  make_old_from_copy
  # A shell's background job starts with SIGINT ignored, which the program
  # keeps: start it with every signal at its default instead.
  env --default-signal "$REGPATH" --config slow.json --set cv.seed=2 --quiet --no-progress \
    >/dev/null 2>err.txt &
  pid=$!
  delay=$((RANDOM % (span_ms * 3 / 4 + 1)))
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  sent=$(now_ms)
  case $kind in
    INT) kill -INT $pid 2>/dev/null ;;
    TERM2) kill -TERM $pid 2>/dev/null; sleep 0.05; kill -TERM $pid 2>/dev/null ;;
    KILL) kill -KILL $pid 2>/dev/null ;;
  esac
  wait $pid
  code=$?
  took=$(($(now_ms) - sent))
  [ $code -eq 0 ] || [ $code -gt 128 ] || fail "$kind at $delay ms: exit $code ($(cat err.txt))"
  [ "$kind" = KILL ] || [ $took -le 1000 ] || fail "$kind at $delay ms: the program took $took ms to end"
  check_state $code $((code > 128)) "$kind at $delay ms (exit $code)"
  if [ "$kind" = KILL ]; then # the next run cleans up after the killed one
    "$REGPATH" --config fast.json --quiet --no-progress >/dev/null 2>&1 || fail "the run after SIGKILL failed"
    check_no_staging "the run after SIGKILL at $delay ms"
  fi
  printf '  %-5s trial %2d: signal at %4d ms, exit %3d, ended %3d ms later\n' "$kind" "$t" "$delay" "$code" "$took"
}

for kind in INT TERM2 KILL; do
  for t in $(seq 1 "$trials"); do signal_trial $kind "$t"; done
done
check_no_staging "after the signals"

echo "robustness: $checks checks, $failures failures"
[ $failures -eq 0 ]
