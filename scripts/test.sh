#!/usr/bin/env bash
# Sets up, builds and runs every test: unit, lit, coverage, schema and SARIF
# validation, layout, the LSP client and the VS Code extension; then
# clang-tidy, the whole suite again under AddressSanitizer and
# UndefinedBehaviorSanitizer, the parallel tests under ThreadSanitizer, and a
# bounded libFuzzer run of each fuzz target.
# Usage: scripts/test.sh [--configure-only] [BUILD_DIR]     (default: build)
# Environment: CADENCE_QUICK=1 skips the sanitizer and fuzz stages;
#              CADENCE_FUZZ_SECONDS sets the time per fuzz target (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
configure_only=0
build="build"
for arg in "$@"; do
  case "$arg" in
    --configure-only) configure_only=1 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "test.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    *) build="$arg" ;;
  esac
done
bash scripts/setup.sh --tests

# Every option the tests depend on is set here, explicitly: the build
# directory may have been configured before by the demo (tests off).
configure() {
  cmake -S . -B "$1" -G Ninja -DCADENCE_BUILD_TESTS=ON "${@:2}"
}

echo "== build and test"
configure "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCADENCE_WERROR=ON -DCADENCE_SANITIZE= -DCADENCE_FUZZ=OFF
if [ "$configure_only" = 1 ]; then exit 0; fi
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure --no-tests=error -j "$(nproc)"

if [ "${CADENCE_QUICK:-0}" = 1 ]; then exit 0; fi

echo "== clang-tidy (.clang-tidy) over the library and the command line"
run_clang_tidy=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
if [ -n "$run_clang_tidy" ]; then
  "$run_clang_tidy" -p "$build" -quiet -j "$(nproc)" "$(pwd)/compiler/.*\.cpp\$" > "$build/clang-tidy.log" 2>&1 ||
    { grep -E "error:|warning:" "$build/clang-tidy.log" | head -40; echo "clang-tidy found problems"; exit 1; }
  echo "clang-tidy: $(grep -c '^' "$build/clang-tidy.log") lines of log, no finding"
else
  echo "clang-tidy: not installed; skipped"
fi

echo "== the same tests under AddressSanitizer and UndefinedBehaviorSanitizer"
configure "$build-sanitize" -DCMAKE_BUILD_TYPE=Debug -DCADENCE_SANITIZE=address,undefined
cmake --build "$build-sanitize"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$build-sanitize" --output-on-failure --no-tests=error -j "$(nproc)"

echo "== the parallel tests under ThreadSanitizer"
bash tests/tsan/run.sh "$build-tsan"

echo "== fuzzing (bounded)"
bash tests/fuzz/run.sh "${CADENCE_FUZZ_SECONDS:-60}" "$build-fuzz"
