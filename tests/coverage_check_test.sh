#!/usr/bin/env bash
# coverage_check.py reports every broken entry of a map with its file:line, and counts.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
map="$here/fixtures/coverage-broken"
set +e
output=$(python3 "$here/coverage_check.py" "$here/fixtures/basic/content" --map "$map" \
  --min-questions 1 --min-fully 0 --min-area-fully 0 2>&1)
status=$?
set -e
expected="coverage: 4 questions from 1 sites in 1 files
  basics            1 / 2    fully answered
  more              0 / 1    fully answered
  all               1 / 4    fully answered (25.0%)
$map/map.yaml:8: error: no section 'alpha/nope' in the pack
$map/map.yaml:13: error: 'asked' must be the http(s) address where it was asked
$map/map.yaml:13: error: unknown area 'nowhere'
$map/map.yaml:13: error: 'sections' needs at least one section
$map/map.yaml:13: error: no card 'beta/missing' in the pack
$map/map.yaml:13: error: the same question as $map/map.yaml:3
$map/map.yaml:18: error: a question not answered fully needs 'why'"
if [ "$status" -ne 1 ] || [ "$output" != "$expected" ]; then
  echo "exit $status; got:"; echo "$output"; echo "expected:"; echo "$expected"; exit 1
fi
echo "coverage_check reports broken maps exactly"
