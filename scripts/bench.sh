#!/usr/bin/env bash
# Benchmark regpath's cross-validated lasso path against R glmnet (cv.glmnet) and
# scikit-learn (LassoCV) on the same synthetic data, grid and folds.
#
# For each data set (gaussian: tall 10000x500, wide 500x10000, mid 2000x2000; against glmnet only,
# l1-penalized logistic regression: binomial 5000x500, tallbinomial 100000x50 and Sonar 208x60 (mlbench, the file
# tests/data/sonar.csv); l1-penalized Poisson regression: poisson 5000x500; sparse X, 20000x20000
# with 0.1%, 0.25% or 1% nonzeros, regpath reading svmlight and glmnet a dgCMatrix: sparse, sparse01,
# sparse1 (gaussian), sparsebinomial, sparsebinomial01, sparsebinomial1) it measures the median
# wall time of several runs, the worst duality gap of each tool's full-data path relative to
# the null objective, and the peak RSS, then writes a table to bench/results.md (see
# bench/README.md for what exactly is timed). Run `scripts/bench.sh --help` for the options.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HELPERS="$ROOT/scripts/bench"
PY=/usr/bin/python3 # Debian's python3, where python3-numpy and python3-sklearn live

# Data set shapes and families, and what --quick divides the shapes by.
declare -A SET_N=([tall]=10000 [wide]=500 [mid]=2000 [binomial]=5000 [tallbinomial]=100000
  [poisson]=5000 [sonar]=208 [sparse]=20000 [sparse01]=20000 [sparse1]=20000 [sparsebinomial]=20000
  [sparsebinomial01]=20000 [sparsebinomial1]=20000)
declare -A SET_P=([tall]=500 [wide]=10000 [mid]=2000 [binomial]=500 [tallbinomial]=50 [poisson]=500
  [sonar]=60 [sparse]=20000 [sparse01]=20000 [sparse1]=20000 [sparsebinomial]=20000
  [sparsebinomial01]=20000 [sparsebinomial1]=20000)
declare -A SET_FAMILY=([tall]=gaussian [wide]=gaussian [mid]=gaussian [binomial]=binomial
  [tallbinomial]=binomial [poisson]=poisson [sonar]=binomial [sparse]=gaussian [sparse01]=gaussian
  [sparse1]=gaussian [sparsebinomial]=binomial [sparsebinomial01]=binomial [sparsebinomial1]=binomial)
# A sparse set (scripts/bench/gen_sparse.py): the share of X's entries stored, kept by --quick.
# regpath reads its svmlight copy, glmnet a dgCMatrix of its Matrix Market copy (issue 19).
declare -A SET_DENSITY=([sparse]=0.0025 [sparse01]=0.001 [sparse1]=0.01 [sparsebinomial]=0.0025
  [sparsebinomial01]=0.001 [sparsebinomial1]=0.01)
# A real data set is a file of the project (its target last, 0/1), not generated nor divided by --quick.
declare -A SET_CSV=([sonar]=tests/data/sonar.csv)
QUICK_DIVISOR=10
DATA_SEED=42 # gen_synthetic.py's default seed
FOLDS=10
FOLD_SEED=1

REPEAT=3
SETS="tall,wide,mid"
QUICK=0
WITH_PEERS=0
NO_PEERS=0
ONE_CORE=0
RATIO=default
GLMNET_THRESH=default
OUT=""
TIMEOUT=600
REGPATH=""
# Peers run on one core: glmnet and regpath are single-threaded, and this keeps a threaded
# BLAS (OpenBLAS) from giving scikit-learn (or R) the machine's other cores.
PEER_ENV=(env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1)

COMMAND_LINE="scripts/bench.sh"
for arg in "$@"; do
  if [[ $arg =~ ^[A-Za-z0-9_./,=:+-]+$ ]]; then COMMAND_LINE+=" $arg"; else COMMAND_LINE+=" $(printf '%q' "$arg")"; fi
done

usage() {
  cat <<'EOF'
usage: scripts/bench.sh [--with-peers | --no-peers] [--repeat N] [--sets LIST] [--quick]
                        [--one-core] [--alpha-min-ratio R] [--glmnet-thresh T]
                        [--timeout SECONDS] [--out FILE] [--regpath PROGRAM]
       scripts/bench.sh --scale [--n N] [--p P] [--shards S] [--runs R] [--out FILE]
       scripts/bench.sh --stream [--n N] [--p P] [--runs R] [--out FILE]

  --with-peers       install R glmnet, scikit-learn (and numpy, GNU time) with apt-get when
                     missing (sudo when not root). Without it, the peers that are not
                     installed are skipped, and the results say so.
  --no-peers         run regpath alone, even when glmnet and scikit-learn are installed
  --repeat N         runs per tool and data set; the table shows medians (default 3)
  --sets LIST        comma-separated subset of tall,wide,mid,binomial,tallbinomial,poisson,sonar,
                     sparse,sparse01,sparse1,sparsebinomial,sparsebinomial01,sparsebinomial1
                     (default tall,wide,mid). binomial, tallbinomial and sonar are logistic
                     regression, poisson is Poisson regression, run against glmnet only.
                     The sparse sets are 20000 x 20000 with a sparse X, against glmnet only:
                     sparse (gaussian) and sparsebinomial (logistic) with 0.25% of the
                     entries nonzero, sparse01 and sparsebinomial01 0.1%, sparse1 and
                     sparsebinomial1 1%.
  --quick            the sets with n and p divided by 10 (the sparse sets keep their
                     density): a smoke test of the script.
                     Writes bench/data/results-quick.md unless --out is given.
  --one-core         run regpath with its BLAS/OpenMP threads set to 1, like the peers
                     (by default it runs in the caller's environment)
  --alpha-min-ratio R
                     the grid's smallest alpha / alpha_max, for all tools (default: glmnet's
                     own default, 1e-2 when n < p and 1e-4 otherwise, also for n == p)
  --glmnet-thresh T  glmnet's convergence threshold, 0 < T < 1 (default: glmnet's own, 1e-7).
                     A smaller T compares with glmnet at an accuracy closer to regpath's
                     duality gap; its gap column is then at that thresh.
  --timeout SECONDS  per run of each tool; a run that takes longer is killed and shows as
                     "timeout" (default 600)
  --out FILE         where the results go (default bench/results.md)
  --regpath PROGRAM  benchmark this regpath binary instead of building ./app/regpath with
                     scripts/bootstrap.sh
  --scale            the scale section instead (scripts/bench-scale.sh, its options after
                     it): a tall gaussian set in shards, fitted by regpath on the one file
                     and on the shards, and by regpath-mpi under mpirun -np 1 and 2
                     (default 1,000,000 x 40 in 4 shards; bench/results-scale.md)
  --stream           the streaming section instead (scripts/bench-stream.sh, its options
                     after it): a tall gaussian CSV fitted with its rows held, streamed
                     (data.stream) and streamed from a gzip copy, and regpath predict on
                     it, against the time to parse it once (default 3,000,000 x 40;
                     bench/results-stream.md)
EOF
}

die() {
  echo "bench: error: $*" >&2
  exit 2
}

say() { echo "bench: $*" >&2; }

parse_args() {
  while [ $# -gt 0 ]; do
    case $1 in
      --with-peers) WITH_PEERS=1 ;;
      --no-peers) NO_PEERS=1 ;;
      --one-core) ONE_CORE=1 ;;
      --quick) QUICK=1 ;;
      --repeat | --sets | --timeout | --out | --regpath | --alpha-min-ratio | --glmnet-thresh)
        [ $# -ge 2 ] || die "$1 needs a value"
        case $1 in
          --repeat) REPEAT=$2 ;;
          --sets) SETS=$2 ;;
          --timeout) TIMEOUT=$2 ;;
          --out) OUT=$2 ;;
          --regpath) REGPATH=$2 ;;
          --alpha-min-ratio) RATIO=$2 ;;
          --glmnet-thresh) GLMNET_THRESH=$2 ;;
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
  [ "$WITH_PEERS" -eq 0 ] || [ "$NO_PEERS" -eq 0 ] || die "--with-peers and --no-peers contradict each other"
  [[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "--repeat: expected a positive integer, got '$REPEAT'"
  [[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--timeout: expected a positive integer, got '$TIMEOUT'"
  if [ "$RATIO" != default ]; then
    "$PY" -c 'import sys; r = float(sys.argv[1]); sys.exit(not 0 < r < 1)' "$RATIO" 2>/dev/null ||
      die "--alpha-min-ratio: expected a number in (0, 1), got '$RATIO'"
  fi
  if [ "$GLMNET_THRESH" != default ]; then
    local t=$GLMNET_THRESH
    # ASCII decimals only: Python's float() also takes "1_0e-9" and non-ASCII digits, NA in R.
    if ! [[ $t =~ ^[0-9.eE+-]+$ ]] ||
      ! "$PY" -c 'import sys; sys.exit(not 0 < float(sys.argv[1]) < 1)' "$t" 2>/dev/null; then
      die "--glmnet-thresh: expected a number in (0, 1), got '$t'"
    fi
  fi
  local s
  IFS=, read -r -a SET_LIST <<<"$SETS"
  [ ${#SET_LIST[@]} -gt 0 ] || die "--sets: empty"
  for s in "${SET_LIST[@]}"; do
    [ -n "${SET_N[$s]:-}" ] || die "--sets: unknown set '$s' (tall, wide, mid, binomial, tallbinomial, poisson, sonar, sparse, sparse01, sparse1, sparsebinomial, sparsebinomial01, sparsebinomial1)"
  done
  if [ -z "$OUT" ]; then
    if [ "$QUICK" -eq 1 ]; then OUT="$ROOT/bench/data/results-quick.md"; else OUT="$ROOT/bench/results.md"; fi
  fi
  if [ -n "$REGPATH" ]; then
    [ -x "$REGPATH" ] || die "--regpath: '$REGPATH' is not an executable file"
    REGPATH=$(cd "$(dirname "$REGPATH")" && pwd)/$(basename "$REGPATH")
  fi
}

# ---------------------------------------------------------------- packages and programs

missing_packages() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      printf '%s ' "$pkg"
    fi
  done
}

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing $*"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2
}

# numpy (the data generator) and GNU time (wall time and peak RSS) are needed in any case,
# like the build dependencies bootstrap.sh installs; the peers only with --with-peers.
ensure_packages() {
  local want=(python3-numpy time)
  [ "$WITH_PEERS" -eq 1 ] && want+=(r-cran-glmnet python3-sklearn)
  if command -v dpkg-query >/dev/null 2>&1; then
    local missing
    missing=$(missing_packages "${want[@]}")
    if [ -n "$missing" ]; then
      # shellcheck disable=SC2086 # one word per package
      apt_install $missing
    fi
  fi
  [ -x /usr/bin/time ] || die "/usr/bin/time (Debian package 'time') is missing"
  "$PY" -c 'import numpy' 2>/dev/null || die "$PY cannot import numpy (Debian package python3-numpy)"
  command -v timeout >/dev/null 2>&1 || die "timeout (coreutils) is missing"
}

have_glmnet() { command -v Rscript >/dev/null 2>&1 && Rscript -e 'suppressMessages(library(glmnet))' >/dev/null 2>&1; }
have_sklearn() { "$PY" -c 'import sklearn' >/dev/null 2>&1; }

build_regpath() {
  if [ -z "$REGPATH" ]; then
    say "building regpath (scripts/bootstrap.sh)"
    (cd "$ROOT" && ./scripts/bootstrap.sh)
    REGPATH="$ROOT/app/regpath"
  fi
  "$REGPATH" --version >/dev/null || die "$REGPATH --version failed"
}

# ---------------------------------------------------------------- data

# set_dims NAME: "n p" of the set, divided by 10 under --quick.
set_dims() {
  local n=${SET_N[$1]} p=${SET_P[$1]}
  if [ "$QUICK" -eq 1 ] && [ -z "${SET_CSV[$1]:-}" ]; then
    n=$((n / QUICK_DIVISOR))
    p=$((p / QUICK_DIVISOR))
  fi
  echo "$n $p"
}

# prepare_data NAME N P: prints the folder holding data.csv (a sparse set: data.svm, data.mtx
# and data.y), foldid.txt and regpath.json.
# The data and folds are generated only when they are not cached under bench/data/ yet;
# the config is written every time.
prepare_data() {
  local name=$1 n=$2 p=$3 family=${SET_FAMILY[$1]}
  local dir="$ROOT/bench/data/$name-${n}x$p-seed$DATA_SEED"
  [ -f "$dir/DONE" ] || say "generating $name ($n x $p, seed $DATA_SEED) in ${dir#"$ROOT"/}"
  local ratio=() csv=() sparse=()
  [ "$RATIO" = default ] || ratio=(--alpha-min-ratio "$RATIO")
  [ -z "${SET_CSV[$name]:-}" ] || csv=(--csv "$ROOT/${SET_CSV[$name]}")
  [ -z "${SET_DENSITY[$name]:-}" ] || sparse=(--density "${SET_DENSITY[$name]}")
  "$PY" "$HELPERS/prepare_set.py" --dir "$dir" --n "$n" --p "$p" --family "$family" --seed "$DATA_SEED" \
    --folds "$FOLDS" --fold-seed "$FOLD_SEED" "${ratio[@]}" "${csv[@]}" "${sparse[@]}" >&2
  echo "$dir"
}

# peer_data SET DIR: the data file the peers and lasso_gap.py read: data.csv, or a sparse
# set's data.mtx (glmnet_cv.R holds it as a dgCMatrix; data.y beside it holds y).
peer_data() {
  if [ -n "${SET_DENSITY[$1]:-}" ]; then echo "$2/data.mtx"; else echo "$2/data.csv"; fi
}

# ---------------------------------------------------------------- runs

# kv FILE KEY: the value of a "key value" line, or nothing.
kv() {
  if [ -f "$1" ]; then awk -v k="$2" '$1 == k { print $2; exit }' "$1"; fi
}

# timed LOG COMMAND...: runs COMMAND under `timeout` and GNU time, its output into LOG.
# Sets RUN_STATUS (ok, timeout, exit N), RUN_WALL (s), RUN_CPU (user + system s) and RUN_RSS_KB.
timed() {
  local log=$1 tf="$WORK/time.txt" rc=0
  shift
  rm -f "$tf"
  timeout -k 10 "$TIMEOUT" /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" >"$log" 2>&1 || rc=$?
  RUN_WALL=""
  RUN_RSS_KB=""
  RUN_CPU=""
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    RUN_STATUS=timeout
    return
  fi
  if [ -f "$tf" ]; then
    local user sys
    read -r RUN_WALL RUN_RSS_KB user sys < <(tail -n 1 "$tf")
    RUN_CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  fi
  if [ "$rc" -eq 0 ]; then RUN_STATUS=ok; else RUN_STATUS="exit $rc"; fi
}

# record SET TOOL REP STATUS WALL_S RSS_KB PROC_WALL_S CPU_S GAP_REL N_ALPHAS ALPHA_MAX ALPHA_MIN NOTE
record() {
  local IFS=$'\t'
  echo "$*" >>"$RUNS"
}

# Each run_* function runs one tool once and records it. A tool that timed out or failed
# on a set is not run again on that set (FAILED[set:tool]).
declare -A FAILED=()

run_regpath() {
  local set=$1 data=$2 rep=$3 dir="$WORK/$1"
  local out="$dir/regpath-out" info="$dir/regpath.txt"
  rm -rf "$out" "$info"
  local envs=()
  [ "$ONE_CORE" -eq 0 ] || envs=("${PEER_ENV[@]}")
  timed "$dir/regpath.log" "${envs[@]}" "$REGPATH" --config "$data/regpath.json" --output "$out" --quiet --no-progress
  local gap="" nal="" amax="" amin="" note=""
  if [ "$RUN_STATUS" = ok ]; then
    "$PY" "$HELPERS/regpath_report.py" "$out/report.json" "$info" "$dir/alphas-regpath.txt"
    gap=$(kv "$info" worst_gap_rel)
    nal=$(kv "$info" n_alphas)
    amax=$(kv "$info" alpha_max)
    amin=$(kv "$info" alpha_min)
    local nc
    nc=$(kv "$info" not_converged)
    [ "${nc:-0}" = 0 ] || note="$nc points not converged"
  else
    FAILED[$set:regpath]=1
    note=$(tail -n 1 "$dir/regpath.log" 2>/dev/null | tr '\t' ' ' || true)
  fi
  record "$set" regpath "$rep" "$RUN_STATUS" "$RUN_WALL" "$RUN_RSS_KB" "$RUN_WALL" "$RUN_CPU" "$gap" "$nal" "$amax" "$amin" "$note"
  say "  rep $rep regpath: $([ "$RUN_STATUS" = ok ] && echo "$RUN_WALL s, $((RUN_RSS_KB / 1024)) MiB, worst gap/null $gap" || echo "$RUN_STATUS")"
}

run_glmnet() {
  local set=$1 data=$2 rep=$3 dir="$WORK/$1" family=${SET_FAMILY[$1]}
  local info="$dir/glmnet.txt" coef="$dir/coef-glmnet.txt" coefarg=() x
  x=$(peer_data "$set" "$data")
  rm -f "$info" "$coef"
  [ "$rep" -eq 1 ] && coefarg=("$coef") # the gap is deterministic: computed once, from this path
  # THRESH is positional after coef.txt: on the other runs, "" holds coef.txt's place (no file).
  if [ "$GLMNET_THRESH" != default ]; then
    [ "$rep" -eq 1 ] || coefarg=("")
    coefarg+=("$GLMNET_THRESH")
  fi
  timed "$dir/glmnet.log" "${PEER_ENV[@]}" Rscript "$HELPERS/glmnet_cv.R" "$x" "$data/foldid.txt" \
    "$info" "$dir/alphas-glmnet.txt" "$RATIO" "$family" "${coefarg[@]}"
  local t="" note=""
  if [ "$RUN_STATUS" = ok ]; then
    t=$(kv "$info" time_s)
    if [ -s "$coef" ]; then
      "$PY" "$HELPERS/lasso_gap.py" --family "$family" --data "$x" --coef "$coef" >>"$info"
    fi
  else
    FAILED[$set:glmnet]=1
    note=$(tail -n 1 "$dir/glmnet.log" 2>/dev/null | tr '\t' ' ' || true)
  fi
  record "$set" glmnet "$rep" "$RUN_STATUS" "$t" "$RUN_RSS_KB" "$RUN_WALL" "$RUN_CPU" "$(kv "$info" worst_gap_rel)" \
    "$(kv "$info" n_alphas)" "$(kv "$info" alpha_max)" "$(kv "$info" alpha_min)" "$note"
  say "  rep $rep glmnet:  $([ "$RUN_STATUS" = ok ] && echo "$t s (process $RUN_WALL s), $((RUN_RSS_KB / 1024)) MiB" || echo "$RUN_STATUS")"
}

run_sklearn() {
  local set=$1 data=$2 rep=$3 dir="$WORK/$1"
  local info="$dir/sklearn.txt" args=()
  rm -f "$info"
  # glmnet's lambda sequence when glmnet ran, else regpath's grid (the same formula).
  if [ -s "$dir/alphas-glmnet.txt" ]; then
    args+=(--alphas "$dir/alphas-glmnet.txt")
  elif [ -s "$dir/alphas-regpath.txt" ]; then
    args+=(--alphas "$dir/alphas-regpath.txt")
  fi
  [ "$rep" -eq 1 ] && args+=(--gap)
  timed "$dir/sklearn.log" "${PEER_ENV[@]}" "$PY" "$HELPERS/sklearn_cv.py" --data "$data/data.csv" \
    --foldid "$data/foldid.txt" --out "$info" "${args[@]}"
  local t="" note=""
  if [ "$RUN_STATUS" = ok ]; then
    t=$(kv "$info" time_s)
    note="grid: $(kv "$info" grid)"
    local nw
    nw=$(kv "$info" convergence_warnings)
    [ "${nw:-0}" = 0 ] || note+=", LassoCV: $nw ConvergenceWarnings"
    nw=$(kv "$info" gap_path_convergence_warnings)
    [ "${nw:-0}" = 0 ] || note+=", full-data lasso_path: $nw points at max_iter"
  else
    FAILED[$set:sklearn]=1
    note=$(tail -n 1 "$dir/sklearn.log" 2>/dev/null | tr '\t' ' ' || true)
  fi
  record "$set" sklearn "$rep" "$RUN_STATUS" "$t" "$RUN_RSS_KB" "$RUN_WALL" "$RUN_CPU" "$(kv "$info" worst_gap_rel)" \
    "$(kv "$info" n_alphas)" "$(kv "$info" alpha_max)" "$(kv "$info" alpha_min)" "$note"
  say "  rep $rep sklearn: $([ "$RUN_STATUS" = ok ] && echo "$t s (process $RUN_WALL s), $((RUN_RSS_KB / 1024)) MiB" || echo "$RUN_STATUS")"
}

# bench_set NAME: every repetition of every tool on one data set, the tools interleaved so
# that a slow spell of the machine hits them alike. scikit-learn runs on the dense gaussian
# sets only: its LogisticRegressionCV has another grid and penalty parameterization, and the
# sparse sets compare with glmnet's sparse routines.
bench_set() {
  local set=$1 family=${SET_FAMILY[$1]} density=${SET_DENSITY[$1]:-} n p data rep nnz="" shape
  read -r n p < <(set_dims "$set")
  data=$(prepare_data "$set" "$n" "$p")
  mkdir -p "$WORK/$set"
  shape="$n x $p"
  if [ -n "$density" ]; then
    nnz=$(awk '!/^%/ { print $3; exit }' "$data/data.mtx") # the header line: n p nnz
    shape+=", sparse, $nnz nonzeros (density $density)"
  fi
  echo "$set	$n	$p	$family	$density	$nnz" >>"$SETS_TSV"
  say "$set: $family, $shape, $REPEAT runs per tool"
  local sklearn=$HAVE_SKLEARN why="not run"
  if [ "$family" != gaussian ]; then
    sklearn=0
    why="not run on $family (its LogisticRegressionCV has another grid and penalty parameterization, and it has no penalized Poisson CV)"
  elif [ -n "$density" ]; then
    sklearn=0
    why="not run on the sparse sets (they compare with glmnet's sparse routines; sklearn_cv.py reads a CSV)"
  fi
  [ "$HAVE_GLMNET" -eq 1 ] || record "$set" glmnet 0 skipped "" "" "" "" "" "" "" "" "not run"
  [ "$sklearn" -eq 1 ] || record "$set" sklearn 0 skipped "" "" "" "" "" "" "" "" "$why"
  for ((rep = 1; rep <= REPEAT; rep++)); do
    [ -n "${FAILED[$set:regpath]:-}" ] || run_regpath "$set" "$data" "$rep"
    if [ "$HAVE_GLMNET" -eq 1 ] && [ -z "${FAILED[$set:glmnet]:-}" ]; then run_glmnet "$set" "$data" "$rep"; fi
    if [ "$sklearn" -eq 1 ] && [ -z "${FAILED[$set:sklearn]:-}" ]; then run_sklearn "$set" "$data" "$rep"; fi
  done
}

# ---------------------------------------------------------------- the write-up

meta() { printf '%s\t%s\n' "$1" "$2" >>"$META"; }

collect_meta() {
  local cpu mem os blas
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
  mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
  os=$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null || true)
  blas=$(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || true)
  meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
  meta command "$COMMAND_LINE"
  meta machine "$(nproc) CPUs, ${cpu:-unknown CPU}, ${mem:-unknown memory}, ${os:-unknown OS}, Linux $(uname -r)"
  meta load_start "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  local shown=$REGPATH rev
  case $REGPATH in "$ROOT"/*) shown="./${REGPATH#"$ROOT"/}" ;; esac
  rev=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "not a git checkout")
  meta regpath "$("$REGPATH" --version 2>&1 | head -n 1) ($shown; source $rev)"
  meta python "$("$PY" -c 'import sys, numpy; print("Python", sys.version.split()[0], "numpy", numpy.__version__)')"
  meta blas "${blas:-unknown} (Debian BLAS alternative)"
  local why_glmnet="R glmnet is not installed (scripts/bench.sh --with-peers installs it)"
  local why_sklearn="scikit-learn is not installed (scripts/bench.sh --with-peers installs it)"
  if [ "$NO_PEERS" -eq 1 ]; then
    why_glmnet="--no-peers"
    why_sklearn="--no-peers"
  fi
  if [ "$HAVE_GLMNET" -eq 1 ]; then
    meta glmnet "$(Rscript -e 'cat("glmnet", as.character(packageVersion("glmnet")), "on", R.version.string)')"
  else
    meta glmnet "skipped: $why_glmnet"
  fi
  if [ "$HAVE_SKLEARN" -eq 1 ]; then
    meta sklearn "$("$PY" -c 'import sklearn; print("scikit-learn", sklearn.__version__)')"
  else
    meta sklearn "skipped: $why_sklearn"
  fi
  meta repeat "$REPEAT"
  meta timeout "$TIMEOUT"
  meta quick "$QUICK"
  meta alpha_min_ratio "$RATIO"
  meta glmnet_thresh "$GLMNET_THRESH"
  meta one_core "$ONE_CORE"
  meta folds "$FOLDS"
  meta fold_seed "$FOLD_SEED"
  meta data_seed "$DATA_SEED"
}

main() {
  case ${1:-} in
    --scale | --stream) # numpy and GNU time, then the section's own script
      ensure_packages
      [ -x "$ROOT/app/regpath" ] || "$ROOT/scripts/bootstrap.sh"
      exec "$ROOT/scripts/bench-${1#--}.sh" "${@:2}"
      ;;
  esac
  parse_args "$@"
  ensure_packages
  build_regpath
  HAVE_GLMNET=0
  HAVE_SKLEARN=0
  if [ "$NO_PEERS" -eq 1 ]; then
    say "--no-peers: running regpath alone"
  else
    if have_glmnet; then HAVE_GLMNET=1; else say "R glmnet is not installed: skipping it (--with-peers installs it)"; fi
    if have_sklearn; then HAVE_SKLEARN=1; else say "scikit-learn is not installed: skipping it (--with-peers installs it)"; fi
  fi

  WORK=$(mktemp -d "${TMPDIR:-/tmp}/regpath-bench.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  RUNS="$WORK/runs.tsv"
  META="$WORK/meta.tsv"
  SETS_TSV="$WORK/sets.tsv"
  : >"$RUNS"
  : >"$SETS_TSV"
  : >"$META"
  collect_meta

  local set
  for set in "${SET_LIST[@]}"; do bench_set "$set"; done
  meta load_end "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

  mkdir -p "$(dirname "$OUT")"
  "$PY" "$HELPERS/summarize.py" --runs "$RUNS" --meta "$META" --sets "$SETS_TSV" --work "$WORK" \
    --out "$OUT"
  cat "$OUT"
  say "results written to $OUT"
}

main "$@"
