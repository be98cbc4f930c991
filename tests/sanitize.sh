#!/usr/bin/env bash
# The whole test suite again, on a build with AddressSanitizer (+ LeakSanitizer) and
# UndefinedBehaviorSanitizer: any memory error, leak or undefined behaviour in prepkit or in
# the tests fails the test that hit it (.ci/run runs this after the normal suite).
#
#   tests/sanitize.sh [BUILD_DIR]        (default build-asan)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DENABLE_SANITIZERS=ON
cmake --build "$build"
# halt_on_error: the first report fails the process; UBSan is already fatal
# (-fno-sanitize-recover). The spawned prepkit processes inherit these settings.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" --output-on-failure
