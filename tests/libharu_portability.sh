#!/usr/bin/env bash
# The suite against libharu 2.4.6 built from ../shared/vendor/libharu-2.4.6.tar.gz with
# -Wl,-Bsymbolic-functions (as Ubuntu links it: none of libharu's own calls can reach a
# definition elsewhere). Builds libharu and prepkit in a temporary folder, offline, and runs
# every test but the Rust examples, which do not touch libharu.
#
#   tests/libharu_portability.sh [--tarball FILE]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/tests/libharu_build.sh" "$work/libharu" --symbolic-functions "$@"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$root" -B "$work/build" -G Ninja "${launcher[@]}" \
  -DPREPKIT_LIBHARU_PREFIX="$work/libharu" >"$work/configure.log" ||
  { cat "$work/configure.log" >&2; exit 1; }
grep 'libharu 2\.4' "$work/configure.log"
cmake --build "$work/build"
if ! ldd "$work/build/prepkit" | grep -q "$work/libharu/lib/libhpdf"; then
  echo "libharu_portability.sh: prepkit does not load the libharu just built" >&2
  exit 1
fi
CI=${CI:-1} ctest --test-dir "$work/build" -j2 --output-on-failure -E 'every Rust example'
