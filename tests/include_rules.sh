#!/usr/bin/env bash
# Enforces the README's include table: each third-party library is included by exactly one
# file, and the pipeline's folders only include what sits before them.
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
only_in 'yaml-cpp/' load/yaml_tree.cpp
only_in 'fontconfig/' pdf/font_locator.cpp
only_in 'hyphen\.h' text/hyphenate.cpp
only_in 'cmark' text/markdown.cpp
only_in 'openssl/' util/sha.cpp
only_in 'CLI/' cli.cpp
only_in 'srchilite/' text/highlight_code.cpp
only_in 'png\.h|jpeglib\.h' util/image_file.cpp

must_not() {  # must_not FOLDER MODULE...
  local folder=$1
  shift
  for module in "$@"; do
    if grep -rnE "#include \"$module/" "$folder" >/dev/null; then
      echo "error: $folder/ must not include $module/:"
      grep -rnE "#include \"$module/" "$folder"
      status=1
    fi
  done
}
must_not model load text pdf booklet anki util rustcheck
must_not util model load text pdf booklet anki rustcheck
must_not text load pdf booklet anki rustcheck
must_not load pdf booklet anki rustcheck
must_not pdf load booklet anki rustcheck
must_not booklet load anki rustcheck
must_not anki load pdf booklet rustcheck
must_not rustcheck load pdf booklet anki

[ $status -eq 0 ] && echo "include rules: ok"
exit $status
