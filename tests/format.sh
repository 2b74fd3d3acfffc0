#!/bin/bash
# format.sh: every C file of lib/, app/ and tests/ is laid out as .clang-format
# says (clang-format leaves it unchanged); the files that are not are named,
# with the command that fixes them.  Without clang-format (scripts/bootstrap.sh
# installs it) the test says so and is skipped (exit 77), never passed.
set -u
srcdir=${srcdir:-.}
command -v clang-format >/dev/null 2>&1 || {
  echo "format.sh: clang-format not found (Debian: apt-get install clang-format); skipped"
  exit 77
}
bad=0
while IFS= read -r -d '' file; do
  if ! clang-format --style=file "$file" | cmp -s "$file" -; then
    echo "format.sh: ${file#"$srcdir"/} is not formatted: clang-format -i ${file#"$srcdir"/}"
    bad=$((bad + 1))
  fi
done < <(find "$srcdir/lib" "$srcdir/app" "$srcdir/tests" -name '*.[ch]' -print0 | sort -z)
echo "format.sh: $bad files not formatted ($(clang-format --version))"
[ "$bad" -eq 0 ]
