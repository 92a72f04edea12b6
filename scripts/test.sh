#!/usr/bin/env bash
# Sets up, builds and runs every test: unit, lit, coverage, schema and SARIF
# validation, the LSP client and the VS Code extension; then the whole suite
# again under AddressSanitizer and UndefinedBehaviorSanitizer, and a bounded
# libFuzzer run of each fuzz target.
# Usage: scripts/test.sh [BUILD_DIR]     (default: build)
# Environment: CADENCE_QUICK=1 skips the sanitizer and fuzz stages;
#              CADENCE_FUZZ_SECONDS sets the time per fuzz target (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
bash scripts/setup.sh --tests

echo "== build and test"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCADENCE_WERROR=ON
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"

if [ "${CADENCE_QUICK:-0}" = 1 ]; then exit 0; fi

echo "== the same tests under AddressSanitizer and UndefinedBehaviorSanitizer"
cmake -S . -B "$build-sanitize" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCADENCE_SANITIZE=address,undefined
cmake --build "$build-sanitize"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$build-sanitize" --output-on-failure -j "$(nproc)"

echo "== fuzzing (bounded)"
bash tests/fuzz/run.sh "${CADENCE_FUZZ_SECONDS:-60}" "$build-fuzz"
