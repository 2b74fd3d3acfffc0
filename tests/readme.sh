#!/bin/bash
# readme.sh: the README's example outputs are what the program prints now
# (scripts/readme-examples.sh, which says how the blocks are marked and made;
# after a change to the output, `scripts/readme-examples.sh --update`).
set -u
srcdir=${srcdir:-.}
export srcdir REGPATH=${REGPATH:-${builddir:-.}/app/regpath}
exec "$srcdir/scripts/readme-examples.sh"
