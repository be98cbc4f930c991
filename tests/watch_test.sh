#!/usr/bin/env bash
# `prepkit watch` in a bounded session: it builds, rebuilds after an edit, reports a broken
# file and keeps the last good outputs, answers a save without changes from the build
# record, and stops when killed. Every wait is bounded (30 s), so the test cannot hang.
# Usage: watch_test.sh PREPKIT
set -uo pipefail
prepkit=$1
work=$(mktemp -d)
watcher=
cleanup() {
  [ -n "$watcher" ] && kill "$watcher" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $1"
  echo "--- stdout"; cat "$work/out.txt"
  echo "--- stderr"; cat "$work/err.txt"
  exit 1
}
# wait_for FILE PATTERN COUNT: until FILE has COUNT lines matching PATTERN.
wait_for() {
  for _ in $(seq 300); do
    [ "$(grep -c -- "$2" "$1")" -ge "$3" ] && return 0
    kill -0 "$watcher" 2>/dev/null || fail "prepkit watch ended"
    sleep 0.1
  done
  fail "no $3 × '$2' in $1"
}

"$prepkit" new "$work/pack" -q --lang sql || fail "prepkit new"
NO_COLOR=1 SOURCE_DATE_EPOCH=1767225600 "$prepkit" watch "$work/pack" > "$work/out.txt" 2> "$work/err.txt" &
watcher=$!

wait_for "$work/out.txt" "^watching" 1
grep -q "pack/out/pack.pdf: 8 pages" "$work/out.txt" || fail "first build"
pdf_before=$(stat -c %Y.%s "$work/pack/out/pack.pdf")

# A save without changes: answered from the record, nothing rewritten.
touch "$work/pack/content/topics/next-steps.yaml"
wait_for "$work/out.txt" "^watching" 2
[ "$(grep -c "(unchanged)" "$work/out.txt")" -ge 2 ] || fail "a save without changes rebuilt"

# An edit: a new card, a new note in the deck.
cat >> "$work/pack/content/topics/next-steps.yaml" <<'YAML'
  - id: watch-added
    kind: basic
    front: Added while watching?
    back: Yes.
YAML
wait_for "$work/out.txt" "^watching" 3
grep -q "pack.apkg: 5 notes" "$work/out.txt" || fail "the edit was not built"

# A broken file: the error is printed and the outputs stay.
pdf_good=$(stat -c %Y.%s "$work/pack/out/pack.pdf")
printf 'id: next-steps\ntitle: [unclosed\n' > "$work/pack/content/topics/next-steps.yaml"
wait_for "$work/out.txt" "^watching (the last good outputs stay)" 1
grep -q "next-steps.yaml:3:1: error: invalid YAML" "$work/err.txt" || fail "no located error"
[ "$(stat -c %Y.%s "$work/pack/out/pack.pdf")" = "$pdf_good" ] || fail "a failed build wrote"

kill "$watcher"
wait "$watcher" 2>/dev/null
watcher=
echo "watch: ok (first build, unchanged save, edit, error kept outputs; pdf $pdf_before)"
