#!/bin/sh
# Install into a scratch DESTDIR, then compile and run the README's C example
# against the installed header, library and regpath.pc, and check that the
# program and man page were installed.  Run from a configured build tree:
#   scripts/check-install.sh [SOURCE_DIR]
set -eu
src=${1:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s install DESTDIR="$tmp" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; exit 1; }
prefix=$(sed -n 's/^prefix=//p' regpath.pc)
libdir=$(sed -n 's/^libdir=//p' regpath.pc | sed "s|\${exec_prefix}|$prefix|")

for f in "$prefix/bin/regpath" "$prefix/share/man/man1/regpath.1" "$prefix/include/regpath.h" \
         "$prefix/include/regpath/path.h" "$libdir/libregpath.a" "$libdir/pkgconfig/regpath.pc"; do
  [ -e "$tmp$f" ] || { echo "check-install: $f was not installed" >&2; exit 1; }
done

# The C block that follows the example marker in README.md.
awk '/<!-- example: fit_path.c/ {on = 1; next} on && /^```c/ {code = 1; next}
     code && /^```/ {exit} code {print}' "$src/README.md" > "$tmp/fit_path.c"
[ -s "$tmp/fit_path.c" ] || { echo "check-install: no example in README.md" >&2; exit 1; }

export PKG_CONFIG_SYSROOT_DIR="$tmp" PKG_CONFIG_PATH="$tmp$libdir/pkgconfig"
# shellcheck disable=SC2046
# gsl too (the system's, outside the scratch root): the example turns GSL's
# aborting error handler off (README.md).
${CC:-cc} -std=c11 -Wall -Wextra -Werror "$tmp/fit_path.c" $(pkg-config --cflags --libs regpath) \
  $(PKG_CONFIG_SYSROOT_DIR= pkg-config --cflags --libs gsl) \
  -o "$tmp/fit_path"
out=$(LD_LIBRARY_PATH="$tmp$libdir" "$tmp/fit_path" "$src/configs/data/diabetes.csv")
echo "$out" | grep -q "alphas; at alpha" || { echo "check-install: unexpected output: $out" >&2; exit 1; }
echo "$out" | grep -q "^  bmi " || { echo "check-install: no bmi coefficient: $out" >&2; exit 1; }
echo "check-install: installed files present; README example compiled with pkg-config and ran"
