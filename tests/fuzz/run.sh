#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan), makes the seed corpus from
# content/, and runs each target for a set time, one after the other.
#
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 600 s, all four)
#   targets: load_content markdown highlight_rust highlight_code line_breaking image card_html
#            lock layout
#   env: FUZZ_BUILD_DIR (default build-fuzz), CXX_FOR_FUZZING (default clang++-14),
#        FUZZ_TIMEOUT (seconds per input, default 10; raise it on a machine shared with
#        other work, where wall time is not CPU time)
#
# The corpus grows in $FUZZ_BUILD_DIR/fuzz/corpus/<target> across runs; crashes, leaks and
# timeouts are saved to $FUZZ_BUILD_DIR/fuzz/artifacts/ (copy each into
# tests/fuzz/regressions/<target>/ once fixed: tests/fuzz_regressions_test.cpp replays
# them in the normal test suite). Exit status 1 when any target found something.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(load_content markdown highlight_rust highlight_code line_breaking image card_html
    lock layout)
fi
build=${FUZZ_BUILD_DIR:-build-fuzz}
work=$build/fuzz

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="${CXX_FOR_FUZZING:-clang++-14}" -DENABLE_FUZZING=ON -DBUILD_TESTING=OFF
fi
cmake --build "$build" --target "${targets[@]/#/fuzz_}"

# Seeds are made afresh for each run (several runs may go on at once).
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
python3 tests/fuzz/make_corpus.py content "$seeds"
mkdir -p "$work/artifacts"

declare -A max_len=([load_content]=32768 [markdown]=16384 [highlight_rust]=16384 [highlight_code]=16384 [line_breaking]=8192
                  [image]=4194304 [card_html]=1100000 [lock]=1100000 [layout]=1100000)
declare -A dict=([load_content]=yaml [markdown]=markdown [highlight_rust]=rust [highlight_code]= [line_breaking]=
              [image]= [card_html]=markdown [lock]=lock [layout]=yaml)

found=0
summary=""
for target in "${targets[@]}"; do
  corpus=$work/corpus/$target
  mkdir -p "$corpus"
  regressions=tests/fuzz/regressions/$target
  inputs=("$corpus" "$seeds/$target")
  [ -d "$regressions" ] && inputs+=("$regressions")
  [ -d "tests/fuzz/seeds/$target" ] && mkdir -p "$seeds/$target" && cp tests/fuzz/seeds/"$target"/* "$seeds/$target/"
  options=(-max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len="${max_len[$target]}"
           -print_final_stats=1 -artifact_prefix="$work/artifacts/$target-")
  [ -n "${dict[$target]}" ] && options+=(-dict="tests/fuzz/${dict[$target]}.dict")
  log=$work/$target.log
  echo "fuzz_$target: ${seconds} s, log $log"
  status=0
  "$build/tests/fuzz/fuzz_$target" "${options[@]}" "${inputs[@]}" >"$log" 2>&1 || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  artifacts=$(find "$work/artifacts" -name "$target-*" | wc -l)
  line="fuzz_$target: ${executions:-?} executions in ${seconds} s, exit $status, $artifacts artifacts"
  echo "$line"
  summary+="$line"$'\n'
  if [ "$status" -ne 0 ] || [ "$artifacts" -ne 0 ]; then
    found=1
    grep -E "^(==[0-9]+==ERROR|SUMMARY|invariant violated)" "$log" | head -5 || true
  fi
done
printf '\n%s' "$summary"
exit $found
