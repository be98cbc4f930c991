#!/usr/bin/env bash
# Enforces tool/README.md's include rules: each third-party library is included by exactly one
# file, and each folder of tool/ includes only the folders its row allows.
set -u
cd "$(dirname "$0")/../tool" || exit 2
status=0

only_in() {  # only_in HEADER-REGEX FILE
  local users
  users=$(grep -rlE "#include <($1)" . | sed 's|^\./||' | sort)
  if [ "$users" != "$2" ]; then
    echo "error: <$1> must be included only by $2, found in: $(echo $users)"
    status=1
  fi
}
only_in 'hpdf' pdf/pdf_writer.cpp
only_in 'libdeflate' util/deflate.cpp
only_in 'sqlite3|zip\.h' anki/apkg_writer.cpp
only_in 'yaml\.h' load/yaml_tree.cpp
only_in 'fontconfig/' pdf/font_locator.cpp
only_in 'hb\.h|hb-' pdf/kerning.cpp
only_in 'hyphen\.h' text/hyphenate.cpp
only_in 'cmark' text/markdown.cpp
only_in 'openssl/' util/sha.cpp
only_in 'CLI/' cli.cpp
only_in 'srchilite/' text/highlight_code.cpp
only_in 'png\.h|jpeglib\.h' util/image_file.cpp

# What each folder may include besides itself: the pipeline's folders include only what sits
# before them; booklet/ and print/ are siblings over typeset/. A folder missing here fails.
declare -A may_include=(
  [util]=""
  [model]=""
  [text]="model util"
  [pdf]="model util"
  [load]="model text util"
  [typeset]="model util text pdf"
  [booklet]="model util text pdf typeset"
  [print]="model util text pdf typeset"
  [anki]="model util text"
  [rustcheck]="model util"
  [commands]="model util load"
)
for dir in */; do
  folder=${dir%/}
  if [ -z "${may_include[$folder]+set}" ]; then
    echo "error: tool/$folder/ has no row in tests/include_rules.sh"
    status=1
    continue
  fi
  for used in $(grep -rhoE '#include "[a-z_]+/' "$folder" | sed 's|#include "||; s|/$||' | sort -u); do
    if [ "$used" != "$folder" ] && [[ " ${may_include[$folder]} " != *" $used "* ]]; then
      echo "error: $folder/ must not include $used/:"
      grep -rnE "#include \"$used/" "$folder"
      status=1
    fi
  done
done

[ $status -eq 0 ] && echo "include rules: ok"
exit $status
