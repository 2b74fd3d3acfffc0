#!/bin/sh
# Make a fresh Debian machine ready to build and test regpath, then build it.
# Installs only the missing packages (apt-get; sudo when not root), then runs
# autogen.sh / configure only when their inputs changed, and make.  Quick and
# harmless to run again.  Extra arguments go to ./configure on its first run.
set -eu
cd "$(dirname "$0")/.."

# Build and test dependencies (Debian package names; clang-format for
# tests/format.sh, jq for tests/readme.sh); OpenBLAS is optional
# for the build but makes the Gram matrices several times faster; Open MPI
# builds app/regpath-mpi, which make check runs under mpirun.
PACKAGES="gcc make autoconf automake libtool pkg-config libgsl-dev libcjson-dev zlib1g-dev check gnuplot-nox libopenblas-dev clang-format jq libopenmpi-dev openmpi-bin"

missing=""
for pkg in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $pkg"
  fi
done
if [ -n "$missing" ]; then
  echo "bootstrap: installing$missing" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
  echo "bootstrap: ./autogen.sh" >&2
  ./autogen.sh >/dev/null 2>&1 || ./autogen.sh >&2
fi
if [ ! -f config.status ] || [ configure -nt config.status ]; then
  echo "bootstrap: ./configure $*" >&2
  ./configure -q "$@" >&2
fi
make -s -j"$(nproc 2>/dev/null || echo 2)" >&2
