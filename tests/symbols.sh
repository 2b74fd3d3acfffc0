#!/bin/bash
# symbols.sh: the library's boundary, checked on the build.
#   1. libregpath.so exports exactly the functions and tables the public
#      headers (lib/regpath.h, lib/regpath/*.h) declare with RP_API, and
#      every declaration there is so marked (a private function that leaks
#      out, or a public one left hidden, fails);
#   2. the program includes only public headers, its own (app/) and
#      build-config.h: it uses the library as any caller would;
#   3. the library starts no processes: no lib/*.c calls fork, exec*, popen,
#      system or posix_spawn (comments and strings aside), and the shared
#      library imports none of them.
# Without -fvisibility=hidden (a compiler that lacks it) part 1 is skipped.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
so=$builddir/lib/.libs/libregpath.so
fail=0
say() { echo "symbols.sh: $*"; }

# The declarations of the public headers, one statement per line: comments
# removed, lines joined up to each ';' (or '{' for an inline definition).
statements() {
  cat "$srcdir/lib/regpath.h" "$srcdir"/lib/regpath/*.h |
    perl -0777 -pe 's{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g; s{^#[^\n]*}{}gm' |
    awk '{ line = line " " $0 }
         /[;{}]/ { gsub(/[ \t]+/, " ", line); sub(/^ /, "", line); print line; line = "" }'
}
# The name a declaration declares: the first identifier before '(' or '['.
declared_name() {
  sed -E 's/^([^([]*[^A-Za-z0-9_(\[])?([A-Za-z_][A-Za-z0-9_]*) ?[([].*/\2/'
}

# ---------------------------------------------------------------- 1. exports
if [ -z "${VISIBILITY:-x}" ]; then
  say "SKIP exports: the compiler has no -fvisibility=hidden"
elif [ ! -f "$so" ]; then
  say "SKIP exports: no $so (a static-only build)"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/regpath-symbols.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # Defined dynamic symbols; names starting with '_' or '.' are the
  # toolchain's, never regpath's: _init, _fini, the sanitizers' ODR markers,
  # and the locks of OpenMP's named critical sections (.gomp_critical_user_*,
  # shared by every object of the process by design).
  nm -D --defined-only "$so" | awk '$3 !~ /^[_.]/ { print $3 }' | sed 's/@.*//' | sort -u \
    >"$work/exported"
  statements | grep -E '^RP_API ' | declared_name | sort -u >"$work/declared"
  if [ ! -s "$work/declared" ]; then
    say "FAIL: no RP_API declaration found in $srcdir/lib/regpath/*.h"
    fail=1
  fi
  extra=$(comm -23 "$work/exported" "$work/declared")
  missing=$(comm -13 "$work/exported" "$work/declared")
  if [ -n "$extra" ]; then
    say "FAIL: exported but not declared with RP_API in a public header:" $extra
    fail=1
  fi
  if [ -n "$missing" ]; then
    say "FAIL: declared with RP_API but not exported:" $missing
    fail=1
  fi
  # A declaration of a function or table without RP_API would stay hidden.
  unmarked=$(statements | grep -Ev '^(RP_API|typedef|static|struct|enum|union|extern "C")\b' |
             grep -E '^[A-Za-z_][A-Za-z0-9_ *]*\brp_[A-Za-z0-9_]* ?[([]' | declared_name)
  if [ -n "$unmarked" ]; then
    say "FAIL: declared in a public header without RP_API:" $unmarked
    fail=1
  fi
  [ $fail = 0 ] && say "exports: $(wc -l <"$work/exported") symbols, as declared"
fi

# ---------------------------------------------------------------- 2. app includes
for f in "$srcdir"/app/*.c "$srcdir"/app/*.h; do
  sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
    while read -r h; do
      case $h in
        regpath.h | regpath/*.h | build-config.h) ;;
        */*) echo "$(basename "$f"): \"$h\"" ;;
        *) [ -f "$srcdir/app/$h" ] || echo "$(basename "$f"): \"$h\"" ;;
      esac
    done
done >"${work:-/tmp}/private-includes.$$"
if [ -s "${work:-/tmp}/private-includes.$$" ]; then
  say "FAIL: the program includes headers that are neither public nor its own:"
  cat "${work:-/tmp}/private-includes.$$"
  fail=1
fi
rm -f "${work:-/tmp}/private-includes.$$"

# ---------------------------------------------------------------- 3. no processes
spawn='fork|vfork|execl|execle|execlp|execv|execve|execvp|execvpe|fexecve|popen|system|posix_spawn|posix_spawnp'
calls=$(for f in "$srcdir"/lib/*.c; do
          perl -0777 -pe 's{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g; s{"(\\.|[^"\\\n])*"}{""}g' "$f" |
            grep -nE "(^|[^A-Za-z0-9_.>])($spawn)[[:space:]]*\(" | sed "s|^|$(basename "$f"):|"
        done)
if [ -n "$calls" ]; then
  say "FAIL: the library starts processes:"
  echo "$calls"
  fail=1
fi
if [ -f "$so" ]; then
  imports=$(nm -D --undefined-only "$so" | awk '{ print $2 }' | sed 's/@.*//' |
            grep -Ex "$spawn" | tr '\n' ' ')
  if [ -n "$imports" ]; then
    say "FAIL: libregpath.so imports $imports"
    fail=1
  fi
fi

[ $fail = 0 ] && say "PASS"
exit $fail
