#!/usr/bin/env bash
# Builds libharu from its release tarball into PREFIX, offline, in a temporary folder.
#
#   tests/libharu_build.sh PREFIX [--symbolic-functions] [--tarball FILE]
#
# --symbolic-functions links the library with -Wl,-Bsymbolic-functions, as Ubuntu builds
# it: libharu's calls to its own functions then never reach a definition elsewhere.
# The tarball defaults to ../shared/vendor/libharu-2.4.6.tar.gz beside the repository.
# Needs cmake, a C compiler, zlib and libpng (zlib1g-dev, libpng-dev).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tarball="$root/../shared/vendor/libharu-2.4.6.tar.gz"
prefix=""
linker_flags=""
while [ $# -gt 0 ]; do
  case "$1" in
    --symbolic-functions) linker_flags="-Wl,-Bsymbolic-functions"; shift ;;
    --tarball) tarball=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "libharu_build.sh: unknown option '$1'" >&2; exit 2 ;;
    *) prefix=$1; shift ;;
  esac
done
[ -n "$prefix" ] || { echo "usage: tests/libharu_build.sh PREFIX [--symbolic-functions]" >&2; exit 2; }
[ -f "$tarball" ] || { echo "libharu_build.sh: no tarball at $tarball" >&2; exit 3; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
source_dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
cmake -S "$source_dir" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
  -DCMAKE_SHARED_LINKER_FLAGS="$linker_flags" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log" >&2; exit 1; }
cmake --build "$work/build" >"$work/build.log" || { tail -50 "$work/build.log" >&2; exit 1; }
cmake --install "$work/build" >/dev/null
echo "libharu installed in $prefix${linker_flags:+ (linked with $linker_flags)}"
