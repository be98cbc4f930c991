#!/usr/bin/env bash
# Proves prepkit uses libharu only through the functions it exports and declares in its
# installed headers:
#   1. the executable defines no HPDF_ symbol (no replaced libharu function) and calls no
#      dlsym/dlopen;
#   2. no source includes a libharu header other than <hpdf.h>, or <dlfcn.h>;
#   3. no libharu struct field is read or written: tool/pdf/pdf_writer.cpp must compile
#      against a copy of libharu's headers in which every struct but the value types of
#      hpdf_types.h (HPDF_Rect, HPDF_Date, …) is left incomplete.
#
#   tests/libharu_public_api.sh PREPKIT_EXECUTABLE CXX HPDF_INCLUDE_DIR
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
executable=$1
cxx=$2
hpdf_include=$3
status=0
fail() {
  echo "error: $*"
  status=1
}

defined=$(nm --defined-only "$executable" | awk '$3 ~ /^HPDF_/ {print $3}')
[ -z "$defined" ] || fail "the executable defines libharu symbols: $(echo $defined)"
dynamic=$(nm -D --undefined-only "$executable" | awk '{print $NF}' | grep -E '^(dlsym|dlvsym|dlopen)(@|$)')
[ -z "$dynamic" ] || fail "the executable calls $(echo $dynamic)"

includes=$(grep -rnE '#include *[<"](hpdf[a-z0-9_]*\.h|dlfcn\.h)[>"]' "$root/tool" "$root/tests" |
  grep -vE ':#include <hpdf\.h>$')
[ -z "$includes" ] || fail "libharu's private headers or dlfcn.h are included:"$'\n'"$includes"
uses=$(grep -rnwE --include='*.cpp' --include='*.hpp' 'dlsym|dlopen|dlvsym' "$root/tool")
[ -z "$uses" ] || fail "dlsym/dlopen in the sources:"$'\n'"$uses"

opaque=$(mktemp -d)
trap 'rm -rf "$opaque"' EXIT
python3 - "$hpdf_include" "$opaque" <<'EOF' || fail "cannot make opaque libharu headers"
import pathlib, re, sys
source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
headers = sorted(source.glob("hpdf*.h"))
if not any(h.name == "hpdf.h" for h in headers):
    sys.exit(f"no hpdf.h in {source}")
opened = 0
for header in headers:
    text = header.read_text(encoding="latin-1")
    if header.name != "hpdf_types.h":  # the documented value types stay complete
        out, pos = [], 0
        for match in re.finditer(r"\bstruct\s+(_HPDF_\w+)\s*\{", text):
            if match.start() < pos:
                continue  # nested in a body already removed
            depth, end = 0, match.end() - 1
            while True:
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                if depth == 0:
                    break
                end += 1
            out.append(text[pos:match.start()] + "struct " + match.group(1) + " ")
            pos = end + 1
            opened += 1
        text = "".join(out) + text[pos:]
    (target / header.name).write_text(text, encoding="latin-1")
if opened < 20:
    sys.exit(f"only {opened} structs found in {source}: not libharu's headers?")
EOF
if [ $status -eq 0 ]; then
  # The same language level as the build; its own headers and libharu's opaque copy only.
  if ! errors=$("$cxx" -std=c++20 -fsyntax-only -I"$opaque" -I"$root/tool" \
    "$root/tool/pdf/pdf_writer.cpp" 2>&1); then
    fail "pdf_writer.cpp needs libharu's struct definitions (a field is read or written):"
    echo "$errors" | grep -E 'error' | head -20
  fi
fi

[ $status -eq 0 ] && echo "libharu public API only: ok"
exit $status
